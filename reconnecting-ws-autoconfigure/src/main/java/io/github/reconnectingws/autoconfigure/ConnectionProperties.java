package io.github.reconnectingws.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.reconnectingws.ConnectionSettings;
import io.github.reconnectingws.reactive.ReactiveOverflow;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.util.unit.DataSize;

/**
 * The settings of one WebSocket connection: those of the client itself, mapped onto
 * {@link ConnectionSettings} (which holds their checks), plus those of its place in the
 * application. At the top level of {@code reconnecting.websocket} they configure the
 * default connection and are the defaults of the named connections under
 * {@code reconnecting.websocket.connections.<name>}, which inherit every setting they
 * leave unset.
 */
public class ConnectionProperties {

    /**
     * URL to connect to, ws:// or wss://. Without a top-level URL there is no default
     * connection.
     */
    private @Nullable String url;

    /**
     * Headers sent on every handshake. Values are treated as secrets. A named connection
     * that sets headers replaces the inherited ones.
     */
    private Map<String, String> headers = new LinkedHashMap<>();

    /**
     * Subprotocols offered in the handshake, in order of preference.
     */
    private List<String> subprotocols = new ArrayList<>();

    /**
     * How long one handshake attempt may take; longer is a failed attempt.
     */
    private Duration connectTimeout = Duration.ofSeconds(10);

    /**
     * Whether to follow a redirect answered to the handshake. Only same-origin redirects
     * (same scheme, host and port) are followed, a few hops at most; a redirect to another
     * origin, or any redirect when this is false, fails the connection without contacting
     * the target.
     */
    private boolean followRedirects = false;

    /**
     * Largest text message accepted; a larger one closes the connection with 1009.
     * Messages over 8 KiB are assembled as they arrive: memory is taken only then.
     */
    private DataSize maxTextMessageSize = DataSize.ofKilobytes(64);

    /**
     * Largest binary message accepted; a larger one closes the connection with 1009.
     * Messages over 8 KiB are assembled as they arrive: memory is taken only then.
     */
    private DataSize maxBinaryMessageSize = DataSize.ofKilobytes(64);

    /**
     * Most reconnects allowed within max-reconnects-window; 0 means unlimited.
     */
    private int maxReconnects = 0;

    /**
     * Sliding window of the reconnect rate limit.
     */
    private Duration maxReconnectsWindow = Duration.ofMinutes(1);

    /**
     * How long stopping the connection (application shutdown) waits for queued messages
     * to be written before closing with 1001.
     */
    private Duration shutdownTimeout = Duration.ofSeconds(5);

    /**
     * Close codes (e.g. 1008) and ranges (e.g. 4000-4099) after which the client does not
     * reconnect but fails, as after a fatal handshake status.
     */
    private List<String> fatalCloseCodes = new ArrayList<>();

    /**
     * When positive, replace the connection before it is this old: open a new one, run
     * the connect hooks there, switch sends and deliveries to it, then close the old one
     * with 1000. The age is jittered down by up to 10% so that connections opened together
     * do not rotate together. 0 keeps connections as long as they last.
     */
    private Duration maxConnectionAge = Duration.ZERO;

    /**
     * Whether to connect when the application context starts.
     */
    private boolean autoStartup = true;

    /**
     * Whether a first connect that fails fatally (rejected handshake, TLS trust failure)
     * fails the application's startup.
     */
    private boolean failFast = false;

    /**
     * Name of the Spring Boot SSL bundle that supplies trust material and keys for wss://.
     */
    private @Nullable String sslBundle;

    @NestedConfigurationProperty
    private final BackoffProperties backoff = new BackoffProperties();

    @NestedConfigurationProperty
    private final HeartbeatProperties heartbeat = new HeartbeatProperties();

    @NestedConfigurationProperty
    private final OutboundProperties outbound = new OutboundProperties();

    @NestedConfigurationProperty
    private final ResumeProperties resume = new ResumeProperties();

    @NestedConfigurationProperty
    private final StompProperties stomp = new StompProperties();

    @NestedConfigurationProperty
    private final CompressionProperties compression = new CompressionProperties();

    @NestedConfigurationProperty
    private final ProxyProperties proxy = new ProxyProperties();

    private final Cluster cluster = new Cluster();

    private final Reactive reactive = new Reactive();

    public @Nullable String getUrl() {
        return this.url;
    }

    public void setUrl(@Nullable String url) {
        this.url = url;
    }

    public Map<String, String> getHeaders() {
        return this.headers;
    }

    public void setHeaders(Map<String, String> headers) {
        this.headers = headers;
    }

    public List<String> getSubprotocols() {
        return this.subprotocols;
    }

    public void setSubprotocols(List<String> subprotocols) {
        this.subprotocols = subprotocols;
    }

    public Duration getConnectTimeout() {
        return this.connectTimeout;
    }

    public void setConnectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public boolean isFollowRedirects() {
        return this.followRedirects;
    }

    public void setFollowRedirects(boolean followRedirects) {
        this.followRedirects = followRedirects;
    }

    public DataSize getMaxTextMessageSize() {
        return this.maxTextMessageSize;
    }

