package io.github.reconnectingws.connection;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import javax.net.ssl.SSLContext;

import io.github.reconnectingws.ConnectionObserver;
import io.github.reconnectingws.HandshakeRequestCustomizer;
import io.github.reconnectingws.InboundMessageHandler;
import io.github.reconnectingws.ReconnectingWebSocketClient;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;
import org.springframework.web.socket.client.WebSocketClient;

/**
 * Builds a {@link ReconnectingWebSocketClient} without Spring Boot. Defaults are those of
 * the {@code reconnecting.websocket.*} properties. An invalid URL or setting fails here,
 * with {@link IllegalArgumentException}, not on the first connect.
 *
 * <pre class="code">
 * ReconnectingWebSocketClient client = ReconnectingWebSocketClientBuilder.forUrl("wss://example.org/feed")
 *     .messageHandler((c, session, message) -&gt; System.out.println(message.getPayload()))
 *     .onConnect((c) -&gt; c.send("{\"op\":\"subscribe\"}"))
 *     .build();
 * client.start();
 * </pre>
 */
public final class ReconnectingWebSocketClientBuilder {

    /** The name of the default connection. */
    public static final String DEFAULT_NAME = "default";

    private final URI uri;

    private String name = DEFAULT_NAME;

    private final Map<String, List<String>> headers = new LinkedHashMap<>();

    private final List<String> subprotocols = new ArrayList<>();

    private Duration connectTimeout = Duration.ofSeconds(10);

    private boolean followRedirects;

    private int maxTextMessageSize = 64 * 1024;

    private int maxBinaryMessageSize = 64 * 1024;

    private Duration initialInterval = Duration.ofMillis(100);

    private double multiplier = 2.0;

    private double randomizationFactor = 0.5;

    private Duration maxInterval = Duration.ofSeconds(30);

    private Duration maxElapsedTime = Duration.ZERO;

    private Duration stableAfter = Duration.ofSeconds(5);

    private int maxReconnects;

    private Duration maxReconnectsWindow = Duration.ofMinutes(1);

    private Duration heartbeatInterval = Duration.ofSeconds(20);

    private Duration heartbeatTimeout = Duration.ofSeconds(10);

    private int bufferSize = 1000;

    private OutboundOverflow overflow = OutboundOverflow.REJECT;

    private boolean writeInline;

    private Duration sendTimeLimit = Duration.ofSeconds(10);

    private Duration shutdownTimeout = Duration.ofSeconds(5);

    private @Nullable SSLContext sslContext;

    private @Nullable WebSocketClient transport;

    private @Nullable PayloadEncoder payloadEncoder;

    private @Nullable WebSocketClientResources resources;

    private final List<HandshakeRequestCustomizer> handshakeCustomizers = new ArrayList<>();

    private final List<ConnectionObserver> observers = new ArrayList<>();

    private final List<InboundMessageHandler> messageHandlers = new ArrayList<>();

    private ReconnectingWebSocketClientBuilder(URI uri) {
        this.uri = uri;
    }

    /**
     * Start building a client for a {@code ws://} or {@code wss://} URL.
     * @param url the URL
     * @return the builder
     * @throws IllegalArgumentException if the URL is not a valid ws/wss URL (the message
     * does not repeat the URL: it may carry credentials)
     */
    public static ReconnectingWebSocketClientBuilder forUrl(String url) {
        Assert.hasText(url, "url must not be empty");
        URI uri;
        try {
            uri = new URI(url.trim());
        }
        catch (URISyntaxException ex) {
            throw new IllegalArgumentException("url is not a valid URI (at index " + ex.getIndex() + ")");
        }
        return forUri(uri);
    }

    /**
     * Start building a client for a {@code ws://} or {@code wss://} URI.
     * @param uri the URI
     * @return the builder
     * @throws IllegalArgumentException if the URI is not a ws/wss URI with a host
     */
    public static ReconnectingWebSocketClientBuilder forUri(URI uri) {
        Assert.notNull(uri, "uri must not be null");
        String scheme = uri.getScheme();
        if (!"ws".equalsIgnoreCase(scheme) && !"wss".equalsIgnoreCase(scheme)) {
            throw new IllegalArgumentException("url must start with ws:// or wss://, not " + scheme + "://");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("url has no host");
        }
        return new ReconnectingWebSocketClientBuilder(uri);
    }

