package io.github.reconnectingws.connection;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.reconnectingws.ReconnectingWebSocketClient;
import org.junit.jupiter.api.Test;

import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tomcat reads with small buffers; messages up to the configured sizes still arrive
 * whole, and a larger one closes the session with 1009 (and the client reconnects).
 */
class MessageSizeTests extends ClientTestSupport {

    private final List<Object> received = new CopyOnWriteArrayList<>();

    private ReconnectingWebSocketClient client(int maxSize) {
        return started(builder(server().uri()).maxMessageSizes(maxSize, maxSize)
            .messageHandler((client, session, message) -> this.received.add(message)));
    }

    @Test
    void messagesLargerThanTheReadBufferArriveWhole() {
        ReconnectingWebSocketClient client = client(64 * 1024);
        String text = "é".repeat(30_000) + "x".repeat(4_000);
        byte[] bytes = new byte[64 * 1024];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) i;
        }
        server().sendToAll(text);
        server().sendToAll(bytes);
        server().sendToAll("small");
        eventually().until(() -> this.received.size() == 3);
        assertThat(this.received.get(0)).isInstanceOfSatisfying(TextMessage.class,
                (message) -> assertThat(message.getPayload()).isEqualTo(text));
        assertThat(this.received.get(1)).isInstanceOfSatisfying(BinaryMessage.class,
                (message) -> assertThat(message.getPayload()).isEqualTo(java.nio.ByteBuffer.wrap(bytes)));
        assertThat(this.received.get(2)).isInstanceOfSatisfying(TextMessage.class,
                (message) -> assertThat(message.getPayload()).isEqualTo("small"));
        assertThat(client.getReconnectCount()).isZero();
    }

    @Test
    void aMessageOverItsLimitClosesWith1009AndTheClientReconnects() {
        Recorder recorder = new Recorder();
        ReconnectingWebSocketClient client = started(builder(server().uri()).maxMessageSizes(16 * 1024, 16 * 1024)
            .observer(recorder)
            .messageHandler((c, session, message) -> this.received.add(message)));
        server().sendToAll("y".repeat(20_000));
        eventually().until(() -> client.getReconnectCount() == 1 && client.isConnected());
        // the reason names the limit: it is in the disconnect's log line and event
        assertThat(recorder.disconnects).first().isEqualTo(CloseStatus.TOO_BIG_TO_PROCESS
            .withReason("text message over max-text-message-size (16384 characters)"));
        assertThat(this.received).isEmpty();
        server().awaitOpenSessions(1);
        server().sendToAll("after");
        eventually().until(() -> this.received.size() == 1);
    }

    @Test
    void nothingOfAMessageFarOverItsLimitReachesTheHandler() {
        Recorder recorder = new Recorder();
        ReconnectingWebSocketClient client = started(builder(server().uri()).maxMessageSizes(64 * 1024, 64 * 1024)
            .compression(false)
            .observer(recorder)
            .messageHandler((c, session, message) -> this.received.add(message)));
        // what Tomcat had already read of it when the client closed used to arrive as a message
        server().sendToAll("z".repeat(50 * 1024 * 1024));
        eventually().until(() -> client.getReconnectCount() == 1 && client.isConnected());
        assertThat(recorder.disconnects).first().isEqualTo(CloseStatus.TOO_BIG_TO_PROCESS
            .withReason("text message over max-text-message-size (65536 characters)"));
        server().awaitOpenSessions(1);
        server().sendToAll("after");
        eventually().until(() -> this.received.size() == 1);
        assertThat(this.received).singleElement().isInstanceOfSatisfying(TextMessage.class,
                (message) -> assertThat(message.getPayload()).isEqualTo("after"));
    }

}
