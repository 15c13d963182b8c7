package io.github.reconnectingws.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;

import io.github.reconnectingws.ConnectionLease;
import io.github.reconnectingws.ReconnectingWebSocketClient;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.util.Assert;

/**
 * Spreads an application's clustered connections over its live instances. Every
 * heartbeat this instance checks in with the {@link ClusterStore} (one operation,
 * whatever the number of connections), which renews its lease and shows the live
 * instances and each connection's holder; it then moves toward its fair share
 * ({@link FairShare}): surplus connections are closed (in parallel) and released, free
 * ones claimed and started.
 * <p>
 * <b>Lease and fencing.</b> A check-in sent at {@code t} (this instance's monotonic
 * clock) keeps the lease until {@code t + ttl - heartbeat}, before the store may let it
 * go; past it, this instance's clients deliver and write nothing and go on standby, and
 * it rejoins under a new member id. Each takeover raises the connection's epoch, handed
 * to the resume store as a fencing token.
 * <p>
 * <b>Threads.</b> Two, whatever the number of connections: heartbeats, and the lease
 * watchdog, which never waits for the store. Heartbeats, yields and the stop run one at
 * a time ({@code moves} guards the holdings); a term's own lock guards its end and its
 * lapse, which the heartbeat and the watchdog both decide; connections open and close
 * on their own clients' threads.
 * <p>
 * Started after the clients and stopped before them: stopping closes the held
 * connections, then leaves the cluster, so the others take over at their next heartbeat.
 */
public class ReconnectingWebSocketCluster implements ConnectionRoles, SmartLifecycle {

    private static final Log logger = LogFactory.getLog(ReconnectingWebSocketCluster.class);

    /** How long giving connections up waits for them to close before releasing them. */
    private static final Duration STANDBY_TIMEOUT = Duration.ofSeconds(5);

    private final ClusterStore store;

    private final String application;

    private final Duration heartbeat;

    private final Duration ttl;

    private final int phase;

    private final BiConsumer<String, Long> onTakenOver;

    /** By key in the store. */
    private final Map<String, HeldConnection> connections = new LinkedHashMap<>();

    /** Guards the holdings' changes: heartbeats, yields and the stop, one at a time. */
    private final Object moves = new Object();

    private @Nullable ScheduledExecutorService scheduler;

    /** The current term: this instance's id in the store and its lease. */
    private volatile LeaseTerm term = new LeaseTerm(LeaseTerm.newMemberId());

    private volatile ClusterStore.@Nullable View view;

    private volatile boolean running;

    private volatile boolean stopped;

    // heartbeat state, guarded by moves
    private boolean registered;
    private boolean storeFailing;

    private Set<String> longFree = Set.of();

    /**
     * Create a cluster membership.
     * @param store where the instances meet
     * @param application the application's name: instances of one application share its
     * connections
     * @param heartbeat how often this instance checks in
     * @param ttl how long a check-in keeps the lease; more than twice the heartbeat
     * @param phase the lifecycle phase: after the clients' phase
     * @param onTakenOver told each connection's name and new epoch when this instance
     * takes it over, before it connects (e.g. {@code ResumePositionStore::fence})
     */
    public ReconnectingWebSocketCluster(ClusterStore store, String application, Duration heartbeat, Duration ttl,
            int phase, BiConsumer<String, Long> onTakenOver) {
        Assert.isTrue(ttl.compareTo(heartbeat.multipliedBy(2)) > 0, "lease ttl must be more than twice the heartbeat");
        this.store = store;
        this.application = application;
        this.heartbeat = heartbeat;
        this.ttl = ttl;
        this.phase = phase;
        this.onTakenOver = onTakenOver;
    }

    /**
     * Add a connection; call before {@link #start()}.
     * @param client the connection's client
     * @param key the connection's key in the store, unique within the application
     * @param autoStartup whether this instance may hold the connection once the context
     * starts
     */
    public void addConnection(ReconnectingWebSocketClient client, String key, boolean autoStartup) {
        this.connections.put(key, new HeldConnection(client, key, autoStartup));
    }

    /**
     * The connections this instance may hold.
     * @return their names
     */
    public Set<String> connectionNames() {
        return this.connections.values().stream().map((held) -> held.client.getName()).collect(Collectors.toSet());
    }

    /**
     * The live instances of the application, as the last check-in saw them.
     * @return how many, this one included; 0 before the first check-in
     */
    public int members() {
        ClusterStore.View current = this.view;
        return (current != null) ? current.members().size() : 0;
    }

    /**
     * This instance's id in the store; a new one after its lease lapsed.
     * @return the member id
     */
    public String memberId() {
        return this.term.member;
    }

    @Override
    public @Nullable String role(String connectionName) {
        HeldConnection held = byName(connectionName);
        if (held == null) {
            return null;
        }
        return (held.held && this.term.isValid()) ? LEADER : STANDBY;
    }