    /**
     * The connection's name (metrics tag, logs, events); {@value #DEFAULT_NAME} by default.
     * @param name the name
     * @return this builder
     */
    public ReconnectingWebSocketClientBuilder name(String name) {
        Assert.hasText(name, "name must not be empty");
        this.name = name;
        return this;
    }

    /**
     * A header sent on every handshake; its value is treated as a secret.
     * @param name the header name
     * @param value the header value
     * @return this builder
     */
    public ReconnectingWebSocketClientBuilder header(String name, String value) {
        this.headers.computeIfAbsent(name, (key) -> new ArrayList<>()).add(value);
        return this;
    }

    /**
     * Headers sent on every handshake.
     * @param headers the headers
     * @return this builder
     */
    public ReconnectingWebSocketClientBuilder headers(Map<String, String> headers) {
        headers.forEach(this::header);
        return this;
    }

    /**
     * Subprotocols offered in the handshake, in order of preference.
     * @param subprotocols the subprotocols
     * @return this builder
     */
    public ReconnectingWebSocketClientBuilder subprotocols(List<String> subprotocols) {
        this.subprotocols.addAll(subprotocols);
        return this;
    }

    /**
     * How long one handshake attempt may take; longer is a failed attempt. Default 10s.
     * @param connectTimeout the timeout
     * @return this builder
     */
    public ReconnectingWebSocketClientBuilder connectTimeout(Duration connectTimeout) {
        this.connectTimeout = positive(connectTimeout, "connectTimeout");
        return this;
    }

    /**
     * Whether to follow a redirect answered to the handshake: same-origin redirects
     * only (same scheme, host and port), at most 5 per attempt. A redirect to another
     * origin ({@code wss} to {@code ws} included), or any redirect when this is
     * {@code false}, fails the client (FAILED) and the target is never contacted, so no
     * configured header, user-info or query value reaches another origin. Default
     * {@code false}. With a {@link #transport(WebSocketClient) transport} of the
     * application's, this holds for a {@code StandardWebSocketClient} (whose own redirect
     * following is switched off unless the application set Tomcat's limit itself); other
     * transports follow their own rules.
     * @param followRedirects whether to follow same-origin redirects
     * @return this builder
     */
    public ReconnectingWebSocketClientBuilder followRedirects(boolean followRedirects) {
        this.followRedirects = followRedirects;
        return this;
    }

    /**
     * Largest text and binary message accepted, in bytes. Tomcat allocates buffers of
     * these sizes per connection. Default 64 KiB each.
     * @param maxTextMessageSize largest text message
     * @param maxBinaryMessageSize largest binary message
     * @return this builder
     */
    public ReconnectingWebSocketClientBuilder maxMessageSizes(int maxTextMessageSize, int maxBinaryMessageSize) {
        Assert.isTrue(maxTextMessageSize > 0 && maxBinaryMessageSize > 0, "message sizes must be positive");
        this.maxTextMessageSize = maxTextMessageSize;
        this.maxBinaryMessageSize = maxBinaryMessageSize;
        return this;
    }

    /**
     * Exponential backoff between attempts. Defaults: 100ms, 2.0, 0.5, 30s, 0 (forever).
     * @param initialInterval the first delay after a drop
     * @param multiplier growth per attempt, at least 1
     * @param randomizationFactor delays are drawn from [d*(1-f), d*(1+f)], in [0, 1]
     * @param maxInterval the largest delay
     * @param maxElapsedTime give up (FAILED) when an outage would last longer; zero
     * retries forever
     * @return this builder
     */
    public ReconnectingWebSocketClientBuilder backoff(Duration initialInterval, double multiplier,
            double randomizationFactor, Duration maxInterval, Duration maxElapsedTime) {
        this.initialInterval = positive(initialInterval, "initialInterval");
        Assert.isTrue(multiplier >= 1.0, "multiplier must be at least 1");
        Assert.isTrue(randomizationFactor >= 0 && randomizationFactor <= 1, "randomizationFactor must be in [0, 1]");
        this.multiplier = multiplier;
        this.randomizationFactor = randomizationFactor;
        this.maxInterval = positive(maxInterval, "maxInterval");
        this.maxElapsedTime = notNegative(maxElapsedTime, "maxElapsedTime");
        return this;
    }

