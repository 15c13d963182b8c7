package io.github.reconnectingws.connection;

import java.util.ArrayList;
import java.util.List;

import javax.net.ssl.SSLContext;

import io.github.reconnectingws.ConnectionInitializer;
import io.github.reconnectingws.ConnectionObserver;
import io.github.reconnectingws.ConnectionSettings;
import io.github.reconnectingws.HandshakeRequestCustomizer;
import io.github.reconnectingws.InboundMessageHandler;
import io.github.reconnectingws.PayloadEncoder;
import io.github.reconnectingws.PositionExtractor;
import io.github.reconnectingws.ReconnectingWebSocketClient;
import io.github.reconnectingws.ResumePositionStore;
import org.jspecify.annotations.Nullable;

import org.springframework.web.socket.client.WebSocketClient;

/**
 * What {@link ReconnectingWebSocketClientBuilder#build()} wires besides the settings: the
 * parts the builder was given, the checks that a setting has the part it needs, the
 * resources (the client's own when none are shared), the resume tracker, and the
 * observers and message handlers added to the client. It holds the parts; like the
 * builder, it is used by one thread.
 */
final class ClientAssembly {

    @Nullable SSLContext sslContext;

    @Nullable WebSocketClient transport;

    @Nullable PayloadEncoder payloadEncoder;

    @Nullable WebSocketClientResources resources;

    @Nullable PositionExtractor positionExtractor;

    @Nullable ResumePositionStore positionStore;

    @Nullable ConnectionInitializer initializer;

    final List<HandshakeRequestCustomizer> handshakeCustomizers = new ArrayList<>();

    final List<ConnectionObserver> observers = new ArrayList<>();

    final List<InboundMessageHandler> messageHandlers = new ArrayList<>();

    /** The client of these parts, named {@code name}, with {@code settings}. */
    ReconnectingWebSocketClient build(String name, ConnectionSettings settings) {
        if (settings.stomp().enabled() && this.initializer == null) {
            throw new IllegalStateException("stomp.enabled needs the STOMP client: build with "
                    + "ReconnectingStompClient.build(builder, settings.stomp(), heartbeat, converter)");
        }
        if (settings.resume().store() == ConnectionSettings.Resume.Store.JDBC && this.positionStore == null) {
            throw new IllegalStateException("resume.store jdbc needs a store: give the builder a "
                    + "ResumePositionStore, e.g. positionStore(new JdbcResumePositionStore(dataSource, \"\", flushInterval))");
        }
        boolean ownsResources = (this.resources == null);
        WebSocketClientResources resources = ownsResources ? new WebSocketClientResources() : this.resources;
        DefaultReconnectingWebSocketClient client = new DefaultReconnectingWebSocketClient(name, settings,
                this.sslContext, resources, ownsResources, this.transport, this.payloadEncoder,
                this.handshakeCustomizers,
                ResumeTracker.of(name, settings.resume(), this.positionExtractor, this.positionStore),
                this.initializer);
        this.observers.forEach(client::addObserver);
        this.messageHandlers.forEach(client::addMessageHandler);
        return client;
    }

}
