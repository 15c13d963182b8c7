package io.github.reconnectingws.test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * How a {@link MockWebSocketServer} answers upgrade requests instead of upgrading them: a
 * status, response headers, and for how many requests or how long. Immutable: each method
 * returns a new instance, and {@link MockWebSocketServer#rejectHandshakes(HandshakeRejection)}
 * installs it whole, so a test never sees a half-configured rejection.
 *
 * <pre>{@code
 * server.rejectHandshakes(HandshakeRejection.status(503).retryAfter(Duration.ofSeconds(1)).times(2));
 * server.rejectHandshakes(HandshakeRejection.status(429).during(Duration.ofSeconds(3)));
 * server.rejectHandshakes(HandshakeRejection.redirect("ws://127.0.0.1:8081/ws"));
 * }</pre>
 */
public final class HandshakeRejection {

    private final int status;

    private final Map<String, String> headers;

    private final int times;

    private final @Nullable Duration duration;

    private HandshakeRejection(int status, Map<String, String> headers, int times, @Nullable Duration duration) {
        this.status = status;
        this.headers = Map.copyOf(headers);
        this.times = times;
        this.duration = duration;
    }

    /**
     * Rejects every upgrade request with {@code status}, until
     * {@link MockWebSocketServer#acceptHandshakes()} or {@link MockWebSocketServer#heal()}.
     *
     * @param status an HTTP status from 300 to 599, e.g. 401, 403, 429, 503
     * @return the rejection
     * @throws IllegalArgumentException if the status is not from 300 to 599
     */
    public static HandshakeRejection status(int status) {
        if (status < 300 || status > 599) {
            throw new IllegalArgumentException("A handshake rejection needs a status from 300 to 599, not " + status);
        }
        return new HandshakeRejection(status, Map.of(), 0, null);
    }

    /**
     * Redirects every upgrade request with {@code 302 Found} and a {@code Location} header.
     *
     * @param location the URL the client should connect to instead, e.g. another server's
     * {@link MockWebSocketServer#url()}
     * @return the rejection
     */
    public static HandshakeRejection redirect(String location) {
        return status(302).header("Location", location);
    }

    /**
     * Adds a response header, e.g. {@code WWW-Authenticate} to a 401.
     *
     * @param name the header name
     * @param value the header value
     * @return a copy with the header
     */
    public HandshakeRejection header(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(this.headers);
        copy.put(name, value);
        return new HandshakeRejection(this.status, copy, this.times, this.duration);
    }

    /**
     * Adds a {@code Retry-After} header in whole seconds (rounded up).
     *
     * @param delay the delay the server asks for
     * @return a copy with the header
     */
    public HandshakeRejection retryAfter(Duration delay) {
        long seconds = delay.toSeconds() + ((delay.toNanosPart() > 0) ? 1 : 0);
        return header("Retry-After", Long.toString(seconds));
    }

    /**
     * Rejects only the next {@code count} upgrade requests, then accepts again.
     *
     * @param count how many requests to reject, at least 1
     * @return a copy limited to {@code count} requests
     */
    public HandshakeRejection times(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("times must be at least 1, not " + count);
        }
        return new HandshakeRejection(this.status, this.headers, count, this.duration);
    }

    /**
     * Rejects upgrade requests for {@code duration} from the moment it is installed, then
     * accepts again.
     *
     * @param duration how long to reject
     * @return a copy limited in time
     */
    public HandshakeRejection during(Duration duration) {
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("during must be positive, not " + duration);
        }
        return new HandshakeRejection(this.status, this.headers, this.times, duration);
    }

    int statusCode() {
        return this.status;
    }

    Map<String, String> headers() {
        return this.headers;
    }

    /** 0: unlimited. */
    int timesLimit() {
        return this.times;
    }

    @Nullable Duration duration() {
        return this.duration;
    }

    @Override
    public String toString() {
        return "HandshakeRejection[status=" + this.status + ", headers=" + this.headers
                + ((this.times > 0) ? ", times=" + this.times : "")
                + ((this.duration != null) ? ", during=" + this.duration : "") + "]";
    }

}
