package io.github.reconnectingws.autoconfigure;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Invalid {@code reconnecting.websocket.*} values fail startup with a failure analysis
 * that names the property and what it accepts.
 */
class ReconnectingWebSocketPropertiesValidationTests {

    private static final String P = "reconnecting.websocket.";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(
                AutoConfigurations.of(ReconnectingWebSocketAutoConfiguration.class, SslAutoConfiguration.class))
        .withPropertyValues(P + "auto-startup=false");

    static Stream<Arguments> invalidSettings() {
        return Stream.of(arguments(P + "url=http://localhost/feed", P + "url", "ws:// or wss://"),
                arguments(P + "url=ws://", P + "url", "ws:// or wss://"),
                arguments(P + "url=ws://bad host/x", P + "url", "ws:// or wss://"),
                arguments(P + "connections.prices.url=ftp://localhost/x", P + "connections.prices.url",
                        "ws:// or wss://"),
                arguments(P + "connections.default.url=ws://localhost/x", P + "connections.default",
                        "any other connection name"),
                arguments(P + "connect-timeout=0s", P + "connect-timeout", "positive duration"),
                arguments(P + "max-text-message-size=0B", P + "max-text-message-size", "data size"),
                arguments(P + "max-binary-message-size=3GB", P + "max-binary-message-size", "data size"),
                arguments(P + "max-reconnects=-1", P + "max-reconnects", "0 (unlimited)"),
                arguments(P + "max-reconnects-window=0s", P + "max-reconnects-window", "positive duration"),
                arguments(P + "shutdown-timeout=-1s", P + "shutdown-timeout", "0 or more"),
                arguments(P + "backoff.initial-interval=0ms", P + "backoff.initial-interval", "positive duration"),
                arguments(P + "backoff.multiplier=0.5", P + "backoff.multiplier", "1.0 or more"),
                arguments(P + "backoff.randomization-factor=1.5", P + "backoff.randomization-factor",
                        "from 0.0 (no jitter) to 1.0"),
                arguments(P + "backoff.randomization-factor=-0.1", P + "backoff.randomization-factor",
                        "from 0.0 (no jitter) to 1.0"),
                arguments(P + "backoff.max-interval=0s", P + "backoff.max-interval", "positive duration"),
                arguments(P + "backoff.max-elapsed-time=-5s", P + "backoff.max-elapsed-time", "0 or more"),
                arguments(P + "backoff.stable-after=-1s", P + "backoff.stable-after", "0 or more"),
                arguments(P + "heartbeat.interval=-1s", P + "heartbeat.interval", "0 or more"),
                arguments(P + "heartbeat.timeout=0s", P + "heartbeat.timeout", "positive duration"),
                arguments(P + "outbound.buffer-size=0", P + "outbound.buffer-size", "1 or more"),
                arguments(P + "outbound.send-time-limit=0s", P + "outbound.send-time-limit", "positive duration"),
                arguments(P + "connections.prices.backoff.multiplier=0.9", P + "connections.prices.backoff.multiplier",
                        "1.0 or more"),
                arguments(P + "fatal-close-codes=999", P + "fatal-close-codes", "1000 to 4999"),
                arguments(P + "fatal-close-codes=1008,4099-4000", P + "fatal-close-codes", "4000-4099"),
                arguments(P + "fatal-close-codes=policy", P + "fatal-close-codes", "1000 to 4999"),
                arguments(P + "connections.prices.fatal-close-codes=5000", P + "connections.prices.fatal-close-codes",
                        "1000 to 4999"),
                arguments(P + "max-connection-age=-1h", P + "max-connection-age", "0 or more"),
                arguments(P + "outbound.rate-limit=-5", P + "outbound.rate-limit", "messages per second"),
                arguments(P + "ssl-bundle=missing", P + "ssl-bundle", "none is configured"),
                arguments(P + "connections.prices.ssl-bundle=missing", P + "connections.prices.ssl-bundle",
                        "none is configured"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidSettings")
    void invalidValueFailsStartupNamingThePropertyAndTheAcceptedValues(String setting, String property,
            String accepted) {
        this.runner.withPropertyValues(P + "connections.prices.url=ws://localhost:1/prices")
            .withPropertyValues(setting)
            .run((context) -> {
                assertThat(context).hasFailed();
                InvalidConnectionPropertyException failure = findCause(context.getStartupFailure());
                assertThat(failure.getProperty()).isEqualTo(property);
                FailureAnalysis analysis = new InvalidConnectionPropertyFailureAnalyzer()
                    .analyze(context.getStartupFailure());
                assertThat(analysis.getDescription()).contains("Property: " + property);
                assertThat(analysis.getAction()).contains("'" + property + "' accepts").contains(accepted);
            });
    }

    @Test
    void namedConnectionWithoutAnyUrlNeedsOne() {
        this.runner.withPropertyValues(P + "connections.prices.subprotocols=v1").run((context) -> {
            assertThat(context).hasFailed();
            assertThat(findCause(context.getStartupFailure()).getProperty()).isEqualTo(P + "connections.prices.url");
        });
    }

    @Test
    void urlWithCredentialsIsNotRepeatedInTheFailure() {
        this.runner.withPropertyValues(P + "url=http://user:s3cr3t@localhost/x?token=t0ps3cr3t").run((context) -> {
            assertThat(context).hasFailed();
            FailureAnalysis analysis = new InvalidConnectionPropertyFailureAnalyzer()
                .analyze(context.getStartupFailure());
            assertThat(analysis.getDescription() + analysis.getAction()).doesNotContain("s3cr3t")
                .doesNotContain("t0ps3cr3t");
        });
    }

    @Test
    void unknownSslBundleListsTheConfiguredOnes() {
        this.runner
            .withPropertyValues(P + "url=wss://localhost:1/x", P + "ssl-bundle=clients",
                    "spring.ssl.bundle.jks.server.truststore.type=PKCS12")
            .run((context) -> {
                assertThat(context).hasFailed();
                InvalidConnectionPropertyException failure = findCause(context.getStartupFailure());
                assertThat(failure.getProperty()).isEqualTo(P + "ssl-bundle");
                assertThat(failure.getAcceptedValues()).contains("[server]");
            });
    }

    @Test
    void badEnumValueIsReportedByBootsBinder() {
        this.runner.withPropertyValues(P + "outbound.overflow=drop-newest").run((context) -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("OutboundOverflow");
        });
    }

    private static InvalidConnectionPropertyException findCause(Throwable failure) {
        Throwable candidate = failure;
        while (candidate != null && !(candidate instanceof InvalidConnectionPropertyException)) {
            candidate = candidate.getCause();
        }
        assertThat(candidate).as("InvalidConnectionPropertyException in %s", failure).isNotNull();
        return (InvalidConnectionPropertyException) candidate;
    }

}
