package io.github.reconnectingws.test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.reconnectingws.ConnectionObserver;
import io.github.reconnectingws.ConnectionState;
import io.github.reconnectingws.FatalCloseStatusException;
import io.github.reconnectingws.HandshakeRedirectedException;
import io.github.reconnectingws.HandshakeRejectedException;
import io.github.reconnectingws.ReconnectingWebSocketClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.github.reconnectingws.test.TestClients.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every fault of {@link MockWebSocketServer}, against the real reconnecting client: drops,
 * closes, outages, rejected and redirected handshakes, half-open connections and slow
 * bytes. The server is an instance extension: each test gets its own.
 */
class MockWebSocketServerFaultTests {

    @RegisterExtension
    MockWebSocketServer server = MockWebSocketServer.create();

    @RegisterExtension
    TestClients clients = new TestClients();

    @Test
    void dropAllLosesConnectionsWithoutCloseFrameAndTheClientReconnects() {
        ReconnectingWebSocketClient client = this.clients.connect(this.clients.builder(this.server.url()));
        RecordedConnection first = this.server.awaitConnections(1);
        this.server.dropAll();
        RecordedConnection second = this.server.awaitConnections(2);
        ConnectionStates.await(client, ConnectionState.CONNECTED);
        assertThat(client.getReconnectCount()).isEqualTo(1);
        await().atMost(WAIT).until(() -> !first.isOpen());
        assertThat(first.closeCode()).hasValue(1006);
        assertThat(first.closedByServer()).isTrue();
        assertThat(second.isOpen()).isTrue();
    }

    @Test
    void closeAllWithACodeTheClientTakesAsFatal() {
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        ReconnectingWebSocketClient client = this.clients.connect(this.clients.builder(this.server.url()).fatalCloseCodes("4001")
            .observer(new ConnectionObserver() {
                @Override
                public void onFailed(ReconnectingWebSocketClient c, Throwable cause) {
                    failures.add(cause);
                }
            }));
        this.server.closeAll(4001, "banned");
        ConnectionStates.await(client, ConnectionState.FAILED);
        // observers hear of it on the client's callback lane, shortly after
        await().atMost(WAIT).until(() -> !failures.isEmpty());
        assertThat(failures).singleElement().isInstanceOf(FatalCloseStatusException.class);
        assertThat(((FatalCloseStatusException) failures.get(0)).getCloseStatus().getCode()).isEqualTo(4001);
        RecordedConnection connection = this.server.connections().get(0);
        assertThat(connection.closeCode()).hasValue(4001);
        assertThat(connection.closedByServer()).isTrue();
    }

    @Test
    void goesDownForADurationAndComesBackOnTheSamePort() {
        ReconnectingWebSocketClient client = this.clients.connect(this.clients.builder(this.server.url()));
        int port = this.server.port();
        this.server.goDown(Duration.ofMillis(500));
        assertThat(this.server.isUp()).isFalse();
        ConnectionStates.await(client, ConnectionState.RECONNECTING);
        ConnectionStates.await(client, ConnectionState.CONNECTED);
        assertThat(this.server.isUp()).isTrue();
        assertThat(this.server.port()).isEqualTo(port);
        assertThat(this.server.connections()).hasSize(2);
        assertThat(this.server.connections().get(0).closeCode()).hasValue(1006);
    }

    @Test
    void goesDownUntilItComesBack() {
        AtomicInteger failedAttempts = new AtomicInteger();
        ReconnectingWebSocketClient client = this.clients.connect(this.clients.builder(this.server.url()).observer(new ConnectionObserver() {
            @Override
            public void onConnectAttempt(ReconnectingWebSocketClient c, boolean success) {
                if (!success) {
                    failedAttempts.incrementAndGet();
                }
            }
        }));
        this.server.goDown();
        await().atMost(WAIT).until(() -> failedAttempts.get() >= 2);
        // connecting is refused: no handshake reached the server
        assertThat(this.server.handshakes()).hasSize(1);
        assertThat(client.getState()).isIn(ConnectionState.RECONNECTING, ConnectionState.CONNECTING);
        this.server.comeBack();
        this.server.awaitConnections(2);
        ConnectionStates.await(client, ConnectionState.CONNECTED);
    }

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
            await().atMost(WAIT).until(() -> !failures.isEmpty());
            assertThat(failures).singleElement().isInstanceOf(HandshakeRedirectedException.class);
            assertThat(other.handshakes()).isEmpty();
        }
    }

    @Test
    void halfOpenConnectionsAreFoundByTheHeartbeatAndHealed() {
        ReconnectingWebSocketClient client = this.clients.connect(this.clients.builder(this.server.url())
            .heartbeat(Duration.ofMillis(200), Duration.ofMillis(300))
            .connectTimeout(Duration.ofMillis(500)));
        RecordedConnection first = this.server.awaitConnections(1);
        this.server.halfOpen();
        ConnectionStates.await(client, ConnectionState.RECONNECTING);
        // still half-open: the handshake of a new connection gets no answer
        assertThat(this.server.connections()).hasSize(1);
        this.server.heal();
        this.server.awaitConnections(2);
        ConnectionStates.await(client, ConnectionState.CONNECTED);
        await().atMost(WAIT).until(() -> !first.isOpen());
    }

    @Test
    void slowThrottlesTheBytes() {
        // compression would shrink the message below what throttling shows
        this.server.echo().compression(false).slow(10_000);
        ReconnectingWebSocketClient client = this.clients.connect(this.clients.builder(this.server.url()));
        String big = "x".repeat(5_000);
        long start = System.nanoTime();
        client.send(big);
        await().atMost(WAIT).until(() -> this.clients.received().contains(big));
        // 5,000 bytes each way at 10,000 bytes per second, less one read of 500 bytes each
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(800));
        this.server.slow(0);
        this.clients.received().clear();
        client.send("fast again");
        await().atMost(WAIT).until(() -> this.clients.received().contains("fast again"));
    }

}
