package io.github.reconnectingws.reactive;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

import io.github.reconnectingws.ApplicationEventPublishingObserver;
import io.github.reconnectingws.ConnectionObserver;
import io.github.reconnectingws.ConnectionState;
import io.github.reconnectingws.InboundMessageHandler;
import io.github.reconnectingws.ReconnectingWebSocketClient;
import io.github.reconnectingws.WebSocketConnectionEvent;
import io.github.reconnectingws.listener.InboundPayloads;
import io.github.reconnectingws.listener.ListenerExecutionFailedException;
import org.reactivestreams.Publisher;
import reactor.core.publisher.BufferOverflowStrategy;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import org.springframework.messaging.converter.SimpleMessageConverter;
import org.springframework.util.Assert;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;

/**
 * A {@link ReconnectingWebSocketClient} as reactive streams: its messages, states and
 * events as hot {@link Flux}es that outlive every reconnect and rotation, and sends as
 * {@link Mono}s.
 * <p>
 * <b>Hot streams.</b> Each subscriber gets what happens while it is subscribed, nothing
 * from before (except {@link #states()}, which starts with the current state). Messages
 * reach the streams at the point where they reach {@code @WebSocketListener} methods:
 * after resume de-duplication, so a subscriber sees each position once; and a message
 * counts as delivered (for the resume position) once it is in the subscribers' buffers.
 * <p>
 * <b>Threads and backpressure.</b> Subscribers never run on the connection's reading,
 * writing or callback threads: each subscriber receives on a worker of the client's
 * {@link Scheduler} (by default {@link Schedulers#boundedElastic()}), so a slow one delays
 * neither the connection nor the other subscribers. What a subscriber has not asked for
 * waits in its own buffer of {@code bufferSize} items (plus up to {@value #HANDOFF} being
 * handed to its worker); when that is full, the {@link ReactiveOverflow} policy decides, for
 * that subscriber only, and every item it loses is counted ({@link #getDroppedCount()}).
 * <p>
 * <b>End.</b> Every stream completes when this object is closed or the client is closed
 * for good ({@link ReconnectingWebSocketClient#close()}); a stopped client that may be
 * started again does not end them. Closing this object does not close the client.
 */
public final class ReactiveReconnectingWebSocketClient implements AutoCloseable {

    /** How many payloads of one {@link #sendAll} may be queued on the connection at a time. */
    public static final int SEND_WINDOW = 32;

    /**
     * Items in the hand-over from a subscriber's buffer to its worker, beyond its buffer:
     * what a subscriber may hold at most is its buffer plus these.
     */
    public static final int HANDOFF = 16;

    private final ReconnectingWebSocketClient client;

    private final InboundPayloads payloads;

    private final int bufferSize;

    private final BufferOverflowStrategy overflow;

    private final Scheduler scheduler;

    private final LongAdder dropped = new LongAdder();

    private final ConnectionObserver stateObserver = new StateObserver();

    private final ConnectionObserver eventObserver;

    /** Read on the reading thread for every message: copy-on-write. */
    private final List<MessageSubscriber> messageSubscribers = new CopyOnWriteArrayList<>();

    private final List<FluxSink<ConnectionState>> stateSinks = new CopyOnWriteArrayList<>();

    private final List<FluxSink<WebSocketConnectionEvent>> eventSinks = new CopyOnWriteArrayList<>();

    /** Every open subscriber of every stream (watches included), completed on close. */
    private final Set<FluxSink<?>> open = ConcurrentHashMap.newKeySet();

    /**
     * Guards {@link #closed}, {@link #state} and the order in which states reach the state
     * subscribers (the callback lane emits, a new subscriber reads the current one).
     */
    private final Object lock = new Object();

    private boolean closed;

    private ConnectionState state;

    private ReactiveReconnectingWebSocketClient(Builder builder) {
        this.client = builder.client;
        this.payloads = builder.payloads;
        this.bufferSize = builder.bufferSize;
        this.overflow = switch (builder.overflow) {
            case DROP_OLDEST -> BufferOverflowStrategy.DROP_OLDEST;
            case DROP_LATEST -> BufferOverflowStrategy.DROP_LATEST;
            case ERROR -> BufferOverflowStrategy.ERROR;
        };
        this.scheduler = builder.scheduler;
        this.state = this.client.getState();
        this.eventObserver = new ApplicationEventPublishingObserver((event) -> {
            for (FluxSink<WebSocketConnectionEvent> sink : this.eventSinks) {
                sink.next((WebSocketConnectionEvent) event);
            }
        });
        this.client.addObserver(this.stateObserver);
        this.client.addObserver(this.eventObserver);
        this.client.addMessageHandler(new Inbound());
    }

    /**
     * A builder of the reactive view of a client.
     * @param client the client
     * @return the builder
     */
    public static Builder builder(ReconnectingWebSocketClient client) {
        return new Builder(client);
    }

