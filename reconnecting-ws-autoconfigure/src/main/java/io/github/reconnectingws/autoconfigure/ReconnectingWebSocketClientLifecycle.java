package io.github.reconnectingws.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.github.reconnectingws.ConnectionFailedException;
import io.github.reconnectingws.ConnectionState;
import io.github.reconnectingws.ReconnectingWebSocketClient;
import io.github.reconnectingws.ReconnectingWebSocketClientRegistry;

import org.springframework.context.SmartLifecycle;

/**
 * Starts the configured clients once all singletons exist (those with
 * {@code auto-startup}), failing startup when a {@code fail-fast} connection fails
 * fatally on its first attempt, and stops them all gracefully (flush, close 1001, no
 * reconnect) when the context closes. Starts late and stops early, so that the rest
 * of the application is up while connections are.
 */
final class ReconnectingWebSocketClientLifecycle implements SmartLifecycle {

    /** Late start, early stop; like Spring Kafka's listener containers. */
    static final int PHASE = Integer.MAX_VALUE - 100;

    /** Beyond the connect timeout, how long fail-fast waits for the first attempt. */
    private static final Duration FAIL_FAST_GRACE = Duration.ofSeconds(5);

    private final ConnectionDefinitions connections;

    private final ReconnectingWebSocketClientRegistry registry;

    private volatile boolean running;

    ReconnectingWebSocketClientLifecycle(ConnectionDefinitions connections,
            ReconnectingWebSocketClientRegistry registry) {
        this.connections = connections;
        this.registry = registry;
    }

    @Override
    public void start() {
        Map<String, CompletableFuture<Void>> failFast = new LinkedHashMap<>();
        for (String name : this.connections.names()) {
            ConnectionProperties properties = this.connections.get(name);
            ReconnectingWebSocketClient client = client(name);
            if (Boolean.TRUE.equals(properties.getAutoStartup())) {
                CompletableFuture<Void> firstAttempt = client.start();
                if (Boolean.TRUE.equals(properties.getFailFast())) {
                    failFast.put(name, firstAttempt);
                }
            }
        }
        this.running = true;
        failFast.forEach(this::awaitFirstAttempt);
    }

    /** A first attempt that fails fatally fails startup; a retryable failure does not. */
    private void awaitFirstAttempt(String name, CompletableFuture<Void> firstAttempt) {
        Duration wait = this.connections.get(name).getConnectTimeout().plus(FAIL_FAST_GRACE);
        try {
            firstAttempt.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        catch (TimeoutException ex) {
            // still trying: not a fatal failure
        }
        catch (ExecutionException ex) {
            ReconnectingWebSocketClient client = client(name);
            if (client.getState() == ConnectionState.FAILED) {
                throw new ConnectionFailedException("WebSocket connection '" + name
                        + "' failed on startup and fail-fast is enabled: " + client.getLastError(), ex.getCause());
            }
        }
    }

    @Override
    public void stop() {
        stopAll().join();
    }

    @Override
    public void stop(Runnable callback) {
        stopAll().whenComplete((ok, error) -> callback.run());
    }

    private CompletableFuture<Void> stopAll() {
        this.running = false;
        List<CompletableFuture<Void>> stopped = new ArrayList<>();
        for (String name : this.connections.names()) {
            stopped.add(client(name).stopAsync());
        }
        return CompletableFuture.allOf(stopped.toArray(CompletableFuture[]::new));
    }

    @Override
    public boolean isRunning() {
        return this.running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    private ReconnectingWebSocketClient client(String name) {
        ReconnectingWebSocketClient client = this.registry.getClient(name);
        if (client == null) {
            throw new IllegalStateException("No client bean for WebSocket connection '" + name + "'");
        }
        return client;
    }

}
