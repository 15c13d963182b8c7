package io.github.reconnectingws.benchmarks.client;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

import io.github.reconnectingws.ReconnectingWebSocketClient;
import io.github.reconnectingws.WebSocketListener;
import io.github.reconnectingws.reactive.ReactiveReconnectingWebSocketClient;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.scheduler.Schedulers;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;

/**
 * The client side of the routing benchmark as an application writes it: the starter's
 * default connection and one set of {@code @WebSocketListener} methods, either one
 * listener that takes every message or three routed by {@code field = "/type"}, one per
 * type, taking {@code String} or a POJO. Every listener hands what it got to the
 * context's {@link Deliveries}, which counts the messages per type and tells wrong ones
 * apart.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class RoutingClientApplication {

    public static final String TICKER = "ticker";

    public static final String TRADE = "trade";

    public static final String QUOTE = "quote";

    /** The types, in the order the server cycles over them. */
    public static final List<String> TYPES = List.of(TICKER, TRADE, QUOTE);

    /**
     * Start a client context.
     * @param url the default connection's URL
     * @param listeners the listener bean's class: {@link OneStringListener},
     * {@link RoutedStringListeners}, {@link OnePojoListener} or {@link RoutedPojoListeners}
     * @param deliveries where the listeners report, registered as a bean
     * @param maxMessageSize the text and binary message size limits
     * @return the running context
     */
    public static ConfigurableApplicationContext start(String url, Class<?> listeners, Deliveries deliveries,
            int maxMessageSize) {
        SpringApplication app = new SpringApplication(RoutingClientApplication.class, listeners);
        app.setWebApplicationType(WebApplicationType.NONE);
        app.setBannerMode(Banner.Mode.OFF);
        app.setLogStartupInfo(false);
        app.setRegisterShutdownHook(false);
        app.addInitializers((context) -> ((GenericApplicationContext) context).registerBean(Deliveries.class,
                () -> deliveries));
        return app.run("--reconnecting.websocket.url=" + url,
                "--reconnecting.websocket.max-text-message-size=" + maxMessageSize + "B",
                "--reconnecting.websocket.max-binary-message-size=" + maxMessageSize + "B",
                // a subscriber that falls behind during a flood keeps everything: measured is
                // the hand-over to its thread, not the overflow policy
                "--reconnecting.websocket.reactive.buffer-size=10000000",
                "--spring.jmx.enabled=false", "--logging.level.root=WARN",
                "--logging.level.io.github.reconnectingws=WARN");
    }

    /** The messages as a POJO: {@code {"type":"ticker","seq":N,"price":43000.26,"id":"7e54..."}}. */
    public record Tick(String type, long seq, double price, String id) {
    }

    /** One listener taking every message as {@code String}. */
    public static class OneStringListener {

        private final Deliveries deliveries;

        public OneStringListener(Deliveries deliveries) {
            this.deliveries = deliveries;
        }

        @WebSocketListener
        void onMessage(String text) {
            this.deliveries.take(-1, Deliveries.typeOf(text));
        }

    }

    /**
     * No listener: one subscriber of the default connection's
     * {@code messages(String.class)}, subscribed once all singletons exist, taking every
     * message on its scheduler worker.
     */
    public static class ReactiveStringSubscriber implements SmartInitializingSingleton, DisposableBean {

        private final Deliveries deliveries;

        final ReactiveReconnectingWebSocketClient reactive;

        private @Nullable Disposable subscription;

        public ReactiveStringSubscriber(Deliveries deliveries, ReactiveReconnectingWebSocketClient reactive) {
            this.deliveries = deliveries;
            this.reactive = reactive;
        }

        @Override
        public void afterSingletonsInstantiated() {
            this.subscription = this.reactive.messages(String.class)
                .subscribe((text) -> this.deliveries.take(-1, Deliveries.typeOf(text)));
        }

        @Override
        public void destroy() {
            if (this.subscription != null) {
                this.subscription.dispose();
            }
        }

    }

    /**
     * As {@link ReactiveStringSubscriber}, through a reactive client of its own whose
     * subscribers run on the reading thread ({@code Schedulers.immediate()}), as listeners do.
     */
    public static class InlineReactiveStringSubscriber extends ReactiveStringSubscriber {

        public InlineReactiveStringSubscriber(Deliveries deliveries, ReconnectingWebSocketClient client) {
            super(deliveries, ReactiveReconnectingWebSocketClient.builder(client)
                .bufferSize(10_000_000)
                .scheduler(Schedulers.immediate())
                .build());
        }

        @Override
        public void destroy() {
            super.destroy();
            // its own reactive client, not the context's
            this.reactive.close();
        }

    }

    /** Three listeners taking {@code String}, routed by {@code /type}, one per type. */
    public static class RoutedStringListeners {

        private final Deliveries deliveries;

        public RoutedStringListeners(Deliveries deliveries) {
            this.deliveries = deliveries;
        }

        @WebSocketListener(field = "/type", havingValue = TICKER)
        void onTicker(String text) {
            this.deliveries.take(0, Deliveries.typeOf(text));
        }

        @WebSocketListener(field = "/type", havingValue = TRADE)
        void onTrade(String text) {
            this.deliveries.take(1, Deliveries.typeOf(text));
        }

        @WebSocketListener(field = "/type", havingValue = QUOTE)
        void onQuote(String text) {
            this.deliveries.take(2, Deliveries.typeOf(text));
        }

    }

    /** One listener taking every message as a {@link Tick}. */
    public static class OnePojoListener {

        private final Deliveries deliveries;

        public OnePojoListener(Deliveries deliveries) {
            this.deliveries = deliveries;
        }

        @WebSocketListener
        void onMessage(Tick tick) {
            this.deliveries.take(-1, TYPES.indexOf(tick.type()));
        }

    }

    /** Three listeners taking a {@link Tick}, routed by {@code /type}, one per type. */
    public static class RoutedPojoListeners {

        private final Deliveries deliveries;

        public RoutedPojoListeners(Deliveries deliveries) {
            this.deliveries = deliveries;
        }

        @WebSocketListener(field = "/type", havingValue = TICKER)
        void onTicker(Tick tick) {
            this.deliveries.take(0, TYPES.indexOf(tick.type()));
        }

        @WebSocketListener(field = "/type", havingValue = TRADE)
        void onTrade(Tick tick) {
            this.deliveries.take(1, TYPES.indexOf(tick.type()));
        }

        @WebSocketListener(field = "/type", havingValue = QUOTE)
        void onQuote(Tick tick) {
            this.deliveries.take(2, TYPES.indexOf(tick.type()));
        }

    }

    /**
     * The messages one client's listeners (or raw handler) got during a flood: how many of
     * each type, how many went to a listener of another type or had no known type, and how
     * many arrived after the flood was complete. Called on the receiving thread; read by
     * the harness after the flood.
     */
    public static final class Deliveries {

        private static final String[] PREFIXES = TYPES.stream()
            .map((type) -> "{\"type\":\"" + type + "\"")
            .toArray(String[]::new);

        private final AtomicLongArray perType = new AtomicLongArray(TYPES.size());

        private final AtomicLong wrong = new AtomicLong();

        private final AtomicLong extra = new AtomicLong();

        private final AtomicLong left = new AtomicLong();

        private volatile CompletableFuture<Void> done = CompletableFuture.completedFuture(null);

        /**
         * The type of a message by its first field (the server's messages start with it),
         * without parsing it.
         * @return the index in {@link #TYPES}, or -1
         */
        public static int typeOf(String text) {
            for (int i = 0; i < PREFIXES.length; i++) {
                if (text.startsWith(PREFIXES[i])) {
                    return i;
                }
            }
            return -1;
        }

        /**
         * One message delivered.
         * @param listenerType the type the listener is routed to, or -1 for one that takes all
         * @param type the message's type, or -1 when it has none of the known ones
         */
        public void take(int listenerType, int type) {
            if (type < 0 || (listenerType >= 0 && listenerType != type)) {
                this.wrong.incrementAndGet();
            }
            else {
                this.perType.incrementAndGet(type);
            }
            long remaining = this.left.decrementAndGet();
            if (remaining == 0) {
                this.done.complete(null);
            }
            else if (remaining < 0) {
                this.extra.incrementAndGet();
            }
        }

        /**
         * Start counting a flood of {@code count} messages; fails if messages arrived after
         * the last flood was complete.
         * @return completed when {@code count} messages were delivered
         */
        public CompletableFuture<Void> expect(int count) {
            checkNoExtra();
            for (int i = 0; i < TYPES.size(); i++) {
                this.perType.set(i, 0);
            }
            this.wrong.set(0);
            CompletableFuture<Void> future = new CompletableFuture<>();
            this.done = future;
            this.left.set(count);
            return future;
        }

        /** Fail the current flood (e.g. its command could not be sent). */
        public void fail(Throwable cause) {
            this.done.completeExceptionally(cause);
        }

        /** Messages of the current flood delivered so far. */
        public long delivered(int count) {
            return count - Math.max(0, this.left.get());
        }

        /**
         * Checks that the flood of {@code count} messages, whose types cycled over
         * {@link #TYPES}, reached the listeners exactly: each type's count, nothing wrong.
         * @param who the client, for the message
         * @throws IllegalStateException otherwise
         */
        public void check(String who, int count) {
            checkNoExtra();
            if (this.wrong.get() != 0) {
                throw new IllegalStateException(who + ": " + this.wrong.get() + " of " + count
                        + " messages went to a listener of another type or had no known type");
            }
            for (int i = 0; i < TYPES.size(); i++) {
                long expected = count / TYPES.size() + ((i < count % TYPES.size()) ? 1 : 0);
                if (this.perType.get(i) != expected) {
                    throw new IllegalStateException(who + ": " + this.perType.get(i) + " messages of type "
                            + TYPES.get(i) + " delivered, expected " + expected + " of " + count);
                }
            }
        }

        /** Fails if messages arrived after the last flood was complete. */
        public void checkNoExtra() {
            if (this.extra.get() != 0) {
                throw new IllegalStateException(this.extra.get() + " messages arrived after a flood was complete");
            }
        }

    }

}
