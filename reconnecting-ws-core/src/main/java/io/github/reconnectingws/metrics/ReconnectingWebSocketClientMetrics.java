package io.github.reconnectingws.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.ToDoubleFunction;

import io.github.reconnectingws.ConnectionObserver;
import io.github.reconnectingws.ConnectionState;
import io.github.reconnectingws.ReconnectingWebSocketClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketMessage;

/**
 * The meters of one {@link ReconnectingWebSocketClient}, all tagged
 * {@code connection=<name>}:
 * <ul>
 * <li>{@value #CONNECTED} (gauge): 1 while connected, else 0</li>
 * <li>{@value #STATE} (gauge): ordinal of the {@link ConnectionState}</li>
 * <li>{@value #RECONNECTS} (counter): successful reconnections, not the first connect</li>
 * <li>{@value #CONNECT_ATTEMPTS} (counter, {@code outcome=success|failure}): handshake
 * attempts</li>
 * <li>{@value #MESSAGES_RECEIVED} (counter, {@code type=text|binary})</li>
 * <li>{@value #MESSAGES_SENT} (counter)</li>
 * <li>{@value #MESSAGES_DROPPED} (counter): outbound messages rejected or discarded</li>
 * <li>{@value #OUTBOUND_PENDING} (gauge): queued outbound messages</li>
 * <li>{@value #DOWNTIME} (timer): from a drop to connected again; an outage that ends
 * because the client gave up or was stopped is not recorded</li>
 * <li>{@value #LISTENER_ERRORS} (counter): listener exceptions and conversion failures</li>
 * </ul>
 * Counters count from the moment of {@link #bindTo binding}. An instance binds one client
 * to one registry, once; {@link #close()} removes its meters and stops observing the
 * client. Without Spring Boot:
 *
 * <pre class="code">
 * ReconnectingWebSocketClientMetrics metrics = new ReconnectingWebSocketClientMetrics(client);
 * metrics.bindTo(meterRegistry);
 * ...
 * metrics.close();
 * </pre>
 */
public final class ReconnectingWebSocketClientMetrics implements MeterBinder, AutoCloseable {

    /** Name of the gauge that is 1 while connected. */
    public static final String CONNECTED = "reconnecting.websocket.connected";

    /** Name of the gauge of the state's ordinal. */
    public static final String STATE = "reconnecting.websocket.state";

    /** Name of the counter of successful reconnections. */
    public static final String RECONNECTS = "reconnecting.websocket.reconnects";

    /** Gauge: 1 on the instance of the cluster that holds the connection, else 0. */
    public static final String CLUSTER_LEADER = "reconnecting.websocket.cluster.leader";

    /**
     * Gauge of the live instances of the application that this one sees, tagged
     * {@value #APPLICATION_TAG}; bound by the cluster auto-configuration.
     */
    public static final String CLUSTER_MEMBERS = "reconnecting.websocket.cluster.members";

    /** Counter of messages dropped because they arrived after this holder's lease lapsed. */
    public static final String CLUSTER_FENCED = "reconnecting.websocket.cluster.fenced";

    /** The tag of {@value #CLUSTER_MEMBERS}: {@code spring.application.name}. */
    public static final String APPLICATION_TAG = "application";

    /** Counter of messages dropped as already delivered ({@code resume.deduplicate}). */
    public static final String RESUME_DUPLICATES = "reconnecting.websocket.resume.duplicates";

    /** Counter of numeric resume positions that jumped by more than 1. */
    public static final String RESUME_GAPS = "reconnecting.websocket.resume.gaps";

    /** Counter of planned rotations ({@code max-connection-age}), which are not reconnects. */
    public static final String ROTATIONS = "reconnecting.websocket.rotations";

    /** Name of the counter of handshake attempts, tagged {@value #OUTCOME_TAG}. */
    public static final String CONNECT_ATTEMPTS = "reconnecting.websocket.connect.attempts";

    /** Name of the counter of received messages, tagged {@value #TYPE_TAG}. */
    public static final String MESSAGES_RECEIVED = "reconnecting.websocket.messages.received";

    /** Name of the counter of written messages. */
    public static final String MESSAGES_SENT = "reconnecting.websocket.messages.sent";

    /** Name of the counter of rejected or discarded outbound messages. */
    public static final String MESSAGES_DROPPED = "reconnecting.websocket.messages.dropped";

    /** Name of the gauge of queued outbound messages. */
    public static final String OUTBOUND_PENDING = "reconnecting.websocket.outbound.pending";

    /** Name of the timer of outages, from drop to connected again. */
    public static final String DOWNTIME = "reconnecting.websocket.downtime";

