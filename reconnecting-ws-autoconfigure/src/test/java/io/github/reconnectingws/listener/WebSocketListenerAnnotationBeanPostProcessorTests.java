package io.github.reconnectingws.listener;

import java.lang.reflect.Method;
import java.nio.ByteBuffer;

import io.github.reconnectingws.ReconnectingWebSocketClient;
import io.github.reconnectingws.WebSocketListener;
import io.github.reconnectingws.autoconfigure.ReconnectingWebSocketAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.messaging.Message;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.util.ReflectionUtils;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link WebSocketListenerAnnotationBeanPostProcessor} and the frame routing of
 * listener methods.
 */
class WebSocketListenerAnnotationBeanPostProcessorTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ReconnectingWebSocketAutoConfiguration.class))
        .withPropertyValues("reconnecting.websocket.auto-startup=false");

    @Test
    void listenerOnAnUnknownConnectionFailsStartupNamingTheMethodAndTheConfiguredConnections() {
        this.runner
            .withPropertyValues("reconnecting.websocket.url=ws://localhost:1/a",
                    "reconnecting.websocket.connections.prices.url=ws://localhost:2/b")
            .withBean(UnknownConnectionListener.class)
            .run((context) -> {
                assertThat(context).hasFailed();
                assertThat(context.getStartupFailure())
                    .hasMessageContaining("UnknownConnectionListener.onMessage(String)")
                    .hasMessageContaining("'pricez', which is not configured")
                    .hasMessageContaining("[default, prices]")
                    .hasMessageContaining("reconnecting.websocket.connections.pricez.url");
            });
    }

    @Test
    void listenerOnTheDefaultConnectionWithoutOneFailsStartup() {
        this.runner.withPropertyValues("reconnecting.websocket.connections.prices.url=ws://localhost:2/b")
            .withBean(DefaultConnectionListener.class)
            .run((context) -> assertThat(context).getFailure()
                .hasMessageContaining("'default', which is not configured"));
    }

    @Test
    void listenersOnConfiguredConnectionsStartFine() {
        this.runner
            .withPropertyValues("reconnecting.websocket.url=ws://localhost:1/a",
                    "reconnecting.websocket.connections.prices.url=ws://localhost:2/b")
            .withBean(DefaultConnectionListener.class)
            .withBean(PricesListener.class)
            .run((context) -> {
                assertThat(context).hasNotFailed();
                assertThat(context).hasSingleBean(WebSocketListenerAnnotationBeanPostProcessor.class);
            });
    }

    @Test
    void aFieldWithoutHavingValueFailsStartupNamingTheMethodAndTheAttributes() {
        this.runner.withPropertyValues("reconnecting.websocket.url=ws://localhost:1/a")
            .withBean(FieldWithoutValueListener.class)
            .run((context) -> assertThat(context).getFailure()
                .rootCause()
                .hasMessageContaining("@WebSocketListener ")
                .hasMessageContaining("FieldWithoutValueListener.onMessage(String) sets field without havingValue")
                .hasMessageContaining("field = \"/type\", havingValue = \"ticker\""));
    }

    @Test
    void aFieldThatIsNotAJsonPointerFailsStartupNamingTheMethodAndTheField() {
        this.runner.withPropertyValues("reconnecting.websocket.url=ws://localhost:1/a")
            .withBean(NotAPointerListener.class)
            .run((context) -> assertThat(context).getFailure()
                .hasStackTraceContaining("@WebSocketListener ")
                .hasStackTraceContaining("NotAPointerListener.onMessage(String) has field 'type', which is not a JSON pointer")
                .hasStackTraceContaining("(e.g. /type or /data/kind)"));
    }

    @Test
    void framesAreRoutedByPayloadParameterType() {
        assertThat(framesOf("text")).isEqualTo(AcceptedFrames.TEXT);
        assertThat(framesOf("pojo")).isEqualTo(AcceptedFrames.TEXT);
        assertThat(framesOf("textMessage")).isEqualTo(AcceptedFrames.TEXT);
        assertThat(framesOf("bytes")).isEqualTo(AcceptedFrames.BINARY);
        assertThat(framesOf("buffer")).isEqualTo(AcceptedFrames.BINARY);
        assertThat(framesOf("binaryMessage")).isEqualTo(AcceptedFrames.BINARY);
        assertThat(framesOf("any")).isEqualTo(AcceptedFrames.ALL);
        assertThat(framesOf("message")).isEqualTo(AcceptedFrames.ALL);
        assertThat(framesOf("noPayload")).isEqualTo(AcceptedFrames.ALL);
        assertThat(framesOf("clientFirst")).isEqualTo(AcceptedFrames.BINARY);
        assertThat(AcceptedFrames.TEXT.accepts(new TextMessage("x"))).isTrue();
        assertThat(AcceptedFrames.TEXT.accepts(new BinaryMessage(new byte[1]))).isFalse();
        assertThat(AcceptedFrames.BINARY.accepts(new TextMessage("x"))).isFalse();
        assertThat(AcceptedFrames.ALL.accepts(new BinaryMessage(new byte[1]))).isTrue();
    }

    private static AcceptedFrames framesOf(String name) {
        for (Method method : ReflectionUtils.getDeclaredMethods(RoutingExamples.class)) {
            if (method.getName().equals(name)) {
                return AcceptedFrames.of(method);
            }
        }
        throw new IllegalArgumentException(name);
    }

    static class UnknownConnectionListener {

        @WebSocketListener(connection = "pricez")
        void onMessage(String text) {
        }

    }

    static class FieldWithoutValueListener {

        @WebSocketListener(field = "/type")
        void onMessage(String text) {
        }

    }

    static class NotAPointerListener {

        @WebSocketListener(field = "type", havingValue = "ticker")
        void onMessage(String text) {
        }

    }

    static class DefaultConnectionListener {

        @WebSocketListener
        void onMessage(String text) {
        }

    }

    static class PricesListener {

        @WebSocketListener(connection = "prices")
        void onMessage(byte[] data, ReconnectingWebSocketClient client) {
        }

    }

    @SuppressWarnings("unused")
    static class RoutingExamples {

        void text(String text, WebSocketSession session) {
        }

        void pojo(@Header("x") String header, Object pojo) {
        }

        void textMessage(TextMessage message) {
        }

        void bytes(byte[] data) {
        }

        void buffer(ByteBuffer data) {
        }

        void binaryMessage(BinaryMessage message) {
        }

        void any(WebSocketMessage<?> message) {
        }

        void message(Message<?> message) {
        }

        void noPayload(ReconnectingWebSocketClient client) {
        }

        void clientFirst(ReconnectingWebSocketClient client, ByteBuffer data) {
        }

    }

}
