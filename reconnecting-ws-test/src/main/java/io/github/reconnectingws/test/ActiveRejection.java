package io.github.reconnectingws.test;

import java.util.concurrent.atomic.AtomicInteger;

import jakarta.servlet.http.HttpServletResponse;

import org.jspecify.annotations.Nullable;

/** A rejection installed now: counts down its requests and its time. */
final class ActiveRejection {

    private final HandshakeRejection rejection;

    private final @Nullable AtomicInteger remaining;

    private final long deadline;

    ActiveRejection(HandshakeRejection rejection) {
        this.rejection = rejection;
        this.remaining = (rejection.timesLimit() > 0) ? new AtomicInteger(rejection.timesLimit()) : null;
        this.deadline = (rejection.duration() != null) ? System.nanoTime() + rejection.duration().toNanos() : 0;
    }

    HandshakeRejection rejection() {
        return this.rejection;
    }

    boolean tryConsume() {
        if (this.deadline != 0 && System.nanoTime() - this.deadline > 0) {
            return false;
        }
        return this.remaining == null || this.remaining.getAndUpdate((n) -> Math.max(n - 1, 0)) > 0;
    }

    void applyTo(HttpServletResponse response) {
        response.setStatus(this.rejection.statusCode());
        this.rejection.headers().forEach(response::setHeader);
        response.setContentLength(0);
    }

}
