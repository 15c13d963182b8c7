package io.github.reconnectingws.it;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.reconnectingws.ReconnectingWebSocketClient;
import io.github.reconnectingws.ReconnectingWebSocketClientRegistry;
import org.jspecify.annotations.Nullable;

/**
 * A fixed {@link ReconnectingWebSocketClientRegistry} for tests that build their clients
 * themselves.
 */
public final class StaticClientRegistry implements ReconnectingWebSocketClientRegistry {

    private final Map<String, ReconnectingWebSocketClient> clients;

    /**
     * Create a registry.
     * @param clients the clients, in order
     */
    public StaticClientRegistry(ReconnectingWebSocketClient... clients) {
        Map<String, ReconnectingWebSocketClient> byName = new LinkedHashMap<>();
        Arrays.stream(clients).forEach((client) -> byName.put(client.getName(), client));
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