    public void setMaxTextMessageSize(DataSize maxTextMessageSize) {
        this.maxTextMessageSize = maxTextMessageSize;
    }

    public DataSize getMaxBinaryMessageSize() {
        return this.maxBinaryMessageSize;
    }

    public void setMaxBinaryMessageSize(DataSize maxBinaryMessageSize) {
        this.maxBinaryMessageSize = maxBinaryMessageSize;
    }

    public int getMaxReconnects() {
        return this.maxReconnects;
    }

    public void setMaxReconnects(int maxReconnects) {
        this.maxReconnects = maxReconnects;
    }

    public Duration getMaxReconnectsWindow() {
        return this.maxReconnectsWindow;
    }

    public void setMaxReconnectsWindow(Duration maxReconnectsWindow) {
        this.maxReconnectsWindow = maxReconnectsWindow;
    }

    public Duration getShutdownTimeout() {
        return this.shutdownTimeout;
    }

    public void setShutdownTimeout(Duration shutdownTimeout) {
        this.shutdownTimeout = shutdownTimeout;
    }

    public List<String> getFatalCloseCodes() {
        return this.fatalCloseCodes;
    }

    public void setFatalCloseCodes(List<String> fatalCloseCodes) {
        this.fatalCloseCodes = fatalCloseCodes;
    }

    public Duration getMaxConnectionAge() {
        return this.maxConnectionAge;
    }

    public void setMaxConnectionAge(Duration maxConnectionAge) {
        this.maxConnectionAge = maxConnectionAge;
    }

    public boolean isAutoStartup() {
        return this.autoStartup;
    }

    public void setAutoStartup(boolean autoStartup) {
        this.autoStartup = autoStartup;
    }

    public boolean isFailFast() {
        return this.failFast;
    }

    public void setFailFast(boolean failFast) {
        this.failFast = failFast;
    }

    public @Nullable String getSslBundle() {
        return this.sslBundle;
    }

    public void setSslBundle(@Nullable String sslBundle) {
        this.sslBundle = sslBundle;
    }

    public BackoffProperties getBackoff() {
        return this.backoff;
    }

    public HeartbeatProperties getHeartbeat() {
        return this.heartbeat;
    }

    public OutboundProperties getOutbound() {
        return this.outbound;
    }

    public ResumeProperties getResume() {
        return this.resume;
    }

    public StompProperties getStomp() {
        return this.stomp;
    }

    public CompressionProperties getCompression() {
        return this.compression;
    }

    public ProxyProperties getProxy() {
        return this.proxy;
    }

    public Cluster getCluster() {
        return this.cluster;
    }

    public Reactive getReactive() {
        return this.reactive;
    }

    /**
     * Spreading the connection over the live instances of the application: exactly one
     * instance holds it, under a lease in the cluster store.
     */
    public static class Cluster {

        /**
         * Whether exactly one instance of the application holds the connection, the
         * connections being spread over the live instances; the others wait on standby.
         */
        private boolean enabled = false;

        /**
         * The connection's key in the cluster store, unique within the application
         * (spring.application.name). Defaults to the connection's name.
         */
        private @Nullable String role;

        /**
         * How often this instance checks in with the cluster store (one operation for all
         * its connections). Top level only.
         */
        private Duration heartbeat = Duration.ofMillis(500);

        /**
         * How long a check-in keeps this instance's lease: an instance that dies is replaced
         * after this long, and one that cannot check in lets its connections go before it.
         * More than twice the heartbeat. Top level only.
         */
        private Duration lockTtl = Duration.ofSeconds(10);

        public boolean isEnabled() {
            return this.enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public @Nullable String getRole() {
            return this.role;
        }

        public void setRole(@Nullable String role) {
            this.role = role;
        }

        public Duration getHeartbeat() {
            return this.heartbeat;
        }

        public void setHeartbeat(Duration heartbeat) {
            this.heartbeat = heartbeat;
        }

        public Duration getLockTtl() {
            return this.lockTtl;
        }

        public void setLockTtl(Duration lockTtl) {
            this.lockTtl = lockTtl;
        }

    }

    /**
     * The reactive streams of the connection (with Reactor on the classpath): what each
     * subscriber may fall behind by.
     */
    public static class Reactive {

        /**
         * How many items (messages, states, events) may wait for one subscriber that has
         * not asked for them yet; beyond that, the overflow policy applies.
         */
        private int bufferSize = 1024;

        /**
         * What to do with a subscriber whose buffer is full: drop-oldest and drop-latest
         * discard an item for that subscriber only, error ends its stream with an overflow
         * error. Every discarded item is counted (reconnecting.websocket.reactive.dropped).
         */
        private ReactiveOverflow overflow = ReactiveOverflow.DROP_OLDEST;

        public int getBufferSize() {
            return this.bufferSize;
        }

        public void setBufferSize(int bufferSize) {
            this.bufferSize = bufferSize;
        }

        public ReactiveOverflow getOverflow() {
            return this.overflow;
        }

        public void setOverflow(ReactiveOverflow overflow) {
            this.overflow = overflow;
        }

    }

}
