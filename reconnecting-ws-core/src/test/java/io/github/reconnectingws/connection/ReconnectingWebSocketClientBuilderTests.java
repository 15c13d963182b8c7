package io.github.reconnectingws.connection;

import java.time.Duration;
import java.util.concurrent.ExecutionException;

import io.github.reconnectingws.ConnectionSettings;
import io.github.reconnectingws.OutboundOverflow;
import io.github.reconnectingws.ReconnectingWebSocketClient;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class ReconnectingWebSocketClientBuilderTests {

    @Test
    void rejectsUrlsThatAreNotWebSocketUrls() {
        assertThatIllegalArgumentException().isThrownBy(() -> ReconnectingWebSocketClientBuilder.forUrl("http://h/x"))
            .withMessageContaining("ws:// or wss://");
        assertThatIllegalArgumentException().isThrownBy(() -> ReconnectingWebSocketClientBuilder.forUrl("ws:///feed"))
            .withMessageContaining("host");
        assertThatIllegalArgumentException().isThrownBy(() -> ReconnectingWebSocketClientBuilder.forUrl(" "));
    }

    @Test
    void sendingAnObjectWithoutAPayloadEncoderSaysHowToGiveOne() {
        try (ReconnectingWebSocketClient client = ReconnectingWebSocketClientBuilder.forUrl("ws://h/x").build()) {
            assertThat(client.send(new StringBuilder("an object"))).failsWithin(Duration.ZERO)
                .withThrowableOfType(ExecutionException.class)
                .havingCause()
                .isInstanceOf(IllegalArgumentException.class)
                .withMessageContaining("Cannot send a java.lang.StringBuilder: no PayloadEncoder is configured")
                // without Spring Boot, Jackson on the class path does not help: the builder needs one
                .withMessageContaining("give the builder one (ReconnectingWebSocketClientBuilder.payloadEncoder)")
                .withMessageContaining("with the Spring Boot starter, add Jackson")
                .withMessageContaining("or define a PayloadEncoder bean");
        }
    }

    @Test
    void invalidUrlErrorsDoNotRepeatTheUrl() {
        assertThatIllegalArgumentException()
            .isThrownBy(() -> ReconnectingWebSocketClientBuilder.forUrl("ws://u:secret@h/x y"))
            .satisfies((ex) -> org.assertj.core.api.Assertions.assertThat(ex.getMessage()).doesNotContain("secret"));
    }

    @Test
    void rejectsNonsenseSettings() {
        ReconnectingWebSocketClientBuilder builder = ReconnectingWebSocketClientBuilder.forUrl("ws://h/x");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> builder.backoff(Duration.ofMillis(100), 0.5, 0.5, Duration.ofSeconds(1), Duration.ZERO))
            .withMessageContaining("multiplier");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> builder.backoff(Duration.ofMillis(100), 2, 1.5, Duration.ofSeconds(1), Duration.ZERO))
            .withMessageContaining("randomization-factor");
        assertThatIllegalArgumentException().isThrownBy(() -> builder.connectTimeout(Duration.ZERO))
            .withMessageContaining("connect-timeout");
        assertThatIllegalArgumentException().isThrownBy(() -> builder.outbound(0, OutboundOverflow.REJECT));
    }

    @Test
    void settingsThePlainBuilderCannotServeFailInsteadOfBeingDropped() {
        ConnectionSettings stomp = ConnectionSettings.DEFAULTS.withUrl("ws://h/x")
            .withStomp(new ConnectionSettings.Stomp(true, null, null, "/", false));
        assertThatIllegalStateException().isThrownBy(() -> ReconnectingWebSocketClientBuilder.forSettings(stomp).build())
            .withMessageContaining("stomp.enabled")
            .withMessageContaining("ReconnectingStompClient.build");
        ConnectionSettings jdbc = ConnectionSettings.DEFAULTS.withUrl("ws://h/x")
            .withResume(new ConnectionSettings.Resume("/seq", ConnectionSettings.Resume.Store.JDBC, true,
                    Duration.ofMillis(200)));
        assertThatIllegalStateException().isThrownBy(() -> ReconnectingWebSocketClientBuilder.forSettings(jdbc).build())
            .withMessageContaining("resume.store jdbc")
            .withMessageContaining("ResumePositionStore");
    }

}
