package io.github.reconnectingws;

import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.util.unit.DataSize;

/**
 * Every setting of one connection, with its default and its check: an immutable value.
 * {@link #DEFAULTS} holds the defaults; each {@code with...} method returns a copy with a
 * setting or a group of them replaced. A value is checked when it is made: an invalid
 * one throws an {@link InvalidConnectionSettingException} that names the setting as it is
 * spelled in configuration (for example {@code backoff.multiplier}). The plain builder
 * makes these settings, and Spring Boot maps the {@code reconnecting.websocket.*}
 * properties onto them.
 *
 * @param url the URL to connect to, ws:// or wss://; {@code null} until one is set
 * @param headers the headers sent on every handshake; their values are treated as secrets
 * @param subprotocols the subprotocols offered in the handshake, in order of preference
 * @param connectTimeout how long one handshake attempt may take
 * @param followRedirects whether to follow a same-origin redirect answered to the handshake
 * @param maxTextMessageSize the largest text message accepted (after inflating)
 * @param maxBinaryMessageSize the largest binary message accepted (after inflating)
 * @param maxReconnects the most reconnects within {@code maxReconnectsWindow}; 0 is unlimited
 * @param maxReconnectsWindow the sliding window of the reconnect rate limit
 * @param shutdownTimeout how long a stop waits for queued messages to be written
 * @param fatalCloseCodes close codes and ranges after which the client fails instead of
 * reconnecting
 * @param maxConnectionAge when positive, a connection is replaced before it is this old
 * @param backoff the delays between attempts
 * @param heartbeat the keep-alive pings
 * @param outbound the buffer of messages to send
 * @param resume resuming a feed from the last delivered position
 * @param stomp STOMP over the connection
 * @param compression permessage-deflate
 * @param proxy an HTTP proxy for this connection
 */
