package io.github.reconnectingws.observation;

import java.time.Duration;

import io.github.reconnectingws.ConnectionObserver;
import io.github.reconnectingws.ConnectionState;
import io.github.reconnectingws.ReconnectingWebSocketClient;
import io.github.reconnectingws.TooManyReconnectsException;
import io.github.reconnectingws.listener.ListenerInvocationWrapper;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * The observations of reconnecting WebSocket clients, all with low-cardinality keys only:
 * <ul>
 * <li>{@value #CONNECT}: one per connect attempt, from CONNECTING to the attempt's end;
 * keys {@code connection}, {@code outcome} ({@code success}, {@code failure}, or
 * {@code cancelled} when the client stopped first); a failed attempt's cause is the
 * observation's error;</li>
 * <li>{@value #LISTENER}: one per {@code @WebSocketListener} invocation; keys
 * {@code connection}, {@code listener} ({@code Class.method}); an exception the listener
 * throws is the observation's error.</li>
 * </ul>
 */
public final class ReconnectingWebSocketObservations {

    /** The observation of a connect attempt. */
    public static final String CONNECT = "reconnecting.websocket.connect";

    /** The observation of a listener invocation. */
    public static final String LISTENER = "reconnecting.websocket.listener";

    private ReconnectingWebSocketObservations() {
    }

    /**
     * An observer that observes the connect attempts of one client.
     * @param registry the registry
     * @return the observer, to add to the client
     */
    public static ConnectionObserver connectAttempts(ObservationRegistry registry) {
        return new ConnectAttempts(registry);
    }

    /**
     * A wrapper that observes every listener invocation.
     * @param registry the registry
     * @return the wrapper
     */
    public static ListenerInvocationWrapper listenerInvocations(ObservationRegistry registry) {
        return (connection, listener, invocation) -> Observation.createNotStarted(LISTENER, registry)
            .lowCardinalityKeyValue("connection", connection)
            .lowCardinalityKeyValue("listener", listener)
            .observeChecked(invocation::call);
    }

    /**
     * Lifecycle callbacks come one at a time, in order, per client: no locking needed. A
     * failed attempt is reported before its cause ({@code onReconnecting} or
     * {@code onFailed}), so its observation ends there, with the cause as its error.
     */
    private static final class ConnectAttempts implements ConnectionObserver {

        private final ObservationRegistry registry;

        private volatile @Nullable Observation attempt;

        private volatile @Nullable Observation failedAttempt;

        ConnectAttempts(ObservationRegistry registry) {
            this.registry = registry;
        }

        @Override
        public void onStateChanged(ReconnectingWebSocketClient client, ConnectionState from, ConnectionState to) {
            if (to != ConnectionState.RECONNECTING && to != ConnectionState.FAILED) {
                endFailed(null);
            }
            if (to == ConnectionState.CONNECTING) {
                end("cancelled");
                this.attempt = Observation.createNotStarted(CONNECT, this.registry)
                    .lowCardinalityKeyValue("connection", client.getName())
                    .start();
            }
            else if (from == ConnectionState.CONNECTING && to != ConnectionState.CONNECTED
                    && to != ConnectionState.RECONNECTING && to != ConnectionState.FAILED) {
                end("cancelled");
            }
        }

        @Override
        public void onConnectAttempt(ReconnectingWebSocketClient client, boolean success) {
            if (success) {
                end("success");
            }
            else {
                endFailed(null);
                this.failedAttempt = this.attempt;
                this.attempt = null;
            }
        }

        @Override
        public void onReconnecting(ReconnectingWebSocketClient client, int attempt, Duration delay,
                @Nullable Throwable cause) {
            // a rate-limit postponement is not why the attempt failed
            endFailed((cause instanceof TooManyReconnectsException) ? null : cause);
        }

        @Override
        public void onFailed(ReconnectingWebSocketClient client, Throwable cause) {
            endFailed(cause);
        }

        private void end(String outcome) {
            Observation current = this.attempt;
            this.attempt = null;
            if (current != null) {
                current.lowCardinalityKeyValue("outcome", outcome).stop();
            }
        }

        /** Ends a failed attempt's observation; the cause is already masked by the client. */
        private void endFailed(@Nullable Throwable cause) {
            Observation failed = this.failedAttempt;
            this.failedAttempt = null;
            if (failed != null) {
                if (cause != null) {
                    failed.error(cause);
                }
                failed.lowCardinalityKeyValue("outcome", "failure").stop();
            }
        }

    }

}