    /**
     * How long a connection must stay up before the backoff starts over from the initial
     * interval at the next drop. Default 5s.
     * @param stableAfter the time
     * @return this builder
     */
    public ReconnectingWebSocketClientBuilder stableAfter(Duration stableAfter) {
        this.stableAfter = notNegative(stableAfter, "stableAfter");
        return this;
    }

    /**
     * At most {@code maxReconnects} reconnect attempts within {@code window}; zero means
     * no limit (the default).
     * @param maxReconnects the limit
     * @param window the sliding window
     * @return this builder
     */
    public ReconnectingWebSocketClientBuilder maxReconnects(int maxReconnects, Duration window) {
        Assert.isTrue(maxReconnects >= 0, "maxReconnects must not be negative");
        this.maxReconnects = maxReconnects;
        this.maxReconnectsWindow = positive(window, "maxReconnectsWindow");
        return this;
    }

    /**
     * Ping every {@code interval} (zero: no heartbeat); no frame within {@code timeout}
     * after a ping drops the connection. Defaults 20s and 10s.
     * @param interval the ping interval
     * @param timeout the time to wait for a sign of life
     * @return this builder
     */
    public ReconnectingWebSocketClientBuilder heartbeat(Duration interval, Duration timeout) {
        this.heartbeatInterval = notNegative(interval, "heartbeatInterval");
        this.heartbeatTimeout = positive(timeout, "heartbeatTimeout");
        return this;
    }

    /**
     * The outbound buffer: how many accepted messages may wait, and what happens when it
     * is full. Defaults 1000 and {@link OutboundOverflow#REJECT}.
     * @param bufferSize the capacity
     * @param overflow the overflow strategy
     * @return this builder
     */
    public ReconnectingWebSocketClientBuilder outbound(int bufferSize, OutboundOverflow overflow) {
        Assert.isTrue(bufferSize > 0, "bufferSize must be positive");
        Assert.notNull(overflow, "overflow must not be null");
        this.bufferSize = bufferSize;
        this.overflow = overflow;
        return this;
    }

    /**
     * Write on the sending thread when nothing else is being written, instead of handing
     * every write to the shared writer pool: the lowest latency for request/response
     * traffic (no thread hand-off), but {@code send} may then block, up to the send time
     * limit, while the socket buffer is full, and a sending thread may write messages
     * queued by others. Default {@code false}: {@code send} never blocks.
     * @param writeInline whether to write on the sending thread
     * @return this builder
     */
    public ReconnectingWebSocketClientBuilder writeInline(boolean writeInline) {
        this.writeInline = writeInline;
        return this;
    }

    /**
     * How long one write may take before the connection counts as broken (the message
     * is re-queued and sent after reconnect). Default 10s.
     * @param sendTimeLimit the limit
     * @return this builder
     */
    public ReconnectingWebSocketClientBuilder sendTimeLimit(Duration sendTimeLimit) {
        this.sendTimeLimit = positive(sendTimeLimit, "sendTimeLimit");
        return this;
    }

    /**
     * How long {@code stop()} and {@code close()} wait for queued messages to be written.
     * Default 5s.
     * @param shutdownTimeout the timeout
     * @return this builder
     */
    public ReconnectingWebSocketClientBuilder shutdownTimeout(Duration shutdownTimeout) {
        this.shutdownTimeout = notNegative(shutdownTimeout, "shutdownTimeout");
        return this;
    }

    /**
     * The TLS context for {@code wss://} (trust and keys); the JVM default otherwise.
     * @param sslContext the context
     * @return this builder
     */
    public ReconnectingWebSocketClientBuilder sslContext(@Nullable SSLContext sslContext) {
        this.sslContext = sslContext;
        return this;
    }

