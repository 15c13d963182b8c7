package io.github.reconnectingws.metrics;

import java.util.ArrayList;
import java.util.List;

import io.github.reconnectingws.ReconnectingWebSocketClient;
import io.github.reconnectingws.ReconnectingWebSocketClientRegistry;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Binds the {@link ReconnectingWebSocketClientMetrics meters} of every client of a
 * {@link ReconnectingWebSocketClientRegistry} to a {@link MeterRegistry}, once, and removes
 * them on {@link #close()}. As a Spring bean it binds after all singletons exist (so every
 * client of the registry is there) and before any client is started.
 */
public final class ReconnectingWebSocketRegistryMetrics implements SmartInitializingSingleton, AutoCloseable {

    private final ReconnectingWebSocketClientRegistry clients;

    private final MeterRegistry meterRegistry;

    private final List<ReconnectingWebSocketClientMetrics> bound = new ArrayList<>();

    private boolean closed;

    /**
     * Create a binder.
     * @param clients the clients to instrument
     * @param meterRegistry the registry to bind their meters to
     */
    public ReconnectingWebSocketRegistryMetrics(ReconnectingWebSocketClientRegistry clients,
            MeterRegistry meterRegistry) {
        this.clients = clients;
        this.meterRegistry = meterRegistry;
    }

    /**
     * Bind the meters of every client of the registry; does nothing when already bound.
     */
    public synchronized void bind() {
        if (this.closed || !this.bound.isEmpty()) {
            return;
        }
        for (ReconnectingWebSocketClient client : this.clients.getClients().values()) {
            ReconnectingWebSocketClientMetrics metrics = new ReconnectingWebSocketClientMetrics(client);
            metrics.bindTo(this.meterRegistry);
            this.bound.add(metrics);
        }
    }

    @Override
    public void afterSingletonsInstantiated() {
        bind();
    }

    /**
     * Remove every meter bound by this instance and stop observing the clients.
     */
    @Override
    public synchronized void close() {
        this.closed = true;
        this.bound.forEach(ReconnectingWebSocketClientMetrics::close);
        this.bound.clear();
    }

}
