package io.github.reconnectingws;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A fixed {@link ReconnectingWebSocketClientRegistry} over a list of clients.
 */
final class SimpleReconnectingWebSocketClientRegistry implements ReconnectingWebSocketClientRegistry {

    private final Map<String, ReconnectingWebSocketClient> clients;

    SimpleReconnectingWebSocketClientRegistry(List<ReconnectingWebSocketClient> clients) {
        Map<String, ReconnectingWebSocketClient> byName = new LinkedHashMap<>();
        for (ReconnectingWebSocketClient client : clients) {
            ReconnectingWebSocketClient other = byName.putIfAbsent(client.getName(), client);
            if (other != null && other != client) {
                throw new IllegalStateException(
                        "Two ReconnectingWebSocketClients are named '" + client.getName() + "'");
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
