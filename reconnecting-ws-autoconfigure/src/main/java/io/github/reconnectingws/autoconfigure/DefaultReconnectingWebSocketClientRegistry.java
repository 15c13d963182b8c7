package io.github.reconnectingws.autoconfigure;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.reconnectingws.ReconnectingWebSocketClient;
import io.github.reconnectingws.ReconnectingWebSocketClientRegistry;
import org.jspecify.annotations.Nullable;

/**
 * A {@link ReconnectingWebSocketClientRegistry} over the application's client beans.
 */
final class DefaultReconnectingWebSocketClientRegistry implements ReconnectingWebSocketClientRegistry {

    private final Map<String, ReconnectingWebSocketClient> clients;

    DefaultReconnectingWebSocketClientRegistry(List<ReconnectingWebSocketClient> clients) {
        Map<String, ReconnectingWebSocketClient> byName = new LinkedHashMap<>();
        for (ReconnectingWebSocketClient client : clients) {
            ReconnectingWebSocketClient other = byName.putIfAbsent(client.getName(), client);
            if (other != null && other != client) {
                throw new IllegalStateException(
                        "Two ReconnectingWebSocketClient beans are named '" + client.getName() + "'");
            }
        }
        this.clients = Collections.unmodifiableMap(byName);
    }

    @Override
    public @Nullable ReconnectingWebSocketClient getClient(String connectionName) {
        return this.clients.get(connectionName);
    }

    @Override
    public Map<String, ReconnectingWebSocketClient> getClients() {
        return this.clients;
    }

}
