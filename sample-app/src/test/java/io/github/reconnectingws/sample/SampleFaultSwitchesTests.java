package io.github.reconnectingws.sample;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.reconnectingws.ConnectionObserver;
import io.github.reconnectingws.ConnectionState;
import io.github.reconnectingws.ReconnectingWebSocketClient;
import io.github.reconnectingws.ReconnectingWebSocketClientRegistry;
import io.github.reconnectingws.sample.trading.PriceBoard;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.socket.CloseStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample application end to end: its clients connect to its own feed through the
 * relay; each test throws a fault switch over HTTP, as the status page does, and watches
 * the clients recover (or give up) through {@code /api/status}.
 */
@SampleApplicationTest
class SampleFaultSwitchesTests {

    private static final Duration RECOVERY = Duration.ofSeconds(20);

    @LocalServerPort
    private int port;

    @Autowired
    private ReconnectingWebSocketClientRegistry clients;

    @Autowired
    private PriceBoard prices;

    private SampleHttp http;

    private final List<Throwable> disconnectCauses = new CopyOnWriteArrayList<>();

    private final List<Throwable> retryCauses = new CopyOnWriteArrayList<>();

    private final ConnectionObserver recorder = new ConnectionObserver() {
        @Override
        public void onDisconnected(ReconnectingWebSocketClient client, @Nullable CloseStatus status,
                @Nullable Throwable cause) {
            if (cause != null) {
                SampleFaultSwitchesTests.this.disconnectCauses.add(cause);
            }
        }

        @Override
        public void onReconnecting(ReconnectingWebSocketClient client, int attempt, Duration delay,
                @Nullable Throwable cause) {
            if (cause != null) {
                SampleFaultSwitchesTests.this.retryCauses.add(cause);
            }
        }
    };

    @BeforeEach
    void connected() {
        this.http = new SampleHttp(this.port);
        awaitAllConnected();
        long received = this.prices.getReceivedCount();
        await().atMost(RECOVERY).until(() -> this.prices.getReceivedCount() > received);
        prices().addObserver(this.recorder);
        echo().addObserver(this.recorder);
    }

    @AfterEach
    void restore() {
        prices().removeObserver(this.recorder);
        echo().removeObserver(this.recorder);
        this.http.post("/api/faults/restore");
        // an attempt still in flight may fail only after the restore: start again
        // whatever has stopped until every connection is up
        await().atMost(RECOVERY).until(() -> {
            this.clients.getClients().forEach((name, client) -> {
                if (client.getState() == ConnectionState.FAILED || client.getState() == ConnectionState.CLOSED) {
                    this.http.post("/api/connections/" + name + "/start");
                }
            });
            return this.clients.getClients().values().stream().allMatch(ReconnectingWebSocketClient::isConnected);
        });
    }

    @Test
    void dropReconnectsAndSubscribesAgain() {
        long reconnects = this.http.connection("default").path("reconnects").asLong();

        this.http.post("/api/faults/drop");

        await().atMost(RECOVERY)
            .until(() -> this.http.connection("default").path("reconnects").asLong() > reconnects
                    && prices().isConnected());
        // the feed forgets subscriptions with the connection: prices flow again only
        // because the board subscribed again on WebSocketConnectedEvent
        long received = this.prices.getReceivedCount();
        await().atMost(RECOVERY).until(() -> this.prices.getReceivedCount() > received + 5);
    }

    @Test
    void orderPlacedDuringOutageIsWrittenAndAcknowledgedAfterReconnect() {
        Instant downAt = Instant.now();
        this.http.post("/api/faults/down?seconds=2");
        await().atMost(RECOVERY).until(() -> !echo().isConnected());

        JsonNode order = this.http.post("/api/orders?symbol=GLOBEX&quantity=5");

        long id = order.path("id").asLong();
        assertThat(order.path("placedWhile").asString()).isIn("RECONNECTING", "CONNECTING");
        assertThat(this.http.get("/api/orders/" + id).path("writtenAt").isNull()).isTrue();
        await().atMost(RECOVERY)
            .until(() -> !this.http.get("/api/orders/" + id).path("acknowledgedAt").isNull());
        JsonNode status = this.http.get("/api/orders/" + id);
        assertThat(status.path("error").isNull()).isTrue();
        // handshakes are answered with 503 for 2 s: the order cannot have gone out earlier
        assertThat(Instant.parse(status.path("writtenAt").asString())).isAfter(downAt.plusSeconds(2));
        // and the handshakes meanwhile were refused with 503, which is retried
        assertThat(this.retryCauses).anySatisfy((cause) -> assertThat(cause).hasMessageContaining("503"));
    }

    @Test
    void handshakeRejectedWith401MakesTheClientsGiveUp() {
        this.http.post("/api/faults/reject?status=401");

        await().atMost(RECOVERY)
            .until(() -> "FAILED".equals(this.http.connection("default").path("state").asString())
                    && "FAILED".equals(this.http.connection("echo").path("state").asString()));
        assertThat(this.http.connection("default").path("lastError").asString()).contains("401");
        // a failed client stays down after the server is fixed, until it is started again
        this.http.post("/api/faults/restore");
        assertThat(prices().getState()).isEqualTo(ConnectionState.FAILED);
        this.http.post("/api/connections/default/start");
        await().atMost(RECOVERY).until(() -> prices().isConnected());
    }

    @Test
    void silenceIsDetectedByTheHeartbeat() {
        long reconnects = prices().getReconnectCount();

        JsonNode faults = this.http.post("/api/faults/silence");

        assertThat(faults.path("silent").asBoolean()).isTrue();
        // the socket stays open and nothing closes it: only the missing pongs tell
        await().atMost(RECOVERY).until(() -> !prices().isConnected());
        assertThat(this.disconnectCauses).anySatisfy((cause) -> assertThat(cause).hasMessageContaining("half-open"));
        this.http.post("/api/faults/restore");
        await().atMost(RECOVERY).until(() -> prices().isConnected() && prices().getReconnectCount() > reconnects);
    }

    @Test
    void statusPageAndItsDataAreServed() {
        assertThat(this.http.exchange("GET", "/").body()).contains("<title>reconnecting-ws sample</title>");
        JsonNode status = this.http.get("/api/status");
        assertThat(status.path("connections")).extracting((connection) -> connection.path("name").asString())
            .containsExactly("default", "echo", "news");
        assertThat(status.path("prices").path("ACME").path("price").isNumber()).isTrue();
        assertThat(this.http.exchange("POST", "/api/faults/down?seconds=0").statusCode()).isEqualTo(400);
        assertThat(this.http.exchange("POST", "/api/faults/reject?status=200").statusCode()).isEqualTo(400);
    }

    private void awaitAllConnected() {
        await().atMost(RECOVERY)
            .until(() -> this.clients.getClients().values().stream().allMatch(ReconnectingWebSocketClient::isConnected));
    }

    private ReconnectingWebSocketClient prices() {
        return this.clients.getClient("default");
    }

    private ReconnectingWebSocketClient echo() {
        return this.clients.getClient("echo");
    }

}
