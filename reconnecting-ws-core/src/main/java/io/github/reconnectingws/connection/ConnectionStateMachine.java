package io.github.reconnectingws.connection;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import io.github.reconnectingws.ClientClosedException;
import io.github.reconnectingws.ClientNotStartedException;
import io.github.reconnectingws.CloseCodes;
import io.github.reconnectingws.ConnectionFailedException;
import io.github.reconnectingws.ConnectionInitializer;
import io.github.reconnectingws.ConnectionObserver;
import io.github.reconnectingws.ConnectionSettings;
import io.github.reconnectingws.ConnectionStandbyException;
import io.github.reconnectingws.ConnectionState;
import io.github.reconnectingws.FatalCloseStatusException;
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
 * The life of one connection: states, attempts, reconnect scheduling, rotation and
 * shutdown. {@link SessionOpener} opens its sessions and wires each one's writer and
 * heartbeat; {@link ReconnectPolicy} decides what follows a failure; {@link ConnectHooks}
 * runs the connect hooks.
 * <p>
 * Threading rules, all in one place:
 * <ul>
 * <li><b>The actor.</b> Every state change runs on this machine's own
 * {@link SerialExecutor} over the shared engine workers. Fields marked "confined to the
 * actor" are touched only there; the volatile ones are written there and read anywhere.
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

    private final ConnectionSettings settings;

    /** What a connect reaches first: the proxy, when the connection has one, else the feed. */
    private final URI firstHop;

    private final WebSocketClientResources resources;

    private final EngineTime time;

    private final Transport transport;

    private final SecretMasker masker;

    private final Observers observers;

    private final @Nullable ResumeTracker resume;

    private final ConnectHooks hooks;

    private final OutboundQueue outbound;

    private final SerialExecutor actor;

    private final SerialExecutor callbacks;

    private final SessionOpener opener;

    private final ReconnectPolicy reconnects;

    private final RotationSchedule rotations;

    private final CloseCodes fatalCloseCodes;

    private final AtomicLong reconnectCount = new AtomicLong();

    // Written on the actor, read anywhere

    private volatile ConnectionState state = ConnectionState.NEW;

    private volatile Instant stateSince = Instant.now();

    private volatile @Nullable String lastError;

    private volatile @Nullable Connection connection;

    // Confined to the actor

    private int generation;

    private boolean everConnected;

    private int attemptInOutage;

    private EngineTime.@Nullable Timer scheduledAttempt;

    /** When the scheduled attempt is due, in {@link EngineTime#nanoTime()}. */
    private long scheduledAttemptAt;

    private @Nullable CompletableFuture<Void> firstAttempt;

    ConnectionStateMachine(ReconnectingWebSocketClient client, ConnectionSettings settings,
            WebSocketClientResources resources, Transport transport, List<HandshakeRequestCustomizer> customizers,
            SecretMasker masker, Observers observers, OutboundQueue outbound,
            BiConsumer<WebSocketSession, WebSocketMessage<?>> inbound, @Nullable ResumeTracker resume,
            @Nullable ConnectionInitializer initializer) {
        this.client = client;
        this.name = client.getName();
        this.settings = settings;
        URI proxy = settings.proxy().uri();
        this.firstHop = (proxy != null) ? proxy : settings.uri();
        this.resources = resources;
        this.time = resources.time();
        this.transport = transport;
        this.masker = masker;
        this.observers = observers;
        this.outbound = outbound;
        this.resume = resume;
        this.actor = new SerialExecutor(resources.workers());
        this.callbacks = new SerialExecutor(resources.callbacks());
        this.opener = new SessionOpener(client, settings, resources, transport, customizers, masker, observers,
                outbound, inbound, resume, this.actor, this.callbacks, new SessionOpener.Events() {

                    @Override
                    public void closed(AttemptHandler handler, CloseStatus status) {
                        sessionClosed(handler, status);
                    }

                    @Override
                    public void broken(Connection connection, Throwable cause, String why) {
                        abort(connection, cause, why);
                    }

                });
        this.hooks = new ConnectHooks(client, initializer, settings.connectTimeout(), observers);
        this.reconnects = new ReconnectPolicy(this.name, settings);
        this.rotations = new RotationSchedule(settings.maxConnectionAge(),
                () -> ThreadLocalRandom.current().nextDouble());
        this.fatalCloseCodes = CloseCodes.of(settings.fatalCloseCodes());
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
        return this.reconnects.mayReconnect(this.time.nanoTime());
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
        this.reconnects.checkMayReconnect(this.time.nanoTime());
        this.actor.execute(() -> {
            if (this.state == ConnectionState.CLOSED || this.state == ConnectionState.NEW
                    || this.state == ConnectionState.STANDBY) {
                return;
            }
            logger.info(prefix() + "reconnecting now, as requested");
            cancelScheduledAttempt();
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
        this.outbound.refuse(refusal(target));
        this.actor.execute(() -> beginStop(result, target));
        return result;
    }

    private java.util.function.Supplier<RuntimeException> refusal(ConnectionState target) {
        return (target == ConnectionState.STANDBY) ? () -> new ConnectionStandbyException(this.name)
                : () -> new ClientClosedException(this.name, "message sent after stop()");
    }

    /** A message was queued: the open connection's writer picks it up. */
    void messageQueued() {
        Connection open = this.connection;
        if (open != null) {
            open.writer.kick();
        }
    }

    /**
     * Take a message sent by a running connect hook: it goes out before the backlog.
     * @return whether the message was taken
     */
    boolean takeConnectHookMessage(OutboundQueue.Entry entry) {
        return this.hooks.capture(entry);
    }

    // ---------------------------------------------------------------- attempts (actor)

    /** Start over: a fresh backoff and outage, and an attempt right away. */
    private void attemptNow() {
        this.reconnects.startOver();
        this.attemptInOutage = 0;
        attempt();
    }

    private void attempt() {
        this.scheduledAttempt = null;
        if (this.everConnected || this.attemptInOutage > 0) {
            this.reconnects.recordReconnect(this.time.nanoTime());
        }
        int attemptGeneration = ++this.generation;
        transition(ConnectionState.CONNECTING);
        AttemptHandler handler = this.opener.newAttemptHandler(attemptGeneration);
        this.opener.handshake(handler, (session, failure) -> attemptEnded(handler, session, failure));
    }

    private void attemptEnded(AttemptHandler handler, @Nullable WebSocketSession session,
            @Nullable Throwable failure) {
        if (handler.generation != this.generation || this.state != ConnectionState.CONNECTING) {
            discardStale(session);
            return;
        }
        if (failure != null || session == null) {
            Throwable cause = FailureClassifier.unwrap((failure != null) ? failure : new IllegalStateException("no session"));
            lifecycle((o) -> o.onConnectAttempt(this.client, false));
            this.lastError = this.masker.describe(cause);
            CompletableFuture<Void> first = takeFirstAttempt();
            scheduleReconnect(cause, "connect failed", false);
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
        this.attemptInOutage = 0;
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
        scheduleRotation(current);
        this.callbacks.execute(() -> runConnectHooks(current, reconnect));
        if (handler.closeStatus != null) {
            // the server closed before we got here
            sessionClosed(handler, handler.closeStatus);
        }
    }

    /**
     * Callback lane: the protocol's handshake, if any, then the connect hooks, then back
     * to the actor to flush.
     */
    private void runConnectHooks(Connection current, boolean reconnect) {
        ConnectHooks.Outcome outcome = this.hooks.run(current.session, reconnect, current.rotation);
        if (outcome.failure() != null) {
            this.actor.execute(() -> abort(current, outcome.failure(), "protocol handshake failed"));
            return;
        }
        this.actor.execute(() -> connectHooksDone(current, outcome.sent()));
    }

    private void connectHooksDone(Connection current, List<OutboundQueue.Entry> sentByHooks) {
        if (current.rotation && this.connection != current) {
            rotationReady(current, sentByHooks);
            return;
        }
        if (this.connection != current) {
            // dropped meanwhile: the messages wait, ahead of the backlog, for the next connection
            keepForNextConnection(sentByHooks);
            return;
        }
        this.outbound.prependAll(sentByHooks);
        current.writer.open();
    }

    private void sessionClosed(AttemptHandler handler, CloseStatus status) {
        Connection current = this.connection;
        if (current == null || current.handler != handler) {
            return;
        }
        disconnect(current, status, handler.transportError);
        if (this.state == ConnectionState.CONNECTED) {
            CloseStatus shown = new CloseStatus(status.getCode(), this.masker.scrub(status.getReason()));
            Throwable cause = (handler.transportError != null) ? handler.transportError
                    : this.fatalCloseCodes.contains(status.getCode()) ? new FatalCloseStatusException(shown)
                    : new ConnectionClosedException(shown);
            scheduleReconnect(cause, "disconnected (" + describe(shown) + ")", true);
        }
    }

    /** The connection is broken (write failure, heartbeat timeout): drop it and reconnect. */
    private void abort(Connection broken, Throwable cause, String why) {
        if (this.connection != broken) {
            return;
        }
        disconnect(broken, null, cause);
        if (this.state == ConnectionState.CONNECTED) {
            this.lastError = this.masker.describe(cause);
            scheduleReconnect(cause, why, true);
        }
    }

    /**
     * Tear down the open connection: the one sequence for drops, aborts, reconnects and
     * stops. The session is closed off the actor (it may block), with {@code status}, or
     * 1001 when the connection broke.
     */
    private void disconnect(Connection current, @Nullable CloseStatus status, @Nullable Throwable cause) {
        this.connection = null;
        cancel(current.rotationTimer);
        current.heartbeat.stop();
        current.writer.close();
        if (this.time.nanoTime() - current.connectedAt >= this.settings.backoff().stableAfter().toNanos()) {
            this.reconnects.startOver();
        }
        if (current.session.isOpen()) {
            this.opener.closeLater(current.session, (status != null) ? status : CloseStatus.GOING_AWAY);
        }
        Throwable shown = (cause != null) ? this.masker.sanitize(cause) : null;
        lifecycle((o) -> o.onDisconnected(this.client, status, shown));
    }

    private void scheduleReconnect(Throwable cause, String what, boolean afterDrop) {
        if (ended()) {
            return;
        }
        ReconnectPolicy.Decision decision = this.reconnects.next(cause, this.time.nanoTime(), afterDrop);
        if (decision instanceof ReconnectPolicy.Fatal) {
            fail(cause, what + ": " + this.masker.describe(cause) + " (not retried)");
            return;
        }
        if (decision instanceof ReconnectPolicy.GiveUp giveUp) {
            fail(new ConnectionFailedException(giveUp.message(), this.masker.sanitize(giveUp.cause())),
                    what + ": " + giveUp.logged());
            return;
        }
        ReconnectPolicy.Retry retry = (ReconnectPolicy.Retry) decision;
        int attempt = ++this.attemptInOutage;
        Duration delay = retry.delay();
        transition(ConnectionState.RECONNECTING);
        // a close status is already in what; any other cause is named
        logger.info(prefix() + what + ((cause instanceof ConnectionClosedException) ? ""
                : ": " + this.masker.describe(cause)) + "; reconnecting in " + delay.toMillis() + " ms (attempt "
                + attempt + ")" + (retry.rateLimited() ? " - reconnect rate limit reached" : ""));
        Throwable announced = this.masker.sanitize(retry.reason());
        lifecycle((o) -> o.onReconnecting(this.client, attempt, delay, announced));
        scheduleAttempt(delay);
        if (!retry.rateLimited() && retry.retryAfter() == null && FailureClassifier.isListenerAbsent(cause)
                && delay.compareTo(EndpointWatch.PROBE_INTERVAL) > 0) {
            int waitingGeneration = this.generation;
            this.resources.endpointWatch().whenListening(this.firstHop,
                    () -> this.state == ConnectionState.RECONNECTING,
                    (spread) -> this.actor.execute(() -> listenerBack(waitingGeneration, spread)));
        }
    }

    private void scheduleAttempt(Duration delay) {
        this.scheduledAttemptAt = this.time.nanoTime() + delay.toNanos();
        this.scheduledAttempt = this.time.schedule(delay, () -> this.actor.execute(this::scheduledAttemptDue));
    }

    /** The endpoint accepts connections again: attempt soon, unless due sooner anyway. */
    private void listenerBack(int waitingGeneration, Duration spread) {
        if (this.state != ConnectionState.RECONNECTING || this.generation != waitingGeneration
                || this.scheduledAttempt == null
                || this.time.nanoTime() + spread.toNanos() >= this.scheduledAttemptAt) {
            return;
        }
        if (logger.isDebugEnabled()) {
            logger.debug(prefix() + "endpoint listens again; attempting in " + spread.toMillis() + " ms");
        }
        cancelScheduledAttempt();
        scheduleAttempt(spread);
    }

    private void scheduledAttemptDue() {
        if (this.state == ConnectionState.RECONNECTING && this.scheduledAttempt != null) {
            attempt();
        }
    }

    private void fail(Throwable cause, String what) {
        cancelScheduledAttempt();
        this.lastError = this.masker.describe(cause);
        transition(ConnectionState.FAILED);
        logger.error(prefix() + what);
        ConnectionFailedException failed = (cause instanceof ConnectionFailedException gaveUp) ? gaveUp
                : new ConnectionFailedException("WebSocket connection '" + this.name + "' failed: " + this.lastError,
                        null);
        this.outbound.refuse(() -> failed);
        this.outbound.failAll(() -> failed);
        Throwable shown = this.masker.sanitize(cause);
        lifecycle((o) -> o.onFailed(this.client, shown));
    }

    // ---------------------------------------------------------------- rotation (actor)

    /** Replace the connection before it reaches max-connection-age, jittered down by 5-10%. */
    private void scheduleRotation(Connection current) {
        if (this.rotations.isEnabled()) {
            rotateAfter(current, this.rotations.firstReplacement());
        }
    }

    private void rotateAfter(Connection current, Duration delay) {
        current.rotationTimer = this.time.schedule(delay, () -> this.actor.execute(() -> rotate(current)));
    }

    /** Make before break: open the new connection while the old one carries on. */
    private void rotate(Connection old) {
        if (this.connection != old || this.state != ConnectionState.CONNECTED) {
            return;
        }
        logger.info(prefix() + "replacing the connection (max-connection-age " + this.settings.maxConnectionAge()
                + "): opening a new one");
        AttemptHandler handler = this.opener.newAttemptHandler(this.generation);
        long started = this.time.nanoTime();
        this.opener.handshake(handler, (session, failure) -> rotationAttemptEnded(old, handler, session, failure, started));
    }

    private void rotationAttemptEnded(Connection old, AttemptHandler handler, @Nullable WebSocketSession session,
            @Nullable Throwable failure, long started) {
        if (handler.generation != this.generation || this.connection != old
                || this.state != ConnectionState.CONNECTED) {
            discardStale(session);
            return;
        }
        lifecycle((o) -> o.onConnectAttempt(this.client, failure == null && session != null));
        if (failure != null || session == null) {
            Throwable cause = FailureClassifier.unwrap((failure != null) ? failure : new IllegalStateException("no session"));
            logger.warn(prefix() + "could not open the replacement connection, keeping the current one: "
                    + this.masker.describe(cause));
            retryRotation(old);
            return;
        }
        Connection next = this.opener.open(handler, session, true);
        next.overlap = RotationSchedule.overlap(Duration.ofNanos(this.time.nanoTime() - started));
        handler.connection = next;
        next.heartbeat.start();
        // the hooks run for the new connection while the old one still carries everything
        this.callbacks.execute(() -> runConnectHooks(next, true));
    }

    /** The new connection's hooks have run: switch to it, unless either ended meanwhile. */
    private void rotationReady(Connection next, List<OutboundQueue.Entry> sentByHooks) {
        Connection old = this.connection;
        if (old == null || this.state != ConnectionState.CONNECTED || next.handler.closeStatus != null
                || !next.session.isOpen()) {
            next.heartbeat.stop();
            next.writer.close();
            this.opener.closeLater(next.session, CloseStatus.GOING_AWAY);
            keepForNextConnection(sentByHooks);
            if (old != null && this.state == ConnectionState.CONNECTED) {
                retryRotation(old);
            }
            return;
        }
        this.connection = next;
        cancel(old.rotationTimer);
        old.heartbeat.stop();
        old.writer.close();
        // what the hooks sent goes first; the old writer finishes its write before the new starts
        this.outbound.prependAll(sentByHooks);
        old.writer.stopped().whenComplete((ok, error) -> this.actor.execute(() -> {
            if (this.connection == next) {
                next.writer.open();
            }
        }));
        // the old connection keeps delivering for a while: what the server sent there alone,
        // just before it knew the new one, is still on its way
        this.time.schedule(next.overlap, () -> this.opener.closeLater(old.session, CloseStatus.NORMAL));
        scheduleRotation(next);
        logger.info(prefix() + "switched to the new connection; closing the old one with 1000");
    }

    /** The replacement failed: try again while the old connection lasts. */
    private void retryRotation(Connection old) {
        rotateAfter(old, this.rotations.retry());
    }

    // ---------------------------------------------------------------- shutdown (actor)

    private void beginStop(CompletableFuture<Void> result, ConnectionState target) {
        cancelScheduledAttempt();
        this.generation++;
        Connection current = this.connection;
        if (this.state != ConnectionState.NEW || target == ConnectionState.STANDBY) {
            transition(target);
        }
        CompletableFuture<Void> first = takeFirstAttempt();
        if (first != null) {
            afterCallbacks(() -> first.completeExceptionally(
                    new ClientClosedException(this.name, "stopped before connecting")));
        }
        if (target == ConnectionState.STANDBY) {
            // another instance holds the connection now: nothing is kept for it here
            this.outbound.failAll(refusal(target));
        }
        CompletableFuture<Void> flushed = (current != null) ? lastPendingWrite(current) : null;
        if (flushed == null) {
            finishStop(current, result);
            return;
        }
        // wait (bounded) for the backlog, whatever its outcome
        CompletableFuture<Void> done = new CompletableFuture<>();
        flushed.whenComplete((ok, error) -> done.complete(null));
        EngineTime.Timer timer = this.time.schedule(this.settings.shutdownTimeout(), () -> done.complete(null));
        done.whenComplete((ok, error) -> {
            timer.cancel();
            this.actor.execute(() -> finishStop(current, result));
        });
    }

    private @Nullable CompletableFuture<Void> lastPendingWrite(Connection current) {
        CompletableFuture<Void> last = this.outbound.lastFuture();
        return (last != null) ? last : current.writer.inFlightFuture();
    }

    private void finishStop(@Nullable Connection current, CompletableFuture<Void> result) {
        if (current != null && this.connection == current) {
            // closed here, not later: the close frame is out when stop() returns
            this.transport.close(current.session, CloseStatus.GOING_AWAY);
            disconnect(current, CloseStatus.GOING_AWAY, null);
            logger.info(prefix() + "closed (1001 going away)"
                    + ((this.state == ConnectionState.STANDBY) ? "; on standby" : ""));
        }
        this.outbound.failAll(() -> new ClientClosedException(this.name, "message not written before shutdown"));
        ResumeTracker resume = this.resume;
        afterCallbacks(() -> {
            // written before another instance may take the connection over
            if (resume != null) {
                resume.flush();
            }
            result.complete(null);
        });
    }

    // ---------------------------------------------------------------- helpers (actor)

    /** Whether the client holds no connection and makes no attempts. */
    private boolean ended() {
        ConnectionState current = this.state;
        return current == ConnectionState.CLOSED || current == ConnectionState.FAILED
                || current == ConnectionState.STANDBY;
    }

    private @Nullable CompletableFuture<Void> takeFirstAttempt() {
        CompletableFuture<Void> first = this.firstAttempt;
        this.firstAttempt = null;
        return first;
    }

    /**
     * Messages the connect hooks sent for a connection that is gone: they wait, ahead of
     * the backlog, for the next connection, or fail when there will be none.
     */
    private void keepForNextConnection(List<OutboundQueue.Entry> sentByHooks) {
        if (ended()) {
            ClientClosedException closed = new ClientClosedException(this.name,
                    "connection ended before the message was written");
            sentByHooks.forEach((entry) -> entry.future().completeExceptionally(closed));
        }
        else {
            this.outbound.prependAll(sentByHooks);
        }
    }

    /** An attempt that ended after it stopped mattering (stopped, superseded): close what it opened. */
    private void discardStale(@Nullable WebSocketSession session) {
        if (session != null) {
            this.opener.closeLater(session, CloseStatus.GOING_AWAY);
        }
    }

    private static void cancel(EngineTime.@Nullable Timer timer) {
        if (timer != null) {
            timer.cancel();
        }
    }

    private void cancelScheduledAttempt() {
        EngineTime.Timer scheduled = this.scheduledAttempt;
        this.scheduledAttempt = null;
        if (scheduled != null) {
            scheduled.cancel();
        }
    }

    private void transition(ConnectionState to) {
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
    private void afterCallbacks(Runnable completion) {
        this.callbacks.execute(completion);
    }

    /** Lifecycle callbacks are application code: in order, in the callback lane. */
    private void lifecycle(Consumer<ConnectionObserver> callback) {
        this.callbacks.execute(() -> this.observers.notify(callback));
    }

    private String prefix() {
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