    /**
     * The client underneath.
     * @return the client
     */
    public ReconnectingWebSocketClient getClient() {
        return this.client;
    }

    /**
     * The connection's name.
     * @return the name, {@code default} for the default connection
     */
    public String getName() {
        return this.client.getName();
    }

    /**
     * The inbound messages as payloads of a type, converted as for a
     * {@code @WebSocketListener} parameter of that type: {@code String} and POJOs (JSON) take
     * text messages, {@code byte[]} and {@code ByteBuffer} binary ones,
     * {@code WebSocketMessage} both. A message that cannot be converted is skipped and
     * counted as a listener error ({@code reconnecting.websocket.listener.errors}); it does
     * not end the stream. Subscribers of the same type share the converted instance.
     * @param <T> the payload type
     * @param type the payload type
     * @return a hot stream of the messages that arrive while subscribed
     */
    public <T> Flux<T> messages(Class<T> type) {
        Assert.notNull(type, "type must not be null");
        String consumer = "messages(" + type.getSimpleName() + ") of WebSocket '" + getName() + "'";
        return hot((sink) -> {
            @SuppressWarnings("unchecked")
            MessageSubscriber subscriber = new MessageSubscriber(type, consumer, (FluxSink<Object>) sink);
            return register(this.messageSubscribers, subscriber);
        });
    }

    /**
     * The connection's states: the current one first, then every change.
     * @return a hot stream of states
     */
    public Flux<ConnectionState> states() {
        return this.<ConnectionState>hot((sink) -> {
            synchronized (this.lock) {
                sink.next(this.state);
                return register(this.stateSinks, sink);
            }
        }).distinctUntilChanged();
    }

    /**
     * The connection's events, as published to the application context: connected,
     * disconnected, reconnecting, resume gap, failed.
     * @return a hot stream of events
     */
    public Flux<WebSocketConnectionEvent> events() {
        return hot((sink) -> register(this.eventSinks, sink));
    }

    /**
     * Send a payload when subscribed, as {@link ReconnectingWebSocketClient#send(Object)}
     * does: queued while disconnected, in order with every other send.
     * @param payload the payload: {@code String}, {@code byte[]}, {@code ByteBuffer},
     * {@code WebSocketMessage}, or an object for the payload encoder (JSON)
     * @return completes when the payload was written; errors when it was refused or can no
     * longer be sent (the exceptions of {@code client.send})
     */
    public Mono<Void> send(Object payload) {
        Assert.notNull(payload, "payload must not be null");
        return Mono.defer(() -> Mono.fromFuture(this.client.send(payload), true)).publishOn(this.scheduler);
    }

    /**
     * Send every payload of a publisher, in order, when subscribed. Payloads are requested
     * only as fast as the connection writes them: at most {@value #SEND_WINDOW} are queued on
     * the connection at a time (and as many more requested ahead), so a publisher is held
     * back while the connection is down rather than filling the outbound buffer. The
     * publisher is asked for more on this client's scheduler, never on the connection's
     * threads.
     * @param payloads the payloads, as for {@link #send(Object)}
     * @return completes when the publisher completed and all its payloads were written;
     * errors with the first payload that was refused or could not be sent (the publisher
     * is cancelled; what was queued before still goes), or with the publisher's error
     */
    public Mono<Void> sendAll(Publisher<?> payloads) {
        Assert.notNull(payloads, "payloads must not be null");
        return Flux.from(payloads)
            .publishOn(this.scheduler, SEND_WINDOW)
            .flatMap((payload) -> Mono.fromFuture(this.client.send(payload), true), SEND_WINDOW, 1)
            .then()
            .publishOn(this.scheduler);
    }

    /**
     * How many items subscribers have lost to a full buffer since this object was built
     * (metric {@code reconnecting.websocket.reactive.dropped}).
     * @return the count, over every stream and subscriber
     */
    public long getDroppedCount() {
        return this.dropped.sum();
    }

    /**
     * Complete every stream and stop observing the client; the client is not closed.
     */
    @Override
    public void close() {
        synchronized (this.lock) {
            if (this.closed) {
                return;
            }
            this.closed = true;
        }
        this.client.removeObserver(this.stateObserver);
        this.client.removeObserver(this.eventObserver);
        for (FluxSink<?> sink : this.open) {
            sink.complete();
        }
    }

    /**
     * A hot stream: {@code subscribe} registers each new subscriber's sink and returns
     * what unregisters it. Each subscriber gets its own bounded buffer and hand-over to a
     * worker of the scheduler, so that emitting never runs subscriber code.
     */
    <T> Flux<T> hot(Function<FluxSink<T>, Runnable> subscribe) {
        return Flux.<T>create((sink) -> {
            synchronized (this.lock) {
                if (this.closed) {
                    sink.complete();
                    return;
                }
                this.open.add(sink);
            }
            Runnable unregister = subscribe.apply(sink);
            sink.onDispose(() -> {
                this.open.remove(sink);
                unregister.run();
            });
        }, FluxSink.OverflowStrategy.IGNORE)
            .onBackpressureBuffer(this.bufferSize, (item) -> this.dropped.increment(), this.overflow)
            .publishOn(this.scheduler, HANDOFF);
    }

