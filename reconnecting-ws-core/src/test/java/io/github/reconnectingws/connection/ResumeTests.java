package io.github.reconnectingws.connection;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.github.reconnectingws.ConnectionObserver;
import io.github.reconnectingws.ConnectionSettings;
import io.github.reconnectingws.ReconnectingWebSocketClient;
import io.github.reconnectingws.testsupport.SequenceFeedServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.web.socket.WebSocketMessage;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Resuming a real feed that keeps its history: after drops and rotations the listeners
 * get every position once, the handshake names the last delivered one, duplicates are
 * dropped and gaps reported.
 */
class ResumeTests extends ClientTestSupport {

    private final SequenceFeedServer feed = SequenceFeedServer.start();

    private final List<Long> received = new CopyOnWriteArrayList<>();

    private final AtomicInteger duplicates = new AtomicInteger();

    private final List<Long> gaps = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopFeed() {
        this.feed.close();
    }

    private ReconnectingWebSocketClientBuilder resuming(boolean deduplicate) {
        ConnectionSettings settings = ConnectionSettings.DEFAULTS.withUrl(this.feed.uri() + "?since={position}")
            .withResume(new ConnectionSettings.Resume("/seq", ConnectionSettings.Resume.Store.MEMORY, deduplicate,
                    Duration.ofMillis(200)));
        return ReconnectingWebSocketClientBuilder.forSettings(settings)
            .header("X-Resume", "after {position}")
            .backoff(Duration.ofMillis(50), 2.0, 0.5, Duration.ofSeconds(30), Duration.ZERO)
            .heartbeat(Duration.ZERO, Duration.ofSeconds(10))
            .resources(resources())
            .messageHandler((client, session, message) -> this.received.add(seq(message)))
            .observer(new ConnectionObserver() {
                @Override
                public void onResumeDuplicate(ReconnectingWebSocketClient client, WebSocketMessage<?> message,
                        String position) {
                    ResumeTests.this.duplicates.incrementAndGet();
                }

                @Override
                public void onResumeGap(ReconnectingWebSocketClient client, String position, long missed) {
                    ResumeTests.this.gaps.add(missed);
                }
            });
    }

    private static long seq(WebSocketMessage<?> message) {
        String text = (String) message.getPayload();
        return Long.parseLong(text.substring(text.indexOf(':') + 1, text.indexOf(',')));
    }

    @Test
    void dropsAtAThousandMessagesPerSecondLoseAndRepeatNothing() {
        ReconnectingWebSocketClient client = started(resuming(true));
        this.feed.startPublishing(1000);
        for (int drop = 1; drop <= 3; drop++) {
            int before = this.received.size();
            eventually().until(() -> this.received.size() > before + 200);
            this.feed.closeAll(1011);
            long reconnects = drop;
            eventually().until(() -> client.getReconnectCount() == reconnects && client.isConnected());
        }
        eventually().until(() -> this.received.size() > 200 + this.received.size() / 2);
        long last = this.feed.stopPublishing();
        eventually().until(() -> this.received.contains(last));
        assertThat(this.received).as("every position once, in order")
            .containsExactlyElementsOf(range(this.received.get(0), last));
        assertThat(this.gaps).isEmpty();
        // each handshake named the last delivered position, the first one none
        List<String> queries = this.feed.queries();
        assertThat(queries).hasSize(4);
        assertThat(queries.get(0)).isEqualTo("since=");
        assertThat(queries.subList(1, 4)).allSatisfy((query) -> assertThat(query).matches("since=[0-9]+"));
        assertThat(this.feed.resumeHeaders().get(0)).containsExactly("after");
        assertThat(this.feed.resumeHeaders().get(3).get(0)).matches("after [0-9]+");
        assertThat(client.getResumePosition()).hasValue(String.valueOf(last));
    }

    @Test
    void replayedMessagesAreDroppedAsDuplicatesAndAGapIsReported() {
        this.feed.replayOverlap(5);
        ReconnectingWebSocketClient client = started(resuming(true));
        // a first subscriber gets only what is published after the feed registered it
        eventually().until(() -> this.feed.openSessions() == 1);
        for (int i = 0; i < 20; i++) {
            this.feed.publish();
        }
        eventually().until(() -> this.received.size() == 20);
        this.feed.closeAll(1011);
        eventually().until(() -> client.getReconnectCount() == 1 && client.isConnected());
        eventually().until(() -> this.duplicates.get() == 5);
        this.feed.skip(3);
        this.feed.publish();
        eventually().until(() -> this.received.size() == 21);
        assertThat(this.received).containsExactlyElementsOf(concat(range(1, 20), List.of(24L)));
        // the observers hear of the gap in their lane, not before the listeners' delivery
        eventually().until(() -> !this.gaps.isEmpty());
        assertThat(this.gaps).containsExactly(3L);
    }

    @Test
    void withoutDeduplicationRepeatsAreDelivered() {
        this.feed.replayOverlap(5);
        ReconnectingWebSocketClient client = started(resuming(false));
        // a first subscriber gets only what is published after the feed registered it
        eventually().until(() -> this.feed.openSessions() == 1);
        for (int i = 0; i < 10; i++) {
            this.feed.publish();
        }
        eventually().until(() -> this.received.size() == 10);
        this.feed.closeAll(1011);
        eventually().until(() -> client.getReconnectCount() == 1 && client.isConnected());
        eventually().until(() -> this.received.size() == 15);
        assertThat(new HashSet<>(this.received)).hasSize(10);
        assertThat(this.duplicates.get()).isZero();
    }

    @Test
    void rotationsWithResumeDeliverEveryPositionExactlyOnce() {
        ReconnectingWebSocketClient client = started(resuming(true).maxConnectionAge(Duration.ofSeconds(1)));
        // compressed, as by default against a server that accepts it: resume and rotation are unchanged by it
        assertThat(client.getExtensions()).containsExactly("permessage-deflate");
        AtomicLong rotations = new AtomicLong();
        client.addObserver(new ConnectionObserver() {
            @Override
            public void onConnected(ReconnectingWebSocketClient c, boolean reconnect, boolean rotation) {
                if (rotation) {
                    rotations.incrementAndGet();
                }
            }
        });
        this.feed.startPublishing(1000);
        eventually().until(() -> rotations.get() >= 2);
        long last = this.feed.stopPublishing();
        eventually().until(() -> this.received.contains(last));
        assertThat(this.received).containsExactlyElementsOf(range(this.received.get(0), last));
        assertThat(client.getReconnectCount()).isZero();
        assertThat(this.duplicates.get()).as("overlap duplicates dropped").isPositive();
        assertThat(client.getExtensions()).containsExactly("permessage-deflate");
    }

    private static List<Long> range(long from, long to) {
        List<Long> range = new ArrayList<>();
        for (long i = from; i <= to; i++) {
            range.add(i);
        }
        return range;
    }

    private static List<Long> concat(List<Long> first, List<Long> second) {
        List<Long> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    @SuppressWarnings("unused")
    private static Set<Long> set(List<Long> values) {
        return new HashSet<>(values);
    }

}