    @Override
    public @Nullable String holder(String connectionName) {
        HeldConnection held = byName(connectionName);
        ClusterStore.View current = this.view;
        return (held != null && current != null) ? current.holder(held.key) : null;
    }

    @Override
    public boolean yieldLeadership(String connectionName) {
        HeldConnection held = byName(connectionName);
        if (held == null) {
            throw new IllegalArgumentException("WebSocket connection '" + connectionName
                    + "' is not shared by a cluster (cluster.enabled is false)");
        }
        synchronized (this.moves) {
            if (!held.held) {
                return false;
            }
            logger.info("WebSocket '" + connectionName + "' yielding the connection to another instance");
            yieldAll(List.of(held));
            return true;
        }
    }

    @Override
    public int yieldAll() {
        synchronized (this.moves) {
            List<HeldConnection> yielded = this.connections.values().stream().filter((held) -> held.held).toList();
            logger.info("Yielding the " + yielded.size() + " connections this instance holds to other instances");
            yieldAll(yielded);
            return yielded.size();
        }
    }

    private void yieldAll(List<HeldConnection> yielded) {
        release(yielded);
        // long enough for another instance to take them before this one may again
        long until = System.nanoTime() + this.ttl.toNanos();
        yielded.forEach((held) -> held.excludedUntil = until);
    }

    @Override
    public void start() {
        this.connections.values().forEach((held) -> held.client.standby());
        CustomizableThreadFactory threads = new CustomizableThreadFactory("rws-cluster-");
        threads.setDaemon(true);
        ScheduledExecutorService executor = Executors.newScheduledThreadPool(2, threads);
        long beat = this.heartbeat.toMillis();
        executor.scheduleWithFixedDelay(() -> survive(this::heartbeat, "heartbeat"), 0, beat, TimeUnit.MILLISECONDS);
        executor.scheduleAtFixedRate(() -> survive(this::watchLease, "lease watchdog"), beat / 2, Math.max(1, beat / 4),
                TimeUnit.MILLISECONDS);
        this.scheduler = executor;
        this.running = true;
    }

    @Override
    public void stop() {
        this.stopped = true;
        synchronized (this.moves) {
            // the connections close first, then the cluster hears of it: another instance
            // takes over at its next heartbeat, and never while this one is connected
            release(this.connections.values().stream().filter((held) -> held.held).toList());
            try {
                this.store.leave(this.application, this.term.member);
            }
            catch (RuntimeException ex) {
                logger.warn("Could not leave the cluster of '" + this.application
                        + "': its connections are taken over once this instance's lease expires (" + ex + ")");
            }
        }
        if (this.scheduler != null) {
            this.scheduler.shutdownNow();
        }
        this.running = false;
    }

    @Override
    public boolean isRunning() {
        return this.running;
    }

    @Override
    public int getPhase() {
        return this.phase;
    }

    /** A periodic task that throws is not run again: log and go on instead. */
    private void survive(Runnable task, String what) {
        try {
            task.run();
        }
        catch (Throwable ex) {
            logger.error("Cluster " + what + " of '" + this.application + "' failed (runs again): " + ex, ex);
        }
    }

    /** On the watchdog thread: never waits for the store, which may be what hangs. */
    private void watchLease() {
        LeaseTerm current = this.term;
        if (!this.stopped && current.checkedIn && System.nanoTime() - current.end >= 0) {
            lapse(current);
        }
    }

    /**
     * The term's lease lapsed: its clients let go now; the next heartbeat starts a new
     * term. The one place that ends a term, so that whoever notices first (watchdog,
     * heartbeat) also lets go, once.
     */
    private void lapse(LeaseTerm lapsed) {
        List<HeldConnection> held;
        synchronized (lapsed) {
            if (lapsed.lapsed) {
                return;
            }
            // taken before anyone can see the term lapsed: the heartbeat then clears them
            held = this.connections.values().stream().filter((h) -> h.held).toList();
            lapsed.lapsed = true;
        }
        if (!held.isEmpty()) {
            logger.warn("Cluster lease of '" + this.application + "' lapsed (no check-in for "
                    + this.ttl.minus(this.heartbeat).toMillis() + " ms): letting " + held.size()
                    + " connections go; they are taken over by other instances");
        }
        held.forEach((h) -> h.client.standby());
    }

    private void heartbeat() {
        synchronized (this.moves) {
            if (this.stopped) {
                return;
            }
            try {
                beat();
                if (this.storeFailing) {
                    logger.info("Cluster store of '" + this.application + "' reachable again");
                    this.storeFailing = false;
                }
            }
            catch (RuntimeException ex) {
                if (!this.storeFailing) {
                    logger.warn("Cluster check-in of '" + this.application + "' failed (retried every heartbeat; "
                            + "held connections are let go once the lease lapses): " + ex);
                    this.storeFailing = true;
                }
            }
        }
    }

