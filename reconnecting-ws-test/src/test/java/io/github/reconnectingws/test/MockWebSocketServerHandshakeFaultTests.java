package io.github.reconnectingws.test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.reconnectingws.ConnectionObserver;
import io.github.reconnectingws.ConnectionState;
import io.github.reconnectingws.HandshakeRedirectedException;
import io.github.reconnectingws.HandshakeRejectedException;
import io.github.reconnectingws.ReconnectingWebSocketClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.github.reconnectingws.test.TestClients.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The handshake's faults of {@link MockWebSocketServer}, against the real reconnecting
 * client: rejected handshakes (for some requests, for a while, fatal) and redirected ones.
 * The server is an instance extension: each test gets its own.
 */
class MockWebSocketServerHandshakeFaultTests {

    @RegisterExtension
    MockWebSocketServer server = MockWebSocketServer.create();

    @RegisterExtension
    TestClients clients = new TestClients();

    @Test
    void rejectsHandshakesWithRetryAfterForSomeRequests() {
        List<Duration> delays = new CopyOnWriteArrayList<>();
        this.server.rejectHandshakes(HandshakeRejection.status(503).retryAfter(Duration.ofSeconds(1)).times(2));
        ReconnectingWebSocketClient client = this.clients.connect(this.clients.builder(this.server.url()).observer(new ConnectionObserver() {
            @Override
            public void onReconnecting(ReconnectingWebSocketClient c, int attempt, Duration delay, Throwable cause) {
                if (cause instanceof HandshakeRejectedException rejected && rejected.getRetryAfter() != null) {
                    delays.add(delay);
                }
            }
        }));
        // the rejected attempt, the client's probe for Retry-After, then the accepted one
        assertThat(this.server.handshakes()).extracting(Handshake::status).containsExactly(503, 503, 101);
        assertThat(delays).isNotEmpty().allSatisfy((delay) -> assertThat(delay).isGreaterThanOrEqualTo(
                Duration.ofSeconds(1)));
        assertThat(client.isConnected()).isTrue();
    }

    @Test
    void rejectsHandshakesForADuration() {
        this.server.rejectHandshakes(HandshakeRejection.status(502).during(Duration.ofMillis(500)));
        ReconnectingWebSocketClient client = this.clients.connect(this.clients.builder(this.server.url()));
        assertThat(this.server.handshakes()).extracting(Handshake::status).contains(502).endsWith(101);
        assertThat(client.isConnected()).isTrue();
    }

    @Test
    void aRejectedHandshakeTheClientTakesAsFatal() {
        this.server.rejectHandshakes(401);
        ReconnectingWebSocketClient client = this.clients.builder(this.server.url()).build();
        this.clients.track(client);
        client.start();
        ConnectionStates.await(client, ConnectionState.FAILED);
        assertThat(this.server.handshakes()).singleElement().satisfies((handshake) -> {
            assertThat(handshake.status()).isEqualTo(401);
            assertThat(handshake.accepted()).isFalse();
        });
        this.server.acceptHandshakes();
        client.start();
        ConnectionStates.await(client, ConnectionState.CONNECTED);
    }

    @Test
    void redirectsHandshakes() {
        this.server.rejectHandshakes(HandshakeRejection.redirect(this.server.url() + "?moved=1").times(1));
        ReconnectingWebSocketClient followed = this.clients.connect(this.clients.builder(this.server.url()).followRedirects(true));
        assertThat(this.server.handshakes()).extracting(Handshake::status).containsExactly(302, 101);
        assertThat(this.server.connections().get(0).handshake().query()).isEqualTo("moved=1");
        assertThat(followed.isConnected()).isTrue();

        try (MockWebSocketServer other = MockWebSocketServer.create().start()) {
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            this.server.rejectHandshakes(HandshakeRejection.redirect(other.url()));
            ReconnectingWebSocketClient client = this.clients.builder(this.server.url()).followRedirects(true)
                .observer(new ConnectionObserver() {
                    @Override
                    public void onFailed(ReconnectingWebSocketClient c, Throwable cause) {
                        failures.add(cause);
                    }
                })
                .build();
            this.clients.track(client);
            client.start();
            ConnectionStates.await(client, ConnectionState.FAILED);
            eventually().until(() -> !failures.isEmpty());
            assertThat(failures).singleElement().isInstanceOf(HandshakeRedirectedException.class);
            assertThat(other.handshakes()).isEmpty();
        }
    }

}