    /**
     * Name of the counter of received messages that no listener took, tagged
     * {@value #TYPE_TAG}.
     */
    public static final String MESSAGES_UNHANDLED = "reconnecting.websocket.messages.unhandled";

    /** Name of the counter of listener errors. */
    public static final String LISTENER_ERRORS = "reconnecting.websocket.listener.errors";

    /**
     * Counter of items that reactive-stream subscribers lost to a full buffer
     * ({@code reactive.overflow}); bound by the reactive auto-configuration.
     */
    public static final String REACTIVE_DROPPED = "reconnecting.websocket.reactive.dropped";

    /** The tag that names the connection. */
    public static final String CONNECTION_TAG = "connection";

    /** The tag of {@value #CONNECT_ATTEMPTS}: {@code success} or {@code failure}. */
    public static final String OUTCOME_TAG = "outcome";

    /** The tag of {@value #MESSAGES_RECEIVED}: {@code text} or {@code binary}. */
    public static final String TYPE_TAG = "type";

    private final ReconnectingWebSocketClient client;

    private final Tags tags;

    private final AtomicBoolean bound = new AtomicBoolean();

    private final List<Meter> meters = new ArrayList<>();

    private volatile @Nullable MeterRegistry registry;

    private volatile @Nullable MeterObserver observer;

    /**
     * Create the meters of a client, tagged with its name.
     * @param client the client
     */
    public ReconnectingWebSocketClientMetrics(ReconnectingWebSocketClient client) {
        this(client, Tags.empty());
    }

    /**
     * Create the meters of a client, tagged with its name and extra tags.
     * @param client the client
     * @param extraTags tags added to every meter; keep their values bounded
     */
    public ReconnectingWebSocketClientMetrics(ReconnectingWebSocketClient client, Iterable<Tag> extraTags) {
        Assert.notNull(client, "client must not be null");
        this.client = client;
        this.tags = Tags.of(extraTags).and(CONNECTION_TAG, client.getName());
    }

    /**
     * Register the meters and start observing the client.
     * @param registry the registry
     * @throws IllegalStateException if this instance is already bound
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        Assert.state(this.bound.compareAndSet(false, true),
                () -> "Metrics of WebSocket connection '" + this.client.getName() + "' are already bound");
        this.registry = registry;
        gauge(registry, CONNECTED, "1 while the connection is open, else 0", (c) -> c.isConnected() ? 1 : 0);
        gauge(registry, STATE,
                "Ordinal of the connection state (NEW, CONNECTING, CONNECTED, RECONNECTING, CLOSED, FAILED, STANDBY)",
                (c) -> c.getState().ordinal());
        gauge(registry, OUTBOUND_PENDING, "Outbound messages queued, not yet written", (c) -> c.getPendingCount());
        MeterObserver observer = new MeterObserver(registry);
        this.observer = observer;
        this.client.addObserver(observer);
    }

    /**
     * Stop observing the client and remove the meters from the registry.
     */
    @Override
    public void close() {
        MeterObserver observer = this.observer;
        if (observer != null) {
            this.client.removeObserver(observer);
            this.observer = null;
        }
        MeterRegistry registry = this.registry;
        if (registry != null) {
            synchronized (this.meters) {
                this.meters.forEach(registry::remove);
                this.meters.clear();
            }
        }
    }

    private void gauge(MeterRegistry registry, String name, String description,
            ToDoubleFunction<ReconnectingWebSocketClient> value) {
        register(Gauge.builder(name, this.client, value).tags(this.tags).description(description).register(registry));
    }

    private Counter counter(MeterRegistry registry, String name, String description, Tag... extra) {
        return register(Counter.builder(name).tags(this.tags.and(extra)).description(description).register(registry));
    }

    private <M extends Meter> M register(M meter) {
        synchronized (this.meters) {
            this.meters.add(meter);
        }
        return meter;
    }

    /** Turns the client's callbacks into meter updates. */
    private final class MeterObserver implements ConnectionObserver {

        private final MeterRegistry registry;

        private final Counter reconnects;

        private final Counter rotations;

        private final Counter resumeDuplicates;

        private final Counter fenced;

        private final Counter resumeGaps;

        private final Counter attemptsSucceeded;

        private final Counter attemptsFailed;

        private final Counter textReceived;

        private final Counter binaryReceived;

        private final Counter sent;

        private final Counter dropped;

        private final Counter listenerErrors;

        private final Counter textUnhandled;

        private final Counter binaryUnhandled;

        private final Timer downtime;

        /** The running outage; state callbacks come one at a time, but from pool threads. */
        private volatile Timer.@Nullable Sample outage;

