package io.github.reconnectingws.stomp;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.github.reconnectingws.ConnectionObserver;
import io.github.reconnectingws.ConnectionSettings;
import io.github.reconnectingws.ConnectionState;
import io.github.reconnectingws.ProtocolHandshakeException;
import io.github.reconnectingws.ReconnectingWebSocketClient;
import io.github.reconnectingws.connection.ReconnectingWebSocketClientBuilder;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompFrameHandler;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.messaging.support.MessageHeaderAccessor;
import org.springframework.messaging.support.NativeMessageHeaderAccessor;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;

/**
 * STOMP 1.2 over a {@link ReconnectingWebSocketClient}: it gets every behaviour of the
 * connection (reconnects, queueing, heartbeat, metrics, health), and adds what Spring's
 * {@code WebSocketStompClient} leaves to the application:
 * <ul>
 * <li>CONNECT (login, passcode, host, heart-beat, and this attempt's handshake headers,
 * refreshed tokens included) on every connection, before the connect hooks and the
 * backlog; an ERROR in answer to CONNECT (the broker refuses the login, passcode or host)
 * fails the client (no retry), an ERROR later on reconnects;</li>
 * <li>subscriptions that survive: every subscription is sent again after each reconnect,
 * after CONNECTED and before the backlog;</li>
 * <li>SEND that queues while disconnected; with receipts, its future completes on
 * RECEIPT and a SEND without one is sent again after a reconnect (at least once).</li>
 * </ul>
 * Heart-beats: the client asks the broker for heart-beats every {@code heartbeat.interval}
 * (they count as signs of life for the half-open detection) and sends none of its own:
 * its WebSocket pings keep the connection alive.
 */
public final class ReconnectingStompClient {

    private static final Log logger = LogFactory.getLog(ReconnectingStompClient.class);

    private final ConnectionSettings.Stomp settings;

    private final Duration heartbeat;

    private final MessageConverter converter;

    private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();

    private final Map<String, PendingReceipt> receipts = new ConcurrentHashMap<>();

    private final AtomicLong ids = new AtomicLong();

    private volatile @Nullable ReconnectingWebSocketClient client;

    /**
     * The STOMP state of each open WebSocket session (two are open during a rotation):
     * written by the initializer of a new session, read by that session's reading thread.
     */
    private final Map<WebSocketSession, StompSessionState> sessions = new ConcurrentHashMap<>();

    /** The session that answered CONNECT last; {@code null} while a CONNECT is pending. */
    private volatile @Nullable StompSessionState current;

    private ReconnectingStompClient(ConnectionSettings.Stomp settings, Duration heartbeat, MessageConverter converter) {
        this.settings = settings;
        this.heartbeat = heartbeat;
        this.converter = converter;
    }

    /**
     * Build a client that speaks STOMP: the builder's connection, with CONNECT on every
     * session, the broker's frames decoded, and subscriptions restored after every
     * reconnect. The builder is used up; {@link #getClient()} is the connection it built.
     * @param builder the builder of the connection
     * @param settings the STOMP settings
     * @param heartbeat how often the broker is asked to send heart-beats (0: never)
     * @param converter converts payloads to and from STOMP bodies by content type
     * @return the STOMP client
     */
    public static ReconnectingStompClient build(ReconnectingWebSocketClientBuilder builder,
            ConnectionSettings.Stomp settings, Duration heartbeat, MessageConverter converter) {
        ReconnectingStompClient stomp = new ReconnectingStompClient(settings, heartbeat, converter);
        stomp.client = builder.connectionInitializer((client, session) -> stomp.connect(session))
            .messageHandler((client, session, message) -> stomp.receive(session, message))
            .observer(stomp.new Resubscriber())
            .build();
        return stomp;
    }

    /**
     * The connection underneath.
     * @return the client
     */
    public ReconnectingWebSocketClient getClient() {
        ReconnectingWebSocketClient current = this.client;
        if (current == null) {
            throw new IllegalStateException("not attached to a client");
        }
        return current;
    }

    // ---------------------------------------------------------------- subscribing

    /**
     * Subscribe to a destination, now if connected, and again after every reconnect.
     * @param destination the destination
     * @param handler gets the payload converted to its type by the frame's content type
     * @return the subscription, to unsubscribe
     */
    public Subscription subscribe(String destination, StompFrameHandler handler) {
        StompHeaders headers = new StompHeaders();
        headers.setDestination(destination);
        return subscribe(headers, handler);
    }

    /**
     * Subscribe with headers ({@code destination}, and {@code ack}: {@code client} or
     * {@code client-individual} make each message ACKed when the handler returns and
     * NACKed when it throws).
     * @param headers the SUBSCRIBE headers
     * @param handler the handler
     * @return the subscription, to unsubscribe
     */
    public Subscription subscribe(StompHeaders headers, StompFrameHandler handler) {
        String id = "sub-" + this.ids.incrementAndGet();
        StompHeaders copy = new StompHeaders();
        copy.putAll(headers);
        copy.setId(id);
        Subscription subscription = new Subscription(id, copy, handler);
        this.subscriptions.put(id, subscription);
        StompSessionState session = this.current;
        if (isReady() && session != null && subscription.claim(session)) {
            getClient().send(subscription.subscribeFrame(), session.session);
        }
        return subscription;
    }

