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
import io.github.reconnectingws.cluster.ConnectionRoles;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the clients the auto-configuration built once all singletons exist (those with
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

    private final ReconnectingWebSocketClientFactory factory;

    private final ObjectProvider<ConnectionRoles> cluster;

    private volatile boolean running;

    ReconnectingWebSocketClientLifecycle(ConnectionDefinitions connections, ReconnectingWebSocketClientFactory factory,
            ObjectProvider<ConnectionRoles> cluster) {
        this.connections = connections;
        this.factory = factory;
        this.cluster = cluster;
    }

    @Override
    public void start() {
        Map<String, ReconnectingWebSocketClient> clients = this.factory.createdClients();
        Map<String, CompletableFuture<Void>> failFast = new LinkedHashMap<>();
        clients.forEach((name, client) -> {
            ConnectionProperties properties = this.connections.get(name);
            if (properties.getCluster().isEnabled()) {
                requireCluster(name);
                // the cluster decides which instance connects
                return;
            }
            if (properties.isAutoStartup()) {
                CompletableFuture<Void> firstAttempt = client.start();
                if (properties.isFailFast()) {
                    failFast.put(name, firstAttempt);
                }
            }
        });
        this.running = true;
        failFast.forEach((name, firstAttempt) -> awaitFirstAttempt(clients.get(name), firstAttempt));
    }

    private void requireCluster(String name) {
        if (this.cluster.getIfAvailable() == null) {
            throw new InvalidConnectionPropertyException(ConnectionDefinitions.property(name, "cluster.enabled"), "true",
                    "no ReconnectingWebSocketCluster bean (its auto-configuration is excluded)",
                    "false, or true with ReconnectingWebSocketClusterAutoConfiguration and a DataSource, a "
                            + "RedisConnectionFactory or a ClusterStore bean");
        }
    }

    /** A first attempt that fails fatally fails startup; a retryable failure does not. */
    private void awaitFirstAttempt(ReconnectingWebSocketClient client, CompletableFuture<Void> firstAttempt) {
        String name = client.getName();
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
        for (ReconnectingWebSocketClient client : this.factory.createdClients().values()) {
            stopped.add(client.stopAsync());
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

}
