package io.github.reconnectingws.connection;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import io.github.reconnectingws.ClientNotStartedException;
import io.github.reconnectingws.ConnectionInitializer;
import io.github.reconnectingws.ConnectionObserver;
import io.github.reconnectingws.ConnectionSettings;
import io.github.reconnectingws.ConnectionStandbyException;
import io.github.reconnectingws.ConnectionState;
import io.github.reconnectingws.HandshakeRequestCustomizer;
import io.github.reconnectingws.ReconnectingWebSocketClient;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketExtension;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;

/**
 * The life of one connection: its state, its attempts and the teardown of its connection,
 * each written once here. {@link SessionOpener} opens its sessions and wires each one's
 * writer and heartbeat; {@link ConnectionOpening} runs the connect hooks of a new
 * connection and then starts its writer; {@link ConnectionOutage} handles drops and
 * failures, and with the {@link ReconnectPolicy} schedules the next attempt or gives up;
 * {@link ConnectionRotation} replaces the connection before it grows too old;
 * {@link ConnectionShutdown} stops it.
 * <p>
 * Threading rules, all in one place:
 * <ul>
 * <li><b>The actor.</b> Every state change runs on this machine's own
 * {@link SerialExecutor} over the shared engine workers. Fields marked "confined to the
 * actor" are touched only there; the volatile ones are written there and read anywhere.
 * The units named above run on the same actor, under the same rules; their package-private
 * methods here are for them, on the actor, unless a method says "any thread".
 * Transport callbacks carry the attempt they belong to and are ignored once stale. The
 * actor never runs application code, so no application code can delay any connection's
 * drop detection, heartbeat, reconnect or writes.</li>
 * <li><b>The callback lane.</b> Application code that belongs to the connection's life
 * (handshake customizers, connect hooks, the other lifecycle callbacks of
 * {@link ConnectionObserver}, and so the application events) runs on a second
 * {@code SerialExecutor} over the shared callback pool: in order, one at a time, off the
 * engine's threads. A hook that blocks delays only this connection's later callbacks, its
 * next handshake and the flush of its backlog (which waits for the connect hooks, so that
 * a re-subscribe goes first).</li>
 * <li><b>Messages.</b> Inbound messages are dispatched on the transport's thread reading
 * this connection, in arrival order. Writes run on the shared writer pool (or inline,
 * with write-inline).</li>
 * <li><b>Time.</b> Every delay and timeout goes through {@link EngineTime}.</li>
 * </ul>
 */
final class ConnectionStateMachine {

    private static final Log logger = LogFactory.getLog(ReconnectingWebSocketClient.class);

    private final ReconnectingWebSocketClient client;

    private final String name;

    private final SecretMasker masker;

    private final Observers observers;

    private final OutboundQueue outbound;

    private final SerialExecutor actor;

    private final SerialExecutor callbacks;

    private final SessionOpener opener;

    private final ConnectionOutage outage;

    private final ConnectionOpening opening;

    private final ConnectionRotation rotation;

    private final ConnectionShutdown shutdown;

    private final AtomicLong reconnectCount = new AtomicLong();

    // Written on the actor, read anywhere

    private volatile ConnectionState state = ConnectionState.NEW;

    private volatile Instant stateSince = Instant.now();

    private volatile @Nullable String lastError;

    private volatile @Nullable Connection connection;

    // Confined to the actor

    private int generation;

    private boolean everConnected;

    private @Nullable CompletableFuture<Void> firstAttempt;

    ConnectionStateMachine(ReconnectingWebSocketClient client, ConnectionSettings settings,
            WebSocketClientResources resources, Transport transport, List<HandshakeRequestCustomizer> customizers,
            SecretMasker masker, Observers observers, OutboundQueue outbound,
            BiConsumer<WebSocketSession, WebSocketMessage<?>> inbound, @Nullable ResumeTracker resume,
            @Nullable ConnectionInitializer initializer) {
        this.client = client;
        this.name = client.getName();
        this.masker = masker;
        this.observers = observers;
        this.outbound = outbound;
        this.actor = new SerialExecutor(resources.workers());
        this.callbacks = new SerialExecutor(resources.callbacks());
        this.opener = new SessionOpener(client, settings, resources, transport, customizers, masker, observers,
                outbound, inbound, resume, this.actor, this.callbacks, new SessionOpener.Events() {

                    @Override
                    public void closed(AttemptHandler handler, CloseStatus status) {
                        ConnectionStateMachine.this.outage.closed(handler, status);
                    }

                    @Override
                    public void broken(Connection connection, Throwable cause, String why) {
                        ConnectionStateMachine.this.outage.broken(connection, cause, why);
                    }

                    @Override
                    public boolean current(AttemptHandler handler) {
                        ConnectionState state = ConnectionStateMachine.this.state;
                        return handler.generation == ConnectionStateMachine.this.generation
                                && (state == ConnectionState.CONNECTING || state == ConnectionState.CONNECTED);
                    }

                });
        this.outage = new ConnectionOutage(this, this.name, settings, resources, masker, outbound, this.actor);
        this.opening = new ConnectionOpening(this, new ConnectHooks(client, initializer, settings.connectTimeout(),
                observers), outbound, this.actor, this.callbacks, resources.time(), settings.outbound().sendTimeLimit());
        this.rotation = new ConnectionRotation(this, settings, resources.time(), masker, outbound, this.actor,
                this.opener, this.opening);
        this.shutdown = new ConnectionShutdown(this, settings, resources.time(), transport, outbound, this.actor,
                resume);
    }

