package io.github.reconnectingws.connection;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.reconnectingws.ReconnectingWebSocketClient;
import io.github.reconnectingws.testsupport.TestWebSocketServer;
import org.junit.jupiter.api.Test;

import org.springframework.web.socket.TextMessage;
import org.springframework.web.util.UriComponentsBuilder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Headers, subprotocols and the per-attempt handshake; message size limits.
 */
class HandshakeRequestTests extends ClientTestSupport {

    @Test
    void sendsStaticHeadersAndSubprotocols() {
        started(builder(server().uri()).header("X-Api-Key", "k-123").subprotocols(List.of("v1.json")));
        assertThat(server().lastHandshakeHeaders()).containsEntry("x-api-key", List.of("k-123"));
        assertThat(server().lastHandshakeHeaders().get("sec-websocket-protocol")).containsExactly("v1.json");
    }

    @Test
    void customizerSuppliesAFreshTokenOnEveryAttempt() {
        AtomicInteger tokens = new AtomicInteger();
        ReconnectingWebSocketClient client = started(builder(server().uri()).handshakeCustomizer((request) -> {
            int token = tokens.incrementAndGet();
            request.getHeaders().set("Authorization", "Bearer token-" + token);
            request.setUri(UriComponentsBuilder.fromUri(request.getUri()).queryParam("t", token).build().toUri());
        }));
        assertThat(server().lastHandshakeHeaders().get("authorization")).containsExactly("Bearer token-1");
        assertThat(server().lastHandshakeQuery()).isEqualTo("t=1");
        server().awaitOpenSessions(1);
        server().closeAll(1011, "token expired");
        eventually().until(() -> client.getReconnectCount() == 1 && client.isConnected());
        assertThat(server().lastHandshakeHeaders().get("authorization")).containsExactly("Bearer token-2");
        assertThat(server().lastHandshakeQuery()).isEqualTo("t=2");
        assertThat(client.getUrl()).doesNotContain("token");
    }

    @Test
    void receivesMessagesUpToTheConfiguredSize() {
        List<String> received = new java.util.concurrent.CopyOnWriteArrayList<>();
        started(builder(server().uri()).maxMessageSizes(256 * 1024, 8 * 1024)
            .messageHandler((client, session, message) -> received.add(((TextMessage) message).getPayload())));
        String big = "x".repeat(200 * 1024);
        server().sendToAll(big);
        eventually().until(() -> received.size() == 1);
        assertThat(received.get(0)).hasSize(big.length());
    }

    @Test
    void aThrowingHandlerDoesNotStopOtherHandlersOrTheConnection() {
        List<String> received = new java.util.concurrent.CopyOnWriteArrayList<>();
        AtomicInteger errors = new AtomicInteger();
        ReconnectingWebSocketClient client = started(builder(server().uri())
            .messageHandler((c, session, message) -> {
                throw new IllegalStateException("listener bug");
            })
            .messageHandler((c, session, message) -> received.add(((TextMessage) message).getPayload()))
            .observer(new io.github.reconnectingws.ConnectionObserver() {
                @Override
                public void onListenerError(ReconnectingWebSocketClient c,
                        org.springframework.web.socket.WebSocketMessage<?> message, Throwable error) {
                    errors.incrementAndGet();
                }
            }));
        // connected on the client side does not mean the server has registered the session yet
        server().awaitOpenSessions(1);
        server().sendToAll("one");
        server().sendToAll("two");
        eventually().until(() -> received.size() == 2);
        assertThat(received).containsExactly("one", "two");
        assertThat(errors).hasValue(2);
        assertThat(client.isConnected()).isTrue();
    }

}
