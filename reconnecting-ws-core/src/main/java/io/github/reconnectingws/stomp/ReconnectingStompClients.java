package io.github.reconnectingws.stomp;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The STOMP clients of the connections with {@code stomp.enabled}, by connection name.
 */
public class ReconnectingStompClients {

    private final Map<String, ReconnectingStompClient> clients = new LinkedHashMap<>();

    /**
     * Add the STOMP client of a connection.
     * @param connectionName the connection name
     * @param client its STOMP client
     */
    public synchronized void add(String connectionName, ReconnectingStompClient client) {
        this.clients.put(connectionName, client);
    }

    /**
     * The STOMP client of a connection.
     * @param connectionName the connection name
     * @return the client, or {@code null} when the connection does not speak STOMP
     */
    public synchronized @Nullable ReconnectingStompClient get(String connectionName) {
        return this.clients.get(connectionName);
    }

    /**
     * Every STOMP client, by connection name.
     * @return the clients
     */
    public synchronized Map<String, ReconnectingStompClient> getClients() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(this.clients));
    }

}
