package io.github.reconnectingws;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.BeanUtils;
import org.springframework.util.unit.DataSize;

/**
 * Every setting of one connection, with its default and its check. The plain builder
 * configures it, and Spring Boot maps the {@code reconnecting.websocket.*} properties onto
 * it (a test checks that the defaults of both agree). {@link #validate()} reports the
 * first invalid setting by the name it has in configuration.
 */
public class ConnectionSettings {

    /** Replaced, in the URL and in header values, by the last delivered position. */
    public static final String POSITION_PLACEHOLDER = "{position}";

    private static final String POSITIVE_DURATION = "a positive duration, e.g. 10s or 500ms";

    private static final String NON_NEGATIVE_DURATION = "a duration of 0 or more, e.g. 0s or 5s";

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

    private final Backoff backoff = new Backoff();

    private final Heartbeat heartbeat = new Heartbeat();

    private final Outbound outbound = new Outbound();

    private final Resume resume = new Resume();

    private final Stomp stomp = new Stomp();

    private final Compression compression = new Compression();

    private final Proxy proxy = new Proxy();

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

    public Backoff getBackoff() {
        return this.backoff;
    }

    public Heartbeat getHeartbeat() {
        return this.heartbeat;
    }

    public Outbound getOutbound() {
        return this.outbound;
    }

    public Resume getResume() {
        return this.resume;
    }

    public Stomp getStomp() {
        return this.stomp;
    }

    public Compression getCompression() {
        return this.compression;
    }

    public Proxy getProxy() {
        return this.proxy;
    }

    /**
     * The URL as a URI, checked.
     * @return the URI
     * @throws InvalidConnectionSettingException if the URL is missing or not a ws/wss URL
     * with a host (the message does not repeat the URL: it may carry credentials)
     */
    public URI uri() {
        return uri("");
    }

    /**
     * The URL as a URI, with {@value #POSITION_PLACEHOLDER} replaced, checked.
     * @param position the text in place of {@value #POSITION_PLACEHOLDER}, already
     * URL-encoded
     * @return the URI
     * @throws InvalidConnectionSettingException if the URL is missing or not a ws/wss URL
     * with a host (the message does not repeat the URL: it may carry credentials)
     */
    public URI uri(String position) {
        String url = this.url;
        if (url == null || url.isBlank()) {
            throw invalidUrl("no URL is set");
        }
        URI uri;
        try {
            uri = new URI(url.trim().replace(POSITION_PLACEHOLDER, position));
        }
        catch (URISyntaxException ex) {
            throw invalidUrl("not a valid URI (at index " + ex.getIndex() + ")");
        }
        String scheme = uri.getScheme();
        if (!"ws".equalsIgnoreCase(scheme) && !"wss".equalsIgnoreCase(scheme)) {
            throw invalidUrl("must start with ws:// or wss://, not " + scheme + "://");
        }
        if (uri.getHost() == null) {
            throw invalidUrl("has no host");
        }
        return uri;
    }

    /**
     * The origin of the URL: scheme, host and port, the default port made explicit, e.g.
     * {@code wss://example.org:443}. Nothing configured for one origin (header values,
     * user-info, the STOMP passcode) is sent to another.
     * @return the origin
     * @throws InvalidConnectionSettingException if the URL is missing or invalid
     */
    public String origin() {
        URI uri = uri();
        String scheme = uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        int port = (uri.getPort() != -1) ? uri.getPort() : "wss".equals(scheme) ? 443 : 80;
        return scheme + "://" + uri.getHost().toLowerCase(java.util.Locale.ROOT) + ":" + port;
    }

    private static InvalidConnectionSettingException invalidUrl(String reason) {
        return new InvalidConnectionSettingException("url", null, reason,
                "a ws:// or wss:// URL with a host, e.g. wss://example.org/feed");
    }

