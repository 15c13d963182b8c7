package io.github.reconnectingws.test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.reconnectingws.ConnectionObserver;
import io.github.reconnectingws.ConnectionState;
import io.github.reconnectingws.FatalCloseStatusException;
import io.github.reconnectingws.ReconnectingWebSocketClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.github.reconnectingws.test.TestClients.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The network faults of {@link MockWebSocketServer}, against the real reconnecting client:
 * drops, closes, outages, half-open connections and slow bytes. The server is an instance
 * extension: each test gets its own. {@link MockWebSocketServerHandshakeFaultTests} has the
 * handshake's faults.
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
        eventually().until(() -> !first.isOpen());
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
        eventually().until(() -> !failures.isEmpty());
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
        eventually().until(() -> failedAttempts.get() >= 2);
        // connecting is refused: no handshake reached the server
        assertThat(this.server.handshakes()).hasSize(1);
        assertThat(client.getState()).isIn(ConnectionState.RECONNECTING, ConnectionState.CONNECTING);
        this.server.comeBack();
        this.server.awaitConnections(2);
        ConnectionStates.await(client, ConnectionState.CONNECTED);
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
        eventually().until(() -> !first.isOpen());
    }

    @Test
    void slowThrottlesTheBytes() {
        // compression would shrink the message below what throttling shows
        this.server.echo().compression(false).slow(10_000);
        ReconnectingWebSocketClient client = this.clients.connect(this.clients.builder(this.server.url()));
        String big = "x".repeat(5_000);
        long start = System.nanoTime();
        client.send(big);
        eventually().until(() -> this.clients.received().contains(big));
        // 5,000 bytes each way at 10,000 bytes per second, less one read of 500 bytes each
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(800));
        this.server.slow(0);
        this.clients.received().clear();
        client.send("fast again");
        eventually().until(() -> this.clients.received().contains("fast again"));
    }

}
