package io.github.reconnectingws.connection;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import javax.net.ssl.SSLContext;

import io.github.reconnectingws.ConnectionInitializer;
import io.github.reconnectingws.ConnectionObserver;
import io.github.reconnectingws.ConnectionSettings;
import io.github.reconnectingws.HandshakeRequestCustomizer;
import io.github.reconnectingws.InboundMessageHandler;
import io.github.reconnectingws.OutboundOverflow;
import io.github.reconnectingws.PayloadEncoder;
import io.github.reconnectingws.PositionExtractor;
import io.github.reconnectingws.ReconnectingWebSocketClient;
import io.github.reconnectingws.ResumePositionStore;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;
import org.springframework.util.unit.DataSize;
import org.springframework.web.socket.client.WebSocketClient;

/**
 * Builds a {@link ReconnectingWebSocketClient} without Spring Boot. The settings and
 * their defaults are those of {@link ConnectionSettings} (and so of the
 * {@code reconnecting.websocket.*} properties). An invalid URL or setting fails here,
 * with an {@link io.github.reconnectingws.InvalidConnectionSettingException} (an
 * {@link IllegalArgumentException}), not on the first connect.
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
    public static final String DEFAULT_NAME = ReconnectingWebSocketClient.DEFAULT_NAME;

    private ConnectionSettings settings;

    private String name = DEFAULT_NAME;

    /** Everything else the client is built from. */
    private final ClientAssembly parts = new ClientAssembly();

    private ReconnectingWebSocketClientBuilder(ConnectionSettings settings) {
        this.settings = settings;
    }

    /**
     * Start building a client for a {@code ws://} or {@code wss://} URL.
     * @param url the URL
     * @return the builder
     * @throws IllegalArgumentException if the URL is not a valid ws/wss URL (the message
     * does not repeat the URL: it may carry credentials)
     */
    public static ReconnectingWebSocketClientBuilder forUrl(String url) {
        Assert.notNull(url, "url must not be null");
        return forSettings(ConnectionSettings.DEFAULTS.withUrl(url));
    }

    /**
     * Start building a client for a {@code ws://} or {@code wss://} URI.
     * @param uri the URI
     * @return the builder
     * @throws IllegalArgumentException if the URI is not a ws/wss URI with a host
     */
    public static ReconnectingWebSocketClientBuilder forUri(URI uri) {
        Assert.notNull(uri, "uri must not be null");
        return forUrl(uri.toString());
    }

    /**
     * Start building a client from complete settings (an immutable value, checked when it
     * was made).
     * @param settings the settings, with a URL
     * @return the builder
     * @throws IllegalArgumentException if the URL is missing
     */
    public static ReconnectingWebSocketClientBuilder forSettings(ConnectionSettings settings) {
        Assert.notNull(settings, "settings must not be null");
        settings.uri();
        return new ReconnectingWebSocketClientBuilder(settings);
    }

    /** The settings so far. */
    ConnectionSettings settings() {
        return this.settings;
    }

    /**
     * Apply a change: the settings check the values they are made with, so an invalid
     * change throws and is not applied.
     */
    private ReconnectingWebSocketClientBuilder set(UnaryOperator<ConnectionSettings> change) {
        this.settings = change.apply(this.settings);
        return this;
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
     * A header sent on every handshake, replacing an earlier value; a secret.
     * @param name the header name
     * @param value the header value
     * @return this builder
     */
    public ReconnectingWebSocketClientBuilder header(String name, String value) {
        return set(SettingsChanges.header(name, value));
    }

    /**
     * Headers sent on every handshake ({@link ConnectionSettings#headers()}).
     * @param headers the headers
     * @return this builder
     */
    public ReconnectingWebSocketClientBuilder headers(Map<String, String> headers) {
        return set(SettingsChanges.headers(headers));
    }

    /**
     * Subprotocols offered, in order ({@link ConnectionSettings#subprotocols()}).
     * @param subprotocols the subprotocols
     * @return this builder
     */
    public ReconnectingWebSocketClientBuilder subprotocols(List<String> subprotocols) {
        return set(SettingsChanges.subprotocols(subprotocols));
    }

    /**
     * Sets {@link ConnectionSettings#connectTimeout()}.
     * @param connectTimeout the timeout
     * @return this builder
     */
    public ReconnectingWebSocketClientBuilder connectTimeout(Duration connectTimeout) {
        return set(SettingsChanges.handshake(null, null, connectTimeout, null));
    }

    /**
     * Sets {@link ConnectionSettings#followRedirects()}: same-origin redirects only, at most 5
     * per attempt; any other redirect fails the client and is never contacted.
     * @param followRedirects whether to follow same-origin redirects
     * @return this builder
     */
    public ReconnectingWebSocketClientBuilder followRedirects(boolean followRedirects) {
        return set(SettingsChanges.handshake(null, null, null, followRedirects));
    }

    /**
     * Sets {@link ConnectionSettings.Compression}.
     * @param enabled whether to offer permessage-deflate
     * @return this builder
     */
    public ReconnectingWebSocketClientBuilder compression(boolean enabled) {
        return set((s) -> s.withCompression(new ConnectionSettings.Compression(enabled)));
    }

    /**
     * Connect through an HTTP proxy ({@code CONNECT} tunnel, TLS end to end with the
     * feed) instead of the JVM's proxy settings. Applies to the default transport
     * (Tomcat's client).
     * @param url the proxy, {@code http://host:port}
     * @param username the user name for Basic authentication at the proxy, or
     * {@code null} for none
     * @param password the password, a secret sent only to the proxy, or {@code null}
     * @return this builder
     */
    public ReconnectingWebSocketClientBuilder proxy(String url, @Nullable String username,
            @Nullable String password) {
        return set(SettingsChanges.proxy(url, username, password));
    }

    /**
     * Sets {@link ConnectionSettings#maxTextMessageSize()} and
     * {@link ConnectionSettings#maxBinaryMessageSize()}, in bytes.
     * @param maxTextMessageSize largest text message
     * @param maxBinaryMessageSize largest binary message
     * @return this builder
     */
    public ReconnectingWebSocketClientBuilder maxMessageSizes(int maxTextMessageSize, int maxBinaryMessageSize) {
        return set(SettingsChanges.limits(DataSize.ofBytes(maxTextMessageSize), DataSize.ofBytes(maxBinaryMessageSize),
                null, null, null, null, null));
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
        return set((s) -> s.withBackoff(new ConnectionSettings.Backoff(initialInterval, multiplier,
                randomizationFactor, maxInterval, maxElapsedTime, s.backoff().stableAfter())));
    }

    /**
     * Sets {@link ConnectionSettings.Backoff#stableAfter()}.
     * @param stableAfter the time
     * @return this builder
     */
    public ReconnectingWebSocketClientBuilder stableAfter(Duration stableAfter) {
        return set(SettingsChanges.stableAfter(stableAfter));
    }

    /**
     * Sets {@link ConnectionSettings#maxReconnects()} within
     * {@link ConnectionSettings#maxReconnectsWindow()}; 0 is unlimited.
     * @param maxReconnects the limit
     * @param window the sliding window
     * @return this builder
     */
    public ReconnectingWebSocketClientBuilder maxReconnects(int maxReconnects, Duration window) {
        return set(SettingsChanges.limits(null, null, maxReconnects, window, null, null, null));
    }

    /**
     * Sets {@link ConnectionSettings.Heartbeat}.
     * @param interval the ping interval, zero for none
     * @param timeout the time to wait for a sign of life
     * @return this builder
     */
    public ReconnectingWebSocketClientBuilder heartbeat(Duration interval, Duration timeout) {
        return set((s) -> s.withHeartbeat(new ConnectionSettings.Heartbeat(interval, timeout)));
    }

    /**
     * Sets {@link ConnectionSettings.Outbound#bufferSize()} and
     * {@link ConnectionSettings.Outbound#overflow()}.
     * @param bufferSize the capacity
     * @param overflow the overflow strategy
     * @return this builder
     */
    public ReconnectingWebSocketClientBuilder outbound(int bufferSize, OutboundOverflow overflow) {
        return set(SettingsChanges.outbound(bufferSize, overflow, null, null, null));
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
        return set(SettingsChanges.outbound(null, null, null, writeInline, null));
    }

    /**
     * Sets {@link ConnectionSettings.Outbound#sendTimeLimit()}.
     * @param sendTimeLimit the limit
     * @return this builder
     */
    public ReconnectingWebSocketClientBuilder sendTimeLimit(Duration sendTimeLimit) {
        return set(SettingsChanges.outbound(null, null, sendTimeLimit, null, null));
    }

    /**
     * Sets {@link ConnectionSettings.Outbound#rateLimit()}; paced, in order, across reconnects.
     * @param messagesPerSecond the limit, or 0
     * @return this builder
     */
    public ReconnectingWebSocketClientBuilder rateLimit(int messagesPerSecond) {
        return set(SettingsChanges.outbound(null, null, null, null, messagesPerSecond));
    }

    /**
     * Adds to {@link ConnectionSettings#fatalCloseCodes()}, e.g. {@code "1008", "4000-4099"}.
     * @param codes codes and ranges
     * @return this builder
     */
    public ReconnectingWebSocketClientBuilder fatalCloseCodes(String... codes) {
        return set(SettingsChanges.fatalCloseCodes(List.of(codes)));
    }

    /**
     * Sets {@link ConnectionSettings#maxConnectionAge()} (make-before-break replacement).
     * @param maxConnectionAge the age, or zero
     * @return this builder
     */
    public ReconnectingWebSocketClientBuilder maxConnectionAge(Duration maxConnectionAge) {
        return set(SettingsChanges.limits(null, null, null, null, null, null, maxConnectionAge));
    }

    /**
     * Sets {@link ConnectionSettings#shutdownTimeout()}.
     * @param shutdownTimeout the timeout
     * @return this builder
     */
    public ReconnectingWebSocketClientBuilder shutdownTimeout(Duration shutdownTimeout) {
        return set(SettingsChanges.limits(null, null, null, null, shutdownTimeout, null, null));
    }

    /**
     * The TLS context for {@code wss://} (trust and keys); the JVM default otherwise.
     * @param sslContext the context
     * @return this builder
     */
    public ReconnectingWebSocketClientBuilder sslContext(@Nullable SSLContext sslContext) {
        this.parts.sslContext = sslContext;
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
        this.parts.transport = transport;
        return this;
    }

    /**
     * How {@code send(Object)} encodes objects other than text, bytes and messages.
     * @param payloadEncoder the encoder
     * @return this builder
     */
    public ReconnectingWebSocketClientBuilder payloadEncoder(@Nullable PayloadEncoder payloadEncoder) {
        this.parts.payloadEncoder = payloadEncoder;
        return this;
    }

    /**
     * Shared threads and containers. Without, the client creates its own and releases
     * them on {@code close()}; with many clients, share one instance.
     * @param resources the resources
     * @return this builder
     */
    public ReconnectingWebSocketClientBuilder resources(@Nullable WebSocketClientResources resources) {
        this.parts.resources = resources;
        return this;
    }

    /**
     * Resume from the last delivered position, read from each message by this extractor
     * (instead of the JSON pointer of {@code resume.position}).
     * @param extractor the extractor
     * @return this builder
     */
    public ReconnectingWebSocketClientBuilder positionExtractor(@Nullable PositionExtractor extractor) {
        this.parts.positionExtractor = extractor;
        return this;
    }

    /**
     * Where the last delivered position is kept; in this JVM by default.
     * @param store the store
     * @return this builder
     */
    public ReconnectingWebSocketClientBuilder positionStore(@Nullable ResumePositionStore store) {
        this.parts.positionStore = store;
        return this;
    }

    /**
     * A protocol's own handshake on every new connection, before the connect hooks and
     * the backlog (STOMP's CONNECT, for one).
     * @param initializer the initializer
     * @return this builder
     */
    public ReconnectingWebSocketClientBuilder connectionInitializer(@Nullable ConnectionInitializer initializer) {
        this.parts.initializer = initializer;
        return this;
    }

    /**
     * Adjust URL and headers before each attempt (token refresh).
     * @param customizer the customizer
     * @return this builder
     */
    public ReconnectingWebSocketClientBuilder handshakeCustomizer(HandshakeRequestCustomizer customizer) {
        this.parts.handshakeCustomizers.add(customizer);
        return this;
    }

    /**
     * Observe the connection.
     * @param observer the observer
     * @return this builder
     */
    public ReconnectingWebSocketClientBuilder observer(ConnectionObserver observer) {
        this.parts.observers.add(observer);
        return this;
    }

    /**
     * Handle inbound messages.
     * @param handler the handler
     * @return this builder
     */
    public ReconnectingWebSocketClientBuilder messageHandler(InboundMessageHandler handler) {
        this.parts.messageHandlers.add(handler);
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
        return this.parts.build(this.name, this.settings);
    }

}