    // ---------------------------------------------------------------- read anywhere

    ConnectionState state() {
        return this.state;
    }

    Instant stateSince() {
        return this.stateSince;
    }

    @Nullable String lastError() {
        return this.lastError;
    }

    /** Any thread: the names of the extensions agreed for the current connection. */
    List<String> extensions() {
        Connection current = this.connection;
        if (current == null) {
            return List.of();
        }
        return current.session.getExtensions().stream().map(WebSocketExtension::getName).toList();
    }

    long reconnectCount() {
        return this.reconnectCount.get();
    }

    boolean canConnect() {
        return this.outage.mayReconnect();
    }

    // ---------------------------------------------------------------- commands (any thread)

    CompletableFuture<Void> start() {
        CompletableFuture<Void> result = new CompletableFuture<>();
        this.outbound.accept();
        this.actor.execute(() -> {
            ConnectionState current = this.state;
            if (current == ConnectionState.NEW || current == ConnectionState.CLOSED
                    || current == ConnectionState.FAILED || current == ConnectionState.STANDBY) {
                this.firstAttempt = result;
                // a start is a first connect, not a reconnect, even after a stop
                this.everConnected = false;
                attemptNow();
            }
            else if (this.firstAttempt != null) {
                this.firstAttempt.whenComplete((ok, error) -> complete(result, error));
            }
            else {
                result.complete(null);
            }
        });
        return result;
    }

    void reconnect() {
        ConnectionState current = this.state;
        if (current == ConnectionState.STANDBY) {
            throw new ConnectionStandbyException(this.name);
        }
        if (current == ConnectionState.NEW || current == ConnectionState.CLOSED) {
            throw new ClientNotStartedException(this.name);
        }
        this.outage.checkMayReconnect();
        this.actor.execute(() -> {
            if (this.state == ConnectionState.CLOSED || this.state == ConnectionState.NEW
                    || this.state == ConnectionState.STANDBY) {
                return;
            }
            logger.info(prefix() + "reconnecting now, as requested");
            this.outage.cancelScheduledAttempt();
            Connection open = this.connection;
            if (open != null) {
                disconnect(open, CloseStatus.GOING_AWAY, null);
            }
            this.outbound.accept();
            attemptNow();
        });
    }

