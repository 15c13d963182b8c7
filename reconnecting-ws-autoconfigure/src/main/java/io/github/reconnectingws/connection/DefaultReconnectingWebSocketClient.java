package io.github.reconnectingws.connection;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import io.github.reconnectingws.ClientClosedException;
import io.github.reconnectingws.ClientNotStartedException;
import io.github.reconnectingws.ConnectionFailedException;
import io.github.reconnectingws.ConnectionObserver;
import io.github.reconnectingws.ConnectionState;
import io.github.reconnectingws.HandshakeRedirectedException;
import io.github.reconnectingws.HandshakeRejectedException;
import io.github.reconnectingws.HandshakeRequest;
import io.github.reconnectingws.HandshakeRequestCustomizer;
import io.github.reconnectingws.InboundMessageHandler;
import io.github.reconnectingws.OutboundBufferFullException;
import io.github.reconnectingws.ReconnectingWebSocketClient;
import io.github.reconnectingws.TooManyReconnectsException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.scheduling.TaskScheduler;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PingMessage;
import org.springframework.web.socket.PongMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.client.WebSocketClient;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;

/**
 * The engine behind {@link ReconnectingWebSocketClient}.
 * <p>
 * Threading rules, all in one place:
 * <ul>
 * <li><b>The actor.</b> Every state change runs on the client's own {@link SerialExecutor}
 * over the shared engine workers. Fields marked "confined to the actor" are touched only
 * there; transport callbacks carry the attempt they belong to and are ignored once
 * stale. The actor never runs application code, so no application code can delay any
 * connection's drop detection, heartbeat, reconnect or writes.</li>
 * <li><b>The callback lane.</b> Application code that belongs to the connection's life
 * (handshake customizers, connect hooks, the other lifecycle callbacks of
 * {@link ConnectionObserver}, and so the application events) runs on a second
 * {@code SerialExecutor} of this client, over the shared callback pool: in order, one at
 * a time, and off the engine's threads. A hook that blocks delays only this connection's
 * later callbacks, its next handshake and the flush of its backlog (which waits for the
 * hooks, so that a re-subscribe goes first).</li>
 * <li><b>Messages.</b> Inbound messages reach the message handlers on the transport's read
 * thread of this connection, in arrival order; a handler that blocks holds back only this
 * connection's reads. Writes run on the shared writer pool (or inline, with
 * write-inline).</li>
 * </ul>
 */
final class DefaultReconnectingWebSocketClient implements ReconnectingWebSocketClient {

    private static final Log logger = LogFactory.getLog(ReconnectingWebSocketClient.class);

    /** Tomcat's handshake timeout user property; must be a String. */
    static final String IO_TIMEOUT_PROPERTY = "org.apache.tomcat.websocket.IO_TIMEOUT_MS";

    /** Tomcat's timeout for blocking sends, read from the session; must be a Long. */
    static final String BLOCKING_SEND_TIMEOUT_PROPERTY = "org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT";

    /**
     * Tomcat's redirect limit; must be a String. Tomcat follows redirects to any host and
     * sends the handshake headers again, so it is set to 0: the engine decides (see
     * {@link #redirected}).
     */
    static final String MAX_REDIRECTIONS_PROPERTY = "org.apache.tomcat.websocket.MAX_REDIRECTIONS";

    /** Most same-origin redirects followed within one attempt. */
    static final int MAX_REDIRECTS = 5;

    private final ConnectionSettings settings;

    private final WebSocketClientResources resources;

    private final boolean ownsResources;

    private final WebSocketClient transport;

    private final boolean transportHonoursConnectTimeout;

    private final @Nullable PayloadEncoder payloadEncoder;

    private final List<HandshakeRequestCustomizer> handshakeCustomizers;

    private final SecretMasker masker = new SecretMasker();

    private final String maskedUrl;

    private final SerialExecutor actor;

    private final SerialExecutor callbacks;

    private final OutboundQueue outbound;

    private final BackoffSchedule backoff;

    private final ReconnectRateLimiter rateLimiter;

    private final Observers observers = new Observers();

    private final List<InboundMessageHandler> handlers = new java.util.concurrent.CopyOnWriteArrayList<>();

    private final AtomicLong reconnectCount = new AtomicLong();

    private volatile ConnectionState state = ConnectionState.NEW;

    private volatile Instant stateSince = Instant.now();