    /**
     * Check every setting; the URL only when it is set.
     * @throws InvalidConnectionSettingException for the first invalid setting
     */
    public void validate() {
        if (this.url != null) {
            uri();
        }
        positive("connect-timeout", this.connectTimeout);
        messageSize("max-text-message-size", this.maxTextMessageSize);
        messageSize("max-binary-message-size", this.maxBinaryMessageSize);
        if (this.maxReconnects < 0) {
            throw new InvalidConnectionSettingException("max-reconnects", String.valueOf(this.maxReconnects),
                    "must not be negative", "0 (unlimited) or a positive number of reconnects");
        }
        positive("max-reconnects-window", this.maxReconnectsWindow);
        notNegative("shutdown-timeout", this.shutdownTimeout);
        required("fatal-close-codes", this.fatalCloseCodes);
        for (String codes : this.fatalCloseCodes) {
            try {
                CloseCodes.parse(codes);
            }
            catch (IllegalArgumentException ex) {
                throw new InvalidConnectionSettingException("fatal-close-codes", codes, ex.getMessage(),
                        "close codes from 1000 to 4999 and ranges of them, e.g. 1008, 4000-4099");
            }
        }
        notNegative("max-connection-age", this.maxConnectionAge);
        this.backoff.validate();
        notNegative("heartbeat.interval", this.heartbeat.interval);
        positive("heartbeat.timeout", this.heartbeat.timeout);
        if (this.outbound.bufferSize <= 0) {
            throw new InvalidConnectionSettingException("outbound.buffer-size", String.valueOf(this.outbound.bufferSize),
                    "must be positive", "a number of messages of 1 or more");
        }
        required("outbound.overflow", this.outbound.overflow);
        positive("outbound.send-time-limit", this.outbound.sendTimeLimit);
        if (this.outbound.rateLimit < 0) {
            throw new InvalidConnectionSettingException("outbound.rate-limit", String.valueOf(this.outbound.rateLimit),
                    "must not be negative", "0 (unlimited) or a number of messages per second");
        }
        required("resume.position", this.resume.position);
        if (!this.resume.position.isEmpty() && !this.resume.position.startsWith("/")) {
            throw new InvalidConnectionSettingException("resume.position", this.resume.position,
                    "is not a JSON pointer", "a JSON pointer such as /seq or /data/offset, or empty (off)");
        }
        required("resume.store", this.resume.store);
        positive("resume.flush-interval", this.resume.flushInterval);
        required("headers", this.headers);
        required("subprotocols", this.subprotocols);
        this.proxy.validate();
    }

    /**
     * A copy of these settings (of the settings of this class only), sharing nothing
     * mutable with them.
     * @return the copy
     */
    public ConnectionSettings copy() {
        ConnectionSettings copy = new ConnectionSettings();
        BeanUtils.copyProperties(this, copy);
        BeanUtils.copyProperties(this.backoff, copy.backoff);
        BeanUtils.copyProperties(this.heartbeat, copy.heartbeat);
        BeanUtils.copyProperties(this.outbound, copy.outbound);
        BeanUtils.copyProperties(this.resume, copy.resume);
        BeanUtils.copyProperties(this.stomp, copy.stomp);
        BeanUtils.copyProperties(this.compression, copy.compression);
        BeanUtils.copyProperties(this.proxy, copy.proxy);
        copy.headers = new LinkedHashMap<>(this.headers);
        copy.subprotocols = new ArrayList<>(this.subprotocols);
        copy.fatalCloseCodes = new ArrayList<>(this.fatalCloseCodes);
        return copy;
    }

    private static void required(String setting, @Nullable Object value) {
        if (value == null) {
            throw new InvalidConnectionSettingException(setting, null, "must be set", "any value but an empty one");
        }
    }

    private static void positive(String setting, @Nullable Duration duration) {
        required(setting, duration);
        if (duration.isNegative() || duration.isZero()) {
            throw new InvalidConnectionSettingException(setting, duration.toString(), "must be positive",
                    POSITIVE_DURATION);
        }
    }

    private static void notNegative(String setting, @Nullable Duration duration) {
        required(setting, duration);
        if (duration.isNegative()) {
            throw new InvalidConnectionSettingException(setting, duration.toString(), "must not be negative",
                    NON_NEGATIVE_DURATION);
        }
    }