    private static <E> Runnable register(List<E> subscribers, E subscriber) {
        subscribers.add(subscriber);
        return () -> subscribers.remove(subscriber);
    }

    private record MessageSubscriber(Class<?> type, String consumer, FluxSink<Object> sink) {
    }

    /** On the reading thread, after de-duplication: converts and hands over, never blocks. */
    private final class Inbound implements InboundMessageHandler {

        @Override
        public boolean handles(WebSocketMessage<?> message) {
            for (MessageSubscriber subscriber : ReactiveReconnectingWebSocketClient.this.messageSubscribers) {
                if (InboundPayloads.accepts(subscriber.type(), message)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public void handleMessage(ReconnectingWebSocketClient client, WebSocketSession session,
                WebSocketMessage<?> message) {
            ListenerExecutionFailedException failure = null;
            // one conversion per type and message: subscribers usually share one type
            Class<?> convertedType = null;
            Object converted = null;
            for (MessageSubscriber subscriber : ReactiveReconnectingWebSocketClient.this.messageSubscribers) {
                if (!InboundPayloads.accepts(subscriber.type(), message)) {
                    continue;
                }
                if (subscriber.type() != convertedType) {
                    convertedType = subscriber.type();
                    try {
                        converted = ReactiveReconnectingWebSocketClient.this.payloads.convert(message,
                                subscriber.type(), subscriber.consumer());
                    }
                    catch (ListenerExecutionFailedException ex) {
                        failure = (failure != null) ? failure : ex;
                        converted = null;
                    }
                }
                if (converted != null) {
                    subscriber.sink().next(converted);
                }
            }
            if (failure != null) {
                // counted and logged by the client as a listener error; the streams go on
                throw failure;
            }
        }

    }

    /** On the callback lane: states in order; the end of the streams when the client is closed. */
    private final class StateObserver implements ConnectionObserver {

        @Override
        public void onStateChanged(ReconnectingWebSocketClient client, ConnectionState from, ConnectionState to) {
            synchronized (ReactiveReconnectingWebSocketClient.this.lock) {
                ReactiveReconnectingWebSocketClient.this.state = to;
                for (FluxSink<ConnectionState> sink : ReactiveReconnectingWebSocketClient.this.stateSinks) {
                    sink.next(to);
                }
            }
            if (to == ConnectionState.CLOSED && client.isClosed()) {
                close();
            }
        }

    }

    /**
     * Builds the reactive view of a client.
     */
    public static final class Builder {

        private final ReconnectingWebSocketClient client;

        private InboundPayloads payloads = new InboundPayloads(new SimpleMessageConverter());

        private int bufferSize = 1024;

        private ReactiveOverflow overflow = ReactiveOverflow.DROP_OLDEST;

        private Scheduler scheduler = Schedulers.boundedElastic();

        private Builder(ReconnectingWebSocketClient client) {
            Assert.notNull(client, "client must not be null");
            this.client = client;
        }

        /**
         * How payloads are converted; by default without JSON (text, bytes and messages only).
         * @param payloads the conversion of the application's listeners
         * @return this builder
         */
        public Builder payloads(InboundPayloads payloads) {
            Assert.notNull(payloads, "payloads must not be null");
            this.payloads = payloads;
            return this;
        }

        /**
         * How many items may wait for one subscriber (default 1024).
         * @param bufferSize a positive number
         * @return this builder
         */
        public Builder bufferSize(int bufferSize) {
            Assert.isTrue(bufferSize > 0, "bufferSize must be positive");
            this.bufferSize = bufferSize;
            return this;
        }

        /**
         * What happens to a subscriber whose buffer is full (default
         * {@link ReactiveOverflow#DROP_OLDEST}).
         * @param overflow the policy
         * @return this builder
         */
        public Builder overflow(ReactiveOverflow overflow) {
            Assert.notNull(overflow, "overflow must not be null");
            this.overflow = overflow;
            return this;
        }

        /**
         * Where subscribers receive and publishers of {@code sendAll} are asked for more
         * (default {@link Schedulers#boundedElastic()}: a slow subscriber may block its
         * worker without delaying others).
         * @param scheduler the scheduler
         * @return this builder
         */
        public Builder scheduler(Scheduler scheduler) {
            Assert.notNull(scheduler, "scheduler must not be null");
            this.scheduler = scheduler;
            return this;
        }

        /**
         * The reactive view; it observes the client from now on.
         * @return the reactive client
         */
        public ReactiveReconnectingWebSocketClient build() {
            return new ReactiveReconnectingWebSocketClient(this);
        }

    }

}
