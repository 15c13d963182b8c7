package io.github.reconnectingws.reactive;

import java.lang.reflect.Type;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.reconnectingws.stomp.AcknowledgingStompFrameHandler;
import io.github.reconnectingws.stomp.ReconnectingStompClient;
import io.github.reconnectingws.stomp.StompAcknowledgement;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;

import org.springframework.messaging.simp.stomp.StompFrameHandler;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.util.Assert;

/**
 * A {@link ReconnectingStompClient}'s destinations as reactive streams.
 * {@link #watch(String, Class)} shares one STOMP subscription among the subscribers of a
 * destination and payload type: SUBSCRIBE when the first one subscribes, sent again after
 * every reconnect (after CONNECTED, before the messages queued while disconnected), and
 * UNSUBSCRIBE when the last one cancels. {@link #watch(String, Class)} subscribes with
 * {@code ack: auto}: the broker counts a message delivered when it sends it.
 * {@link #watch(StompHeaders, Class)} with {@code ack: client-individual} acknowledges
 * each message once every subscriber of the watch that was subscribed when it arrived
 * has received it (it was handed to the subscriber's {@code onNext}), and NACKs it as soon
 * as one of them loses it (its buffer overflowed, or it cancelled with the message still
 * buffered while others stay), so that the broker delivers it again. What the last
 * subscriber had not received when it cancelled stays unacknowledged (a broker refuses a
 * NACK once the subscription is gone) and is delivered again on the next session.
 * <p>
 * Buffers, overflow, threads and completion are those of the connection's
 * {@link ReactiveReconnectingWebSocketClient}: each subscriber has its own bounded buffer
 * and receives on a worker of its scheduler, and every stream completes when it is closed.
 */
public final class ReactiveReconnectingStompClient {

    private final ReconnectingStompClient stomp;

    private final ReactiveReconnectingWebSocketClient streams;

    /** The shared subscriptions by destination and type; guarded by itself. */
    private final Map<Key, Watch> watches = new HashMap<>();

    /**
     * The reactive view of a STOMP client.
     * @param stomp the STOMP client
     * @param streams the reactive view of its connection, whose buffers, scheduler and end
     * the watches share
     */
    public ReactiveReconnectingStompClient(ReconnectingStompClient stomp, ReactiveReconnectingWebSocketClient streams) {
        Assert.isTrue(stomp.getClient() == streams.getClient(), "the STOMP client and the streams must share the connection");
        this.stomp = stomp;
        this.streams = streams;
    }

    /**
     * The STOMP client underneath.
     * @return the STOMP client
     */
    public ReconnectingStompClient getStompClient() {
        return this.stomp;
    }

    /**
     * The MESSAGE frames of a destination, their bodies converted to a type by their
     * {@code content-type} (text, bytes, JSON), as for a STOMP {@code @WebSocketListener}. A
     * body that cannot be converted is skipped and counted as a listener error.
     * @param <T> the payload type
     * @param destination the destination, e.g. {@code /topic/prices}
     * @param type the payload type
     * @return a hot stream of what arrives while subscribed, across reconnects
     */
    public <T> Flux<T> watch(String destination, Class<T> type) {
        Assert.hasText(destination, "destination must not be empty");
        StompHeaders headers = new StompHeaders();
        headers.setDestination(destination);
        return watch(headers, type);
    }

