package io.github.reconnectingws.autoconfigure;

import java.time.Duration;

import io.github.reconnectingws.ConnectionSettings;
import io.github.reconnectingws.reactive.ReactiveOverflow;
import org.jspecify.annotations.Nullable;

/**
 * The settings of one WebSocket connection: those of the client itself
 * ({@link ConnectionSettings}) plus those of its place in the application. At the top
 * level of {@code reconnecting.websocket} they configure the default connection and are
 * the defaults of the named connections under
 * {@code reconnecting.websocket.connections.<name>}, which inherit every setting they
 * leave unset.
 */
public class ConnectionProperties extends ConnectionSettings {

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

    private final Cluster cluster = new Cluster();

    private final Reactive reactive = new Reactive();

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

    public Cluster getCluster() {
        return this.cluster;
    }

    public Reactive getReactive() {
        return this.reactive;
    }

    /**
     * Holding the connection once per cluster, with Spring Integration leader election
     * over a lock registry.
     */
    public static class Cluster {

        /**
         * Whether exactly one instance of the cluster holds the connection; the others
         * wait on standby.
         */
        private boolean enabled = false;

        /**
         * The leader-election role (the lock's key). Defaults to
         * reconnecting-ws:&lt;spring.application.name&gt;:&lt;connection&gt;, or
         * reconnecting-ws:&lt;connection&gt; without an application name, so that two
         * applications sharing a lock store do not compete for each other's connections.
         */
        private @Nullable String role;

        /**
         * How often the holder renews its lock, and others try to take it.
         */
        private Duration heartbeat = Duration.ofMillis(500);

        /**
         * How long a lock lasts without renewal: a holder that dies without releasing it is
         * replaced after this long. Used for the JDBC lock registry created on the
         * application's DataSource (top-level setting); a LockRegistry bean of the
         * application's has its own.
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
