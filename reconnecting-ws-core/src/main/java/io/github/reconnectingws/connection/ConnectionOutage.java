package io.github.reconnectingws.connection;

import java.net.URI;
import java.time.Duration;

import io.github.reconnectingws.CloseCodes;
import io.github.reconnectingws.ConnectionFailedException;
import io.github.reconnectingws.ConnectionSettings;
import io.github.reconnectingws.ConnectionState;
import io.github.reconnectingws.FatalCloseStatusException;
import io.github.reconnectingws.ReconnectingWebSocketClient;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.web.socket.CloseStatus;

/**
 * The outages of one {@link ConnectionStateMachine}: what follows a failed attempt or a
 * drop (a close, or a connection found broken, which the machine tears down first). It
 * asks the {@link ReconnectPolicy}, then schedules the next attempt (sooner when an absent
 * endpoint listens again) or gives up: {@code FAILED}, the backlog failed.
 * <p>
 * It owns the policy, the attempt count of the current outage and the scheduled attempt.
 * Everything here runs on the machine's actor (see the machine for the threading rules),
 * except {@link #mayReconnect} and {@link #checkMayReconnect}: they read the reconnect
 * rate limit from any thread.
 */
final class ConnectionOutage {

    private static final Log logger = LogFactory.getLog(ReconnectingWebSocketClient.class);

    private final ConnectionStateMachine machine;

    private final String name;

    private final ConnectionSettings settings;

    /** What a connect reaches first: the proxy, when the connection has one, else the feed. */
    private final URI firstHop;

    private final WebSocketClientResources resources;

    private final EngineTime time;

    private final SecretMasker masker;

    private final OutboundQueue outbound;

    private final SerialExecutor actor;

    private final ReconnectPolicy reconnects;

    private final CloseCodes fatalCloseCodes;

    // Confined to the actor

    private int attemptInOutage;

    private EngineTime.@Nullable Timer scheduledAttempt;

    /** When the scheduled attempt is due, in {@link EngineTime#nanoTime()}. */
    private long scheduledAttemptAt;

    ConnectionOutage(ConnectionStateMachine machine, String name, ConnectionSettings settings,
            WebSocketClientResources resources, SecretMasker masker, OutboundQueue outbound, SerialExecutor actor) {
        this.machine = machine;
        this.name = name;
        this.settings = settings;
        URI proxy = settings.proxy().uri();
        this.firstHop = (proxy != null) ? proxy : settings.uri();
        this.resources = resources;
        this.time = resources.time();
        this.masker = masker;
        this.outbound = outbound;
        this.actor = actor;
        this.reconnects = new ReconnectPolicy(name, settings);
        this.fatalCloseCodes = CloseCodes.of(settings.fatalCloseCodes());
    }

    /** Any thread: whether the reconnect rate limit allows a connect now. */
    boolean mayReconnect() {
        return this.reconnects.mayReconnect(this.time.nanoTime());
    }

    /** Any thread: throws when the reconnect rate limit does not allow a connect now. */
    void checkMayReconnect() {
        this.reconnects.checkMayReconnect(this.time.nanoTime());
    }

    /** Start over: a fresh backoff and outage. */
    void startOver() {
        this.reconnects.startOver();
        this.attemptInOutage = 0;
    }

    /**
     * An attempt starts, the scheduled one or one right away: it counts against the
     * reconnect rate limit unless it is a first connect.
     */
    void attemptStarting(boolean everConnected) {
        this.scheduledAttempt = null;
        if (everConnected || this.attemptInOutage > 0) {
            this.reconnects.recordReconnect(this.time.nanoTime());
        }
    }

    /** An attempt connected: the outage is over. */
    void connected() {
        this.attemptInOutage = 0;
    }

    /** A connection ended: one that lasted {@code stable-after} starts the backoff over. */
    void connectionEnded(Connection ended) {
        if (this.time.nanoTime() - ended.connectedAt >= this.settings.backoff().stableAfter().toNanos()) {
            this.reconnects.startOver();
        }
    }

    /** An attempt's session closed: if it was the open connection, tear it down and reconnect. */
    void closed(AttemptHandler handler, CloseStatus status) {
        Connection current = this.machine.connection();
        if (current == null || current.handler != handler) {
            return;
        }
        this.machine.disconnect(current, status, handler.transportError);
        if (this.machine.state() == ConnectionState.CONNECTED) {
            CloseStatus shown = new CloseStatus(status.getCode(), this.masker.scrub(status.getReason()));
            Throwable cause = (handler.transportError != null) ? handler.transportError
                    : this.fatalCloseCodes.contains(status.getCode()) ? new FatalCloseStatusException(shown)
                    : new ConnectionStateMachine.ConnectionClosedException(shown);
            scheduleReconnect(cause, "disconnected (" + ConnectionStateMachine.describe(shown) + ")", true);
        }
    }

