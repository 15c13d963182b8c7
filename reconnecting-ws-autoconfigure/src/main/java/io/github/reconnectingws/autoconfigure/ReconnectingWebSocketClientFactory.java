package io.github.reconnectingws.autoconfigure;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.reconnectingws.ConnectionObserver;
import io.github.reconnectingws.ConnectionSettings;
import io.github.reconnectingws.HandshakeRequestCustomizer;
import io.github.reconnectingws.ReconnectingWebSocketClient;
import io.github.reconnectingws.ResumePositionStore;
import io.github.reconnectingws.stomp.ReconnectingStompClient;
import io.github.reconnectingws.stomp.ReconnectingStompClients;
import io.github.reconnectingws.PayloadEncoder;
import io.github.reconnectingws.connection.ReconnectingWebSocketClientBuilder;
import io.github.reconnectingws.connection.WebSocketClientResources;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.web.socket.client.WebSocketClient;

/**
 * Builds the client of each configured connection: the merged properties applied to a
 * {@link ReconnectingWebSocketClientBuilder}, then the application's beans (transport,
 * payload encoder, handshake customizers, event publishing) and finally the
 * {@link ReconnectingWebSocketClientCustomizer}s.
 */
final class ReconnectingWebSocketClientFactory {

    private final ConnectionDefinitions connections;

    private final WebSocketClientResources resources;

    private final @Nullable SslBundles sslBundles;

    private final @Nullable WebSocketClient transport;

    private final @Nullable PayloadEncoder payloadEncoder;

    private final List<HandshakeRequestCustomizer> handshakeCustomizers;

    private final List<ReconnectingWebSocketClientCustomizer> customizers;

    private final ConnectionObserver eventPublisher;

    private final ObjectProvider<ResumePositionStore> positionStore;

    private final ReconnectingStompClients stompClients;

    private final MessageConverter stompConverter;

    private final Map<String, ReconnectingWebSocketClient> created = new LinkedHashMap<>();

    ReconnectingWebSocketClientFactory(ConnectionDefinitions connections, WebSocketClientResources resources,
            ObjectProvider<SslBundles> sslBundles, ObjectProvider<WebSocketClient> transport,
            ObjectProvider<PayloadEncoder> payloadEncoder, ObjectProvider<HandshakeRequestCustomizer> handshakeCustomizers,
            ObjectProvider<ReconnectingWebSocketClientCustomizer> customizers,
            ObjectProvider<ResumePositionStore> positionStore, ReconnectingStompClients stompClients,
            MessageConverter stompConverter, ConnectionObserver eventPublisher) {
        this.positionStore = positionStore;
        this.stompClients = stompClients;
        this.stompConverter = stompConverter;
        this.connections = connections;
        this.resources = resources;
        this.sslBundles = sslBundles.getIfAvailable();
        this.transport = transport.getIfUnique();
        this.payloadEncoder = payloadEncoder.getIfUnique();
        this.handshakeCustomizers = handshakeCustomizers.orderedStream().toList();
        this.customizers = customizers.orderedStream().toList();
        this.eventPublisher = eventPublisher;
    }

    /**
     * Build the client of a configured connection; it is not started.
     * @param name the connection name
     * @return the client
     */
    synchronized ReconnectingWebSocketClient createClient(String name) {
        ConnectionProperties properties = this.connections.get(name);
        ConnectionSettings settings = this.connections.settings(name);
        ReconnectingWebSocketClientBuilder builder = ReconnectingWebSocketClientBuilder.forSettings(settings)
            .name(name)
            .resources(this.resources)
            .transport(this.transport)
            .payloadEncoder(this.payloadEncoder)
            .observer(this.eventPublisher);
        if (properties.getResume().getStore() == ConnectionSettings.Resume.Store.JDBC) {
            builder.positionStore(jdbcPositionStore(name));
        }
        if (properties.getSslBundle() != null && this.sslBundles != null) {
            builder.sslContext(this.sslBundles.getBundle(properties.getSslBundle()).createSslContext());
        }
        this.handshakeCustomizers.forEach(builder::handshakeCustomizer);
        this.customizers.forEach((customizer) -> customizer.customize(name, builder));
        ReconnectingWebSocketClient client;
        if (properties.getStomp().isEnabled()) {
            if (properties.getSubprotocols().isEmpty()) {
                builder.subprotocols(List.of("v12.stomp"));
            }
            ReconnectingStompClient stomp = ReconnectingStompClient.build(builder, settings.stomp(),
                    settings.heartbeat().interval(), this.stompConverter);
            this.stompClients.add(name, stomp);
            client = stomp.getClient();
        }
        else {
            client = builder.build();
        }
        this.created.put(name, client);
        return client;
    }

    private ResumePositionStore jdbcPositionStore(String name) {
        ResumePositionStore store = this.positionStore.getIfUnique();
        if (store == null) {
            throw new InvalidConnectionPropertyException(ConnectionDefinitions.property(name, "resume.store"), "jdbc",
                    "no DataSource (and spring-jdbc) to keep the position in",
                    "memory, or jdbc with a single DataSource, or a ResumePositionStore bean");
        }
        return store;
    }

    /**
     * The STOMP client of a connection with {@code stomp.enabled}; its client bean is
     * created first.
     * @param name the connection name
     * @return the STOMP client
     */
    ReconnectingStompClient createStompClient(String name) {
        ReconnectingStompClient stomp = this.stompClients.get(name);
        if (stomp == null) {
            throw new IllegalStateException("WebSocket connection '" + name + "' does not speak STOMP");
        }
        return stomp;
    }

    /**
     * The clients built so far, by connection name; a connection whose client bean the
     * application defined itself is not among them.
     * @return the clients this factory built
     */
    synchronized Map<String, ReconnectingWebSocketClient> createdClients() {
        return new LinkedHashMap<>(this.created);
    }

}
