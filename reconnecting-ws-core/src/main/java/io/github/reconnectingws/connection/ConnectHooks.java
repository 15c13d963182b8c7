package io.github.reconnectingws.connection;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.github.reconnectingws.ConnectionInitializer;
import io.github.reconnectingws.ReconnectingWebSocketClient;
import org.jspecify.annotations.Nullable;

/**
 * What runs when a connection opens, on the connection's callback lane: the protocol's
 * handshake ({@link ConnectionInitializer}, e.g. STOMP's CONNECT), then the application's
 * connect hooks (the observers' {@code onConnected}: events, re-subscribes). What the hooks
 * send is captured, to go out before the backlog.
 * <p>
 * Threading: {@link #run} runs on the callback lane, one at a time per connection;
 * {@link #capture} runs on whatever thread sends, and takes a message only when that
 * thread is the one running the hooks: the hooks' own sends, however they reach the client
 * (the event's client or an injected one).
 */
final class ConnectHooks {

    private final ReconnectingWebSocketClient client;

    private final @Nullable ConnectionInitializer initializer;

    private final Duration timeout;

    private final Observers observers;

    /** The callback thread while hooks run; written by it, read by senders. */
    private volatile @Nullable Thread running;

    /** What the running hooks sent; touched only by {@link #running}. */
    private volatile List<OutboundQueue.Entry> sent = new ArrayList<>();

    ConnectHooks(ReconnectingWebSocketClient client, @Nullable ConnectionInitializer initializer, Duration timeout,
            Observers observers) {
        this.client = client;
        this.initializer = initializer;
        this.timeout = timeout;
        this.observers = observers;
    }

    /**
     * What came of running the hooks.
     * @param sent what the hooks sent, in order
     * @param failure why the protocol's handshake failed, or {@code null}
     */
    record Outcome(List<OutboundQueue.Entry> sent, @Nullable Throwable failure) {
    }

    /** Callback lane: the protocol's handshake, then the hooks. */
    Outcome run(Connection connection, boolean reconnect) {
        if (this.initializer != null) {
            Throwable failure = initialize(this.initializer, connection);
            if (failure != null) {
                return new Outcome(List.of(), failure);
            }
        }
        List<OutboundQueue.Entry> captured = new ArrayList<>();
        this.sent = captured;
        this.running = Thread.currentThread();
        try {
            this.observers.notify((o) -> o.onConnected(this.client, reconnect, connection.rotation));
        }
        finally {
            this.running = null;
        }
        return new Outcome(captured, null);
    }

    /**
     * The protocol's handshake, waited for until it completes, fails, times out or its
     * connection closes: nothing answers on a closed connection, and the lane is needed
     * for the next attempt and for a stop.
     * @return why it failed, or {@code null}
     */
    private @Nullable Throwable initialize(ConnectionInitializer initializer, Connection connection) {
        CompletableFuture<Void> ready = initializer.initialize(this.client, connection.session);
        try {
            CompletableFuture.anyOf(ready, connection.handler.sessionClosed())
                .get(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!ready.isDone()) {
                return new IOException("connection closed during the protocol's handshake");
            }
            ready.get();
            return null;
        }
        catch (ExecutionException ex) {
            return ex.getCause();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return ex;
        }
        catch (Exception ex) {
            return ex;
        }
    }

    /**
     * Any thread: take a message if the running hooks sent it.
     * @return whether it was taken (it then goes out before the backlog)
     */
    boolean capture(OutboundQueue.Entry entry) {
        if (Thread.currentThread() != this.running) {
            return false;
        }
        this.sent.add(entry);
        return true;
    }

}
