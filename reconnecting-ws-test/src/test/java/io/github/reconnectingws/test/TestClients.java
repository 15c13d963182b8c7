package io.github.reconnectingws.test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.reconnectingws.ConnectionState;
import io.github.reconnectingws.ReconnectingWebSocketClient;
import io.github.reconnectingws.connection.ReconnectingWebSocketClientBuilder;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Reconnecting clients for the kit's tests, closed after each test: fast reconnects, no
 * jitter, and every text message any of them receives recorded.
 */
final class TestClients implements AfterEachCallback {

    /** How long the tests wait for what the server or a client should do. */
    static final Duration WAIT = Duration.ofSeconds(10);

    /**
     * A wait of at most {@link #WAIT} that checks at once and then every 10 ms, as the
     * kit's own {@code await} methods do, not after Awaitility's default 100 ms.
     */
    static ConditionFactory eventually() {
        return Awaitility.await().atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10));
    }

    private final List<String> received = new CopyOnWriteArrayList<>();

    private final List<ReconnectingWebSocketClient> clients = new CopyOnWriteArrayList<>();

    /** Fast reconnects, no jitter; records every text message received. */
    ReconnectingWebSocketClientBuilder builder(String url) {
        return ReconnectingWebSocketClientBuilder.forUrl(url)
            .backoff(Duration.ofMillis(50), 2.0, 0.0, Duration.ofMillis(400), Duration.ZERO)
            .connectTimeout(Duration.ofSeconds(2))
            .messageHandler((client, session, message) -> this.received.add(String.valueOf(message.getPayload())));
    }

    /** Builds, starts and waits until connected; closed after the test. */
    ReconnectingWebSocketClient connect(ReconnectingWebSocketClientBuilder builder) {
        ReconnectingWebSocketClient client = track(builder.build());
        client.start();
        ConnectionStates.await(client, ConnectionState.CONNECTED);
        return client;
    }

    /** Closes the client after the test (again, if the test closed it). */
    ReconnectingWebSocketClient track(ReconnectingWebSocketClient client) {
        this.clients.add(client);
        return client;
    }

    /** The text messages every client received, in order of arrival. */
    List<String> received() {
        return this.received;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        this.clients.forEach(ReconnectingWebSocketClient::close);
    }

}
