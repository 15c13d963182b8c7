package io.github.reconnectingws.connection;

import java.time.Duration;
import java.util.List;

import io.github.reconnectingws.ConnectionState;
import io.github.reconnectingws.ReconnectingWebSocketClient;
import io.github.reconnectingws.testsupport.FaultProxy;
import io.github.reconnectingws.testsupport.TestWebSocketServer;
import org.junit.jupiter.api.Test;

import org.springframework.web.socket.CloseStatus;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client reconnects after every drop it did not ask for.
 */
class ReconnectTests extends ClientTestSupport {

    @Test
    void connectsAndReportsEveryTransition() {
        Recorder recorder = new Recorder();
        ReconnectingWebSocketClient client = track(builder(server().uri()).observer(recorder).build());
        assertThat(client.getState()).isEqualTo(ConnectionState.NEW);
        client.start().join();
        assertThat(client.getState()).isEqualTo(ConnectionState.CONNECTED);
        assertThat(recorder.states).containsExactly(ConnectionState.CONNECTING, ConnectionState.CONNECTED);
        assertThat(client.getReconnectCount()).isZero();
        client.send("hello");
        eventually().until(() -> server().receivedTexts().contains("hello"));
    }

    @Test
    void reconnectsAfterServerRestart() {
        Recorder recorder = new Recorder();
        ReconnectingWebSocketClient client = started(builder(server().uri()).observer(recorder));
        server().stop();
        eventually().until(() -> client.getState() == ConnectionState.RECONNECTING);
        // attempts keep failing while the server is down
        eventually().until(() -> recorder.attempts.contains(false));
        server().restart();
        eventually().until(client::isConnected);
        assertThat(client.getReconnectCount()).isEqualTo(1);
        client.send("after restart");
        eventually().until(() -> server().receivedTexts().contains("after restart"));
    }

    @Test
    void reconnectsAfterRemoteCloseWithAnyCode() {
        Recorder recorder = new Recorder();
        ReconnectingWebSocketClient client = started(builder(server().uri()).observer(recorder));
        for (int code : List.of(1000, 1001, 1011, 4000)) {
            long before = client.getReconnectCount();
            server().awaitOpenSessions(1);
            server().closeAll(code, "bye");
            eventually().until(() -> client.getReconnectCount() == before + 1 && client.isConnected());
        }
        assertThat(recorder.disconnects).hasSize(4);
        assertThat(recorder.reconnectCauses).hasSizeGreaterThanOrEqualTo(4);
    }

    @Test
    void backoffStartsOverOnlyAfterAStableConnection() {
        // a drop is retried at once (jitter off here), in place of the first step
        assertThat(delaysOverThreeDrops(Duration.ofHours(1))).containsExactly(0L, 100L, 200L);
        assertThat(delaysOverThreeDrops(Duration.ZERO)).containsExactly(0L, 0L, 0L);
    }

    private List<Long> delaysOverThreeDrops(Duration stableAfter) {
        Recorder recorder = new Recorder();
        ReconnectingWebSocketClient client = started(builder(server().uri())
            .backoff(Duration.ofMillis(50), 2.0, 0, Duration.ofSeconds(5), Duration.ZERO)
            .stableAfter(stableAfter)
            .observer(recorder));
        for (int i = 1; i <= 3; i++) {
            long expected = i;
            server().awaitOpenSessions(1);
            server().closeAll(1011, "drop " + i);
            eventually().until(() -> client.getReconnectCount() == expected && client.isConnected());
        }
        client.close();
        return recorder.delays.stream().map(Duration::toMillis).toList();
    }

    @Test
    void reconnectsAfterTheConnectionIsCut() {
        ReconnectingWebSocketClient client = started(builder(proxiedUri()));
        proxy().cutAll();
        eventually().until(() -> client.getReconnectCount() == 1 && client.isConnected());
    }

    @Test
    void retriesTheFirstConnectWhenTheServerIsNotUpYet() {
        proxy().refuse();
        ReconnectingWebSocketClient client = track(builder(proxiedUri()).build());
        client.start();
        eventually().until(() -> client.getState() == ConnectionState.RECONNECTING);
        proxy().resume();
        eventually().until(client::isConnected);
        assertThat(client.getReconnectCount()).isZero();
    }

    @Test
    void reconnectOnDemandDropsAndConnectsAgainAtOnce() {
        ReconnectingWebSocketClient client = started(builder(server().uri()));
        client.reconnect();
        eventually().until(() -> client.getReconnectCount() == 1 && client.isConnected());
        assertThat(server().clientCloseCodes()).contains(CloseStatus.GOING_AWAY.getCode());
    }

}