public record ConnectionSettings(@Nullable String url, Map<String, String> headers, List<String> subprotocols,
        Duration connectTimeout, boolean followRedirects, DataSize maxTextMessageSize, DataSize maxBinaryMessageSize,
        int maxReconnects, Duration maxReconnectsWindow, Duration shutdownTimeout, List<String> fatalCloseCodes,
        Duration maxConnectionAge, Backoff backoff, Heartbeat heartbeat, Outbound outbound, Resume resume,
        Stomp stomp, Compression compression, Proxy proxy) {

    /** Replaced, in the URL and in header values, by the last delivered position. */
    public static final String POSITION_PLACEHOLDER = "{position}";

    /** Every default, without a URL. */
    public static final ConnectionSettings DEFAULTS = new ConnectionSettings(null, Map.of(), List.of(),
            Duration.ofSeconds(10), false, DataSize.ofKilobytes(64), DataSize.ofKilobytes(64), 0, Duration.ofMinutes(1),
            Duration.ofSeconds(5), List.of(), Duration.ZERO, Backoff.DEFAULTS, Heartbeat.DEFAULTS, Outbound.DEFAULTS,
            Resume.DEFAULTS, Stomp.DEFAULTS, Compression.DEFAULTS, Proxy.DEFAULTS);

    public ConnectionSettings {
        if (url != null) {
            SettingChecks.uri(url, "");
        }
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(SettingChecks.required("headers", headers)));
        subprotocols = List.copyOf(SettingChecks.required("subprotocols", subprotocols));
        SettingChecks.positive("connect-timeout", connectTimeout);
        SettingChecks.messageSize("max-text-message-size", maxTextMessageSize);
        SettingChecks.messageSize("max-binary-message-size", maxBinaryMessageSize);
        if (maxReconnects < 0) {
            throw new InvalidConnectionSettingException("max-reconnects", String.valueOf(maxReconnects),
                    "must not be negative", "0 (unlimited) or a positive number of reconnects");
        }
        SettingChecks.positive("max-reconnects-window", maxReconnectsWindow);
        SettingChecks.notNegative("shutdown-timeout", shutdownTimeout);
        fatalCloseCodes = List.copyOf(SettingChecks.required("fatal-close-codes", fatalCloseCodes));
        for (String codes : fatalCloseCodes) {
            try {
                CloseCodes.parse(codes);
            }
            catch (IllegalArgumentException ex) {
                throw new InvalidConnectionSettingException("fatal-close-codes", codes, ex.getMessage(),
                        "close codes from 1000 to 4999 and ranges of them, e.g. 1008, 4000-4099");
            }
        }
        SettingChecks.notNegative("max-connection-age", maxConnectionAge);
        SettingChecks.required("backoff", backoff);
        SettingChecks.required("heartbeat", heartbeat);
        SettingChecks.required("outbound", outbound);
        SettingChecks.required("resume", resume);
        SettingChecks.required("stomp", stomp);
        SettingChecks.required("compression", compression);
        SettingChecks.required("proxy", proxy);
    }

    public ConnectionSettings withUrl(@Nullable String url) {
        return new ConnectionSettings(url, this.headers, this.subprotocols, this.connectTimeout, this.followRedirects,
                this.maxTextMessageSize, this.maxBinaryMessageSize, this.maxReconnects, this.maxReconnectsWindow,
                this.shutdownTimeout, this.fatalCloseCodes, this.maxConnectionAge, this.backoff, this.heartbeat,
                this.outbound, this.resume, this.stomp, this.compression, this.proxy);
    }

    public ConnectionSettings withHandshake(Map<String, String> headers, List<String> subprotocols,
            Duration connectTimeout, boolean followRedirects) {
        return new ConnectionSettings(this.url, headers, subprotocols, connectTimeout, followRedirects,
                this.maxTextMessageSize, this.maxBinaryMessageSize, this.maxReconnects, this.maxReconnectsWindow,
                this.shutdownTimeout, this.fatalCloseCodes, this.maxConnectionAge, this.backoff, this.heartbeat,
                this.outbound, this.resume, this.stomp, this.compression, this.proxy);
    }

    public ConnectionSettings withLimits(DataSize maxTextMessageSize, DataSize maxBinaryMessageSize, int maxReconnects,
            Duration maxReconnectsWindow, Duration shutdownTimeout, List<String> fatalCloseCodes,
            Duration maxConnectionAge) {
        return new ConnectionSettings(this.url, this.headers, this.subprotocols, this.connectTimeout,
                this.followRedirects, maxTextMessageSize, maxBinaryMessageSize, maxReconnects, maxReconnectsWindow,
                shutdownTimeout, fatalCloseCodes, maxConnectionAge, this.backoff, this.heartbeat, this.outbound,
                this.resume, this.stomp, this.compression, this.proxy);
    }

    public ConnectionSettings withBackoff(Backoff backoff) {
        return withGroups(backoff, this.heartbeat, this.outbound, this.resume, this.stomp, this.compression, this.proxy);
    }

    public ConnectionSettings withHeartbeat(Heartbeat heartbeat) {
        return withGroups(this.backoff, heartbeat, this.outbound, this.resume, this.stomp, this.compression, this.proxy);
    }

    public ConnectionSettings withOutbound(Outbound outbound) {
        return withGroups(this.backoff, this.heartbeat, outbound, this.resume, this.stomp, this.compression, this.proxy);
    }

    public ConnectionSettings withResume(Resume resume) {
        return withGroups(this.backoff, this.heartbeat, this.outbound, resume, this.stomp, this.compression, this.proxy);
    }

    public ConnectionSettings withStomp(Stomp stomp) {
        return withGroups(this.backoff, this.heartbeat, this.outbound, this.resume, stomp, this.compression, this.proxy);
    }

    public ConnectionSettings withCompression(Compression compression) {
        return withGroups(this.backoff, this.heartbeat, this.outbound, this.resume, this.stomp, compression, this.proxy);
    }

    public ConnectionSettings withProxy(Proxy proxy) {
        return withGroups(this.backoff, this.heartbeat, this.outbound, this.resume, this.stomp, this.compression, proxy);
    }

    private ConnectionSettings withGroups(Backoff backoff, Heartbeat heartbeat, Outbound outbound, Resume resume,
            Stomp stomp, Compression compression, Proxy proxy) {
        return new ConnectionSettings(this.url, this.headers, this.subprotocols, this.connectTimeout,
                this.followRedirects, this.maxTextMessageSize, this.maxBinaryMessageSize, this.maxReconnects,
                this.maxReconnectsWindow, this.shutdownTimeout, this.fatalCloseCodes, this.maxConnectionAge, backoff,
                heartbeat, outbound, resume, stomp, compression, proxy);
    }

    /**
     * What these settings are, without secrets: the origin and the names of the headers,
     * never the URL's path, query or user-info, nor any header value or password.
     */
    @Override
    public String toString() {
        return "ConnectionSettings[origin=" + ((this.url != null) ? origin() : "none") + ", headers="
                + this.headers.keySet() + ", proxy=" + this.proxy.url() + "]";
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
        return SettingChecks.uri(this.url, position);
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
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        int port = (uri.getPort() != -1) ? uri.getPort() : "wss".equals(scheme) ? 443 : 80;
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + port;
    }

    /**
     * Exponential backoff between connection attempts (knob names of the Go
     * {@code cenkalti/backoff} package).
     *
     * @param initialInterval the delay before the first attempt after a drop
     * @param multiplier the factor by which the delay grows after each failed attempt; at
     * least 1
     * @param randomizationFactor jitter: each delay d is drawn from [d*(1-f), d*(1+f)];
     * between 0 and 1
     * @param maxInterval the largest delay between attempts
     * @param maxElapsedTime give up (state FAILED) when an outage lasts longer; 0 retries
     * forever
     * @param stableAfter how long a connection must stay up for the backoff to start over
     */
    public record Backoff(Duration initialInterval, double multiplier, double randomizationFactor,
            Duration maxInterval, Duration maxElapsedTime, Duration stableAfter) {

        /** The defaults. */
        public static final Backoff DEFAULTS = new Backoff(Duration.ofMillis(100), 2.0, 0.5, Duration.ofSeconds(30),
                Duration.ZERO, Duration.ofSeconds(5));

        public Backoff {
            SettingChecks.positive("backoff.initial-interval", initialInterval);
            if (!(multiplier >= 1.0)) {
                throw new InvalidConnectionSettingException("backoff.multiplier", String.valueOf(multiplier),
                        "must be at least 1", "a number of 1.0 or more, e.g. 2.0");
            }
            if (!(randomizationFactor >= 0.0 && randomizationFactor <= 1.0)) {
                throw new InvalidConnectionSettingException("backoff.randomization-factor",
                        String.valueOf(randomizationFactor), "must be between 0 and 1",
                        "a number from 0.0 (no jitter) to 1.0, e.g. 0.5");
            }
            SettingChecks.positive("backoff.max-interval", maxInterval);
            SettingChecks.notNegative("backoff.max-elapsed-time", maxElapsedTime);
            SettingChecks.notNegative("backoff.stable-after", stableAfter);
        }

    }

    /**
     * Keep-alive pings that detect half-open connections.
     *
     * @param interval how often to send a ping; 0 turns the heartbeat off
     * @param timeout how long to wait for a pong or any other frame after a ping before the
     * connection is considered dead
     */
    public record Heartbeat(Duration interval, Duration timeout) {

        /** The defaults. */
        public static final Heartbeat DEFAULTS = new Heartbeat(Duration.ofSeconds(20), Duration.ofSeconds(10));

        public Heartbeat {
            SettingChecks.notNegative("heartbeat.interval", interval);
            SettingChecks.positive("heartbeat.timeout", timeout);
        }

    }

    /**
     * STOMP 1.2 over the connection: CONNECT on every connection, subscriptions restored
     * after every reconnect.
     *
     * @param enabled whether to speak STOMP 1.2 over this connection
     * @param login the login of the CONNECT frame
     * @param passcode the passcode of the CONNECT frame; a secret
     * @param host the virtual host of the CONNECT frame
     * @param receipts whether each SEND asks for a RECEIPT (at least once across reconnects)
     */
    public record Stomp(boolean enabled, @Nullable String login, @Nullable String passcode, String host,
            boolean receipts) {

        /** The defaults. */
        public static final Stomp DEFAULTS = new Stomp(false, null, null, "/", false);

        public Stomp {
            SettingChecks.required("stomp.host", host);
        }

        @Override
        public String toString() {
            return "Stomp[enabled=" + this.enabled + ", host=" + this.host + ", receipts=" + this.receipts + "]";
        }

    }

    /**
     * Resuming a feed after every reconnect, restart and failover from the last delivered
     * position.
     *
     * @param position JSON pointer to the position in inbound JSON text messages; empty
     * turns resuming off
     * @param store where the last delivered position is kept
     * @param deduplicate whether numeric positions at or below the last delivered one are
     * dropped before the listeners
     * @param flushInterval how often the jdbc store writes the last delivered position
     */
    public record Resume(String position, Store store, boolean deduplicate, Duration flushInterval) {

        /** The defaults. */
        public static final Resume DEFAULTS = new Resume("", Store.MEMORY, true, Duration.ofMillis(200));

        public Resume {
            SettingChecks.required("resume.position", position);
            if (!position.isEmpty() && !position.startsWith("/")) {
                throw new InvalidConnectionSettingException("resume.position", position, "is not a JSON pointer",
                        "a JSON pointer such as /seq or /data/offset, or empty (off)");
            }
            SettingChecks.required("resume.store", store);
            SettingChecks.positive("resume.flush-interval", flushInterval);
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
     * The buffer of messages sent while disconnected (or faster than they can be written).
     *
     * @param bufferSize how many messages may wait to be written
     * @param overflow what to do with a new message when the buffer is full
     * @param sendTimeLimit how long one write may take before the connection counts as
     * broken
     * @param writeInline whether to write on the sending thread when nothing else is being
     * written
     * @param rateLimit the most messages written per second; 0 is unlimited
     */
    public record Outbound(int bufferSize, OutboundOverflow overflow, Duration sendTimeLimit, boolean writeInline,
            int rateLimit) {

        /** The defaults. */
        public static final Outbound DEFAULTS = new Outbound(1000, OutboundOverflow.REJECT, Duration.ofSeconds(10),
                false, 0);

        public Outbound {
            if (bufferSize <= 0) {
                throw new InvalidConnectionSettingException("outbound.buffer-size", String.valueOf(bufferSize),
                        "must be positive", "a number of messages of 1 or more");
            }
            SettingChecks.required("outbound.overflow", overflow);
            SettingChecks.positive("outbound.send-time-limit", sendTimeLimit);
            if (rateLimit < 0) {
                throw new InvalidConnectionSettingException("outbound.rate-limit", String.valueOf(rateLimit),
                        "must not be negative", "0 (unlimited) or a number of messages per second");
            }
        }

    }

    /**
     * permessage-deflate (RFC 7692): offered on every handshake, used when the server
     * accepts it. Message size limits apply to the inflated message.
     *
     * @param enabled whether to offer permessage-deflate on every handshake
     */
    public record Compression(boolean enabled) {

        /** The defaults. */
        public static final Compression DEFAULTS = new Compression(true);

    }

    /**
     * An HTTP proxy for this connection, reached with a CONNECT tunnel for ws:// and wss://
     * alike (TLS stays end to end with the feed).
     *
     * @param url the URL of the HTTP proxy, http://host:port; empty: the JVM's proxy
     * settings apply
     * @param username the user name for Basic authentication at the proxy; empty: none
     * @param password the password for Basic authentication at the proxy; a secret, sent
     * only to the proxy
     */
    public record Proxy(String url, String username, String password) {

        /** The defaults: no proxy of this connection's own. */
        public static final Proxy DEFAULTS = new Proxy("", "", "");

        public Proxy {
            SettingChecks.required("proxy.url", url);
            SettingChecks.required("proxy.username", username);
            SettingChecks.required("proxy.password", password);
            URI uri = SettingChecks.proxyUri(url);
            if (!username.isEmpty() && uri == null) {
                throw new InvalidConnectionSettingException("proxy.username", username,
                        "is set but proxy.url is not", "empty, or a user name together with proxy.url");
            }
            if (!password.isEmpty() && username.isEmpty()) {
                throw new InvalidConnectionSettingException("proxy.password", null,
                        "is set but proxy.username is not", "empty, or a password together with proxy.username");
            }
        }

        @Override
        public String toString() {
            return "Proxy[url=" + this.url + ", username=" + this.username + "]";
        }

        /**
         * The proxy's address.
         * @return the proxy's URI, or {@code null} when no proxy is set
         */
        public @Nullable URI uri() {
            return SettingChecks.proxyUri(this.url);
        }

    }

}
