package io.github.reconnectingws.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.github.reconnectingws.connection.OutboundOverflow;
import org.jspecify.annotations.Nullable;

import org.springframework.util.unit.DataSize;

/**
 * The settings of one WebSocket connection. At the top level of
 * {@code reconnecting.websocket} they configure the default connection and carry the
 * defaults; under {@code reconnecting.websocket.connections.<name>} every setting left
 * unset ({@code null}) is inherited from the top level, field by field.
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
    private @Nullable Map<String, String> headers;

    /**
     * Subprotocols offered in the handshake, in order of preference.
     */
    private @Nullable List<String> subprotocols;

    /**
     * How long one handshake attempt may take; longer is a failed attempt.
     */
    private @Nullable Duration connectTimeout;

    /**
     * Whether to connect when the application context starts.
     */
    private @Nullable Boolean autoStartup;

    /**
     * Whether a first connect that fails fatally (rejected handshake, TLS trust failure)
     * fails the application's startup.
     */
    private @Nullable Boolean failFast;

    /**
     * Whether to follow a redirect answered to the handshake. Only same-origin redirects
     * (same scheme, host and port) are followed, a few hops at most; a redirect to another
     * origin, or any redirect when this is false, fails the connection without contacting
     * the target.
     */
    private @Nullable Boolean followRedirects;

    /**
     * Largest text message accepted. Tomcat allocates a buffer of this size per
     * connection.
     */
    private @Nullable DataSize maxTextMessageSize;

    /**
     * Largest binary message accepted. Tomcat allocates a buffer of this size per
     * connection.
     */
    private @Nullable DataSize maxBinaryMessageSize;

    /**
     * Most reconnects allowed within max-reconnects-window; 0 means unlimited.
     */
    private @Nullable Integer maxReconnects;

    /**
     * Sliding window of the reconnect rate limit.
     */
    private @Nullable Duration maxReconnectsWindow;

    /**
     * Name of the Spring Boot SSL bundle that supplies trust material and keys for wss://.
     */
    private @Nullable String sslBundle;

    /**
     * How long stopping the connection (application shutdown) waits for queued messages
     * to be written before closing with 1001.
     */
    private @Nullable Duration shutdownTimeout;

    private final Backoff backoff = new Backoff();

    private final Heartbeat heartbeat = new Heartbeat();

    private final Outbound outbound = new Outbound();

    public @Nullable String getUrl() {
        return this.url;
    }

    public void setUrl(@Nullable String url) {
        this.url = url;
    }

    public @Nullable Map<String, String> getHeaders() {
        return this.headers;
    }

    public void setHeaders(@Nullable Map<String, String> headers) {
        this.headers = headers;
    }

    public @Nullable List<String> getSubprotocols() {
        return this.subprotocols;
    }

    public void setSubprotocols(@Nullable List<String> subprotocols) {
        this.subprotocols = subprotocols;
    }

    public @Nullable Duration getConnectTimeout() {
        return this.connectTimeout;
    }

    public void setConnectTimeout(@Nullable Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public @Nullable Boolean getAutoStartup() {
        return this.autoStartup;
    }

    public void setAutoStartup(@Nullable Boolean autoStartup) {
        this.autoStartup = autoStartup;
    }

    public @Nullable Boolean getFailFast() {
        return this.failFast;
    }

    public void setFailFast(@Nullable Boolean failFast) {
        this.failFast = failFast;
    }

    public @Nullable Boolean getFollowRedirects() {
        return this.followRedirects;
    }

    public void setFollowRedirects(@Nullable Boolean followRedirects) {
        this.followRedirects = followRedirects;
    }

    public @Nullable DataSize getMaxTextMessageSize() {
        return this.maxTextMessageSize;
    }

    public void setMaxTextMessageSize(@Nullable DataSize maxTextMessageSize) {
        this.maxTextMessageSize = maxTextMessageSize;
    }

    public @Nullable DataSize getMaxBinaryMessageSize() {
        return this.maxBinaryMessageSize;
    }

    public void setMaxBinaryMessageSize(@Nullable DataSize maxBinaryMessageSize) {
        this.maxBinaryMessageSize = maxBinaryMessageSize;
    }

    public @Nullable Integer getMaxReconnects() {
        return this.maxReconnects;
    }

    public void setMaxReconnects(@Nullable Integer maxReconnects) {
        this.maxReconnects = maxReconnects;
    }

    public @Nullable Duration getMaxReconnectsWindow() {
        return this.maxReconnectsWindow;
    }

    public void setMaxReconnectsWindow(@Nullable Duration maxReconnectsWindow) {
        this.maxReconnectsWindow = maxReconnectsWindow;
    }

    public @Nullable String getSslBundle() {
        return this.sslBundle;
    }

    public void setSslBundle(@Nullable String sslBundle) {
        this.sslBundle = sslBundle;
    }

    public @Nullable Duration getShutdownTimeout() {
        return this.shutdownTimeout;
    }

    public void setShutdownTimeout(@Nullable Duration shutdownTimeout) {
        this.shutdownTimeout = shutdownTimeout;
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

    /**
     * These settings completed with the parent's for every setting left unset here.
     * @param parent the settings to inherit from
     * @return new, merged settings
     */
    ConnectionProperties mergedWith(ConnectionProperties parent) {
        ConnectionProperties merged = new ConnectionProperties();
        merged.url = pick(parent, ConnectionProperties::getUrl);
        merged.headers = pick(parent, ConnectionProperties::getHeaders);
        merged.subprotocols = pick(parent, ConnectionProperties::getSubprotocols);
        merged.connectTimeout = pick(parent, ConnectionProperties::getConnectTimeout);
        merged.autoStartup = pick(parent, ConnectionProperties::getAutoStartup);
        merged.failFast = pick(parent, ConnectionProperties::getFailFast);
        merged.followRedirects = pick(parent, ConnectionProperties::getFollowRedirects);
        merged.maxTextMessageSize = pick(parent, ConnectionProperties::getMaxTextMessageSize);
        merged.maxBinaryMessageSize = pick(parent, ConnectionProperties::getMaxBinaryMessageSize);
        merged.maxReconnects = pick(parent, ConnectionProperties::getMaxReconnects);
        merged.maxReconnectsWindow = pick(parent, ConnectionProperties::getMaxReconnectsWindow);
        merged.sslBundle = pick(parent, ConnectionProperties::getSslBundle);
        merged.shutdownTimeout = pick(parent, ConnectionProperties::getShutdownTimeout);
        merged.backoff.initialInterval = pick(parent, (p) -> p.backoff.initialInterval);
        merged.backoff.multiplier = pick(parent, (p) -> p.backoff.multiplier);
        merged.backoff.randomizationFactor = pick(parent, (p) -> p.backoff.randomizationFactor);
        merged.backoff.maxInterval = pick(parent, (p) -> p.backoff.maxInterval);
        merged.backoff.maxElapsedTime = pick(parent, (p) -> p.backoff.maxElapsedTime);
        merged.backoff.stableAfter = pick(parent, (p) -> p.backoff.stableAfter);
        merged.heartbeat.interval = pick(parent, (p) -> p.heartbeat.interval);
        merged.heartbeat.timeout = pick(parent, (p) -> p.heartbeat.timeout);
        merged.outbound.bufferSize = pick(parent, (p) -> p.outbound.bufferSize);
        merged.outbound.overflow = pick(parent, (p) -> p.outbound.overflow);
        merged.outbound.sendTimeLimit = pick(parent, (p) -> p.outbound.sendTimeLimit);
        merged.outbound.writeInline = pick(parent, (p) -> p.outbound.writeInline);
        return merged;
    }

    private <T> @Nullable T pick(ConnectionProperties parent, Function<ConnectionProperties, @Nullable T> setting) {
        T own = setting.apply(this);
        return (own != null) ? own : setting.apply(parent);
    }

    /**
     * Exponential backoff between connection attempts (knob names of the Go
     * {@code cenkalti/backoff} package).
     */
    public static class Backoff {

        /**
         * Delay before the first attempt after a drop.
         */
        private @Nullable Duration initialInterval;

        /**
         * Factor by which the delay grows after each failed attempt; at least 1.
         */
        private @Nullable Double multiplier;

        /**
         * Jitter: each delay d is drawn from [d*(1-f), d*(1+f)]; between 0 and 1.
         */
        private @Nullable Double randomizationFactor;

        /**
         * Largest delay between attempts.
         */
        private @Nullable Duration maxInterval;

        /**
         * Give up (state FAILED) when an outage lasts longer than this; 0 retries
         * forever.
         */
        private @Nullable Duration maxElapsedTime;

        /**
         * How long a connection must stay up for the backoff to start over from
         * initial-interval at the next drop.
         */
        private @Nullable Duration stableAfter;

        public @Nullable Duration getInitialInterval() {
            return this.initialInterval;
        }

        public void setInitialInterval(@Nullable Duration initialInterval) {
            this.initialInterval = initialInterval;
        }

        public @Nullable Double getMultiplier() {
            return this.multiplier;
        }

        public void setMultiplier(@Nullable Double multiplier) {
            this.multiplier = multiplier;
        }

        public @Nullable Double getRandomizationFactor() {
            return this.randomizationFactor;
        }

        public void setRandomizationFactor(@Nullable Double randomizationFactor) {
            this.randomizationFactor = randomizationFactor;
        }

        public @Nullable Duration getMaxInterval() {
            return this.maxInterval;
        }

        public void setMaxInterval(@Nullable Duration maxInterval) {
            this.maxInterval = maxInterval;
        }

        public @Nullable Duration getMaxElapsedTime() {
            return this.maxElapsedTime;
        }

        public void setMaxElapsedTime(@Nullable Duration maxElapsedTime) {
            this.maxElapsedTime = maxElapsedTime;
        }

        public @Nullable Duration getStableAfter() {
            return this.stableAfter;
        }

        public void setStableAfter(@Nullable Duration stableAfter) {
            this.stableAfter = stableAfter;
        }

    }

    /**
     * Keep-alive pings that detect half-open connections.
     */
    public static class Heartbeat {

        /**
         * How often to send a ping; 0 turns the heartbeat off.
         */
        private @Nullable Duration interval;

        /**
         * How long to wait for a pong or any other frame after a ping before the
         * connection is considered dead, dropped and reconnected.
         */
        private @Nullable Duration timeout;

        public @Nullable Duration getInterval() {
            return this.interval;
        }

        public void setInterval(@Nullable Duration interval) {
            this.interval = interval;
        }

        public @Nullable Duration getTimeout() {
            return this.timeout;
        }

        public void setTimeout(@Nullable Duration timeout) {
            this.timeout = timeout;
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
        private @Nullable Integer bufferSize;

        /**
         * What to do with a new message when the buffer is full.
         */
        private @Nullable OutboundOverflow overflow;

        /**
         * How long one write may take before the connection counts as broken.
         */
        private @Nullable Duration sendTimeLimit;

        /**
         * Whether to write on the sending thread when nothing else is being written: the
         * lowest latency for request/response traffic, but sending may then block (up to
         * the send time limit) while the socket buffer is full. Off: writes run on the
         * shared writer pool and sending never blocks.
         */
        private @Nullable Boolean writeInline;

        public @Nullable Integer getBufferSize() {
            return this.bufferSize;
        }

        public void setBufferSize(@Nullable Integer bufferSize) {
            this.bufferSize = bufferSize;
        }

        public @Nullable OutboundOverflow getOverflow() {
            return this.overflow;
        }

        public void setOverflow(@Nullable OutboundOverflow overflow) {
            this.overflow = overflow;
        }

        public @Nullable Duration getSendTimeLimit() {
            return this.sendTimeLimit;
        }

        public void setSendTimeLimit(@Nullable Duration sendTimeLimit) {
            this.sendTimeLimit = sendTimeLimit;
        }

        public @Nullable Boolean getWriteInline() {
            return this.writeInline;
        }

        public void setWriteInline(@Nullable Boolean writeInline) {
            this.writeInline = writeInline;
        }

    }

}