    /**
     * The transport. By default a {@code StandardWebSocketClient} on a Tomcat container
     * shared through the {@link #resources resources}, with the connect timeout, message
     * sizes and TLS context applied; a transport given here is used as it is.
     * @param transport the transport
     * @return this builder
     */
    public ReconnectingWebSocketClientBuilder transport(@Nullable WebSocketClient transport) {
        this.transport = transport;
        return this;
    }

    /**
     * How {@code send(Object)} encodes objects other than text, bytes and messages.
     * @param payloadEncoder the encoder
     * @return this builder
     */
    public ReconnectingWebSocketClientBuilder payloadEncoder(@Nullable PayloadEncoder payloadEncoder) {
        this.payloadEncoder = payloadEncoder;
        return this;
    }

    /**
     * Shared threads and containers. Without, the client creates its own and releases
     * them on {@code close()}; with many clients, share one instance.
     * @param resources the resources
     * @return this builder
     */
    public ReconnectingWebSocketClientBuilder resources(@Nullable WebSocketClientResources resources) {
        this.resources = resources;
        return this;
    }

    /**
     * Adjust URL and headers before each attempt (token refresh).
     * @param customizer the customizer
     * @return this builder
     */
    public ReconnectingWebSocketClientBuilder handshakeCustomizer(HandshakeRequestCustomizer customizer) {
        this.handshakeCustomizers.add(customizer);
        return this;
    }

    /**
     * Observe the connection.
     * @param observer the observer
     * @return this builder
     */
    public ReconnectingWebSocketClientBuilder observer(ConnectionObserver observer) {
        this.observers.add(observer);
        return this;
    }

    /**
     * Handle inbound messages.
     * @param handler the handler
     * @return this builder
     */
    public ReconnectingWebSocketClientBuilder messageHandler(InboundMessageHandler handler) {
        this.messageHandlers.add(handler);
        return this;
    }

    /**
     * Run after every (re)connect, before queued messages are flushed: what it sends
     * goes first (re-subscribe).
     * @param hook the hook
     * @return this builder
     */
    public ReconnectingWebSocketClientBuilder onConnect(Consumer<ReconnectingWebSocketClient> hook) {
        return observer(new ConnectionObserver() {
            @Override
            public void onConnected(ReconnectingWebSocketClient client, boolean reconnect) {
                hook.accept(client);
            }
        });
    }

    /**
     * Build the client; it does not connect until {@code start()}.
     * @return the client
     */
    public ReconnectingWebSocketClient build() {
        ConnectionSettings settings = new ConnectionSettings(this.name, this.uri, copy(this.headers),
                List.copyOf(this.subprotocols), this.connectTimeout, this.followRedirects, this.maxTextMessageSize,
                this.maxBinaryMessageSize, this.initialInterval, this.multiplier, this.randomizationFactor,
                this.maxInterval, this.maxElapsedTime, this.stableAfter, this.maxReconnects,
                this.maxReconnectsWindow, this.heartbeatInterval, this.heartbeatTimeout, this.bufferSize,
                this.overflow, this.writeInline, this.sendTimeLimit, this.shutdownTimeout, this.sslContext);
        boolean ownsResources = (this.resources == null);
        WebSocketClientResources resources = ownsResources ? new WebSocketClientResources() : this.resources;
        DefaultReconnectingWebSocketClient client = new DefaultReconnectingWebSocketClient(settings, resources,
                ownsResources, this.transport, this.payloadEncoder, this.handshakeCustomizers);
        this.observers.forEach(client::addObserver);
        this.messageHandlers.forEach(client::addMessageHandler);
        return client;
    }

    private static Map<String, List<String>> copy(Map<String, List<String>> headers) {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        headers.forEach((name, values) -> copy.put(name, List.copyOf(values)));
        return copy;
    }

    private static Duration positive(Duration duration, String name) {
        Assert.isTrue(duration != null && !duration.isNegative() && !duration.isZero(), name + " must be positive");
        return duration;
    }

    private static Duration notNegative(Duration duration, String name) {
        Assert.isTrue(duration != null && !duration.isNegative(), name + " must not be negative");
        return duration;
    }

}