    private boolean isReady() {
        ReconnectingWebSocketClient current = this.client;
        StompSessionState session = this.current;
        return current != null && current.getState() == ConnectionState.CONNECTED && session != null;
    }

    // ---------------------------------------------------------------- sending

    /**
     * SEND a payload to a destination: text as {@code text/plain}, bytes as
     * {@code application/octet-stream}, anything else as JSON. Queued while disconnected.
     * @param destination the destination
     * @param payload the payload
     * @return completed when written, or with receipts when the broker has it
     */
    public CompletableFuture<Void> send(String destination, Object payload) {
        StompHeaders headers = new StompHeaders();
        headers.setDestination(destination);
        return send(headers, payload);
    }

    /**
     * SEND a payload with headers ({@code destination}, {@code content-type}, any other).
     * @param headers the SEND headers
     * @param payload the payload
     * @return completed when written, or with receipts when the broker has it
     */
    public CompletableFuture<Void> send(StompHeaders headers, Object payload) {
        String receipt = this.settings.receipts() ? "receipt-" + this.ids.incrementAndGet() : "";
        WebSocketMessage<?> frame;
        try {
            frame = StompFrames.send(headers, payload, this.converter, receipt);
        }
        catch (IllegalArgumentException ex) {
            return CompletableFuture.failedFuture(ex);
        }
        if (receipt.isEmpty()) {
            return getClient().send(frame);
        }
        PendingReceipt pending = new PendingReceipt(frame, new CompletableFuture<>(), new AtomicBoolean());
        this.receipts.put(receipt, pending);
        getClient().send(frame).whenComplete((ok, error) -> {
            if (error == null) {
                pending.written().set(true);
            }
            else if (this.receipts.remove(receipt) != null) {
                pending.future().completeExceptionally(error);
            }
        });
        return pending.future();
    }

    // ---------------------------------------------------------------- the protocol

    /** Initializer: CONNECT on the new session, written directly (before any backlog). */
    private CompletableFuture<Void> connect(WebSocketSession session) {
        this.sessions.keySet().removeIf((open) -> !open.isOpen());
        StompSessionState state = new StompSessionState(session);
        this.sessions.put(session, state);
        // until the broker answers, a new subscription waits for the re-subscribe after CONNECTED
        this.current = null;
        CompletableFuture<Void> ready = state.connected;
        try {
            session.sendMessage(StompFrames.connect(this.settings, this.heartbeat, session.getHandshakeHeaders()));
        }
        catch (Exception ex) {
            ready.completeExceptionally(ex);
        }
        return ready;
    }