    private volatile @Nullable String lastError;

    private volatile @Nullable Connection connection;

    /** The callback thread while connect hooks run: its sends go before the backlog. */
    private volatile @Nullable Thread hookThread;

    /** What the running connect hooks sent; touched only by {@link #hookThread}. */
    private volatile List<OutboundQueue.Entry> hookMessages = new ArrayList<>();

    private volatile boolean closed;

    // Confined to the actor

    private int generation;

    private boolean everConnected;

    private int attemptInOutage;

    private @Nullable ScheduledFuture<?> scheduledAttempt;

    private @Nullable CompletableFuture<Void> firstAttempt;

    DefaultReconnectingWebSocketClient(ConnectionSettings settings, WebSocketClientResources resources,
            boolean ownsResources, @Nullable WebSocketClient transport, @Nullable PayloadEncoder payloadEncoder,
            List<HandshakeRequestCustomizer> handshakeCustomizers) {
        this.settings = settings;
        this.resources = resources;
        this.ownsResources = ownsResources;
        this.transport = (transport != null) ? withoutTransportRedirects(transport)
                : defaultTransport(settings, resources);
        this.transportHonoursConnectTimeout = (transport == null);
        this.payloadEncoder = payloadEncoder;
        this.handshakeCustomizers = List.copyOf(handshakeCustomizers);
        this.masker.rememberUri(settings.uri());
        settings.headers().values().forEach(this.masker::remember);
        this.maskedUrl = SecretMasker.maskUri(settings.uri());
        this.actor = new SerialExecutor(resources.workers());
        this.callbacks = new SerialExecutor(resources.callbacks());
        this.outbound = new OutboundQueue(settings.bufferSize(), settings.overflow(),
                () -> new OutboundBufferFullException(settings.name(), settings.bufferSize(), false),
                () -> new OutboundBufferFullException(settings.name(), settings.bufferSize(), true),
                () -> new ClientNotStartedException(settings.name()),
                (entry, error) -> this.observers.notify((o) -> o.onMessageDropped(this, entry.message(), error)));
        this.backoff = new BackoffSchedule(settings.initialInterval(), settings.multiplier(),
                settings.randomizationFactor(), settings.maxInterval(), settings.maxElapsedTime());
        this.rateLimiter = new ReconnectRateLimiter(settings.maxReconnects(), settings.maxReconnectsWindow());
    }

    private static WebSocketClient defaultTransport(ConnectionSettings settings, WebSocketClientResources resources) {
        StandardWebSocketClient client = new StandardWebSocketClient(
                resources.container(settings.maxTextMessageSize(), settings.maxBinaryMessageSize()));
        client.setTaskExecutor(resources.connectExecutor());
        Map<String, Object> properties = new HashMap<>();
        properties.put(IO_TIMEOUT_PROPERTY, String.valueOf(settings.connectTimeout().toMillis()));
        properties.put(BLOCKING_SEND_TIMEOUT_PROPERTY, settings.sendTimeLimit().toMillis());
        properties.put(MAX_REDIRECTIONS_PROPERTY, "0");
        client.setUserProperties(properties);
        if (settings.sslContext() != null) {
            client.setSslContext(settings.sslContext());
        }
        return client;
    }

    /**
     * A Tomcat client supplied by the application would follow redirects to any host with
     * the configured headers: unless the application chose a limit itself, the engine
     * decides about redirects for it too.
     */
    private static WebSocketClient withoutTransportRedirects(WebSocketClient transport) {
        if (transport instanceof StandardWebSocketClient standard) {
            standard.getUserProperties().putIfAbsent(MAX_REDIRECTIONS_PROPERTY, "0");
        }
        return transport;
    }

    // ---------------------------------------------------------------- public face

    @Override
    public String getName() {
        return this.settings.name();
    }

    @Override
    public String getUrl() {
        return this.maskedUrl;
    }

    @Override
    public ConnectionState getState() {
        return this.state;
    }

    @Override
    public Instant getStateSince() {
        return this.stateSince;
    }

    @Override
    public boolean canConnect() {
        return this.rateLimiter.delayUntilAllowed(System.nanoTime()) == 0;
    }

    @Override
    public long getReconnectCount() {
        return this.reconnectCount.get();
    }

    @Override
    public int getPendingCount() {
        return this.outbound.size();
    }