    private static void messageSize(String setting, @Nullable DataSize size) {
        required(setting, size);
        if (size.toBytes() <= 0 || size.toBytes() > Integer.MAX_VALUE) {
            throw new InvalidConnectionSettingException(setting, size.toString(), "must be positive and below 2GB",
                    "a data size such as 64KB or 1MB");
        }
    }

    /**
     * Exponential backoff between connection attempts (knob names of the Go
     * {@code cenkalti/backoff} package).
     */
    public static class Backoff {

        /**
         * Delay before the first attempt after a drop.
         */
        private Duration initialInterval = Duration.ofMillis(100);

        /**
         * Factor by which the delay grows after each failed attempt; at least 1.
         */
        private double multiplier = 2.0;

        /**
         * Jitter: each delay d is drawn from [d*(1-f), d*(1+f)]; between 0 and 1.
         */
        private double randomizationFactor = 0.5;

        /**
         * Largest delay between attempts.
         */
        private Duration maxInterval = Duration.ofSeconds(30);

        /**
         * Give up (state FAILED) when an outage lasts longer than this; 0 retries
         * forever.
         */
        private Duration maxElapsedTime = Duration.ZERO;

        /**
         * How long a connection must stay up for the backoff to start over from
         * initial-interval at the next drop.
         */
        private Duration stableAfter = Duration.ofSeconds(5);

        public Duration getInitialInterval() {
            return this.initialInterval;
        }

        public void setInitialInterval(Duration initialInterval) {
            this.initialInterval = initialInterval;
        }

        public double getMultiplier() {
            return this.multiplier;
        }

        public void setMultiplier(double multiplier) {
            this.multiplier = multiplier;
        }

        public double getRandomizationFactor() {
            return this.randomizationFactor;
        }

        public void setRandomizationFactor(double randomizationFactor) {
            this.randomizationFactor = randomizationFactor;
        }

        public Duration getMaxInterval() {
            return this.maxInterval;
        }

        public void setMaxInterval(Duration maxInterval) {
            this.maxInterval = maxInterval;
        }

        public Duration getMaxElapsedTime() {
            return this.maxElapsedTime;
        }

        public void setMaxElapsedTime(Duration maxElapsedTime) {
            this.maxElapsedTime = maxElapsedTime;
        }

        public Duration getStableAfter() {
            return this.stableAfter;
        }

        public void setStableAfter(Duration stableAfter) {
            this.stableAfter = stableAfter;
        }

        private void validate() {
            positive("backoff.initial-interval", this.initialInterval);
            if (!(this.multiplier >= 1.0)) {
                throw new InvalidConnectionSettingException("backoff.multiplier", String.valueOf(this.multiplier),
                        "must be at least 1", "a number of 1.0 or more, e.g. 2.0");
            }
            if (!(this.randomizationFactor >= 0.0 && this.randomizationFactor <= 1.0)) {
                throw new InvalidConnectionSettingException("backoff.randomization-factor",
                        String.valueOf(this.randomizationFactor), "must be between 0 and 1",
                        "a number from 0.0 (no jitter) to 1.0, e.g. 0.5");
            }
            positive("backoff.max-interval", this.maxInterval);
            notNegative("backoff.max-elapsed-time", this.maxElapsedTime);
            notNegative("backoff.stable-after", this.stableAfter);
        }

    }

    /**
     * Keep-alive pings that detect half-open connections.
     */
    public static class Heartbeat {

        /**
         * How often to send a ping; 0 turns the heartbeat off.
         */
        private Duration interval = Duration.ofSeconds(20);

        /**
         * How long to wait for a pong or any other frame after a ping before the
         * connection is considered dead, dropped and reconnected.
         */
        private Duration timeout = Duration.ofSeconds(10);

        public Duration getInterval() {
            return this.interval;
        }

        public void setInterval(Duration interval) {
            this.interval = interval;
        }

