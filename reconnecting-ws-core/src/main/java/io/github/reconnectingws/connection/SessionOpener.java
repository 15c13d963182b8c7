package io.github.reconnectingws.connection;

import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;

import io.github.reconnectingws.ConnectionSettings;
import io.github.reconnectingws.HandshakeRequest;
import io.github.reconnectingws.HandshakeRequestCustomizer;
import io.github.reconnectingws.ReconnectingWebSocketClient;
import org.jspecify.annotations.Nullable;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PingMessage;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;

/**
 * Opens the sessions of one {@link ConnectionStateMachine} and wires what they need: the
 * handshake request of each attempt (URL and headers with the resume position put in,
 * then the application's customizers, in the callback lane), the transport's connect, and
 * for an opened session its writer and heartbeat. It keeps no state of the connection's
 * life: outcomes, closes and breakages go back to the machine's actor through
 * {@link Events}.
 */
final class SessionOpener {

    /** What the sessions tell the machine; every method is called on the actor. */
    interface Events {

        /** An attempt's session closed, at any time. */
        void closed(AttemptHandler handler, CloseStatus status);

        /** An open connection broke: a write failed or the heartbeat timed out. */
        void broken(Connection connection, Throwable cause, String why);

        /** Whether an attempt still matters (not superseded, not stopped); asked on the actor. */
        boolean current(AttemptHandler handler);

    }

    private final ReconnectingWebSocketClient client;

    private final ConnectionSettings settings;

    private final URI uri;

    private final WebSocketClientResources resources;

    private final Transport transport;

    private final List<HandshakeRequestCustomizer> customizers;

    private final SecretMasker masker;

    private final Observers observers;

    private final OutboundQueue outbound;

    private final OutboundPacer pacer;

    private final BiConsumer<WebSocketSession, WebSocketMessage<?>> inbound;

    private final @Nullable ResumeTracker resume;

    private final SerialExecutor actor;

    private final SerialExecutor callbacks;

    private final Events events;

    /** The writers of this connection's open sessions, by session: see {@link #writerOf}. */
    private final Map<WebSocketSession, SessionWriter> writers = new ConcurrentHashMap<>();

    SessionOpener(ReconnectingWebSocketClient client, ConnectionSettings settings, WebSocketClientResources resources,
            Transport transport, List<HandshakeRequestCustomizer> customizers, SecretMasker masker,
            Observers observers, OutboundQueue outbound, BiConsumer<WebSocketSession, WebSocketMessage<?>> inbound,
            @Nullable ResumeTracker resume, SerialExecutor actor, SerialExecutor callbacks, Events events) {
        this.client = client;
        this.settings = settings;
        this.uri = settings.uri();
        this.resources = resources;
        this.transport = transport;
        this.customizers = List.copyOf(customizers);
        this.masker = masker;
        this.observers = observers;
        this.outbound = outbound;
        this.pacer = new OutboundPacer(settings.outbound().rateLimit());
        this.inbound = inbound;
        this.resume = resume;
        this.actor = actor;
        this.callbacks = callbacks;
        this.events = events;
    }

    /** A new attempt's handler: what it reads goes to the listeners, its close to the actor. */
    AttemptHandler newAttemptHandler(int generation) {
        return new AttemptHandler(generation, this.resources.time(), this.inbound,
                (handler, status) -> this.actor.execute(() -> this.events.closed(handler, status)));
    }

    /**
     * Open a session for the handler, then hand the outcome to the actor. Handshake
     * customizers are application code: the request is built in the callback lane.
     */
    void handshake(AttemptHandler handler, BiConsumer<@Nullable WebSocketSession, @Nullable Throwable> onActor) {
        this.callbacks.execute(() -> {
            HandshakeRequest request;
            try {
                request = handshakeRequest();
            }
            catch (Throwable ex) {
                this.actor.execute(() -> onActor.accept(null, ex));
                return;
            }
            // the endpoint's budget may give this handshake a later slot (a storm of reconnects)
            EngineTime time = this.resources.time();
            Origin origin = Origin.of(request.getUri());
            long wait = this.resources.handshakeAdmission().admit(origin, time.nanoTime());
            if (wait > 0) {
                time.schedule(Duration.ofNanos(wait), () -> this.actor.execute(() -> {
                    if (this.events.current(handler)) {
                        this.callbacks.execute(() -> connect(handler, request, origin, onActor));
                    }
                    else {
                        // stopped or superseded while it waited for its slot: no upgrade request
                        this.resources.handshakeAdmission().refund(origin, time.nanoTime());
                        onActor.accept(null, new CancellationException("attempt superseded before its handshake"));
                    }
                }));
            }
            else {
                connect(handler, request, origin, onActor);
            }
        });
    }

