package io.github.reconnectingws.connection;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * The {@code Retry-After} of each endpoint (origin and path) for its current outage:
 * read by one probe request, at the first 429 or 503, shared by every connection to the
 * endpoint, and applied to every later rejection there until a connection to it
 * succeeds. A server that says it is overloaded thus sees one extra request per outage,
 * not one per rejected attempt.
 */
final class RetryAfterProbes {

    private final Map<String, CompletableFuture<Optional<Duration>>> byEndpoint = new ConcurrentHashMap<>();

    private final Executor executor;

    RetryAfterProbes(Executor executor) {
        this.executor = executor;
    }

    /**
     * The endpoint's {@code Retry-After}, probed now unless known for this outage.
     * @param uri the URI whose handshake was rejected
     * @param probe reads it from the server (blocking)
     */
    CompletableFuture<Optional<Duration>> retryAfter(URI uri, Supplier<@Nullable Duration> probe) {
        return this.byEndpoint.computeIfAbsent(endpoint(uri),
                (key) -> CompletableFuture.supplyAsync(() -> Optional.ofNullable(probe.get()), this.executor));
    }

    /** A connection to the endpoint succeeded: its next outage is probed afresh. */
    void outageOver(URI uri) {
        if (!this.byEndpoint.isEmpty()) {
            this.byEndpoint.remove(endpoint(uri));
        }
    }

    private static String endpoint(URI uri) {
        return Origin.of(uri) + uri.getRawPath();
    }

}