    /**
     * The MESSAGE frames of a subscription with headers of its own, e.g.
     * {@code ack: client-individual} to acknowledge each message once every subscriber has
     * received it (see the class description). Subscribers of equal headers and type share
     * one subscription.
     * @param <T> the payload type
     * @param headers the SUBSCRIBE headers: a {@code destination}, and {@code ack}
     * {@code auto} (the default) or {@code client-individual}
     * @param type the payload type
     * @return a hot stream of what arrives while subscribed, across reconnects
     * @throws IllegalArgumentException for {@code ack: client}, whose cumulative ACK would
     * acknowledge messages that a subscriber has not received yet
     */
    public <T> Flux<T> watch(StompHeaders headers, Class<T> type) {
        Assert.hasText(headers.getDestination(), "headers must have a destination");
        Assert.notNull(type, "type must not be null");
        String ack = headers.getAck();
        Assert.isTrue(!"client".equals(ack), "ack: client acknowledges cumulatively, so it would acknowledge "
                + "messages a subscriber has not received yet; use client-individual");
        Key key = new Key(Map.copyOf(headers.toSingleValueMap()), type);
        if ("client-individual".equals(ack)) {
            return this.streams.<Delivery>hot((sink) -> open(key, headers, sink))
                .doOnDiscard(Delivery.class, Delivery::lost)
                .doOnNext(Delivery::received)
                .map((delivery) -> type.cast(delivery.payload));
        }
        return this.streams.hot((FluxSink<T> sink) -> open(key, headers, sink));
    }

    private Runnable open(Key key, StompHeaders headers, FluxSink<?> sink) {
        Watch watch;
        synchronized (this.watches) {
            watch = this.watches.computeIfAbsent(key, Watch::new);
            watch.sinks.add(sink);
            if (watch.subscription == null) {
                watch.subscription = this.stomp.subscribe(headers, watch);
            }
        }
        return () -> {
            synchronized (this.watches) {
                watch.sinks.remove(sink);
                if (watch.sinks.isEmpty() && this.watches.remove(key, watch) && watch.subscription != null) {
                    // what is left unacknowledged, the broker delivers again on the next session
                    watch.active = false;
                    watch.subscription.unsubscribe();
                }
            }
        };
    }

    private record Key(Map<String, String> headers, Class<?> type) {
    }

    /**
     * A message of a {@code client-individual} watch on its way to the subscribers that
     * were subscribed when it arrived: ACKed once all of them received it, NACKed once one
     * of them lost it.
     */
    private static final class Delivery {

        final Object payload;

        private final StompAcknowledgement acknowledgement;

        private final AtomicInteger waiting;

        private final Watch watch;

        Delivery(Object payload, StompAcknowledgement acknowledgement, int subscribers, Watch watch) {
            this.payload = payload;
            this.acknowledgement = acknowledgement;
            this.waiting = new AtomicInteger(subscribers);
            this.watch = watch;
        }

        void received() {
            if (this.waiting.decrementAndGet() == 0) {
                this.acknowledgement.ack();
            }
        }

        void lost() {
            this.waiting.set(-1);
            // a broker refuses a NACK once the subscription is gone: left unacknowledged,
            // the message is delivered again on the next session
            if (this.watch.active) {
                this.acknowledgement.nack();
            }
        }

    }

    /** One STOMP subscription and its subscribers; frames arrive on the reading thread. */
    private static final class Watch implements AcknowledgingStompFrameHandler {

        private final Class<?> type;

        private final List<FluxSink<?>> sinks = new CopyOnWriteArrayList<>();

        /** Until its last subscriber has gone: then nothing is NACKed any more. */
        private volatile boolean active = true;

        /** Set and cleared under the watches' lock. */
        private ReconnectingStompClient.@Nullable Subscription subscription;

        Watch(Key key) {
            this.type = key.type();
        }

        @Override
        public Type getPayloadType(StompHeaders headers) {
            return this.type;
        }

        @Override
        @SuppressWarnings("unchecked")
        public void handleFrame(StompHeaders headers, @Nullable Object payload) {
            if (payload == null) {
                return;
            }
            for (FluxSink<?> sink : this.sinks) {
                ((FluxSink<Object>) sink).next(payload);
            }
        }

        @Override
        @SuppressWarnings("unchecked")
        public void handleFrame(StompHeaders headers, @Nullable Object payload, StompAcknowledgement acknowledgement) {
            List<FluxSink<?>> subscribers = List.copyOf(this.sinks);
            if (payload == null || subscribers.isEmpty()) {
                acknowledgement.nack();
                return;
            }
            Delivery delivery = new Delivery(payload, acknowledgement, subscribers.size(), this);
            for (FluxSink<?> sink : subscribers) {
                ((FluxSink<Object>) sink).next(delivery);
            }
        }

    }

}
