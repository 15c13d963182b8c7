package io.github.reconnectingws.test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.github.reconnectingws.ConnectionObserver;
import io.github.reconnectingws.ConnectionState;
import io.github.reconnectingws.ReconnectingWebSocketClient;

/**
 * Waits for a {@link ReconnectingWebSocketClient} to reach a state, instead of sleeping:
 * <pre>{@code
 * server.dropAll();
 * ConnectionStates.await(client, ConnectionState.RECONNECTING);
 * ConnectionStates.await(client, ConnectionState.CONNECTED, Duration.ofSeconds(5));
 * }</pre>
 * A state the client passes through while this waits counts, even if it has left it by the
 * time the wait returns (a short {@code RECONNECTING}). A timeout is an {@link AssertionError}
 * naming the client, its state and its last error.
 */
public final class ConnectionStates {

    /** How often the current state is read besides the state callbacks. */
    private static final long POLL_MS = 20;

    private ConnectionStates() {
    }

    /**
     * Waits up to {@link MockWebSocketServer#DEFAULT_TIMEOUT} (10 s) until {@code client} is,
     * or passes through, {@code state}.
     *
     * @param client the client
     * @param state the state to wait for
     * @throws AssertionError if the client does not reach the state in time
     */
    public static void await(ReconnectingWebSocketClient client, ConnectionState state) {
        await(client, state, MockWebSocketServer.DEFAULT_TIMEOUT);
    }

    /**
     * Waits until {@code client} is, or passes through, {@code state}.
     *
     * @param client the client
     * @param state the state to wait for
     * @param timeout how long to wait at most
     * @throws AssertionError if the client does not reach the state in time
     */
    public static void await(ReconnectingWebSocketClient client, ConnectionState state, Duration timeout) {
        CountDownLatch reached = new CountDownLatch(1);
        ConnectionObserver observer = new ConnectionObserver() {
            @Override
            public void onStateChanged(ReconnectingWebSocketClient changed, ConnectionState from,
                    ConnectionState to) {
                if (to == state) {
                    reached.countDown();
                }
            }
        };
        client.addObserver(observer);
        try {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (client.getState() != state) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("WebSocket client '" + client.getName() + "' did not reach " + state
                            + " within " + timeout + ": it is " + client.getState() + " since "
                            + client.getStateSince() + ", last error: " + client.getLastError());
                }
                if (reached.await(Math.min(left, TimeUnit.MILLISECONDS.toNanos(POLL_MS)), TimeUnit.NANOSECONDS)) {
                    return;
                }
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted while waiting for " + state, ex);
        }
        finally {
            client.removeObserver(observer);
        }
    }

}
