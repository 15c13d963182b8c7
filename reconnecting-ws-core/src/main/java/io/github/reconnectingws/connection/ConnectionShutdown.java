package io.github.reconnectingws.connection;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import io.github.reconnectingws.ClientClosedException;
import io.github.reconnectingws.ConnectionSettings;
import io.github.reconnectingws.ConnectionStandbyException;
import io.github.reconnectingws.ConnectionState;
import io.github.reconnectingws.ReconnectingWebSocketClient;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.web.socket.CloseStatus;

/**
 * How one {@link ConnectionStateMachine} stops: {@code CLOSED} flushes what is queued
 * (bounded by the shutdown timeout), then closes the connection with 1001;
 * {@code STANDBY} hands the connection to another instance and keeps nothing. Either way
 * the resume position is written before the stop completes.
 * <p>
 * It keeps no state of its own. It runs on the machine's actor (see the machine for the
 * threading rules), after the machine has cancelled the scheduled attempt and made the
 * attempt under way stale; the stop's future completes in the callback lane.
 */
final class ConnectionShutdown {

    private static final Log logger = LogFactory.getLog(ReconnectingWebSocketClient.class);

    private final ConnectionStateMachine machine;

    private final String name;

    private final ConnectionSettings settings;

    private final EngineTime time;

    private final Transport transport;

    private final OutboundQueue outbound;

    private final SerialExecutor actor;

    private final @Nullable ResumeTracker resume;

    ConnectionShutdown(ConnectionStateMachine machine, ConnectionSettings settings, EngineTime time,
            Transport transport, OutboundQueue outbound, SerialExecutor actor, @Nullable ResumeTracker resume) {
        this.machine = machine;
        this.name = machine.client().getName();
        this.settings = settings;
        this.time = time;
        this.transport = transport;
        this.outbound = outbound;
        this.actor = actor;
        this.resume = resume;
    }

    /** Any thread: what a message sent after the stop fails with. */
    Supplier<RuntimeException> refusal(ConnectionState target) {
        return (target == ConnectionState.STANDBY) ? () -> new ConnectionStandbyException(this.name)
                : () -> new ClientClosedException(this.name, "message sent after stop()");
    }

    /** Stop in {@code target}, {@code CLOSED} or {@code STANDBY}, and then complete {@code result}. */
    void begin(CompletableFuture<Void> result, ConnectionState target) {
        Connection current = this.machine.connection();
        if (this.machine.state() != ConnectionState.NEW || target == ConnectionState.STANDBY) {
            this.machine.transition(target);
        }
        CompletableFuture<Void> first = this.machine.takeFirstAttempt();
        if (first != null) {
            this.machine.afterCallbacks(() -> first.completeExceptionally(
                    new ClientClosedException(this.name, "stopped before connecting")));
        }
        if (target == ConnectionState.STANDBY) {
            // another instance holds the connection now: nothing is kept for it here
            this.outbound.failAll(refusal(target));
        }
        if (current == null || lastPendingWrite(current) == null) {
            finish(current, result);
            return;
        }
        // wait (bounded) for the backlog, whatever its outcome
        CompletableFuture<Void> done = new CompletableFuture<>();
        whenFlushed(current, done);
        EngineTime.Timer timer = this.time.schedule(this.settings.shutdownTimeout(), () -> done.complete(null));
        done.whenComplete((ok, error) -> {
            timer.cancel();
            this.actor.execute(() -> finish(current, result));
        });
    }

    /**
     * Complete {@code done} once nothing is queued or being written. The last queued
     * message may end without the rest being written (a send that raced with the stop
     * takes its message back and fails it), so the newest one is waited for again.
     */
    private void whenFlushed(Connection current, CompletableFuture<Void> done) {
        CompletableFuture<Void> last = lastPendingWrite(current);
        if (last == null) {
            done.complete(null);
            return;
        }
        last.whenComplete((ok, error) -> whenFlushed(current, done));
    }

    private @Nullable CompletableFuture<Void> lastPendingWrite(Connection current) {
        CompletableFuture<Void> last = this.outbound.lastFuture();
        return (last != null) ? last : current.writer.inFlightFuture();
    }

    private void finish(@Nullable Connection current, CompletableFuture<Void> result) {
        if (current != null && this.machine.connection() == current) {
            // closed here, not later: the close frame is out when stop() returns
            this.transport.close(current.session, CloseStatus.GOING_AWAY);
            this.machine.disconnect(current, CloseStatus.GOING_AWAY, null);
            logger.info(this.machine.prefix() + "closed (1001 going away)"
                    + ((this.machine.state() == ConnectionState.STANDBY) ? "; on standby" : ""));
        }
        this.outbound.failAll(() -> new ClientClosedException(this.name, "message not written before shutdown"));
        ResumeTracker resume = this.resume;
        this.machine.afterCallbacks(() -> {
            // written before another instance may take the connection over
            if (resume != null) {
                resume.flush(this.machine.masker());
            }
            result.complete(null);
        });
    }

}
