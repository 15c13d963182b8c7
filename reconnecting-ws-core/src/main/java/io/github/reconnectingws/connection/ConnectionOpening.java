package io.github.reconnectingws.connection;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.github.reconnectingws.ClientClosedException;

/**
 * What follows the opening of one {@link ConnectionStateMachine}'s connection until its
 * writer starts: the protocol's handshake and the connect hooks ({@link ConnectHooks}),
 * then what they sent goes out ahead of the backlog. A replacement connection goes to
 * {@link ConnectionRotation} instead; the messages of a connection gone meanwhile wait for
 * the next one.
 * <p>
 * It owns the {@link ConnectHooks} and keeps no other state. The hooks run in the
 * machine's callback lane, the rest on its actor (see the machine for the threading
 * rules); {@link #capture} runs on whatever thread sends.
 */
final class ConnectionOpening {

    private final ConnectionStateMachine machine;

    private final ConnectHooks hooks;

    private final OutboundQueue outbound;

    private final SerialExecutor actor;

    private final SerialExecutor callbacks;

    private final EngineTime time;

    private final Duration writeLimit;

    /**
     * Completed once the writer of the connection that ended last has stopped: its write
     * in flight, if any, has ended, or failed and put its message back. Actor only.
     */
    private CompletableFuture<Void> lastWriterStopped = CompletableFuture.completedFuture(null);

    /**
     * @param writeLimit how long the next writer waits at most for the last one's write in
     * flight: the send time limit, which a transport that does not apply it may exceed
     */
    ConnectionOpening(ConnectionStateMachine machine, ConnectHooks hooks, OutboundQueue outbound,
            SerialExecutor actor, SerialExecutor callbacks, EngineTime time, Duration writeLimit) {
        this.machine = machine;
        this.hooks = hooks;
        this.outbound = outbound;
        this.actor = actor;
        this.callbacks = callbacks;
        this.time = time;
        this.writeLimit = writeLimit;
    }

    /** The connect hooks of a new connection, in the callback lane. */
    void runConnectHooks(Connection current, boolean reconnect) {
        this.callbacks.execute(() -> run(current, reconnect));
    }

    /**
     * Any thread: take a message sent by a running connect hook: it goes out before the
     * backlog.
     * @return whether the message was taken
     */
    boolean capture(OutboundQueue.Entry entry) {
        return this.hooks.capture(entry);
    }

    /**
     * Callback lane: the protocol's handshake, if any, then the connect hooks, then back
     * to the actor to flush.
     */
    private void run(Connection current, boolean reconnect) {
        ConnectHooks.Outcome outcome = this.hooks.run(current, reconnect);
        if (outcome.failure() != null) {
            this.actor.execute(() -> this.machine.outage().broken(current, outcome.failure(),
                    "protocol handshake failed"));
            return;
        }
        this.actor.execute(() -> done(current, outcome.sent()));
    }

    private void done(Connection current, List<OutboundQueue.Entry> sentByHooks) {
        if (current.rotation && this.machine.connection() != current) {
            this.machine.rotation().ready(current, sentByHooks);
            return;
        }
        CompletableFuture<Void> previous = this.lastWriterStopped;
        if (previous.isDone()) {
            // the usual case: no write of the last connection is in flight
            start(current, sentByHooks);
            return;
        }
        // that write may still fail and put its message back: this writer starts after it
        // (bounded by the write limit), so nothing overtakes that message
        CompletableFuture<Void> go = new CompletableFuture<>();
        EngineTime.Timer limit = this.time.schedule(this.writeLimit, () -> go.complete(null));
        previous.whenComplete((ok, error) -> {
            limit.cancel();
            if (!go.complete(null)) {
                // past the limit the current writer runs already: it takes what that write put back
                this.actor.execute(this::wakeCurrentWriter);
            }
        });
        go.thenRun(() -> this.actor.execute(() -> start(current, sentByHooks)));
    }

    private void start(Connection current, List<OutboundQueue.Entry> sentByHooks) {
        if (this.machine.connection() != current) {
            // dropped meanwhile: the messages wait, ahead of the backlog, for the next connection
            keepForNextConnection(sentByHooks);
            return;
        }
        this.outbound.prependAll(sentByHooks);
        current.writer.open();
    }

    private void wakeCurrentWriter() {
        Connection open = this.machine.connection();
        if (open != null) {
            open.writer.wake();
        }
    }

    /** Actor: stop the writer of a connection that ended; the next connection's writer waits for it. */
    void closeWriter(Connection ended) {
        ended.writer.close();
        this.lastWriterStopped = ended.writer.stopped();
    }

    /**
     * Messages the connect hooks sent for a connection that is gone: they wait, ahead of
     * the backlog, for the next connection, or fail when there will be none.
     */
    void keepForNextConnection(List<OutboundQueue.Entry> sentByHooks) {
        if (this.machine.ended()) {
            ClientClosedException closed = new ClientClosedException(this.machine.client().getName(),
                    "connection ended before the message was written");
            sentByHooks.forEach((entry) -> entry.future().completeExceptionally(closed));
        }
        else {
            this.outbound.prependAll(sentByHooks);
        }
    }

}