    /** Message handler: the frames of one WebSocket message of one session. */
    private void receive(WebSocketSession session, WebSocketMessage<?> message) {
        StompSessionState state = this.sessions.get(session);
        if (state == null) {
            // a session this client did not CONNECT on (or one already closed)
            return;
        }
        List<Message<byte[]>> frames = state.decoder.decode(StompFrames.bytes(message));
        for (Message<byte[]> frame : frames) {
            // the decoder leaves its accessor mutable: reuse it rather than copy every header
            StompHeaderAccessor accessor = MessageHeaderAccessor.getAccessor(frame, StompHeaderAccessor.class);
            if (accessor == null) {
                accessor = StompHeaderAccessor.wrap(frame);
            }
            StompCommand command = accessor.getCommand();
            if (command == null) {
                continue;
            }
            switch (command) {
                case CONNECTED -> {
                    // current before the connect hooks can run: they re-subscribe on it
                    this.current = state;
                    state.connected.complete(null);
                }
                case MESSAGE -> deliver(state, accessor, frame);
                case RECEIPT -> receipted(accessor.getReceiptId());
                case ERROR -> error(state, accessor, frame.getPayload());
                default -> {
                    // nothing else comes from a broker
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    private void deliver(StompSessionState state, StompHeaderAccessor accessor, Message<byte[]> frame) {
        byte[] body = frame.getPayload();
        String id = accessor.getSubscriptionId();
        Subscription subscription = (id != null) ? this.subscriptions.get(id) : null;
        if (subscription == null) {
            return;
        }
        StompHeaders headers = StompHeaders.readOnlyStompHeaders(
                (Map<String, List<String>>) frame.getHeaders().get(NativeMessageHeaderAccessor.NATIVE_HEADERS));
        String ackId = headers.getFirst("ack");
        boolean clientAck = subscription.clientAck() && ackId != null;
        try {
            Object payload = convert(headers, body, subscription.handler().getPayloadType(headers));
            if (clientAck && subscription.handler() instanceof AcknowledgingStompFrameHandler acknowledging) {
                // the handler decides when: an ACK or NACK of its own, once
                StompAcknowledgement acknowledgement = new StompAcknowledgement(getClient(), state.session, ackId,
                        () -> this.current == state && getClient().isConnected());
                acknowledging.handleFrame(headers, payload, acknowledgement);
                return;
            }
            subscription.handler().handleFrame(headers, payload);
        }
        catch (RuntimeException ex) {
            if (clientAck) {
                getClient().send(StompFrames.ack(StompCommand.NACK, ackId), state.session);
            }
            throw ex;
        }
        if (clientAck) {
            getClient().send(StompFrames.ack(StompCommand.ACK, ackId), state.session);
        }
    }

    private @Nullable Object convert(StompHeaders headers, byte[] body, java.lang.reflect.Type type) {
        if (type == byte[].class) {
            return body;
        }
        if (type == String.class) {
            return new String(body, StandardCharsets.UTF_8);
        }
        Map<String, Object> map = new java.util.HashMap<>();
        if (headers.getContentType() != null) {
            map.put(MessageHeaders.CONTENT_TYPE, headers.getContentType());
        }
        Message<byte[]> message = MessageBuilder.createMessage(body, new MessageHeaders(map));
        Object converted = this.converter.fromMessage(message, (type instanceof Class<?> cls) ? cls : Object.class);
        if (converted == null) {
            throw new org.springframework.messaging.converter.MessageConversionException(
                    "No converter for a " + headers.getContentType() + " body to " + type.getTypeName());
        }
        return converted;
    }

    private void receipted(@Nullable String receiptId) {
        PendingReceipt pending = (receiptId != null) ? this.receipts.remove(receiptId) : null;
        if (pending != null) {
            pending.future().complete(null);
        }
    }

    private void error(StompSessionState state, StompHeaderAccessor accessor, byte[] body) {
        String text = String.valueOf(accessor.getMessage()) + ((body.length > 0)
                ? ": " + new String(body, StandardCharsets.UTF_8).trim() : "");
        if (!state.connected.isDone()) {
            // the broker answered CONNECT with ERROR: it refuses this login, passcode or host,
            // and would refuse them again on every reconnect
            state.connected.completeExceptionally(
                    new ProtocolHandshakeException("STOMP ERROR in answer to CONNECT: " + text, true));
            return;
        }
        // the broker closes the connection after an ERROR: the client reconnects. The body may
        // echo a frame of ours, e.g. CONNECT with its passcode or token header
        ReconnectingWebSocketClient client = getClient();
        logger.warn("STOMP ERROR on WebSocket '" + client.getName() + "': " + client.maskSecrets(text));
    }

    /** Subscriptions and unreceipted SENDs again, in the connect hook: before the backlog. */
    private final class Resubscriber implements ConnectionObserver {

        @Override
        public void onConnected(ReconnectingWebSocketClient client, boolean reconnect, boolean rotation) {
            StompSessionState session = ReconnectingStompClient.this.current;
            for (Subscription subscription : ReconnectingStompClient.this.subscriptions.values()) {
                // a subscribe() racing with this hook may have sent it on this session already
                if (session == null) {
                    client.send(subscription.subscribeFrame());
                }
                else if (subscription.claim(session)) {
                    client.send(subscription.subscribeFrame(), session.session);
                }
            }
            for (PendingReceipt pending : ReconnectingStompClient.this.receipts.values()) {
                // one still queued goes out with the backlog: sent again, it would arrive twice
                if (pending.written().get()) {
                    client.send(pending.frame());
                }
            }
        }

    }

    /** A SEND waiting for its RECEIPT; {@code written} once it went out on some connection. */
    private record PendingReceipt(WebSocketMessage<?> frame, CompletableFuture<Void> future, AtomicBoolean written) {
    }

    /** A subscription that survives reconnects. */
    public final class Subscription {

        private final String id;

        private final StompHeaders headers;

        private final StompFrameHandler handler;

        /** The STOMP session its SUBSCRIBE last went out on: once per session. */
        private final AtomicReference<@Nullable StompSessionState> subscribedOn = new AtomicReference<>();

        Subscription(String id, StompHeaders headers, StompFrameHandler handler) {
            this.id = id;
            this.headers = headers;
            this.handler = handler;
        }

        /**
         * The subscription id.
         * @return the id
         */
        public String getId() {
            return this.id;
        }

        StompFrameHandler handler() {
            return this.handler;
        }

        boolean clientAck() {
            String ack = this.headers.getAck();
            return ack != null && !"auto".equals(ack);
        }

        /** Whether the caller is the one to send the SUBSCRIBE on {@code session}. */
        boolean claim(StompSessionState session) {
            return this.subscribedOn.getAndSet(session) != session;
        }

        WebSocketMessage<?> subscribeFrame() {
            return StompFrames.headersOnly(StompCommand.SUBSCRIBE, this.headers);
        }

        /** Stop receiving, now and after reconnects. */
        public void unsubscribe() {
            StompSessionState on = this.subscribedOn.get();
            // on the session it was subscribed on: once that has ended, there is nothing to end
            if (ReconnectingStompClient.this.subscriptions.remove(this.id) != null && on != null) {
                StompHeaders unsubscribe = new StompHeaders();
                unsubscribe.set("id", this.id);
                getClient().send(StompFrames.headersOnly(StompCommand.UNSUBSCRIBE, unsubscribe), on.session);
            }
        }

    }

}
