package io.github.reconnectingws.connection;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

import io.github.reconnectingws.ConnectionState;
import io.github.reconnectingws.ReconnectingWebSocketClient;
import io.github.reconnectingws.testsupport.FaultProxy;
import io.github.reconnectingws.testsupport.TestWebSocketServer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A half-open connection (nothing comes back, the socket stays open) is found by the
 * heartbeat and replaced.
 */
class HeartbeatTests extends ClientTestSupport {

    @Test
    void halfOpenConnectionIsDetectedAndReplaced() {
        Recorder recorder = new Recorder();
        ReconnectingWebSocketClient client = started(builder(proxiedUri())
            .heartbeat(Duration.ofMillis(200), Duration.ofMillis(400))
            .connectTimeout(Duration.ofSeconds(1))
            .observer(recorder));
        proxy().stall();
        eventually().until(() -> client.getState() != ConnectionState.CONNECTED);
        // the observers hear of the drop after the state has changed
        eventually().until(() -> !recorder.disconnects.isEmpty());
        assertThat(recorder.disconnects).singleElement().isInstanceOf(TimeoutException.class);
        proxy().resume();
        eventually().until(() -> client.isConnected() && client.getReconnectCount() == 1);
    }

    @Test
    void aHealthyIdleConnectionStaysUp() {
        Recorder recorder = new Recorder();
        ReconnectingWebSocketClient client = started(builder(server().uri())
            .heartbeat(Duration.ofMillis(100), Duration.ofMillis(1000))
            .observer(recorder));
        // many ping/pong rounds, measured by the server's pong answers keeping us up
        org.awaitility.Awaitility.await()
            .during(Duration.ofSeconds(2))
            .atMost(Duration.ofSeconds(5))
            .until(client::isConnected);
        assertThat(recorder.disconnects).isEmpty();
    }

}
