package io.github.reconnectingws.it;

import io.github.reconnectingws.ReconnectingWebSocketClient;
import io.github.reconnectingws.ReconnectingWebSocketClientRegistry;

import org.springframework.context.SmartLifecycle;

/**
 * Starts the clients of a registry when the test application starts and stops them when
 * it stops, standing in for the main auto-configuration's lifecycle.
 */
public final class ClientsLifecycle implements SmartLifecycle {

    private final ReconnectingWebSocketClientRegistry clients;

    private volatile boolean running;

    /**
     * Create a lifecycle.
     * @param clients the clients to start and stop
     */
    public ClientsLifecycle(ReconnectingWebSocketClientRegistry clients) {
        this.clients = clients;
    }

    @Override
    public void start() {
        this.clients.getClients().values().forEach(ReconnectingWebSocketClient::start);
        this.running = true;
    }

    @Override
    public void stop() {
        this.clients.getClients().values().forEach(ReconnectingWebSocketClient::stop);
        this.running = false;
    }

    @Override
    public boolean isRunning() {
        return this.running;
    }

}
