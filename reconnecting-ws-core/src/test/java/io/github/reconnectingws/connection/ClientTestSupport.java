package io.github.reconnectingws.connection;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.reconnectingws.ConnectionObserver;
import io.github.reconnectingws.ConnectionState;
import io.github.reconnectingws.ReconnectingWebSocketClient;
import io.github.reconnectingws.testsupport.FaultProxy;
import io.github.reconnectingws.testsupport.TestWebSocketServer;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;

import org.springframework.web.socket.CloseStatus;

/**
 * Shared pieces of the client tests: fast but realistic settings, a recording observer,
 * and clean-up of every client a test builds.
 */
abstract class ClientTestSupport {

    /** Generous for a loaded 2-core machine; conditions usually hold in milliseconds. */
    static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final List<ReconnectingWebSocketClient> clients = new ArrayList<>();

    private @Nullable WebSocketClientResources resources;

    private @Nullable TestWebSocketServer server;

    private @Nullable FaultProxy proxy;

    /** The test's WebSocket server, started on first use. */
    TestWebSocketServer server() {
        if (this.server == null) {
            this.server = startServer();
        }
        return this.server;
    }

    /** How the server starts; override for other limits. */
    TestWebSocketServer startServer() {
        return TestWebSocketServer.start();
    }

    /** A fault-injecting proxy in front of {@link #server()}, started on first use. */
    FaultProxy proxy() {
        if (this.proxy == null) {
            this.proxy = FaultProxy.start(server().port());
        }
        return this.proxy;
    }

    /** The server's endpoint through the proxy. */
    URI proxiedUri() {
        return proxy().wsUri(TestWebSocketServer.PATH);
    }

    static ConditionFactory eventually() {
        return Awaitility.await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(20));
    }

    WebSocketClientResources resources() {
        if (this.resources == null) {
            this.resources = new WebSocketClientResources();
        }
        return this.resources;
    }

    /** A builder with quick retries, heartbeat off, sharing the test's resources. */
    ReconnectingWebSocketClientBuilder builder(URI uri) {
        return ReconnectingWebSocketClientBuilder.forUri(uri)
            .backoff(Duration.ofMillis(50), 2.0, 0.2, Duration.ofMillis(500), Duration.ZERO)
            .heartbeat(Duration.ZERO, Duration.ofSeconds(10))
            .connectTimeout(Duration.ofSeconds(5))
            .resources(resources());
    }

    ReconnectingWebSocketClient track(ReconnectingWebSocketClient client) {
        this.clients.add(client);
        return client;
    }

    ReconnectingWebSocketClient started(ReconnectingWebSocketClientBuilder builder) {
        ReconnectingWebSocketClient client = track(builder.build());
        client.start();
        eventually().until(client::isConnected);
        return client;
    }

    @AfterEach
    void closeEverything() {
        this.clients.forEach(ReconnectingWebSocketClient::close);
        this.clients.clear();
        if (this.resources != null) {
            this.resources.close();
            this.resources = null;
        }
        if (this.proxy != null) {
            this.proxy.close();
            this.proxy = null;
        }
        if (this.server != null) {
            this.server.close();
            this.server = null;
        }
    }

    /** Records what an observer sees. */
    static final class Recorder implements ConnectionObserver {

        final List<ConnectionState> states = new CopyOnWriteArrayList<>();

        final List<Duration> delays = new CopyOnWriteArrayList<>();

        final List<Throwable> reconnectCauses = new CopyOnWriteArrayList<>();

        final List<Object> disconnects = new CopyOnWriteArrayList<>();

        final List<Throwable> failures = new CopyOnWriteArrayList<>();

        final List<Boolean> attempts = new CopyOnWriteArrayList<>();

        @Override
        public void onStateChanged(ReconnectingWebSocketClient client, ConnectionState from, ConnectionState to) {
            this.states.add(to);
        }

        @Override
        public void onConnectAttempt(ReconnectingWebSocketClient client, boolean success) {
            this.attempts.add(success);
        }

        @Override
        public void onDisconnected(ReconnectingWebSocketClient client, @Nullable CloseStatus status,
                @Nullable Throwable cause) {
            this.disconnects.add((cause != null) ? cause : status);
        }

        @Override
        public void onReconnecting(ReconnectingWebSocketClient client, int attempt, Duration delay,
                @Nullable Throwable cause) {
            // the cause first: a test that waits for a delay may read its cause at once
            this.reconnectCauses.add(cause);
            this.delays.add(delay);
        }

        @Override
        public void onFailed(ReconnectingWebSocketClient client, Throwable cause) {
            this.failures.add(cause);
        }

    }

}
