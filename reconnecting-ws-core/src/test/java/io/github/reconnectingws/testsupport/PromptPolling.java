package io.github.reconnectingws.testsupport;

import java.time.Duration;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Makes every Awaitility wait of the tests check its condition at once and then every
 * 10 ms, instead of Awaitility's default first check after 100 ms and every 100 ms since:
 * a test waits as long as the behaviour takes, not up to a tenth of a second more per
 * wait. Registered for every test class of the modules that have this test support
 * (JUnit's extension auto-detection, {@code junit-platform.properties}); the timeouts are
 * each wait's own.
 */
public final class PromptPolling implements BeforeAllCallback {

    @Override
    public void beforeAll(ExtensionContext context) {
        Awaitility.setDefaultPollDelay(Duration.ZERO);
        Awaitility.setDefaultPollInterval(Duration.ofMillis(10));
    }

}
