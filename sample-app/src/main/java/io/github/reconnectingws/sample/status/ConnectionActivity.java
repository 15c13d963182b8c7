package io.github.reconnectingws.sample.status;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import io.github.reconnectingws.ConnectionObserver;
import io.github.reconnectingws.ConnectionState;
import io.github.reconnectingws.ReconnectingWebSocketClient;
import org.jspecify.annotations.Nullable;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketMessage;

/**
 * What the status page shows of one connection beyond what the client itself reports:
 * its state history (bounded to the last {@link #HISTORY}) and message rates.
 */
final class ConnectionActivity implements ConnectionObserver {

    static final Duration HISTORY = Duration.ofMinutes(10);

    private static final int MAX_SEGMENTS = 2000;

    private static final int RATE_SPAN_SECONDS = 5;

    private final Deque<Segment> timeline = new ArrayDeque<>();

    private final RateMeter in = new RateMeter();

    private final RateMeter out = new RateMeter();

    private final Consumer<String> journal;

    private final AtomicLong rotations = new AtomicLong();

    ConnectionActivity(ReconnectingWebSocketClient client, Consumer<String> journal) {
        this.journal = journal;
        this.timeline.add(new Segment(client.getState().name(), client.getStateSince().toEpochMilli()));
    }

    @Override
    public void onStateChanged(ReconnectingWebSocketClient client, ConnectionState from, ConnectionState to) {
        long now = System.currentTimeMillis();
        synchronized (this.timeline) {
            this.timeline.addLast(new Segment(to.name(), now));
            while (this.timeline.size() > MAX_SEGMENTS
                    || (this.timeline.size() > 1 && this.timeline.peekFirst().start() < now - 2 * HISTORY.toMillis())) {
                this.timeline.removeFirst();
            }
        }
    }

    @Override
    public void onConnected(ReconnectingWebSocketClient client, boolean reconnect, boolean rotation) {
        if (rotation) {
            this.journal.accept(client.getName() + ": replaced by a new connection (max-connection-age), rotation "
                    + this.rotations.incrementAndGet() + ", no drop");
            return;
        }
        this.journal.accept(client.getName() + ": " + (reconnect ? "reconnected" : "connected") + " (reconnects "
                + client.getReconnectCount() + ")");
    }

    long rotations() {
        return this.rotations.get();
    }

    @Override
    public void onDisconnected(ReconnectingWebSocketClient client, @Nullable CloseStatus status,
            @Nullable Throwable cause) {
        String why = (status != null) ? "close " + status.getCode()
                + ((status.getReason() != null && !status.getReason().isEmpty()) ? " " + status.getReason() : "")
                : (cause != null) ? cause.getClass().getSimpleName() + ": " + cause.getMessage() : "no close frame";
        this.journal.accept(client.getName() + ": disconnected (" + why + ")");
    }

    @Override
    public void onReconnecting(ReconnectingWebSocketClient client, int attempt, Duration delay,
            @Nullable Throwable cause) {
        this.journal.accept(client.getName() + ": attempt " + attempt + " in " + delay.toMillis() + " ms"
                + ((attempt > 1 && cause != null) ? " (" + cause.getClass().getSimpleName() + ")" : ""));
    }

    @Override
    public void onFailed(ReconnectingWebSocketClient client, Throwable cause) {
        this.journal.accept(client.getName() + ": FAILED, gave up (" + cause.getMessage() + ")");
    }

    @Override
    public void onMessageReceived(ReconnectingWebSocketClient client, WebSocketMessage<?> message) {
        this.in.increment(System.currentTimeMillis());
    }

    @Override
    public void onMessageSent(ReconnectingWebSocketClient client, WebSocketMessage<?> message) {
        this.out.increment(System.currentTimeMillis());
    }

    /** State segments that end within the last {@link #HISTORY}, oldest first. */
    List<Segment> timeline(long nowMillis) {
        long from = nowMillis - HISTORY.toMillis();
        List<Segment> segments;
        synchronized (this.timeline) {
            segments = new ArrayList<>(this.timeline);
        }
        List<Segment> visible = new ArrayList<>();
        for (int i = 0; i < segments.size(); i++) {
            boolean endsBefore = i + 1 < segments.size() && segments.get(i + 1).start() < from;
            if (!endsBefore) {
                visible.add(segments.get(i));
            }
        }
        return visible;
    }

    double inPerSecond(long nowMillis) {
        return this.in.perSecond(nowMillis, RATE_SPAN_SECONDS);
    }

    double outPerSecond(long nowMillis) {
        return this.out.perSecond(nowMillis, RATE_SPAN_SECONDS);
    }

    long received() {
        return this.in.total();
    }

    long sent() {
        return this.out.total();
    }

    /**
     * A state entered at a moment; it lasts until the next segment starts.
     * @param state the state name
     * @param start epoch milliseconds
     */
    record Segment(String state, long start) {
    }

}