    private void beat() {
        LeaseTerm current = this.term;
        if (current.checkedIn && System.nanoTime() - current.end >= 0) {
            lapse(current);
        }
        if (current.lapsed) {
            // claims made under the lapsed id are free for everyone once it expires in
            // the store; a lease of the lapsed term never becomes valid again
            this.connections.values().forEach((held) -> {
                if (held.held) {
                    held.held = false;
                    held.client.standby(); // let go already, unless the watchdog is still at it
                }
            });
            current = new LeaseTerm(LeaseTerm.newMemberId());
            this.term = current;
        }
        if (!this.registered) {
            this.store.register(this.application, this.connections.keySet());
            this.registered = true;
        }
        long sent = System.nanoTime();
        ClusterStore.View seen = this.store.checkIn(this.application, current.member, this.ttl);
        long done = System.nanoTime();
        boolean late;
        synchronized (current) {
            // an answer after the lease's end renews nothing: the store may have let it go
            late = current.lapsed || (current.checkedIn && done - current.end >= 0);
            if (!late) {
                current.end = sent + this.ttl.minus(this.heartbeat).toNanos();
                current.checkedIn = true;
            }
        }
        if (late) {
            lapse(current);
            return;
        }
        this.view = seen;
        let(lost(seen, current.member));
        Set<String> held = new HashSet<>();
        Set<String> excluded = new HashSet<>();
        Set<String> candidates = new HashSet<>();
        long now = System.nanoTime();
        this.connections.values().forEach((h) -> {
            if (h.autoStartup) {
                candidates.add(h.key);
            }
            if (h.held) {
                held.add(h.key);
            }
            if (h.excludedUntil != 0 && now - h.excludedUntil < 0) {
                excluded.add(h.key);
            }
        });
        FairShare.Moves planned = FairShare.plan(current.member, seen, candidates, held, excluded, this.longFree);
        this.longFree = candidates.stream().filter((key) -> seen.holder(key) == null).collect(Collectors.toSet());
        if (!planned.release().isEmpty()) {
            release(planned.release().stream().map(this.connections::get).toList());
        }
        if (!planned.claim().isEmpty()) {
            take(current, this.store.claim(this.application, current.member, planned.claim()));
        }
    }

    /** HeldConnection here, yet the store says another holds it, or nobody: this one lost it. */
    private List<HeldConnection> lost(ClusterStore.View seen, String member) {
        List<HeldConnection> lost = new ArrayList<>();
        this.connections.values().forEach((held) -> {
            if (held.held && !member.equals(seen.holder(held.key))) {
                lost.add(held);
            }
        });
        return lost;
    }

    private void let(List<HeldConnection> lost) {
        if (!lost.isEmpty()) {
            logger.warn("Connections held by another instance now, on standby here: " + HeldConnection.names(lost));
            lost.forEach((held) -> {
                held.held = false;
                held.client.standby();
            });
        }
    }

    private void take(LeaseTerm current, Map<String, Long> claimed) {
        if (claimed.isEmpty()) {
            return;
        }
        List<HeldConnection> taken = new ArrayList<>();
        claimed.forEach((key, epoch) -> {
            HeldConnection held = this.connections.get(key);
            this.onTakenOver.accept(held.client.getName(), epoch);
            held.held = true;
            held.client.start(current);
            taken.add(held);
        });
        logger.info("Took " + taken.size() + " connections of '" + this.application + "': " + HeldConnection.names(taken));
    }

    /** Close the connections at once, then release them in one store operation. */
    private void release(List<HeldConnection> released) {
        if (released.isEmpty()) {
            return;
        }
        List<CompletableFuture<Void>> closed = new ArrayList<>();
        released.forEach((held) -> closed.add(held.client.standby()));
        try {
            CompletableFuture.allOf(closed.toArray(CompletableFuture[]::new))
                .get(STANDBY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        catch (ExecutionException | TimeoutException ex) {
            logger.warn("Connections of '" + this.application + "' did not all close in time before their release");
        }
        released.forEach((held) -> held.held = false);
        try {
            this.store.release(this.application, this.term.member,
                    released.stream().map((held) -> held.key).toList());
            logger.info("Released " + released.size() + " connections of '" + this.application + "': "
                    + HeldConnection.names(released));
        }
        catch (RuntimeException ex) {
            // closed here already: they are free once this instance's lease expires
            logger.warn("Could not release " + released.size() + " connections (free when the lease expires): " + ex);
        }
    }

    private @Nullable HeldConnection byName(String connectionName) {
        return this.connections.values()
            .stream()
            .filter((held) -> held.client.getName().equals(connectionName))
            .findFirst()
            .orElse(null);
    }


}
