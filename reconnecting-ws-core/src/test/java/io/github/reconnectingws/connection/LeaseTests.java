package io.github.reconnectingws.connection;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.reconnectingws.ConnectionObserver;
import io.github.reconnectingws.ConnectionStandbyException;
import io.github.reconnectingws.ConnectionState;
import io.github.reconnectingws.ReconnectingWebSocketClient;
import org.junit.jupiter.api.Test;

import org.springframework.web.socket.WebSocketMessage;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A connection held under a lease (the cluster's fencing): while the lease is valid it
 * works as any other; once it lapses, a message that arrives reaches no handler and is
 * reported as fenced, a send fails at once, and the client goes on standby.
 */
class LeaseTests extends ClientTestSupport {

    @Test
    void pastItsLeaseAClientDeliversAndSendsNothingAndGoesOnStandby() {
        AtomicBoolean valid = new AtomicBoolean(true);
        List<Object> delivered = new CopyOnWriteArrayList<>();
        List<Object> fenced = new CopyOnWriteArrayList<>();
        ReconnectingWebSocketClient client = track(builder(server().uri())
            .messageHandler((source, session, message) -> delivered.add(message.getPayload()))
            .build());
        client.addObserver(new ConnectionObserver() {
            @Override
            public void onMessageFenced(ReconnectingWebSocketClient source, WebSocketMessage<?> message) {
                fenced.add(message.getPayload());
            }
        });
        client.start(valid::get);
        eventually().until(client::isConnected);
        server().sendToAll("while valid");
        eventually().until(() -> delivered.contains("while valid"));
        assertThat(client.send("sent while valid")).succeedsWithin(TIMEOUT);

        valid.set(false);
        server().sendToAll("after the lease");
        eventually().until(() -> fenced.contains("after the lease"));
        assertThat(delivered).containsExactly("while valid");
        eventually().until(() -> client.getState() == ConnectionState.STANDBY);
        assertThat(client.send("after the lease")).failsWithin(TIMEOUT)
            .withThrowableOfType(Exception.class)
            .withCauseInstanceOf(ConnectionStandbyException.class);
        eventually().until(() -> server().openSessions() == 0);
        assertThat(server().receivedTexts()).containsExactly("sent while valid");

        // a new lease holds it again
        valid.set(true);
        client.start(valid::get);
        eventually().until(client::isConnected);
        server().sendToAll("under a new lease");
        eventually().until(() -> delivered.contains("under a new lease"));
    }

}
