package io.github.reconnectingws.reactive;

import java.lang.reflect.Type;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.reconnectingws.stomp.ReconnectingStompClient;
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
 * UNSUBSCRIBE when the last one cancels. The subscription acknowledges automatically
 * ({@code ack: auto}): the broker counts a message delivered when it sends it, not when a
 * subscriber has taken it.
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
        Assert.notNull(type, "type must not be null");
        Key key = new Key(destination, type);
        return this.streams.hot((FluxSink<T> sink) -> {
            Watch watch;
            synchronized (this.watches) {
                watch = this.watches.computeIfAbsent(key, Watch::new);
                watch.sinks.add(sink);
                if (watch.subscription == null) {
                    watch.subscription = this.stomp.subscribe(destination, watch);
                }
            }
            return () -> {
                synchronized (this.watches) {
                    watch.sinks.remove(sink);
                    if (watch.sinks.isEmpty() && this.watches.remove(key, watch) && watch.subscription != null) {
                        watch.subscription.unsubscribe();
                    }
                }
            };
        });
    }

    private record Key(String destination, Class<?> type) {
    }

    /** One STOMP subscription and its subscribers; frames arrive on the reading thread. */
    private static final class Watch implements StompFrameHandler {

        private final Class<?> type;

        private final List<FluxSink<?>> sinks = new CopyOnWriteArrayList<>();

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

    }

}