    /**
     * Stop: {@code CLOSED} flushes what is queued (bounded by the shutdown timeout);
     * {@code STANDBY} hands the connection to another instance and keeps nothing.
     */
    CompletableFuture<Void> stop(ConnectionState target) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        this.outbound.refuse(this.shutdown.refusal(target));
        this.actor.execute(() -> {
            // no attempt counts any more, whether scheduled or under way
            this.outage.cancelScheduledAttempt();
            this.generation++;
            this.shutdown.begin(result, target);
        });
        return result;
    }

    /** Any thread: queue a message (a running connect hook's goes before the backlog) for the writer. */
    void queue(OutboundQueue.Entry entry) {
        if (!this.opening.capture(entry)) {
            this.outbound.offer(entry);
            Connection open = this.connection;
            if (open != null) {
                open.writer.kick();
            }
        }
    }

    /** Any thread: the writer of one of this connection's open sessions, or {@code null}. */
    @Nullable SessionWriter writerOf(WebSocketSession session) {
        return this.opener.writerOf(session);
    }

    // ---------------------------------------------------------------- attempts (actor)

    /** Start over: a fresh backoff and outage, and an attempt right away. */
    private void attemptNow() {
        this.outage.startOver();
        attempt();
    }

    /** An attempt now: right away, or the one {@link ConnectionOutage} scheduled. */
    void attempt() {
        this.outage.attemptStarting(this.everConnected);
        int attemptGeneration = ++this.generation;
        transition(ConnectionState.CONNECTING);
        AttemptHandler handler = this.opener.newAttemptHandler(attemptGeneration);
        this.opener.handshake(handler, (session, failure) -> attemptEnded(handler, session, failure));
    }

    private void attemptEnded(AttemptHandler handler, @Nullable WebSocketSession session,
            @Nullable Throwable failure) {
        if (handler.generation != this.generation || this.state != ConnectionState.CONNECTING) {
            this.opener.discardStale(session);
            return;
        }
        if (failure != null || session == null) {
            Throwable cause = FailureClassifier.unwrap((failure != null) ? failure : new IllegalStateException("no session"));
            lifecycle((o) -> o.onConnectAttempt(this.client, false));
            this.lastError = this.masker.describe(cause);
            CompletableFuture<Void> first = takeFirstAttempt();
            this.outage.scheduleReconnect(cause, "connect failed", false);
            if (first != null) {
                Throwable shown = this.masker.sanitize(cause);
                afterCallbacks(() -> first.completeExceptionally(shown));
            }
            return;
        }
        lifecycle((o) -> o.onConnectAttempt(this.client, true));
        connected(handler, session);
    }

    private void connected(AttemptHandler handler, WebSocketSession session) {
        boolean reconnect = this.everConnected;
        this.everConnected = true;
        this.outage.connected();
        Connection current = this.opener.open(handler, session, false);
        handler.connection = current;
        this.connection = current;
        if (reconnect) {
            this.reconnectCount.incrementAndGet();
        }
        transition(ConnectionState.CONNECTED);
        CompletableFuture<Void> first = takeFirstAttempt();
        if (first != null) {
            afterCallbacks(() -> first.complete(null));
        }
        // the heartbeat watches the connection while the hooks run; the writer waits for them
        current.heartbeat.start();
        this.rotation.schedule(current);
        this.opening.runConnectHooks(current, reconnect);
        CloseStatus closedEarly = handler.closeStatus();
        if (closedEarly != null) {
            // the server closed before we got here
            this.outage.closed(handler, closedEarly);
        }
    }

    /**
     * Tear down the open connection: the one sequence for drops, aborts, reconnects and
     * stops. The session is closed off the actor (it may block), with {@code status}, or
     * 1001 when the connection broke.
     */
    void disconnect(Connection current, @Nullable CloseStatus status, @Nullable Throwable cause) {
        this.connection = null;
        this.rotation.cancel(current);
        current.heartbeat.stop();
        this.opening.closeWriter(current);
        this.outage.connectionEnded(current);
        if (current.session.isOpen()) {
            this.opener.closeLater(current.session, (status != null) ? status : CloseStatus.GOING_AWAY);
        }
        Throwable shown = (cause != null) ? this.masker.sanitize(cause) : null;
        lifecycle((o) -> o.onDisconnected(this.client, status, shown));
    }

    // ---------------------------------------------------------------- for the units (actor)

    ReconnectingWebSocketClient client() {
        return this.client;
    }

    SecretMasker masker() {
        return this.masker;
    }

    /** The open connection, if any; any thread. */
    @Nullable Connection connection() {
        return this.connection;
    }

    /** Make {@code next} the open connection: the switch of a rotation. */
    void switchTo(Connection next) {
        this.connection = next;
    }

    /** The current attempt's; an attempt's callbacks are stale once it has moved on. */
    int generation() {
        return this.generation;
    }

    void lastError(String lastError) {
        this.lastError = lastError;
    }

    ConnectionOutage outage() {
        return this.outage;
    }

    ConnectionRotation rotation() {
        return this.rotation;
    }

    /** Whether the client holds no connection and makes no attempts. */
    boolean ended() {
        ConnectionState current = this.state;
        return current == ConnectionState.CLOSED || current == ConnectionState.FAILED
                || current == ConnectionState.STANDBY;
    }

    @Nullable CompletableFuture<Void> takeFirstAttempt() {
        CompletableFuture<Void> first = this.firstAttempt;
        this.firstAttempt = null;
        return first;
    }

    void transition(ConnectionState to) {
        ConnectionState from = this.state;
        if (from == to) {
            return;
        }
        this.state = to;
        this.stateSince = Instant.now();
        if (to == ConnectionState.CONNECTED) {
            logger.info(prefix() + "connected to " + this.client.getUrl());
        }
        else if (logger.isDebugEnabled()) {
            logger.debug(prefix() + from + " -> " + to);
        }
        lifecycle((o) -> o.onStateChanged(this.client, from, to));
    }

    /**
     * Complete a future of {@code start()} or {@code stop()} once the observers have seen
     * what led to it.
     */
    void afterCallbacks(Runnable completion) {
        this.callbacks.execute(completion);
    }

    /** Lifecycle callbacks are application code: in order, in the callback lane. */
    void lifecycle(Consumer<ConnectionObserver> callback) {
        this.callbacks.execute(() -> this.observers.notify(callback));
    }

    String prefix() {
        return "WebSocket '" + this.name + "' ";
    }

    static String describe(CloseStatus status) {
        return status.getCode() + ((status.getReason() != null && !status.getReason().isEmpty())
                ? " " + status.getReason() : "");
    }

    private static void complete(CompletableFuture<Void> target, @Nullable Throwable error) {
        if (error != null) {
            target.completeExceptionally(error);
        }
        else {
            target.complete(null);
        }
    }

    /** Describes a drop by close frame. */
    static final class ConnectionClosedException extends java.io.IOException {

        ConnectionClosedException(CloseStatus status) {
            super("connection closed with " + describe(status));
        }

    }

}
