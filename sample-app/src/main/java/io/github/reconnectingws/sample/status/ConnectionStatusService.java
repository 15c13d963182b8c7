package io.github.reconnectingws.sample.status;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;

import io.github.reconnectingws.ReconnectingWebSocketClient;
import io.github.reconnectingws.ReconnectingWebSocketClientRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Service;

/**
 * Watches every connection of the registry (as a {@code ConnectionObserver}, from before
 * the clients start) and assembles what the status page shows.
 */
@Service
public class ConnectionStatusService implements SmartInitializingSingleton {

    private static final int JOURNAL_SIZE = 40;

    private final ReconnectingWebSocketClientRegistry clients;

    private final Map<String, ConnectionActivity> activities = new LinkedHashMap<>();

    private final Deque<JournalEntry> journal = new ConcurrentLinkedDeque<>();

    ConnectionStatusService(ReconnectingWebSocketClientRegistry clients) {
        this.clients = clients;
    }

    @Override
    public void afterSingletonsInstantiated() {
        this.clients.getClients().forEach((name, client) -> {
            ConnectionActivity activity = new ConnectionActivity(client, this::record);
            client.addObserver(activity);
            this.activities.put(name, activity);
        });
    }

    /** Every connection, in configuration order. */
    public List<ConnectionStatus> connections() {
        long now = System.currentTimeMillis();
        List<ConnectionStatus> statuses = new ArrayList<>();
        this.activities.forEach((name, activity) -> {
            ReconnectingWebSocketClient client = this.clients.getClient(name);
            if (client != null) {
                statuses.add(new ConnectionStatus(name, client.getUrl(), client.getState().name(),
                        client.getStateSince(), client.getReconnectCount(), activity.rotations(), client.getPendingCount(),
                        client.getLastError(), round(activity.inPerSecond(now)), round(activity.outPerSecond(now)),
                        activity.received(), activity.sent(), activity.timeline(now)));
            }
        });
        return statuses;
    }

    /** Recent connection events, newest first. */
    public List<JournalEntry> journal() {
        return List.copyOf(this.journal);
    }

    private void record(String text) {
        this.journal.addFirst(new JournalEntry(Instant.now(), text));
        while (this.journal.size() > JOURNAL_SIZE) {
            this.journal.pollLast();
        }
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }

    /**
     * One connection, as the status page shows it.
     * @param name the connection name
     * @param url the URL, secrets masked
     * @param state the {@code ConnectionState} name
     * @param since when the state was entered
     * @param reconnects successful reconnections
     * @param rotations planned replacements of the connection (max-connection-age)
     * @param pending outbound messages queued
     * @param lastError the last connection error, or {@code null}
     * @param inPerSecond messages received per second, over the last 5 s
     * @param outPerSecond messages sent per second, over the last 5 s
     * @param received messages received
     * @param sent messages sent
     * @param timeline the states of the last 10 minutes
     */
    public record ConnectionStatus(String name, String url, String state, Instant since, long reconnects,
            long rotations, int pending, @Nullable String lastError, double inPerSecond, double outPerSecond, long received,
            long sent, List<ConnectionActivity.Segment> timeline) {
    }

    /**
     * A line of the event journal.
     * @param time when
     * @param text what happened
     */
    public record JournalEntry(Instant time, String text) {
    }

}
