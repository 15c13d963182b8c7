package io.github.reconnectingws.connection;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import io.github.reconnectingws.ConnectionSettings;
import io.github.reconnectingws.ConnectionState;
import io.github.reconnectingws.ReconnectingWebSocketClient;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketSession;

/**
 * The make-before-break replacement of one {@link ConnectionStateMachine}'s connection
 * before it reaches {@code max-connection-age}: it opens the new connection while the old
 * one carries on, runs the connect hooks for it, switches the machine to it, and lets the
 * old one deliver for a while before closing it with 1000. A failed replacement is tried
 * again while the old connection lasts; {@link RotationSchedule} says when.
 * <p>
 * It owns the schedule; the rotation timer and overlap of each connection are the
 * {@link Connection}'s. Everything here runs on the machine's actor (see the machine for
 * the threading rules); the handshake and the connect hooks go through the machine's
 * callback lane, as for any new connection.
 */
final class ConnectionRotation {

    private static final Log logger = LogFactory.getLog(ReconnectingWebSocketClient.class);

    private final ConnectionStateMachine machine;

    private final ConnectionSettings settings;

    private final EngineTime time;

    private final SecretMasker masker;

    private final OutboundQueue outbound;

    private final SerialExecutor actor;

    private final SessionOpener opener;

    private final ConnectionOpening opening;

    private final RotationSchedule rotations;

    ConnectionRotation(ConnectionStateMachine machine, ConnectionSettings settings, EngineTime time,
            SecretMasker masker, OutboundQueue outbound, SerialExecutor actor, SessionOpener opener,
            ConnectionOpening opening) {
        this.machine = machine;
        this.settings = settings;
        this.time = time;
        this.masker = masker;
        this.outbound = outbound;
        this.actor = actor;
        this.opener = opener;
        this.opening = opening;
        this.rotations = new RotationSchedule(settings.maxConnectionAge(),
                () -> ThreadLocalRandom.current().nextDouble());
    }

    /** Replace the connection before it reaches max-connection-age, jittered down by 5-10%. */
    void schedule(Connection current) {
        if (this.rotations.isEnabled()) {
            rotateAfter(current, this.rotations.firstReplacement());
        }
    }

    /** The connection ends or is replaced: no replacement for it any more. */
    void cancel(Connection current) {
        EngineTime.Timer timer = current.rotationTimer;
        if (timer != null) {
            timer.cancel();
        }
    }

    private void rotateAfter(Connection current, Duration delay) {
        current.rotationTimer = this.time.schedule(delay, () -> this.actor.execute(() -> rotate(current)));
    }

    /** Make before break: open the new connection while the old one carries on. */
    private void rotate(Connection old) {
        if (this.machine.connection() != old || this.machine.state() != ConnectionState.CONNECTED) {
            return;
        }
        logger.info(this.machine.prefix() + "replacing the connection (max-connection-age "
                + this.settings.maxConnectionAge() + "): opening a new one");
        AttemptHandler handler = this.opener.newAttemptHandler(this.machine.generation());
        long started = this.time.nanoTime();
        this.opener.handshake(handler, (session, failure) -> attemptEnded(old, handler, session, failure, started));
    }

    private void attemptEnded(Connection old, AttemptHandler handler, @Nullable WebSocketSession session,
            @Nullable Throwable failure, long started) {
        if (handler.generation != this.machine.generation() || this.machine.connection() != old
                || this.machine.state() != ConnectionState.CONNECTED) {
            this.opener.discardStale(session);
            return;
        }
        boolean opened = failure == null && session != null;
        this.machine.lifecycle((o) -> o.onConnectAttempt(this.machine.client(), opened));
        if (failure != null || session == null) {
            Throwable cause = FailureClassifier.unwrap((failure != null) ? failure : new IllegalStateException("no session"));
            logger.warn(this.machine.prefix() + "could not open the replacement connection, keeping the current one: "
                    + this.masker.describe(cause));
            retry(old);
            return;
        }
        Connection next = this.opener.open(handler, session, true);
        next.overlap = RotationSchedule.overlap(Duration.ofNanos(this.time.nanoTime() - started));
        handler.connection = next;
        next.heartbeat.start();
        // the hooks run for the new connection while the old one still carries everything
        this.opening.runConnectHooks(next, true);
    }

    /** The new connection's hooks have run: switch to it, unless either ended meanwhile. */
    void ready(Connection next, List<OutboundQueue.Entry> sentByHooks) {
        Connection old = this.machine.connection();
        if (old == null || this.machine.state() != ConnectionState.CONNECTED || next.handler.closeStatus() != null
                || !next.session.isOpen()) {
            next.heartbeat.stop();
            next.writer.close();
            this.opener.closeLater(next.session, CloseStatus.GOING_AWAY);
            this.opening.keepForNextConnection(sentByHooks);
            if (old != null) {
                // parked behind a message for the new session, the old writer fails it and goes on
                old.writer.wake();
            }
            if (old != null && this.machine.state() == ConnectionState.CONNECTED) {
                retry(old);
            }
            return;
        }
        this.machine.switchTo(next);
        cancel(old);
        old.heartbeat.stop();
        old.writer.close();
        // what the hooks sent goes first; the new writer starts once the old one's write has
        // ended and the server has read what the old one wrote (at most the overlap), so that
        // nothing overtakes it at the server
        this.outbound.prependAll(sentByHooks);
        old.writer.stopped()
            .thenCompose((stopped) -> old.writer.confirmAll(next.overlap))
            .whenComplete((ok, error) -> this.actor.execute(() -> {
                if (this.machine.connection() == next) {
                    next.writer.open();
                }
            }));
        // the old connection keeps delivering for a while: what the server sent there alone,
        // just before it knew the new one, is still on its way
        this.time.schedule(next.overlap, () -> this.opener.closeLater(old.session, CloseStatus.NORMAL));
        schedule(next);
        logger.info(this.machine.prefix() + "switched to the new connection; closing the old one with 1000");
    }

    /** The replacement failed: try again while the old connection lasts. */
    private void retry(Connection old) {
        rotateAfter(old, this.rotations.retry());
    }

}
