package io.github.reconnectingws.health;

import java.util.function.Supplier;

import io.github.reconnectingws.ConnectionObserver;
import io.github.reconnectingws.ConnectionState;
import io.github.reconnectingws.ReconnectingWebSocketClient;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.util.Assert;

/**
 * The health of one {@link ReconnectingWebSocketClient}, by its {@link ConnectionState}:
 * <ul>
 * <li>{@code UP}: {@code CONNECTED}</li>
 * <li>{@code DOWN}: {@code RECONNECTING}, {@code FAILED}, and {@code CONNECTING} while
 * recovering from a drop (an attempt that follows a drop or a failed attempt)</li>
 * <li>{@code UNKNOWN}: {@code NEW}, and {@code CONNECTING} on the first attempt after
 * {@code start()} (nothing is known yet)</li>
 * <li>{@code OUT_OF_SERVICE}: {@code CLOSED}, stopped on purpose by the application</li>
 * </ul>
 * Details: {@code state}, {@code url} (user-info and query values masked),
 * {@code reconnects}, {@code since} (ISO-8601 instant of the last state change),
 * {@code compressed} while connected (whether permessage-deflate was agreed) and,
 * once an error happened, {@code lastError} (type and message, secrets masked).
 */
public final class ReconnectingWebSocketHealthIndicator implements HealthIndicator {

    private final ReconnectingWebSocketClient client;

    private final RecoveryTracker recovery = new RecoveryTracker();

    private final Supplier<@Nullable String> role;

    /**
     * Create an indicator. It observes the client to tell a first attempt from a
     * recovering one; create it before the client starts.
     * @param client the client
     */
    public ReconnectingWebSocketHealthIndicator(ReconnectingWebSocketClient client) {
        this(client, () -> null);
    }

    /**
     * Create an indicator for a connection that may be held by another instance of the
     * cluster.
     * @param client the client
     * @param role this instance's role for the connection ({@code leader} or
     * {@code standby}), or {@code null} when the connection is not shared by a cluster
     */
    public ReconnectingWebSocketHealthIndicator(ReconnectingWebSocketClient client,
            Supplier<@Nullable String> role) {
        Assert.notNull(client, "client must not be null");
        this.client = client;
        this.role = role;
        client.addObserver(this.recovery);
    }

    @Override
    public Health health() {
        ConnectionState state = this.client.getState();
        Health.Builder builder = Health.status(status(state))
            .withDetail("state", state.name())
            .withDetail("url", this.client.getUrl())
            .withDetail("reconnects", this.client.getReconnectCount())
            .withDetail("since", this.client.getStateSince().toString());
        if (state == ConnectionState.CONNECTED) {
            builder.withDetail("compressed", this.client.getExtensions().contains("permessage-deflate"));
        }
        String role = this.role.get();
        if (role != null) {
            builder.withDetail("role", role);
        }
        String lastError = this.client.getLastError();
        if (lastError != null) {
            builder.withDetail("lastError", lastError);
        }
        return builder.build();
    }

    private Status status(ConnectionState state) {
        return switch (state) {
            case CONNECTED, STANDBY -> Status.UP;
            case RECONNECTING, FAILED -> Status.DOWN;
            case CONNECTING -> this.recovery.recovering ? Status.DOWN : Status.UNKNOWN;
            case CLOSED -> Status.OUT_OF_SERVICE;
            case NEW -> Status.UNKNOWN;
        };
    }

    /** Remembers whether the current attempt is a first one or one after a drop. */
    private static final class RecoveryTracker implements ConnectionObserver {

        volatile boolean recovering;

        @Override
        public void onStateChanged(ReconnectingWebSocketClient client, ConnectionState from, ConnectionState to) {
            if (to == ConnectionState.CONNECTING) {
                this.recovering = (from == ConnectionState.RECONNECTING || from == ConnectionState.CONNECTED);
            }
        }

    }

}