        MeterObserver(MeterRegistry registry) {
            this.registry = registry;
            this.reconnects = counter(registry, RECONNECTS, "Successful reconnections (not the first connect)");
            this.rotations = counter(registry, ROTATIONS, "Planned rotations to a new connection (max-connection-age)");
            this.fenced = counter(registry, CLUSTER_FENCED,
                    "Messages dropped because they arrived after this holder's cluster lease lapsed");
            this.resumeDuplicates = counter(registry, RESUME_DUPLICATES,
                    "Messages dropped as already delivered (resume.deduplicate)");
            this.resumeGaps = counter(registry, RESUME_GAPS, "Resume positions that jumped by more than 1");
            String attempts = "WebSocket handshake attempts";
            this.attemptsSucceeded = counter(registry, CONNECT_ATTEMPTS, attempts, Tag.of(OUTCOME_TAG, "success"));
            this.attemptsFailed = counter(registry, CONNECT_ATTEMPTS, attempts, Tag.of(OUTCOME_TAG, "failure"));
            String received = "Messages received";
            this.textReceived = counter(registry, MESSAGES_RECEIVED, received, Tag.of(TYPE_TAG, "text"));
            this.binaryReceived = counter(registry, MESSAGES_RECEIVED, received, Tag.of(TYPE_TAG, "binary"));
            this.sent = counter(registry, MESSAGES_SENT, "Messages written");
            this.dropped = counter(registry, MESSAGES_DROPPED, "Outbound messages rejected or discarded");
            this.listenerErrors = counter(registry, LISTENER_ERRORS, "Listener exceptions and conversion failures");
            String unhandled = "Messages received that no listener took";
            this.textUnhandled = counter(registry, MESSAGES_UNHANDLED, unhandled, Tag.of(TYPE_TAG, "text"));
            this.binaryUnhandled = counter(registry, MESSAGES_UNHANDLED, unhandled, Tag.of(TYPE_TAG, "binary"));
            this.downtime = register(Timer.builder(DOWNTIME)
                .tags(ReconnectingWebSocketClientMetrics.this.tags)
                .description("Outages: from a drop to connected again")
                .register(registry));
        }

        @Override
        public void onStateChanged(ReconnectingWebSocketClient client, ConnectionState from, ConnectionState to) {
            if (from == ConnectionState.CONNECTED && (to == ConnectionState.RECONNECTING
                    || to == ConnectionState.CONNECTING)) {
                this.outage = Timer.start(this.registry);
            }
            else if (to == ConnectionState.CONNECTED || to == ConnectionState.CLOSED
                    || to == ConnectionState.FAILED) {
                Timer.Sample ended = this.outage;
                this.outage = null;
                if (ended != null && to == ConnectionState.CONNECTED) {
                    ended.stop(this.downtime);
                }
            }
        }

        @Override
        public void onConnectAttempt(ReconnectingWebSocketClient client, boolean success) {
            (success ? this.attemptsSucceeded : this.attemptsFailed).increment();
        }

        @Override
        public void onConnected(ReconnectingWebSocketClient client, boolean reconnect, boolean rotation) {
            if (rotation) {
                this.rotations.increment();
            }
            else if (reconnect) {
                this.reconnects.increment();
            }
        }

        @Override
        public void onResumeDuplicate(ReconnectingWebSocketClient client, WebSocketMessage<?> message,
                String position) {
            this.resumeDuplicates.increment();
        }

        @Override
        public void onResumeGap(ReconnectingWebSocketClient client, String position, long missed) {
            this.resumeGaps.increment();
        }

        @Override
        public void onMessageReceived(ReconnectingWebSocketClient client, WebSocketMessage<?> message) {
            if (message instanceof TextMessage) {
                this.textReceived.increment();
            }
            else if (message instanceof BinaryMessage) {
                this.binaryReceived.increment();
            }
        }

        @Override
        public void onMessageSent(ReconnectingWebSocketClient client, WebSocketMessage<?> message) {
            this.sent.increment();
        }

        @Override
        public void onMessageDropped(ReconnectingWebSocketClient client, WebSocketMessage<?> message,
                Throwable reason) {
            this.dropped.increment();
        }

        @Override
        public void onListenerError(ReconnectingWebSocketClient client, WebSocketMessage<?> message, Throwable error) {
            this.listenerErrors.increment();
        }

        @Override
        public void onMessageUnhandled(ReconnectingWebSocketClient client, WebSocketMessage<?> message) {
            ((message instanceof BinaryMessage) ? this.binaryUnhandled : this.textUnhandled).increment();
        }

        @Override
        public void onMessageFenced(ReconnectingWebSocketClient client, WebSocketMessage<?> message) {
            this.fenced.increment();
        }

    }

}
