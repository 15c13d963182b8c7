package io.github.reconnectingws.connection;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLContext;

import io.github.reconnectingws.ClientClosedException;
import io.github.reconnectingws.ClientNotStartedException;
import io.github.reconnectingws.ConnectionInitializer;
import io.github.reconnectingws.ConnectionLease;
import io.github.reconnectingws.ConnectionObserver;
import io.github.reconnectingws.ConnectionSettings;
import io.github.reconnectingws.ConnectionStandbyException;
import io.github.reconnectingws.ConnectionState;
import io.github.reconnectingws.HandshakeRequestCustomizer;
import io.github.reconnectingws.InboundMessageHandler;
import io.github.reconnectingws.OutboundBufferFullException;
import io.github.reconnectingws.PayloadEncoder;
import io.github.reconnectingws.ReconnectingWebSocketClient;
import io.github.reconnectingws.SessionEndedException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.client.WebSocketClient;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;

/**
 * The client's public face: sending and encoding, observers and message handlers. The
 * connection's life is the {@link ConnectionStateMachine}'s, its transport the
 * {@link Transport}'s.
 */
final class DefaultReconnectingWebSocketClient implements ReconnectingWebSocketClient {

    private static final Log logger = LogFactory.getLog(ReconnectingWebSocketClient.class);

    private final String name;

    private final String maskedUrl;

    private final ConnectionSettings settings;

    private final WebSocketClientResources resources;

    private final boolean ownsResources;

    private final Transport transport;

    private final @Nullable PayloadEncoder payloadEncoder;

    private final SecretMasker masker = new SecretMasker();

    private final Observers observers = new Observers();

    private final List<InboundMessageHandler> handlers = new CopyOnWriteArrayList<>();

    /**
     * Held while a message is dispatched: while a rotation overlaps two connections, their
     * reading threads deliver one message at a time, as one connection's thread does.
     */
    private final Object dispatchLock = new Object();

    private final @Nullable ResumeTracker resume;

    private final OutboundQueue outbound;

    private final ConnectionStateMachine machine;

    private volatile boolean closed;

    /** Under which lease the connection is held; asked before every delivery and write. */
    private volatile ConnectionLease lease = ConnectionLease.UNLIMITED;

    /** Set when a lapsed lease was first noticed: it sends the client on standby once. */
    private final java.util.concurrent.atomic.AtomicBoolean lapsed = new java.util.concurrent.atomic.AtomicBoolean();

    /** Set by the first {@link #close()}: a second one has nothing left to do. */
    private final java.util.concurrent.atomic.AtomicBoolean closing = new java.util.concurrent.atomic.AtomicBoolean();

    DefaultReconnectingWebSocketClient(String name, ConnectionSettings settings, @Nullable SSLContext sslContext,
            WebSocketClientResources resources, boolean ownsResources, @Nullable WebSocketClient transport,
            @Nullable PayloadEncoder payloadEncoder, List<HandshakeRequestCustomizer> handshakeCustomizers,
            @Nullable ResumeTracker resume, @Nullable ConnectionInitializer initializer) {
        this(name, settings, resources, ownsResources, transport(name, settings, sslContext, resources, transport),
                payloadEncoder, handshakeCustomizers, resume, initializer);
    }

    DefaultReconnectingWebSocketClient(String name, ConnectionSettings settings, WebSocketClientResources resources,
            boolean ownsResources, Transport transport, @Nullable PayloadEncoder payloadEncoder,
            List<HandshakeRequestCustomizer> handshakeCustomizers, @Nullable ResumeTracker resume,
            @Nullable ConnectionInitializer initializer) {
        this.name = name;
        this.resume = resume;
        this.settings = settings;
        this.resources = resources;
        this.ownsResources = ownsResources;
        this.transport = transport;
        this.payloadEncoder = payloadEncoder;
        this.masker.rememberUri(settings.uri());
        this.masker.remember(settings.headers().values());
        if (settings.stomp().passcode() != null) {
            this.masker.remember(List.of(settings.stomp().passcode()));
        }
        this.masker.remember(List.of(settings.proxy().password()));
        this.maskedUrl = SecretMasker.maskUri(settings.uri());
        int capacity = settings.outbound().bufferSize();
        this.outbound = new OutboundQueue(capacity, settings.outbound().overflow(),
                () -> new OutboundBufferFullException(name, capacity, false),
                () -> new OutboundBufferFullException(name, capacity, true),
                () -> new ClientNotStartedException(name),
                (entry, error) -> this.observers.notify((o) -> o.onMessageDropped(this, entry.message(), error)));
        this.machine = new ConnectionStateMachine(this, settings, resources, transport, handshakeCustomizers,
                this.masker, this.observers, this.outbound, this::dispatch, resume, initializer);
    }

