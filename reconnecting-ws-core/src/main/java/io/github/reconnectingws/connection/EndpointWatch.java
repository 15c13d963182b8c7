package io.github.reconnectingws.connection;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Learns when a listener is back at an endpoint (host and port) that refused connections,
 * and wakes the connections waiting for it, so that they need not sit out a backoff delay
 * that has grown during the outage.
 * <p>
 * One TCP connect every {@link #PROBE_INTERVAL} per endpoint, shared by every connection
 * waiting for it, and only while one waits; a TCP connect is not a handshake, so a server
 * that stays down sees no more upgrade requests than the backoff makes. Once the
 * listener accepts, the waiting connections attempt at a random moment within a window
 * that grows with their number: at most {@link HandshakeAdmission#HANDSHAKES_PER_SECOND} per second, per
 * endpoint, from one set of resources.
 */
final class EndpointWatch {

    /** How often an endpoint that refuses connections is probed. */
    static final Duration PROBE_INTERVAL = Duration.ofMillis(200);

    /** The smallest wake-up window: a few connections still spread a little. */
    static final Duration MIN_SPREAD = Duration.ofMillis(50);

    private final EngineTime time;

    private final Executor probes;

    private final Predicate<Origin> listening;

    /** Guarded by {@code this}. */
    private final Map<Origin, List<Waiter>> waiting = new HashMap<>();

    /**
     * @param listening whether a listener accepts TCP connections at an origin (may block
     * briefly)
     */
    EndpointWatch(EngineTime time, Executor probes, Predicate<Origin> listening) {
        this.time = time;
        this.probes = probes;
        this.listening = listening;
    }

    /**
     * Call {@code wakeUp} once, with the delay after which to attempt, when a listener
     * accepts TCP connections at the URI's host and port again; unless
     * {@code stillWaiting} says the connection moved on (connected, stopped) meanwhile.
     */
    void whenListening(URI uri, BooleanSupplier stillWaiting, Consumer<Duration> wakeUp) {
        Origin origin = Origin.of(uri);
        boolean first;
        synchronized (this) {
            List<Waiter> waiters = this.waiting.computeIfAbsent(origin, (key) -> new ArrayList<>());
            first = waiters.isEmpty();
            waiters.add(new Waiter(stillWaiting, wakeUp));
        }
        if (first) {
            scheduleProbe(origin);
        }
    }

    private void scheduleProbe(Origin origin) {
        this.time.schedule(PROBE_INTERVAL, () -> this.probes.execute(() -> probe(origin)));
    }

    private void probe(Origin origin) {
        synchronized (this) {
            List<Waiter> waiters = this.waiting.get(origin);
            if (waiters != null) {
                waiters.removeIf((waiter) -> !waiter.stillWaiting.getAsBoolean());
            }
            if (waiters == null || waiters.isEmpty()) {
                // nobody waits any more: stop probing
                this.waiting.remove(origin);
                return;
            }
        }
        if (!this.listening.test(origin)) {
            scheduleProbe(origin);
            return;
        }
        List<Waiter> woken;
        synchronized (this) {
            woken = this.waiting.remove(origin);
        }
        if (woken == null) {
            return;
        }
        long spreadMillis = Math.max(MIN_SPREAD.toMillis(), woken.size() * 1000L / HandshakeAdmission.HANDSHAKES_PER_SECOND);
        for (Waiter waiter : woken) {
            waiter.wakeUp.accept(Duration.ofMillis(ThreadLocalRandom.current().nextLong(spreadMillis + 1)));
        }
    }

    private record Waiter(BooleanSupplier stillWaiting, Consumer<Duration> wakeUp) {
    }

    /** A real TCP connect, bounded by the probe interval. */
    static boolean tcpListening(Origin origin) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(origin.host(), origin.port()), (int) PROBE_INTERVAL.toMillis());
            return true;
        }
        catch (IOException | RuntimeException ex) {
            return false;
        }
    }

}
