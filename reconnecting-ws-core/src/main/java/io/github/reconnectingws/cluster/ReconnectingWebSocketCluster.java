package io.github.reconnectingws.cluster;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

import io.github.reconnectingws.ReconnectingWebSocketClient;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.integration.leader.AbstractCandidate;
import org.springframework.integration.leader.Context;
import org.springframework.integration.support.leader.LockRegistryLeaderInitiator;
import org.springframework.integration.support.locks.LockRegistry;

/**
 * Holds each clustered connection on exactly one instance: one
 * {@link LockRegistryLeaderInitiator} per connection, with its own role. Granted, the
 * client starts (connect hooks, then backlog); revoked, or the lock lost, it closes with
 * 1001 and goes on standby. Leader election publishes Spring Integration's
 * {@code OnGrantedEvent} and {@code OnRevokedEvent}.
 * <p>
 * Started after the clients and stopped before them: stopping closes the held connections,
 * then releases their locks at once, so another instance takes over without waiting for a
 * lock to expire, and never while this one is still connected (yielding does the same). Each connection's
 * election runs on a thread of its own, named after the connection.
 */
public class ReconnectingWebSocketCluster implements ConnectionRoles, SmartLifecycle {

    private static final Log logger = LogFactory.getLog(ReconnectingWebSocketCluster.class);

    /** How long giving a connection up waits for it to close before releasing the lock. */
    private static final Duration STANDBY_TIMEOUT = Duration.ofSeconds(5);

    private final Map<String, Member> members = new LinkedHashMap<>();

    private final int phase;

    private volatile boolean running;

    /** Set once every election has stopped: a late callback then changes nothing. */
    private volatile boolean stopped;

    /**
     * Create a cluster membership.
     * @param phase the lifecycle phase: after the clients' phase
     */
    public ReconnectingWebSocketCluster(int phase) {
        this.phase = phase;
    }

    /**
     * Add a connection; call before {@link #start()}.
     * @param client the connection's client
     * @param role the leader-election role (lock key)
     * @param locks the lock registry
     * @param heartbeat how often the lock is renewed, or tried
     * @param publisher where to publish the election's events
     * @param autoStartup whether to compete for the connection when the context starts
     */
    public void addConnection(ReconnectingWebSocketClient client, String role, LockRegistry<?> locks,
            Duration heartbeat, ApplicationEventPublisher publisher, boolean autoStartup) {
        Member member = new Member(client, role, autoStartup, () -> this.stopped);
        LockRegistryLeaderInitiator initiator = new LockRegistryLeaderInitiator(locks, member);
        initiator.setHeartBeatMillis(heartbeat.toMillis());
        initiator.setApplicationEventPublisher(publisher);
        initiator.setTaskExecutor(new SimpleAsyncTaskExecutor("rws-leader-" + client.getName() + "-"));
        member.initiator = initiator;
        this.members.put(client.getName(), member);
    }

    /**
     * The connections this instance competes for.
     * @return their names
     */
    public java.util.Set<String> connectionNames() {
        return java.util.Collections.unmodifiableSet(this.members.keySet());
    }

    @Override
    public @Nullable String role(String connectionName) {
        Member member = this.members.get(connectionName);
        if (member == null) {
            return null;
        }
        return member.leader ? LEADER : STANDBY;
    }

    @Override
    public boolean yieldLeadership(String connectionName) {
        Member member = this.members.get(connectionName);
        if (member == null) {
            throw new IllegalArgumentException("WebSocket connection '" + connectionName
                    + "' is not shared by a cluster (cluster.enabled is false)");
        }
        Context context = member.initiator.getContext();
        if (!context.isLeader()) {
            return false;
        }
        logger.info("WebSocket '" + connectionName + "' yielding the connection to another instance");
        // closed before the lock goes: never two instances connected at once
        awaitStandby(member);
        context.yield();
        return true;
    }

    @Override
    public void start() {
        this.members.values().forEach((member) -> {
            member.client.standby();
            if (member.autoStartup) {
                member.initiator.start();
            }
        });
        this.running = true;
    }

    @Override
    public void stop() {
        // the connections close first, then the locks go: another instance takes over at
        // once, and never while this one is still connected
        this.members.values().forEach((member) -> {
            if (member.leader) {
                awaitStandby(member);
                // released by the election's own thread: stopping interrupts that thread,
                // and a lock store client (Redis, for one) may then fail to release it
                member.initiator.getContext().yield();
                awaitRevoked(member);
            }
            member.initiator.stop();
        });
        this.running = false;
        this.stopped = true;
    }

    private static void awaitRevoked(Member member) {
        long deadline = System.nanoTime() + STANDBY_TIMEOUT.toNanos();
        synchronized (member) {
            while (member.leader && System.nanoTime() < deadline) {
                try {
                    member.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private static void awaitStandby(Member member) {
        try {
            member.client.standby().get(STANDBY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        catch (ExecutionException | TimeoutException ex) {
            logger.warn("WebSocket '" + member.client.getName() + "' did not close in time before giving up its lock");
        }
    }

    @Override
    public boolean isRunning() {
        return this.running;
    }

    @Override
    public int getPhase() {
        return this.phase;
    }

    /** One connection's candidacy. */
    private static final class Member extends AbstractCandidate {

        final ReconnectingWebSocketClient client;

        final boolean autoStartup;

        final BooleanSupplier clusterStopped;

        volatile boolean leader;

        LockRegistryLeaderInitiator initiator;

        Member(ReconnectingWebSocketClient client, String role, boolean autoStartup,
                BooleanSupplier clusterStopped) {
            super(null, role);
            this.client = client;
            this.autoStartup = autoStartup;
            this.clusterStopped = clusterStopped;
        }

        @Override
        public void onGranted(Context context) {
            if (this.clusterStopped.getAsBoolean()) {
                return;
            }
            this.leader = true;
            logger.info("WebSocket '" + this.client.getName() + "' granted to this instance (" + getRole()
                    + "): connecting");
            this.client.start();
        }

        @Override
        public void onRevoked(Context context) {
            synchronized (this) {
                this.leader = false;
                notifyAll();
            }
            if (this.clusterStopped.getAsBoolean()) {
                return;
            }
            logger.info("WebSocket '" + this.client.getName() + "' revoked from this instance (" + getRole()
                    + "): on standby");
            this.client.standby();
        }

    }

}