    private static Transport transport(String name, ConnectionSettings settings, @Nullable SSLContext sslContext,
            WebSocketClientResources resources, @Nullable WebSocketClient transport) {
        if (transport == null || transport instanceof StandardWebSocketClient) {
            return new TomcatTransport(name, settings, sslContext, resources, (StandardWebSocketClient) transport);
        }
        return new PluggedTransport(name, transport, settings.connectTimeout(), resources.time());
    }

    // ---------------------------------------------------------------- state

    @Override
    public String getName() {
        return this.name;
    }

    @Override
    public String getUrl() {
        return this.maskedUrl;
    }

    @Override
    public ConnectionState getState() {
        return this.machine.state();
    }

    @Override
    public Instant getStateSince() {
        return this.machine.stateSince();
    }

    @Override
    public boolean canConnect() {
        return this.machine.canConnect();
    }

    @Override
    public long getReconnectCount() {
        return this.machine.reconnectCount();
    }

    @Override
    public int getPendingCount() {
        return this.outbound.size();
    }

    @Override
    public List<String> getExtensions() {
        return this.machine.extensions();
    }

    @Override
    public @Nullable String getLastError() {
        return this.machine.lastError();
    }

    @Override
    public String maskSecrets(@Nullable String text) {
        return this.masker.scrub(text);
    }

    @Override
    public void reportUnhandled(WebSocketMessage<?> message) {
        this.observers.notify((o) -> o.onMessageUnhandled(this, message));
    }

    @Override
    public Optional<String> getResumePosition() {
        return (this.resume != null) ? Optional.ofNullable(this.resume.lastDelivered()) : Optional.empty();
    }

    // ---------------------------------------------------------------- sending

    @Override
    public CompletableFuture<Void> send(String text) {
        return send(new TextMessage(text));
    }

    @Override
    public CompletableFuture<Void> send(byte[] data) {
        return send(new BinaryMessage(data));
    }

    @Override
    public CompletableFuture<Void> send(ByteBuffer data) {
        return send(new BinaryMessage(data));
    }