    @Override
    public @Nullable String getLastError() {
        return this.lastError;
    }

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
                    + payload.getClass().getName() + ": no payload encoder is configured (add Jackson for JSON)"));
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
        OutboundQueue.Entry entry = new OutboundQueue.Entry(message, new CompletableFuture<>());
        if (Thread.currentThread() == this.hookThread) {
            this.hookMessages.add(entry);
            return entry.future();
        }
        this.outbound.offer(entry);
        Connection current = this.connection;
        if (current != null) {
            current.writer.kick();
        }
        return entry.future();
    }

    @Override
    public CompletableFuture<Void> start() {
        if (this.closed) {
            throw new ClientClosedException(getName(), "cannot start a closed client");
        }
        CompletableFuture<Void> result = new CompletableFuture<>();
        this.outbound.accept();
        this.actor.execute(() -> {
            ConnectionState current = this.state;
            if (current == ConnectionState.NEW || current == ConnectionState.CLOSED
                    || current == ConnectionState.FAILED) {
                this.firstAttempt = result;
                this.backoff.reset();
                this.attemptInOutage = 0;
                attempt();
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

    @Override
    public void reconnect() {
        ConnectionState current = this.state;
        if (current == ConnectionState.NEW || current == ConnectionState.CLOSED) {
            throw new ClientNotStartedException(getName());
        }
        long wait = this.rateLimiter.delayUntilAllowed(System.nanoTime());
        if (wait > 0) {
            throw tooManyReconnects(wait);
        }
        this.actor.execute(() -> {
            if (this.state == ConnectionState.CLOSED || this.state == ConnectionState.NEW) {
                return;
            }
            logger.info(prefix() + "reconnecting now, as requested");
            cancelScheduledAttempt();
            Connection current2 = this.connection;
            if (current2 != null) {
                disconnect(current2, CloseStatus.GOING_AWAY, null);
            }
            this.outbound.accept();
            this.backoff.reset();
            this.attemptInOutage = 0;
            attempt();
        });
    }

    @Override
    public void stop() {
        awaitBounded(stopAsync());
    }

    @Override
    public CompletableFuture<Void> stopAsync() {
        CompletableFuture<Void> result = new CompletableFuture<>();
        this.outbound.refuse(() -> new ClientClosedException(getName(), "message sent after stop()"));
        this.actor.execute(() -> beginStop(result));
        return result;
    }

    @Override
    public void close() {
        this.closed = true;
        try {
            stop();
        }
        finally {
            if (this.ownsResources) {
                this.resources.close();
            }
        }
    }

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

    @Override
    public String toString() {
        return "ReconnectingWebSocketClient[" + getName() + ", " + this.maskedUrl + ", " + this.state + "]";
    }

    // ---------------------------------------------------------------- attempts (actor)

    private void attempt() {
        this.scheduledAttempt = null;
        long now = System.nanoTime();
        if (this.everConnected || this.attemptInOutage > 0) {
            this.rateLimiter.record(now);
        }
        int attemptGeneration = ++this.generation;
        transition(ConnectionState.CONNECTING);
        AttemptHandler handler = new AttemptHandler(attemptGeneration);
        // handshake customizers are application code: they run in the callback lane
        this.callbacks.execute(() -> {
            CompletableFuture<WebSocketSession> handshake;
            try {
                HandshakeRequest request = handshakeRequest();
                handshake = handshake(handler, request, request.getUri(), 0);
            }
            catch (Throwable ex) {
                handshake = CompletableFuture.failedFuture(ex);
            }
            handshake.whenComplete(
                    (session, failure) -> this.actor.execute(() -> attemptEnded(handler, session, failure)));
        });
    }

    private CompletableFuture<WebSocketSession> handshake(AttemptHandler handler, HandshakeRequest request, URI uri,
            int redirects) {
        CompletableFuture<WebSocketSession> handshake;
        try {
            handshake = this.transport.execute(handler, request.getHeaders(), uri);
        }
        catch (Throwable ex) {
            return CompletableFuture.failedFuture(ex);
        }
        if (!this.transportHonoursConnectTimeout) {
            handshake = withTimeout(handshake, this.settings.connectTimeout());
        }
        return handshake.exceptionallyCompose((failure) -> {
            URI target = FailureClassifier.redirectTarget(failure);
            return (target != null) ? redirected(handler, request, uri, target, redirects)
                    : withRetryAfter(failure, request, uri);
        });
    }

    /**
     * The server redirected the handshake. Follow it only when allowed, to the same
     * origin, a bounded number of times; otherwise fail fatally without contacting the
     * target. The transport's message carries the full target: it is not passed on.
     */
    private CompletableFuture<WebSocketSession> redirected(AttemptHandler handler, HandshakeRequest request, URI from,
            URI target, int redirects) {
        Origin origin = Origin.of(target);
        String refusal;
        if (!this.settings.followRedirects()) {
            refusal = "follow-redirects is off";
        }
        else if (!origin.equals(Origin.of(from))) {
            refusal = "another origin than " + Origin.of(from) + " (credentials are never sent to another origin)";
        }
        else if (redirects >= MAX_REDIRECTS) {
            refusal = "more than " + MAX_REDIRECTS + " redirects";
        }
        else {
            logger.info(prefix() + "following a redirect to " + SecretMasker.maskUri(target));
            return handshake(handler, request, target, redirects + 1);
        }
        return CompletableFuture.failedFuture(new HandshakeRedirectedException(
                "WebSocket handshake redirected (HTTP 3xx) to " + origin + ", not followed: " + refusal,
                origin.toString(), null));
    }

    private HandshakeRequest handshakeRequest() {
        WebSocketHttpHeaders headers = new WebSocketHttpHeaders();
        this.settings.headers().forEach((name, values) -> values.forEach((value) -> headers.add(name, value)));
        if (!this.settings.subprotocols().isEmpty()) {
            headers.setSecWebSocketProtocol(this.settings.subprotocols());
        }
        HandshakeRequest request = new HandshakeRequest(getName(), this.settings.uri(), headers);
        for (HandshakeRequestCustomizer customizer : this.handshakeCustomizers) {
            customizer.customize(request);
        }
        headers.forEach((name, values) -> this.masker.remember(values));
        this.masker.rememberUri(request.getUri());
        return request;
    }

    /** Tomcat hides the headers of a rejected handshake: read Retry-After on 429/503. */
    private CompletableFuture<WebSocketSession> withRetryAfter(Throwable failure, HandshakeRequest request, URI uri) {
        int status = FailureClassifier.handshakeStatus(failure);
        if (status == -1) {
            return CompletableFuture.failedFuture(failure);
        }
        if (!FailureClassifier.mayCarryRetryAfter(status)) {
            return CompletableFuture.failedFuture(new HandshakeRejectedException(status, null,
                    this.masker.sanitize(FailureClassifier.unwrap(failure))));
        }
        return CompletableFuture.supplyAsync(() -> {
            Duration retryAfter = RetryAfterProbe.probe(uri, request.getHeaders(),
                    this.settings.sslContext(), this.settings.connectTimeout());
            throw new HandshakeRejectedException(status, retryAfter,
                    this.masker.sanitize(FailureClassifier.unwrap(failure)));
        }, this.resources.connectExecutor());
    }

    private CompletableFuture<WebSocketSession> withTimeout(CompletableFuture<WebSocketSession> handshake,
            Duration timeout) {
        ScheduledFuture<?> timer = this.resources.scheduler()
            .schedule(() -> handshake.completeExceptionally(new TimeoutException(
                    "handshake did not complete within " + timeout.toMillis() + " ms")), Instant.now().plus(timeout));
        handshake.whenComplete((session, failure) -> timer.cancel(false));
        return handshake;
    }

    private void attemptEnded(AttemptHandler handler, @Nullable WebSocketSession session,
            @Nullable Throwable failure) {
        if (handler.generation != this.generation || this.state != ConnectionState.CONNECTING) {
            // stale: stopped or superseded meanwhile
            if (session != null) {
                closeQuietly(session, CloseStatus.GOING_AWAY);
            }
            return;
        }
        if (failure != null || session == null) {
            Throwable cause = FailureClassifier.unwrap((failure != null) ? failure : new IOException("no session"));
            lifecycle((o) -> o.onConnectAttempt(this, false));
            this.lastError = this.masker.describe(cause);
            CompletableFuture<Void> first = this.firstAttempt;
            this.firstAttempt = null;
            scheduleReconnect(cause, "connect failed");
            if (first != null) {
                first.completeExceptionally(this.masker.sanitize(cause));
            }
            return;
        }
        lifecycle((o) -> o.onConnectAttempt(this, true));
        connected(handler, session);
    }

    private void connected(AttemptHandler handler, WebSocketSession session) {
        boolean reconnect = this.everConnected;
        this.everConnected = true;
        this.attemptInOutage = 0;
        Connection current = new Connection(handler, session);
        handler.connection = current;
        this.connection = current;
        if (reconnect) {
            this.reconnectCount.incrementAndGet();
        }
        transition(ConnectionState.CONNECTED);
        CompletableFuture<Void> first = this.firstAttempt;
        this.firstAttempt = null;
        if (first != null) {
            first.complete(null);
        }
        // the heartbeat watches the connection while the hooks run; the writer waits for them
        current.heartbeat.start();
        this.callbacks.execute(() -> runConnectHooks(current, reconnect));
        if (handler.closeStatus != null) {
            // the server closed before we got here
            sessionClosed(handler, handler.closeStatus);
        }
    }

    /** Callback lane: the connect hooks, then back to the actor to flush. */
    private void runConnectHooks(Connection current, boolean reconnect) {
        List<OutboundQueue.Entry> sent = new ArrayList<>();
        this.hookMessages = sent;
        this.hookThread = Thread.currentThread();
        try {
            this.observers.notify((o) -> o.onConnected(this, reconnect));
        }
        finally {
            this.hookThread = null;
        }
        this.actor.execute(() -> connectHooksDone(current, sent));
    }

    private void connectHooksDone(Connection current, List<OutboundQueue.Entry> sentByHooks) {
        if (this.connection != current
                && (this.state == ConnectionState.CLOSED || this.state == ConnectionState.FAILED)) {
            ClientClosedException closed = new ClientClosedException(getName(), "connection ended before the message was written");
            sentByHooks.forEach((entry) -> entry.future().completeExceptionally(closed));
            return;
        }
        // dropped meanwhile: the messages wait, ahead of the backlog, for the next connection
        this.outbound.prependAll(sentByHooks);
        if (this.connection == current) {
            current.writer.open();
        }
    }

    private void sessionClosed(AttemptHandler handler, CloseStatus status) {
        Connection current = this.connection;
        if (current == null || current.handler != handler) {
            return;
        }
        disconnect(current, status, handler.transportError);
        if (this.state == ConnectionState.CONNECTED) {
            scheduleReconnect((handler.transportError != null) ? handler.transportError
                    : new ConnectionClosedException(status), "disconnected (" + describe(status) + ")");
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
            scheduleReconnect(cause, why);
        }
    }

    /** Tear down a connection; the session is closed off the actor (it may block). */
    private void disconnect(Connection current, @Nullable CloseStatus status, @Nullable Throwable cause) {
        this.connection = null;
        current.heartbeat.stop();
        current.writer.close();
        long upNanos = System.nanoTime() - current.connectedAt;
        if (upNanos >= this.settings.stableAfter().toNanos()) {
            this.backoff.reset();
        }
        if (current.session.isOpen()) {
            CloseStatus closeWith = (status != null) ? status : CloseStatus.GOING_AWAY;
            this.resources.workers().execute(() -> closeQuietly(current.session, closeWith));
        }
        Throwable shown = (cause != null) ? this.masker.sanitize(cause) : null;
        lifecycle((o) -> o.onDisconnected(this, status, shown));
    }

    private void scheduleReconnect(Throwable cause, String what) {
        if (this.state == ConnectionState.CLOSED || this.state == ConnectionState.FAILED) {
            return;
        }
        if (FailureClassifier.isFatal(cause)) {
            fail(cause, what + ": " + this.masker.describe(cause) + " (not retried)");
            return;
        }
        long now = System.nanoTime();
        OptionalLong backoffDelay = this.backoff.nextDelay(now);
        if (backoffDelay.isEmpty()) {
            fail(new ConnectionFailedException("Gave up reconnecting after " + this.settings.maxElapsedTime()
                    + " (backoff max-elapsed-time)", this.masker.sanitize(cause)), what + ": gave up after max-elapsed-time "
                    + this.settings.maxElapsedTime());
            return;
        }
        long delayMillis = backoffDelay.getAsLong();
        Duration retryAfter = (cause instanceof HandshakeRejectedException rejected) ? rejected.getRetryAfter() : null;
        if (retryAfter != null) {
            delayMillis = Math.max(delayMillis, retryAfter.toMillis());
        }
        long waitNanos = this.rateLimiter.delayUntilAllowed(now + TimeUnit.MILLISECONDS.toNanos(delayMillis));
        Throwable reason = cause;
        if (waitNanos > 0) {
            delayMillis += TimeUnit.NANOSECONDS.toMillis(waitNanos) + 1;
            reason = tooManyReconnects(waitNanos);
        }
        int attempt = ++this.attemptInOutage;
        Duration delay = Duration.ofMillis(delayMillis);
        transition(ConnectionState.RECONNECTING);
        logger.info(prefix() + what + "; reconnecting in " + delayMillis + " ms (attempt " + attempt + ")"
                + ((reason != cause) ? " - reconnect rate limit reached" : ""));
        Throwable announced = this.masker.sanitize(reason);
        lifecycle((o) -> o.onReconnecting(this, attempt, delay, announced));
        this.scheduledAttempt = this.resources.scheduler()
            .schedule(() -> this.actor.execute(this::scheduledAttemptDue), Instant.now().plus(delay));
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
                : new ConnectionFailedException("WebSocket connection '" + getName() + "' failed: " + this.lastError,
                        null);
        this.outbound.refuse(() -> failed);
        this.outbound.failAll(() -> failed);
        Throwable shown = this.masker.sanitize(cause);
        lifecycle((o) -> o.onFailed(this, shown));
    }

    private void beginStop(CompletableFuture<Void> result) {
        cancelScheduledAttempt();
        this.generation++;
        Connection current = this.connection;
        if (this.state != ConnectionState.NEW) {
            transition(ConnectionState.CLOSED);
        }
        CompletableFuture<Void> first = this.firstAttempt;
        this.firstAttempt = null;
        if (first != null) {
            first.completeExceptionally(new ClientClosedException(getName(), "stopped before connecting"));
        }
        CompletableFuture<Void> flushed = (current != null) ? lastPendingWrite(current) : null;
        if (flushed == null) {
            finishStop(current, result);
            return;
        }
        // wait (bounded) for the backlog, whatever its outcome
        CompletableFuture<Void> done = new CompletableFuture<>();
        flushed.whenComplete((ok, error) -> done.complete(null));
        ScheduledFuture<?> timer = this.resources.scheduler()
            .schedule(() -> done.complete(null), Instant.now().plus(this.settings.shutdownTimeout()));
        done.whenComplete((ok, error) -> {
            timer.cancel(false);
            this.actor.execute(() -> finishStop(current, result));
        });
    }

    private @Nullable CompletableFuture<Void> lastPendingWrite(Connection current) {
        CompletableFuture<Void> last = this.outbound.lastFuture();
        return (last != null) ? last : current.writer.inFlightFuture();
    }

    private void finishStop(@Nullable Connection current, CompletableFuture<Void> result) {
        if (current != null && this.connection == current) {
            this.connection = null;
            current.heartbeat.stop();
            current.writer.close();
            closeQuietly(current.session, CloseStatus.GOING_AWAY);
            lifecycle((o) -> o.onDisconnected(this, CloseStatus.GOING_AWAY, null));
            logger.info(prefix() + "closed (1001 going away)");
        }
        this.outbound.failAll(() -> new ClientClosedException(getName(), "message not written before shutdown"));
        result.complete(null);
    }

    private void cancelScheduledAttempt() {
        ScheduledFuture<?> scheduled = this.scheduledAttempt;
        this.scheduledAttempt = null;
        if (scheduled != null) {
            scheduled.cancel(false);
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
            logger.info(prefix() + "connected to " + this.maskedUrl);
        }
        else if (logger.isDebugEnabled()) {
            logger.debug(prefix() + from + " -> " + to);
        }
        lifecycle((o) -> o.onStateChanged(this, from, to));
    }

    /** Lifecycle callbacks are application code: in order, in the callback lane. */
    private void lifecycle(Consumer<ConnectionObserver> callback) {
        this.callbacks.execute(() -> this.observers.notify(callback));
    }

    // ---------------------------------------------------------------- helpers

    private TooManyReconnectsException tooManyReconnects(long waitNanos) {
        return new TooManyReconnectsException(getName(), this.settings.maxReconnects(),
                this.settings.maxReconnectsWindow(), Duration.ofNanos(waitNanos));
    }

    private String prefix() {
        return "WebSocket '" + getName() + "' ";
    }

    private static String describe(CloseStatus status) {
        return status.getCode() + ((status.getReason() != null && !status.getReason().isEmpty())
                ? " " + status.getReason() : "");
    }

    private void awaitBounded(CompletableFuture<Void> future) {
        try {
            future.get(this.settings.shutdownTimeout().toMillis() + 5000, TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        catch (ExecutionException | TimeoutException ex) {
            logger.warn(prefix() + "did not stop cleanly: " + this.masker.describe(ex));
        }
    }

    private static void complete(CompletableFuture<Void> target, @Nullable Throwable error) {
        if (error != null) {
            target.completeExceptionally(error);
        }
        else {
            target.complete(null);
        }
    }

    private static void closeQuietly(WebSocketSession session, CloseStatus status) {
        try {
            session.close(status);
        }
        catch (IOException | RuntimeException ex) {
            // the session is going away anyway
        }
    }

    /** Thrown internally to describe a drop by close frame. */
    static final class ConnectionClosedException extends IOException {

        ConnectionClosedException(CloseStatus status) {
            super("connection closed with " + describe(status));
        }

    }

    /** An open connection: its session, writer and heartbeat. */
    private final class Connection {

        final AttemptHandler handler;

        final WebSocketSession session;

        final SessionWriter writer;

        final HeartbeatMonitor heartbeat;

        final long connectedAt = System.nanoTime();

        Connection(AttemptHandler handler, WebSocketSession session) {
            this.handler = handler;
            this.session = session;
            this.writer = new SessionWriter(session, outbound, resources.writers(), settings.writeInline(),
                    this::written,
                    (error) -> actor.execute(() -> abort(this, error, "write failed")));
            TaskScheduler scheduler = resources.scheduler();
            this.heartbeat = new HeartbeatMonitor(scheduler, settings.heartbeatInterval(), settings.heartbeatTimeout(),
                    () -> handler.lastActivity, this::ping,
                    () -> actor.execute(() -> abort(this,
                            new TimeoutException("no frame within " + settings.heartbeatTimeout().toMillis()
                                    + " ms after a ping (half-open connection)"),
                            "heartbeat timeout")));
        }

        private void written(OutboundQueue.Entry entry) {
            entry.future().complete(null);
            observers.notify((o) -> o.onMessageSent(DefaultReconnectingWebSocketClient.this, entry.message()));
        }

        private void ping() {
            resources.workers().execute(() -> {
                try {
                    this.session.sendMessage(new PingMessage(ByteBuffer.allocate(0)));
                }
                catch (IOException | RuntimeException ex) {
                    // the timeout check decides whether the connection is dead
                }
            });
        }

    }

    /** The transport's handler for one attempt and, if it connects, its session. */
    private final class AttemptHandler implements WebSocketHandler {

        final int generation;

        volatile long lastActivity = System.nanoTime();

        volatile @Nullable Connection connection;

        volatile @Nullable CloseStatus closeStatus;

        volatile @Nullable Throwable transportError;

        AttemptHandler(int generation) {
            this.generation = generation;
        }

        @Override
        public void afterConnectionEstablished(WebSocketSession session) {
            this.lastActivity = System.nanoTime();
        }

        @Override
        public void handleMessage(WebSocketSession session, WebSocketMessage<?> message) {
            this.lastActivity = System.nanoTime();
            if (message instanceof PongMessage) {
                return;
            }
            DefaultReconnectingWebSocketClient client = DefaultReconnectingWebSocketClient.this;
            observers.notify((o) -> o.onMessageReceived(client, message));
            for (InboundMessageHandler handler : handlers) {
                try {
                    handler.handleMessage(client, session, message);
                }
                catch (Throwable ex) {
                    logger.warn(prefix() + "message handler failed: " + masker.describe(ex));
                    observers.notify((o) -> o.onListenerError(client, message, ex));
                }
            }
        }

        @Override
        public void handleTransportError(WebSocketSession session, Throwable exception) {
            this.transportError = exception;
        }

        @Override
        public void afterConnectionClosed(WebSocketSession session, CloseStatus closeStatus) {
            this.closeStatus = closeStatus;
            actor.execute(() -> sessionClosed(this, closeStatus));
        }

        @Override
        public boolean supportsPartialMessages() {
            return false;
        }

    }

}