    private void connect(AttemptHandler handler, HandshakeRequest request, Origin origin,
            BiConsumer<@Nullable WebSocketSession, @Nullable Throwable> onActor) {
        CompletableFuture<WebSocketSession> handshake;
        try {
            handshake = this.transport.connect(handler, request);
        }
        catch (Throwable ex) {
            handshake = CompletableFuture.failedFuture(ex);
        }
        handshake.whenComplete((session, failure) -> {
            if (failure != null && FailureClassifier.isListenerAbsent(failure)) {
                this.resources.handshakeRefused(origin);
            }
            this.actor.execute(() -> onActor.accept(session, failure));
        });
    }

    /** Callback lane: the URL and headers of an attempt, with the resume position put in. */
    private HandshakeRequest handshakeRequest() {
        WebSocketHttpHeaders headers = new WebSocketHttpHeaders();
        ResumeTracker resume = this.resume;
        this.settings.headers()
            .forEach((header, value) -> headers.add(header, (resume != null)
                    ? value.replace(ConnectionSettings.POSITION_PLACEHOLDER, resume.forHeader()) : value));
        if (!this.settings.subprotocols().isEmpty()) {
            headers.setSecWebSocketProtocol(this.settings.subprotocols());
        }
        URI uri = (resume != null) ? this.settings.uri(resume.forUrl()) : this.uri;
        HandshakeRequest request = new HandshakeRequest(this.client.getName(), uri, headers);
        for (HandshakeRequestCustomizer customizer : this.customizers) {
            customizer.customize(request);
        }
        headers.forEach((header, values) -> this.masker.remember(values));
        this.masker.rememberUri(request.getUri());
        return request;
    }

    /** An opened session as a connection, its writer and heartbeat reporting to the actor. */
    Connection open(AttemptHandler handler, WebSocketSession session, boolean rotation) {
        EngineTime time = this.resources.time();
        // the writer and heartbeat report to the connection they belong to, made last
        Connection[] created = new Connection[1];
        SessionWriter writer = new SessionWriter(this.client.getName(), session, this.outbound, this.resources.writers(),
                this.settings.outbound().writeInline(), this.pacer, time, this::written,
                (error) -> this.actor.execute(() -> this.events.broken(created[0], error, "write failed")));
        Duration timeout = this.settings.heartbeat().timeout();
        HeartbeatMonitor heartbeat = new HeartbeatMonitor(time, this.settings.heartbeat().interval(), timeout,
                () -> handler.lastActivity, () -> ping(session),
                () -> this.actor.execute(() -> this.events.broken(created[0],
                        new TimeoutException("no frame within " + timeout.toMillis()
                                + " ms after a ping (half-open connection)"),
                        "heartbeat timeout")));
        created[0] = new Connection(handler, session, writer, heartbeat, time.nanoTime(), rotation);
        this.writers.put(session, writer);
        writer.stopped().whenComplete((ok, error) -> this.writers.remove(session, writer));
        return created[0];
    }

    /**
     * Any thread: the writer of an open session of this connection (during a replacement,
     * either of the two), or {@code null} once its writer has stopped.
     */
    @Nullable SessionWriter writerOf(WebSocketSession session) {
        return this.writers.get(session);
    }

    /** Close a session off the actor: closing may block. */
    void closeLater(WebSocketSession session, CloseStatus status) {
        this.resources.workers().execute(() -> this.transport.close(session, status));
    }

    /** An attempt that ended after it stopped mattering (stopped, superseded): close what it opened. */
    void discardStale(@Nullable WebSocketSession session) {
        if (session != null) {
            closeLater(session, CloseStatus.GOING_AWAY);
        }
    }

    private void written(OutboundQueue.Entry entry) {
        entry.future().complete(null);
        this.observers.messageSent(this.client, entry.message());
    }

    private void ping(WebSocketSession session) {
        this.resources.workers().execute(() -> {
            try {
                session.sendMessage(new PingMessage(ByteBuffer.allocate(0)));
            }
            catch (Exception ex) {
                // the timeout check decides whether the connection is dead
            }
        });
    }

}
