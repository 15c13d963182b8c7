package io.github.reconnectingws.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * A real application started with an invalid property prints the failure analysis that
 * names the property and its accepted values.
 */
@ExtendWith(OutputCaptureExtension.class)
class StartupFailureAnalysisIntegrationTests {

    @Test
    void invalidPropertyIsExplainedOnStartup(CapturedOutput output) {
        SpringApplication application = new SpringApplication(App.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        assertThatException().isThrownBy(() -> application.run("--reconnecting.websocket.url=ws://localhost:1/feed",
                "--reconnecting.websocket.auto-startup=false", "--reconnecting.websocket.backoff.multiplier=0.5"));
        assertThat(output).contains("APPLICATION FAILED TO START")
            .contains("Property: reconnecting.websocket.backoff.multiplier")
            .contains("Value:    0.5")
            .contains("'reconnecting.websocket.backoff.multiplier' accepts a number of 1.0 or more");
    }

    @Test
    void schemeOtherThanWsIsExplainedWithoutTheUrl(CapturedOutput output) {
        SpringApplication application = new SpringApplication(App.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        assertThatException().isThrownBy(() -> application.run(
                "--reconnecting.websocket.connections.prices.url=https://user:hunter22@example.org/x",
                "--reconnecting.websocket.auto-startup=false"));
        assertThat(output).contains("Property: reconnecting.websocket.connections.prices.url")
            .contains("ws:// or wss://")
            .doesNotContain("hunter22");
    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {

    }

}