        public Duration getTimeout() {
            return this.timeout;
        }

        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }

    }

    /**
     * STOMP 1.2 over the connection: CONNECT on every connection, subscriptions restored
     * after every reconnect.
     */
    public static class Stomp {

        /**
         * Whether to speak STOMP 1.2 over this connection.
         */
        private boolean enabled = false;

        /**
         * The login of the CONNECT frame.
         */
        private @Nullable String login;

        /**
         * The passcode of the CONNECT frame; a secret, masked like header values.
         */
        private @Nullable String passcode;

        /**
         * The virtual host of the CONNECT frame.
         */
        private String host = "/";

        /**
         * Whether each SEND asks for a RECEIPT: its future completes when the broker has
         * it, and a SEND without a receipt is sent again after a reconnect (at least once).
         */
        private boolean receipts = false;

        public boolean isEnabled() {
            return this.enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public @Nullable String getLogin() {
            return this.login;
        }

        public void setLogin(@Nullable String login) {
            this.login = login;
        }

        public @Nullable String getPasscode() {
            return this.passcode;
        }

        public void setPasscode(@Nullable String passcode) {
            this.passcode = passcode;
        }

        public String getHost() {
            return this.host;
        }

        public void setHost(String host) {
            this.host = host;
        }

        public boolean isReceipts() {
            return this.receipts;
        }

        public void setReceipts(boolean receipts) {
            this.receipts = receipts;
        }

    }

    /**
     * Resuming a feed after every reconnect, restart and failover from the last delivered
     * position.
     */
    public static class Resume {

        /**
         * JSON pointer to the position in inbound JSON text messages, e.g. /seq; empty
         * turns resuming off. {position} in the URL and in header values is replaced on
         * every attempt with the last delivered position.
         */
        private String position = "";

        /**
         * Where the last delivered position is kept: memory, or jdbc (the application's
         * DataSource; survives restarts and failovers).
         */
        private Store store = Store.MEMORY;

        /**
         * Whether numeric positions at or below the last delivered one are dropped before
         * the listeners.
         */
        private boolean deduplicate = true;

        /**
         * How often the jdbc store writes the last delivered position: the most a crash
         * can replay.
         */
        private Duration flushInterval = Duration.ofMillis(200);

        public String getPosition() {
            return this.position;
        }

        public void setPosition(String position) {
            this.position = position;
        }

        public Store getStore() {
            return this.store;
        }

        public void setStore(Store store) {
            this.store = store;
        }

        public boolean isDeduplicate() {
            return this.deduplicate;
        }

        public void setDeduplicate(boolean deduplicate) {
            this.deduplicate = deduplicate;
        }

        public Duration getFlushInterval() {
            return this.flushInterval;
        }

        public void setFlushInterval(Duration flushInterval) {
            this.flushInterval = flushInterval;
        }

        /** Where positions are kept. */
        public enum Store {

            /** In this JVM: survives reconnects and rotations. */
            MEMORY,

            /** In the application's DataSource: survives restarts and failovers too. */
            JDBC

        }

    }

    /**
     * The buffer of messages sent while disconnected (or faster than they can be
     * written).
     */
    public static class Outbound {

        /**
         * How many messages may wait to be written.
         */
        private int bufferSize = 1000;

        /**
         * What to do with a new message when the buffer is full.
         */
        private OutboundOverflow overflow = OutboundOverflow.REJECT;

        /**
         * How long one write may take before the connection counts as broken.
         */
        private Duration sendTimeLimit = Duration.ofSeconds(10);

        /**
         * Whether to write on the sending thread when nothing else is being written: the
         * lowest latency for request/response traffic, but sending may then block (up to
         * the send time limit) while the socket buffer is full. Off: writes run on the
         * shared writer pool and sending never blocks.
         */
        private boolean writeInline = false;

        /**
         * Most messages written per second, in any second; further messages wait in the
         * buffer, in order (paced, not dropped). 0 means unlimited.
         */
        private int rateLimit = 0;

        public int getRateLimit() {
            return this.rateLimit;
        }

        public void setRateLimit(int rateLimit) {
            this.rateLimit = rateLimit;
        }

        public int getBufferSize() {
            return this.bufferSize;
        }

        public void setBufferSize(int bufferSize) {
            this.bufferSize = bufferSize;
        }

        public OutboundOverflow getOverflow() {
            return this.overflow;
        }

        public void setOverflow(OutboundOverflow overflow) {
            this.overflow = overflow;
        }

        public Duration getSendTimeLimit() {
            return this.sendTimeLimit;
        }

        public void setSendTimeLimit(Duration sendTimeLimit) {
            this.sendTimeLimit = sendTimeLimit;
        }

        public boolean isWriteInline() {
            return this.writeInline;
        }

        public void setWriteInline(boolean writeInline) {
            this.writeInline = writeInline;
        }

    }

    /**
     * permessage-deflate (RFC 7692): offered on every handshake, used when the server
     * accepts it. Message size limits apply to the inflated message.
     */
    public static class Compression {

        /**
         * Whether to offer permessage-deflate on every handshake; plain frames are used
         * when the server does not accept it.
         */
        private boolean enabled = true;

        public boolean isEnabled() {
            return this.enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

    }

    /**
     * An HTTP proxy for this connection, reached with a CONNECT tunnel for ws:// and
     * wss:// alike (TLS stays end to end with the feed).
     */
    public static class Proxy {

        /**
         * URL of the HTTP proxy, http://host:port. Empty: the JVM's proxy settings apply
         * (http.proxyHost, https.proxyHost, http.nonProxyHosts), i.e. none by default.
         */
        private String url = "";

        /**
         * User name for Basic authentication at the proxy; empty: none.
         */
        private String username = "";

        /**
         * Password for Basic authentication at the proxy; a secret, masked like header
         * values and sent only to the proxy.
         */
        private String password = "";

        public String getUrl() {
            return this.url;
        }

        public void setUrl(String url) {
            this.url = url;
        }

        public String getUsername() {
            return this.username;
        }

        public void setUsername(String username) {
            this.username = username;
        }

        public String getPassword() {
            return this.password;
        }

        public void setPassword(String password) {
            this.password = password;
        }

        /**
         * The proxy's address, checked.
         * @return the proxy's URI, or {@code null} when no proxy is set
         * @throws InvalidConnectionSettingException if the URL is not an http:// URL with a
         * host and a port, or carries credentials
         */
        public @Nullable URI uri() {
            if (this.url == null || this.url.isBlank()) {
                return null;
            }
            URI uri;
            try {
                uri = new URI(this.url.trim());
            }
            catch (URISyntaxException ex) {
                throw invalidProxyUrl("not a valid URI (at index " + ex.getIndex() + ")");
            }
            if (!"http".equalsIgnoreCase(uri.getScheme())) {
                throw invalidProxyUrl("must start with http://, not " + uri.getScheme() + "://");
            }
            if (uri.getHost() == null || uri.getPort() == -1) {
                throw invalidProxyUrl("needs a host and a port");
            }
            if (uri.getRawUserInfo() != null) {
                throw invalidProxyUrl("must not carry credentials: set proxy.username and proxy.password");
            }
            return uri;
        }

        private static InvalidConnectionSettingException invalidProxyUrl(String reason) {
            return new InvalidConnectionSettingException("proxy.url", null, reason,
                    "an http:// URL with a host and a port, e.g. http://proxy.example.org:3128, or empty");
        }

        private void validate() {
            required("proxy.url", this.url);
            required("proxy.username", this.username);
            required("proxy.password", this.password);
            URI uri = uri();
            if (!this.username.isEmpty() && uri == null) {
                throw new InvalidConnectionSettingException("proxy.username", this.username,
                        "is set but proxy.url is not", "empty, or a user name together with proxy.url");
            }
            if (!this.password.isEmpty() && this.username.isEmpty()) {
                throw new InvalidConnectionSettingException("proxy.password", null,
                        "is set but proxy.username is not", "empty, or a password together with proxy.username");
            }
        }

    }

}
