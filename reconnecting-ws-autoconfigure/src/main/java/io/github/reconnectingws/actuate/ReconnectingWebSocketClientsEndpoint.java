package io.github.reconnectingws.actuate;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.github.reconnectingws.ConnectionObserver;
import io.github.reconnectingws.ConnectionState;
import io.github.reconnectingws.ReconnectingWebSocketClient;
import io.github.reconnectingws.ReconnectingWebSocketClientRegistry;
import io.github.reconnectingws.ReconnectingWebSocketException;
import io.github.reconnectingws.cluster.ConnectionRoles;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.util.Assert;

/**
 * The {@code websocketclients} actuator endpoint. Its write operations change
 * connections, so it is off by default: enable it with
 * {@code management.endpoint.websocketclients.access=unrestricted} (or
 * {@code read-only} for the read operations only) and expose it, e.g. with
 * {@code management.endpoints.web.exposure.include=health,websocketclients}.
 * <ul>
 * <li>{@code GET /actuator/websocketclients}: every connection by name</li>
 * <li>{@code GET /actuator/websocketclients/{name}}: one connection (404 if unknown)</li>
 * <li>{@code POST /actuator/websocketclients/{name}/{operation}}, operation
 * {@code reconnect} (drop and reconnect now), {@code stop}, {@code start}, or
 * {@code yield} (a connection shared by a cluster: give it to another instance): the
 * connection afterwards, or 400 with {@code {"error": "<the reason>"}} if the connection
 * or operation is unknown, or the operation is not possible now</li>
 * <li>{@code POST /actuator/websocketclients} with {@code {"operation": "yield"}}: give
 * every connection this instance holds to the other instances of the cluster; every
 * connection afterwards</li>
 * </ul>
 * Nothing it returns carries secrets: the URL is masked and the last error scrubbed by
 * the client.
 */
@Endpoint(id = "websocketclients", defaultAccess = Access.NONE)
public class ReconnectingWebSocketClientsEndpoint {

    /** How long {@code start} waits for the start to take effect before answering. */
    private static final Duration START_ANSWER_TIMEOUT = Duration.ofSeconds(2);

    private final ReconnectingWebSocketClientRegistry clients;

    private final @Nullable ConnectionRoles roles;

    /**
     * Create the endpoint.
     * @param clients the clients it shows and controls
     */
    public ReconnectingWebSocketClientsEndpoint(ReconnectingWebSocketClientRegistry clients) {
        this(clients, null);
    }

    /**
     * Create the endpoint for connections some of which a cluster may share.
     * @param clients the clients it shows and controls
     * @param roles this instance's roles in the cluster, if any
     */
    public ReconnectingWebSocketClientsEndpoint(ReconnectingWebSocketClientRegistry clients,
            @Nullable ConnectionRoles roles) {
        Assert.notNull(clients, "clients must not be null");
        this.clients = clients;
        this.roles = roles;
    }

    /**
     * Every connection.
     * @return the connections by name
     */
    @ReadOperation
    public ConnectionsDescriptor connections() {
        Map<String, ConnectionDescriptor> connections = new LinkedHashMap<>();
        this.clients.getClients().forEach((name, client) -> connections.put(name, describe(client)));
        return new ConnectionsDescriptor(connections);
    }

    /**
     * One connection.
     * @param name the connection name
     * @return the connection, or {@code null} (404) if there is none of that name
     */
    @ReadOperation
    public @Nullable ConnectionDescriptor connection(@Selector String name) {
        ReconnectingWebSocketClient client = this.clients.getClient(name);
        return (client != null) ? describe(client) : null;
    }

    /**
     * Act on one connection: {@code reconnect} drops it (if connected) and connects again
     * now; {@code stop} flushes what is queued (bounded) and closes it; {@code start}
     * starts connecting and answers once the connection is {@code CONNECTING} (or further),
     * without waiting for the handshake; {@code yield} hands a connection a cluster shares
     * to another instance.
     * @param name the connection name
     * @param operation {@code reconnect}, {@code stop}, {@code start} or {@code yield}
     * @return the connection after the operation (200), or 400 with a body whose
     * {@code error} says why: an unknown connection or operation, or an operation the
     * connection refuses now (reconnect rate limit, not started, closed for good)
     */
    @WriteOperation
    public WebEndpointResponse<Object> control(@Selector String name, @Selector String operation) {
        ReconnectingWebSocketClient client = this.clients.getClient(name);
        if (client == null) {
            return refused("No WebSocket connection named '" + name + "'; connections: "
                    + this.clients.getClients().keySet());
        }
        Runnable action = switch (operation.toLowerCase(Locale.ROOT)) {
            case "reconnect" -> client::reconnect;
            case "stop" -> client::stop;
            case "start" -> () -> startAndAwaitConnecting(client);
            case "yield" -> () -> yieldLeadership(name);
            default -> null;
        };
        if (action == null) {
            return refused("Unknown operation '" + operation + "': use reconnect, stop, start or yield");
        }
        try {
            action.run();
        }
        catch (ReconnectingWebSocketException | IllegalArgumentException ex) {
            return refused(ex.getMessage());
        }
        return new WebEndpointResponse<>(describe(client));
    }