    /** The connection is broken (write failure, heartbeat timeout): drop it and reconnect. */
    void broken(Connection broken, Throwable cause, String why) {
        if (this.machine.connection() != broken) {
            return;
        }
        this.machine.disconnect(broken, null, cause);
        if (this.machine.state() == ConnectionState.CONNECTED) {
            this.machine.lastError(this.masker.describe(cause));
            scheduleReconnect(cause, why, true);
        }
    }

    /** After a failure: schedule the next attempt, or give up. */
    void scheduleReconnect(Throwable cause, String what, boolean afterDrop) {
        if (this.machine.ended()) {
            return;
        }
        ReconnectPolicy.Decision decision = this.reconnects.next(cause, this.time.nanoTime(), afterDrop);
        if (decision instanceof ReconnectPolicy.Fatal) {
            fail(cause, what + ": " + this.masker.describe(cause) + " (not retried)");
            return;
        }
        if (decision instanceof ReconnectPolicy.GiveUp giveUp) {
            // the last attempt's failure, not the rate limit that may have ended the outage
            fail(new ConnectionFailedException(giveUp.message(), this.masker.sanitize(giveUp.cause())),
                    what + ": " + giveUp.logged() + "; last failure: " + this.masker.describe(cause));
            return;
        }
        ReconnectPolicy.Retry retry = (ReconnectPolicy.Retry) decision;
        int attempt = ++this.attemptInOutage;
        Duration delay = retry.delay();
        this.machine.transition(ConnectionState.RECONNECTING);
        // a close status is already in what; any other cause is named
        logger.info(this.machine.prefix() + what
                + ((cause instanceof ConnectionStateMachine.ConnectionClosedException) ? ""
                        : ": " + this.masker.describe(cause))
                + "; reconnecting in " + delay.toMillis() + " ms (attempt " + attempt + ")"
                + (retry.rateLimited() ? " - reconnect rate limit reached" : ""));
        Throwable announced = this.masker.sanitize(retry.reason());
        this.machine.lifecycle((o) -> o.onReconnecting(this.machine.client(), attempt, delay, announced));
        scheduleAttempt(delay);
        if (!retry.rateLimited() && retry.retryAfter() == null && FailureClassifier.isListenerAbsent(cause)
                && delay.compareTo(EndpointWatch.PROBE_INTERVAL) > 0) {
            int waitingGeneration = this.machine.generation();
            this.resources.endpointWatch().whenListening(this.firstHop,
                    () -> this.machine.state() == ConnectionState.RECONNECTING,
                    (spread) -> this.actor.execute(() -> listenerBack(waitingGeneration, spread)));
        }
    }

    void cancelScheduledAttempt() {
        EngineTime.Timer scheduled = this.scheduledAttempt;
        this.scheduledAttempt = null;
        if (scheduled != null) {
            scheduled.cancel();
        }
    }

    private void scheduleAttempt(Duration delay) {
        this.scheduledAttemptAt = this.time.nanoTime() + delay.toNanos();
        this.scheduledAttempt = this.time.schedule(delay, () -> this.actor.execute(this::scheduledAttemptDue));
    }

    /** The endpoint accepts connections again: attempt soon, unless due sooner anyway. */
    private void listenerBack(int waitingGeneration, Duration spread) {
        if (this.machine.state() != ConnectionState.RECONNECTING || this.machine.generation() != waitingGeneration
                || this.scheduledAttempt == null
                || this.time.nanoTime() + spread.toNanos() >= this.scheduledAttemptAt) {
            return;
        }
        if (logger.isDebugEnabled()) {
            logger.debug(this.machine.prefix() + "endpoint listens again; attempting in " + spread.toMillis()
                    + " ms");
        }
        cancelScheduledAttempt();
        scheduleAttempt(spread);
    }

    private void scheduledAttemptDue() {
        if (this.machine.state() == ConnectionState.RECONNECTING && this.scheduledAttempt != null) {
            this.machine.attempt();
        }
    }

    /** Give up: {@code FAILED}, and every queued and later message fails. */
    private void fail(Throwable cause, String what) {
        cancelScheduledAttempt();
        String lastError = this.masker.describe(cause);
        this.machine.lastError(lastError);
        this.machine.transition(ConnectionState.FAILED);
        logger.error(this.machine.prefix() + what);
        ConnectionFailedException failed = (cause instanceof ConnectionFailedException gaveUp) ? gaveUp
                : new ConnectionFailedException("WebSocket connection '" + this.name + "' failed: " + lastError, null);
        this.outbound.refuse(() -> failed);
        this.outbound.failAll(() -> failed);
        Throwable shown = this.masker.sanitize(cause);
        this.machine.lifecycle((o) -> o.onFailed(this.machine.client(), shown));
    }

}