    @Override
    public CompletableFuture<Void> send(Object payload) {
        if (payload instanceof String text) {
            return send(text);
        }
        if (payload instanceof byte[] bytes) {
            return send(bytes);
        }
        if (payload instanceof ByteBuffer buffer) {
            return send(buffer);
        }
        if (payload instanceof WebSocketMessage<?> message) {
            return send(message);
        }
        if (this.payloadEncoder == null) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("Cannot send a "
                    + payload.getClass().getName() + ": no PayloadEncoder is configured; give the builder one "
                    + "(ReconnectingWebSocketClientBuilder.payloadEncoder), or, with the Spring Boot starter, "
                    + "add Jackson (tools.jackson.core:jackson-databind) or define a PayloadEncoder bean"));
        }
        WebSocketMessage<?> message;
        try {
            message = this.payloadEncoder.encode(payload);
        }
        catch (Exception ex) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(
                    "Cannot encode a " + payload.getClass().getName() + ": " + ex.getMessage(), ex));
        }
        return send(message);
    }

    @Override
    public CompletableFuture<Void> send(WebSocketMessage<?> message) {
        return queue(message, null);
    }

    @Override
    public CompletableFuture<Void> send(WebSocketMessage<?> message, WebSocketSession session) {
        return queue(message, session);
    }

    private CompletableFuture<Void> queue(WebSocketMessage<?> message, @Nullable WebSocketSession session) {
        if (!this.lease.isValid()) {
            leaseLapsed();
            return CompletableFuture.failedFuture(new ConnectionStandbyException(this.name));
        }
        SessionWriter owner = null;
        if (session != null) {
            owner = this.machine.writerOf(session);
            if (owner == null) {
                return CompletableFuture.failedFuture(new SessionEndedException(this.name));
            }
        }
        OutboundQueue.Entry entry = new OutboundQueue.Entry(message, new CompletableFuture<>(), owner);
        this.machine.queue(entry);
        return entry.future();
    }

    // ---------------------------------------------------------------- lifecycle

    @Override
    public CompletableFuture<Void> start() {
        return start(ConnectionLease.UNLIMITED);
    }

    @Override
    public CompletableFuture<Void> start(ConnectionLease lease) {
        if (this.closed) {
            throw new ClientClosedException(this.name, "cannot start a closed client");
        }
        this.lease = lease;
        this.outbound.holdUnder(lease);
        this.lapsed.set(false);
        return this.machine.start();
    }

    /** The lease lapsed while the connection was held: on standby, once. */
    private void leaseLapsed() {
        if (this.lapsed.compareAndSet(false, true)) {
            logger.warn("WebSocket '" + this.name + "' lease lapsed: delivering and sending nothing more, on standby");
            standby();
        }
    }

    @Override
    public void reconnect() {
        this.machine.reconnect();
    }

    @Override
    public void stop() {
        CompletableFuture<Void> stopped = stopAsync();
        try {
            stopped.get(this.settings.shutdownTimeout().toMillis() + 5000, TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        catch (ExecutionException | TimeoutException ex) {
            logger.warn("WebSocket '" + this.name + "' did not stop cleanly: " + this.masker.describe(ex));
        }
    }

    @Override
    public CompletableFuture<Void> stopAsync() {
        return this.machine.stop(ConnectionState.CLOSED);
    }

    @Override
    public CompletableFuture<Void> standby() {
        if (this.closed) {
            // closed for good, its threads perhaps released: nothing to hand over
            return CompletableFuture.completedFuture(null);
        }
        return this.machine.stop(ConnectionState.STANDBY);
    }

    @Override
    public boolean isClosed() {
        return this.closed;
    }

    @Override
    public void close() {
        this.closed = true;
        if (!this.closing.compareAndSet(false, true)) {
            return;
        }
        try {
            stop();
        }
        finally {
            this.transport.release();
            if (this.ownsResources) {
                this.resources.close();
            }
        }
    }

    // ---------------------------------------------------------------- observing

    @Override
    public void addObserver(ConnectionObserver observer) {
        this.observers.add(observer);
    }

    @Override
    public void removeObserver(ConnectionObserver observer) {
        this.observers.remove(observer);
    }

    @Override
    public void addMessageHandler(InboundMessageHandler handler) {
        this.handlers.add(handler);
    }

    /**
     * On the transport's reading thread: a duplicate (resume) is dropped; then observers,
     * then every handler, in order; then the position counts as delivered.
     */
    private void dispatch(WebSocketSession session, WebSocketMessage<?> message) {
        if (!this.lease.isValid()) {
            // a holder that lost its lease (a pause longer than it) delivers nothing more
            this.observers.notify((o) -> o.onMessageFenced(this, message));
            leaseLapsed();
            return;
        }
        synchronized (this.dispatchLock) {
            ResumeTracker resume = this.resume;
            String position = (resume != null) ? resume.positionOf(message) : null;
            if (position != null && resume.isDuplicate(position)) {
                this.observers.notify((o) -> o.onResumeDuplicate(this, message, position));
                return;
            }
            this.observers.messageReceived(this, message);
            boolean handled = false;
            for (InboundMessageHandler handler : this.handlers) {
                try {
                    if (handler.handles(message)) {
                        handled = true;
                        handler.handleMessage(this, session, message);
                    }
                }
                catch (Throwable ex) {
                    logger.warn("WebSocket '" + this.name + "' message handler failed: " + this.masker.describe(ex));
                    this.observers.notify((o) -> o.onListenerError(this, message, ex));
                }
            }
            if (!handled && !this.handlers.isEmpty()) {
                if (logger.isDebugEnabled()) {
                    logger.debug("WebSocket '" + this.name + "' " + ((message instanceof BinaryMessage) ? "binary" : "text")
                            + " message of " + message.getPayloadLength() + " bytes taken by no listener");
                }
                this.observers.notify((o) -> o.onMessageUnhandled(this, message));
            }
            if (position != null) {
                long missed = resume.delivered(position);
                if (missed > 0) {
                    this.observers.notify((o) -> o.onResumeGap(this, position, missed));
                }
            }
        }
    }

    @Override
    public String toString() {
        return "ReconnectingWebSocketClient[" + this.name + ", " + this.maskedUrl + ", " + getState() + "]";
    }

}