    /**
     * Act on every connection: {@code yield} gives every connection this instance holds
     * to the other instances of the cluster (the spread evens out again afterwards).
     * @param operation {@code yield}
     * @return every connection after the operation (200), or 400 with a body whose
     * {@code error} says why: an unknown operation, or no cluster
     */
    @WriteOperation
    public WebEndpointResponse<Object> controlAll(String operation) {
        if (!"yield".equalsIgnoreCase(operation)) {
            return refused("Unknown operation '" + operation + "' for all connections: use yield");
        }
        if (this.roles == null) {
            return refused("No WebSocket connection is shared by a cluster");
        }
        this.roles.yieldAll();
        return new WebEndpointResponse<>(connections());
    }

    /**
     * Start, and wait (briefly) until the start has taken effect, so that the answer shows
     * the connection attempt rather than the state before it.
     */
    private static void startAndAwaitConnecting(ReconnectingWebSocketClient client) {
        CompletableFuture<Void> started = new CompletableFuture<>();
        ConnectionObserver observer = new ConnectionObserver() {
            @Override
            public void onStateChanged(ReconnectingWebSocketClient source, ConnectionState from, ConnectionState to) {
                started.complete(null);
            }
        };
        client.addObserver(observer);
        try {
            CompletableFuture<Void> connected = client.start();
            if (!isStarting(client.getState())) {
                CompletableFuture.anyOf(started, connected).get(START_ANSWER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        catch (ExecutionException | TimeoutException ex) {
            // the answer shows the state as it is; a failed first attempt shows in lastError
        }
        finally {
            client.removeObserver(observer);
        }
    }

    private static boolean isStarting(ConnectionState state) {
        return state != ConnectionState.NEW && state != ConnectionState.CLOSED && state != ConnectionState.FAILED;
    }

    private static WebEndpointResponse<Object> refused(@Nullable String reason) {
        return new WebEndpointResponse<>(new Refusal((reason != null) ? reason : "refused"),
                WebEndpointResponse.STATUS_BAD_REQUEST);
    }

    private void yieldLeadership(String name) {
        if (this.roles == null || this.roles.role(name) == null) {
            throw new IllegalArgumentException("WebSocket connection '" + name + "' is not shared by a cluster");
        }
        this.roles.yieldLeadership(name);
    }

    private ConnectionDescriptor describe(ReconnectingWebSocketClient client) {
        String name = client.getName();
        return ConnectionDescriptor.of(client, (this.roles != null) ? this.roles.role(name) : null,
                (this.roles != null) ? this.roles.holder(name) : null);
    }

    /**
     * Why a write operation was refused (400).
     * @param error the reason, e.g. "No WebSocket connection named 'x'"
     */
    public record Refusal(String error) implements OperationResponseBody {
    }

    /**
     * Every connection, by name.
     * @param connections the connections by name, in configuration order
     */
    public record ConnectionsDescriptor(Map<String, ConnectionDescriptor> connections)
            implements OperationResponseBody {
    }

    /**
     * What the endpoint shows of one connection.
     * @param state the {@code ConnectionState} name
     * @param url the URL, user-info and query values masked
     * @param since the ISO-8601 instant of the last state change
     * @param reconnects the number of successful reconnections
     * @param pendingOutbound the number of queued outbound messages
     * @param lastError the last connection error, secrets masked, or {@code null}
     * @param role {@code leader} or {@code standby} for a connection a cluster shares, else
     * {@code null}
     * @param holder the member id of the cluster's instance that holds the connection
     * (this one or another), or {@code null} when nobody holds it or no cluster shares it
     * @param extensions the WebSocket extensions agreed for the current connection, e.g.
     * {@code permessage-deflate}; empty while not connected
     */
    public record ConnectionDescriptor(String state, String url, String since, long reconnects, int pendingOutbound,
            @Nullable String lastError, @Nullable String role, @Nullable String holder, List<String> extensions)
            implements OperationResponseBody {

        static ConnectionDescriptor of(ReconnectingWebSocketClient client, @Nullable String role,
                @Nullable String holder) {
            return new ConnectionDescriptor(client.getState().name(), client.getUrl(),
                    client.getStateSince().toString(), client.getReconnectCount(), client.getPendingCount(),
                    client.getLastError(), role, holder, client.getExtensions());
        }

    }

}
