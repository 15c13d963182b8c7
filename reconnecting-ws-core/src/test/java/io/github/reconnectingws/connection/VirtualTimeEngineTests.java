package io.github.reconnectingws.connection;

import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;

import io.github.reconnectingws.ClientClosedException;
import io.github.reconnectingws.ConnectionFailedException;
import io.github.reconnectingws.ConnectionObserver;
import io.github.reconnectingws.ConnectionSettings;
import io.github.reconnectingws.ConnectionState;
import io.github.reconnectingws.HandshakeRejectedException;
import io.github.reconnectingws.ReconnectingWebSocketClient;
import io.github.reconnectingws.SessionEndedException;
import io.github.reconnectingws.TooManyReconnectsException;
import io.github.reconnectingws.testsupport.ScriptedSession;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.client.WebSocketClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The engine's timing in virtual time: backoff, its reset, give-up, the reconnect rate
 * limit, heartbeat, connect and shutdown timeouts and Retry-After, to the millisecond,
 * without a network and without waiting. Jitter is off unless a test says otherwise.
 */
class VirtualTimeEngineTests {

    private final VirtualTime time = new VirtualTime();

    private final ScriptedTransport server = new ScriptedTransport(this.time);

    private final ClientTestSupport.Recorder recorder = new ClientTestSupport.Recorder();

    private ReconnectingWebSocketClient client(UnaryOperator<ReconnectingWebSocketClientBuilder> customize) {
        return client(customize, this.server);
    }

    private ReconnectingWebSocketClient client(UnaryOperator<ReconnectingWebSocketClientBuilder> customize,
            Transport transport) {
        return client(customize, transport, this.time.resources(this.server::isListening));
    }

    private ReconnectingWebSocketClient client(UnaryOperator<ReconnectingWebSocketClientBuilder> customize,
            Transport transport, WebSocketClientResources resources) {
        // jitter and heartbeat off unless a test sets them
        ConnectionSettings settings = customize.apply(ReconnectingWebSocketClientBuilder.forUrl("ws://feed.test/ws")
            .backoff(Duration.ofMillis(100), 2.0, 0, Duration.ofSeconds(30), Duration.ZERO)
            .heartbeat(Duration.ZERO, Duration.ofSeconds(10))).settings();
        ReconnectingWebSocketClient client = new DefaultReconnectingWebSocketClient("vt", settings, resources, false,
                transport, null, List.of(), null, null);
        client.addObserver(this.recorder);
        return client;
    }

    private void advance(long millis) {
        this.time.advance(Duration.ofMillis(millis));
    }

    /**
     * "subscribe-2" for {@code session} alone, then "m1", sent by another thread than the
     * connect hooks' (whose sends go ahead of the backlog).
     */
    private static List<CompletableFuture<Void>> sendFromAnotherThread(ReconnectingWebSocketClient client,
            ScriptedSession session) {
        List<CompletableFuture<Void>> sent = new CopyOnWriteArrayList<>();
        Thread other = new Thread(() -> {
            sent.add(client.send(new TextMessage("subscribe-2"), session));
            sent.add(client.send("m1"));
        });
        other.start();
        try {
            other.join();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        return sent;
    }

    /** The server drops the session, and a millisecond later (the backoff) the client is connected again. */
    private void dropAndReconnect(ScriptedSession session) {
        try {
            session.closeFromServer(new CloseStatus(1011));
        }
        catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
        advance(1);
    }

    @Test
    void backoffGrowsByTheMultiplierUpToTheMaximum() {
        ReconnectingWebSocketClient client = client(
                (b) -> b.backoff(Duration.ofMillis(100), 2.0, 0, Duration.ofSeconds(1), Duration.ZERO));
        this.server.down();
        client.start();
        advance(3_600);
        assertThat(this.server.attempts).containsExactly(0L, 100L, 300L, 700L, 1_500L, 2_500L, 3_500L);
        assertThat(client.getState()).isEqualTo(ConnectionState.RECONNECTING);
    }

    @Test
    void aListenerThatIsBackIsTriedWithoutSittingOutTheBackoff() {
        ReconnectingWebSocketClient client = client(
                (b) -> b.backoff(Duration.ofMillis(100), 2.0, 0, Duration.ofSeconds(30), Duration.ZERO));
        this.server.down();
        client.start();
        advance(20_000);
        List<Long> whileDown = List.copyOf(this.server.attempts);
        // the backoff alone: 100, 300, 700, 1,500, 3,100, 6,300, 12,700; next at 25,500
        assertThat(whileDown).containsExactly(0L, 100L, 300L, 700L, 1_500L, 3_100L, 6_300L, 12_700L);
        this.server.up();
        // one probe interval to notice, then within the spread window
        advance(EndpointWatch.PROBE_INTERVAL.toMillis() + EndpointWatch.MIN_SPREAD.toMillis());
        assertThat(client.isConnected()).isTrue();
        assertThat(this.server.attempts).hasSize(whileDown.size() + 1);
    }

    @Test
    void theReconnectRateLimitDoesNotPostponeGivingUpPastMaxElapsedTime() throws Exception {
        ReconnectingWebSocketClient client = client((b) -> b.maxReconnects(3, Duration.ofSeconds(20))
            .backoff(Duration.ofMillis(100), 2.0, 0, Duration.ofSeconds(30), Duration.ofSeconds(3)));
        client.start();
        assertThat(client.isConnected()).isTrue();
        this.server.down();
        this.server.lastSession().closeFromServer(new CloseStatus(1011));
        // attempts at 0, 200 and 600 ms; the rate limit would put the fourth one 20 s after
        // the first, past the 3 s budget: the client gives up instead of waiting for it
        advance(3_000);
        assertThat(client.getState()).isEqualTo(ConnectionState.FAILED);
        assertThat(this.server.attempts).containsExactly(0L, 0L, 200L, 600L);
        assertThat(this.recorder.failures).singleElement()
            .isInstanceOfSatisfying(ConnectionFailedException.class,
                    (ex) -> assertThat(ex).hasMessageContaining("max-elapsed-time"));
    }

    @Test
    void throughAProxyTheEndpointWatchProbesTheProxyNotTheFeed() {
        List<Origin> probed = new java.util.concurrent.CopyOnWriteArrayList<>();
        ReconnectingWebSocketClient client = client((b) -> b.proxy("http://proxy.test:3128", null, null), this.server,
                this.time.resources((origin) -> {
                    probed.add(origin);
                    return false;
                }));
        this.server.down();
        client.start();
        advance(5_000);
        assertThat(probed).isNotEmpty().allMatch((origin) -> origin.equals(new Origin("http", "proxy.test", 3128)));
    }

    @Test
    void aServerThatStaysDownSeesOnlyTheBackoffsAttempts() {
        ReconnectingWebSocketClient client = client((b) -> b);
        this.server.down();
        client.start();
        advance(10 * 60_000);
        // at 0, 100, 300, ..., 25,500 (9 attempts), then one per 30 s (maximum interval): 19 more
        assertThat(this.server.attempts).hasSize(9 + 19);
        assertThat(client.getState()).isEqualTo(ConnectionState.RECONNECTING);
    }

    @Test
    void jitterKeepsEachDelayWithinTheRandomizationFactor() {
        ReconnectingWebSocketClient client = client(
                (b) -> b.backoff(Duration.ofMillis(100), 2.0, 0.5, Duration.ofSeconds(30), Duration.ZERO));
        this.server.down();
        client.start();
        advance(60_000);
        List<Long> attempts = this.server.attempts;
        long nominal = 100;
        for (int i = 1; i < attempts.size() && nominal < 30_000; i++, nominal *= 2) {
            long delay = attempts.get(i) - attempts.get(i - 1);
            assertThat(delay).as("delay %d", i).isBetween(nominal / 2, nominal * 3 / 2);
        }
    }

    @Test
    void aDropIsRetriedAtOnceAndAConnectionThatStayedUpStartsTheBackoffOver() throws Exception {
        ReconnectingWebSocketClient client = client((b) -> b);
        client.start();
        assertThat(client.isConnected()).isTrue();
        // a drop is retried at once (jitter off); dropped again at once: the backoff's second step
        this.server.lastSession().closeFromServer(new CloseStatus(1011));
        advance(0);
        this.server.lastSession().closeFromServer(new CloseStatus(1011));
        advance(200);
        assertThat(this.server.attempts).containsExactly(0L, 0L, 200L);
        // up for stable-after (5 s), then dropped: at once again
        advance(5_000);
        this.server.lastSession().closeFromServer(new CloseStatus(1011));
        advance(0);
        assertThat(this.server.attempts).containsExactly(0L, 0L, 200L, 5_200L);
        assertThat(client.getReconnectCount()).isEqualTo(3);
    }

    @Test
    void theFirstAttemptAfterADropIsSpreadOverTheJitterWindow() throws Exception {
        ReconnectingWebSocketClient client = client(
                (b) -> b.backoff(Duration.ofMillis(100), 2.0, 0.5, Duration.ofSeconds(30), Duration.ZERO));
        client.start();
        for (int i = 0; i < 50; i++) {
            advance(5_000);
            long dropped = this.time.millis();
            this.server.lastSession().closeFromServer(new CloseStatus(1001));
            advance(50);
            assertThat(client.isConnected()).isTrue();
            assertThat(this.server.attempts).last().satisfies((at) -> assertThat(at - dropped).isBetween(0L, 50L));
        }
    }

    @Test
    void givesUpWhenTheOutageWouldOutlastMaxElapsedTime() {
        ReconnectingWebSocketClient client = client(
                (b) -> b.backoff(Duration.ofMillis(100), 2.0, 0, Duration.ofSeconds(30), Duration.ofSeconds(1)));
        this.server.down();
        client.start();
        CompletableFuture<Void> queued = client.send("waiting");
        advance(60_000);
        // the next delay (800 ms) after the attempt at 700 would end past 1 s
        assertThat(this.server.attempts).containsExactly(0L, 100L, 300L, 700L);
        assertThat(client.getState()).isEqualTo(ConnectionState.FAILED);
        assertThat(this.recorder.failures).singleElement().isInstanceOf(ConnectionFailedException.class);
        assertThat(queued).isCompletedExceptionally();
    }

    @Test
    void theRateLimitPostponesAReconnectUntilTheWindowAllowsIt() throws Exception {
        ReconnectingWebSocketClient client = client(
                (b) -> b.maxReconnects(2, Duration.ofSeconds(10)));
        client.start();
        for (int i = 0; i < 3; i++) {
            this.server.lastSession().closeFromServer(new CloseStatus(1011));
            advance(i == 2 ? 0 : 1_000);
        }
        // reconnects at 0 and 1,200 fill the window; the third waits until 0 leaves it
        assertThat(this.server.attempts).containsExactly(0L, 0L, 1_200L);
        assertThat(client.canConnect()).isFalse();
        assertThat(this.recorder.reconnectCauses).last().isInstanceOf(TooManyReconnectsException.class);
        advance(10_001 - this.time.millis() - 1);
        assertThat(this.server.attempts).hasSize(3);
        advance(1);
        assertThat(this.server.attempts).containsExactly(0L, 0L, 1_200L, 10_001L);
        assertThat(client.isConnected()).isTrue();
    }

    @Test
    void aSilentConnectionIsDroppedOnTheHeartbeatTimeout() {
        ReconnectingWebSocketClient client = client((b) -> b.heartbeat(Duration.ofSeconds(1), Duration.ofMillis(500)));
        client.start();
        ScriptedSession silent = this.server.lastSession();
        // the first ping comes after half to one interval, its check 500 ms later
        advance(999);
        assertThat(silent.isOpen()).isTrue();
        advance(501);
        assertThat(silent.pings()).isEqualTo(1);
        assertThat(silent.closedWith()).isEqualTo(CloseStatus.GOING_AWAY);
        assertThat(this.recorder.disconnects).singleElement().isInstanceOf(TimeoutException.class);
        advance(100);
        assertThat(client.isConnected()).isTrue();
        assertThat(this.server.sessions).hasSize(2);
    }

    @Test
    void aConnectionThatAnswersIsKeptAlive() throws Exception {
        ReconnectingWebSocketClient client = client((b) -> b.heartbeat(Duration.ofSeconds(1), Duration.ofMillis(500)));
        client.start();
        ScriptedSession session = this.server.lastSession();
        for (int i = 0; i < 100; i++) {
            advance(200);
            session.receive("tick");
        }
        assertThat(session.pings()).isGreaterThanOrEqualTo(19);
        assertThat(session.isOpen()).isTrue();
        assertThat(this.server.sessions).hasSize(1);
    }

    @Test
    void retryAfterStretchesTheDelay() {
        ReconnectingWebSocketClient client = client((b) -> b);
        this.server.failWith(() -> new HandshakeRejectedException(503, Duration.ofSeconds(2), null));
        client.start();
        advance(1_999);
        assertThat(this.server.attempts).containsExactly(0L);
        this.server.up();
        advance(1);
        assertThat(this.server.attempts).containsExactly(0L, 2_000L);
        assertThat(client.isConnected()).isTrue();
    }

    @Test
    void aFatalRejectionIsNeverRetried() {
        ReconnectingWebSocketClient client = client((b) -> b);
        this.server.failWith(() -> new HandshakeRejectedException(401, null, null));
        client.start();
        advance(3_600_000);
        assertThat(this.server.attempts).containsExactly(0L);
        assertThat(client.getState()).isEqualTo(ConnectionState.FAILED);
    }

    @Test
    void shutdownWaitsForTheBacklogAtMostTheShutdownTimeout() {
        ReconnectingWebSocketClient client = client((b) -> b.shutdownTimeout(Duration.ofSeconds(2)));
        this.time.holdWrites();
        client.start();
        // larger than the window a sending thread may write: both wait for the (held) writer pool
        String large = "a".repeat((int) SessionWriter.WINDOW + 1);
        CompletableFuture<Void> first = client.send(large);
        CompletableFuture<Void> second = client.send(large);
        CompletableFuture<Void> stopped = client.stopAsync();
        advance(1_999);
        assertThat(stopped).isNotDone();
        advance(1);
        assertThat(stopped).isDone();
        assertThat(first).isCompletedExceptionally();
        assertThat(second).failsWithin(Duration.ZERO).withThrowableOfType(Exception.class)
            .withCauseInstanceOf(ClientClosedException.class);
        assertThat(this.server.lastSession().closedWith()).isEqualTo(CloseStatus.GOING_AWAY);
        this.time.releaseWrites();
        assertThat(this.server.lastSession().sent()).isEmpty();
    }

    @Test
    void aSendWritesOnTheSendingThreadWhileTheServerConfirmsWhatItRead() {
        ReconnectingWebSocketClient client = client((b) -> b);
        // the writer pool writes nothing: whatever is written, the sending thread wrote
        this.time.holdWrites();
        client.start();
        this.server.lastSession().answerPings(true);
        String kib = "k".repeat(1024);
        for (int i = 0; i < 1000; i++) {
            assertThat(client.send(kib)).isCompleted();
        }
        assertThat(this.server.lastSession().sent()).hasSize(1000);
        // a probe every PROBE bytes, each answered at once
        long size = SessionWriter.size(new TextMessage(kib));
        int perProbe = (int) ((SessionWriter.PROBE + size - 1) / size);
        assertThat(this.server.lastSession().pings()).isEqualTo(1000 / perProbe);
    }

    @Test
    void pastAnUnconfirmedWindowTheSenderLeavesWritesToThePool() throws Exception {
        ReconnectingWebSocketClient client = client((b) -> b);
        this.time.holdWrites();
        client.start();
        // a pong nobody asked for confirms nothing
        this.server.lastSession().receivePong(java.nio.ByteBuffer.allocate(Long.BYTES).putLong(0, Long.MAX_VALUE));
        String kib = "k".repeat(1024);
        List<CompletableFuture<Void>> sends = new ArrayList<>();
        int window = (int) (SessionWriter.WINDOW / SessionWriter.size(new TextMessage(kib)));
        for (int i = 0; i <= window; i++) {
            sends.add(client.send(kib));
        }
        assertThat(sends.subList(0, window)).allMatch(CompletableFuture::isDone);
        assertThat(sends.get(window)).isNotDone();
        assertThat(this.server.lastSession().sent()).hasSize(window);
        // one probe went out; the server has not answered it
        assertThat(this.server.lastSession().pings()).isOne();
        this.time.releaseWrites();
        assertThat(sends.get(window)).isCompleted();
        assertThat(this.server.lastSession().sent()).hasSize(window + 1);
    }

    @Test
    void writeInlineWritesOnTheSendingThreadPastTheWindow() {
        ReconnectingWebSocketClient client = client((b) -> b.writeInline(true));
        this.time.holdWrites();
        client.start();
        String kib = "k".repeat(1024);
        int count = 2 * (int) (SessionWriter.WINDOW / 1024);
        for (int i = 0; i < count; i++) {
            assertThat(client.send(kib)).isCompleted();
        }
        assertThat(this.server.lastSession().sent()).hasSize(count);
    }

    @Test
    void handshakesPastTheEndpointsBudgetWaitForTheirSlotAndOneStoppedMeanwhileIsNeverSent() {
        WebSocketClientResources shared = this.time.resources(this.server::isListening);
        List<ReconnectingWebSocketClient> clients = new ArrayList<>();
        for (int i = 0; i < HandshakeAdmission.BURST + 10; i++) {
            ReconnectingWebSocketClient client = client((b) -> b, this.server, shared);
            clients.add(client);
            client.start();
        }
        // the burst at once; the rest one slot (1 ms) apart
        assertThat(this.server.attempts).hasSize(HandshakeAdmission.BURST);
        ReconnectingWebSocketClient last = clients.get(clients.size() - 1);
        last.stop();
        advance(10);
        assertThat(this.server.attempts).hasSize(HandshakeAdmission.BURST + 9);
        assertThat(this.server.attempts.subList(HandshakeAdmission.BURST, HandshakeAdmission.BURST + 9))
            .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
        assertThat(last.getState()).isEqualTo(ConnectionState.CLOSED);
        assertThat(clients.subList(0, clients.size() - 1)).allMatch(ReconnectingWebSocketClient::isConnected);
    }

    @Test
    void shutdownEndsAsSoonAsTheBacklogIsWritten() {
        ReconnectingWebSocketClient client = client((b) -> b.shutdownTimeout(Duration.ofSeconds(2)));
        this.time.holdWrites();
        client.start();
        String large = "a".repeat((int) SessionWriter.WINDOW + 1);
        CompletableFuture<Void> sent = client.send(large);
        CompletableFuture<Void> stopped = client.stopAsync();
        advance(500);
        assertThat(stopped).isNotDone();
        this.time.releaseWrites();
        assertThat(sent).isCompleted();
        assertThat(stopped).isDone();
        assertThat(this.server.lastSession().sent()).containsExactly(large);
    }

    @Test
    void aTransportThatNeverAnswersTimesOutAfterTheConnectTimeout() {
        WebSocketClient silent = new WebSocketClient() {

            @Override
            public CompletableFuture<WebSocketSession> execute(WebSocketHandler handler, String template,
                    Object... variables) {
                return new CompletableFuture<>();
            }

            @Override
            public CompletableFuture<WebSocketSession> execute(WebSocketHandler handler,
                    @Nullable WebSocketHttpHeaders headers, URI uri) {
                return new CompletableFuture<>();
            }

        };
        PluggedTransport transport = new PluggedTransport("vt", silent, Duration.ofSeconds(3), this.time);
        ReconnectingWebSocketClient client = client((b) -> b.connectTimeout(Duration.ofSeconds(3)), transport);
        client.start();
        advance(2_999);
        assertThat(client.getState()).isEqualTo(ConnectionState.CONNECTING);
        advance(1);
        assertThat(client.getState()).isEqualTo(ConnectionState.RECONNECTING);
        assertThat(this.recorder.reconnectCauses).singleElement().isInstanceOf(TimeoutException.class);
    }

    @Test
    void aWriteThatFailsAfterTheNextConnectionOpenedGoesOutThereInOrder() throws Exception {
        ReconnectingWebSocketClient client = client(
                (b) -> b.backoff(Duration.ofMillis(1), 1.0, 0, Duration.ofMillis(1), Duration.ZERO));
        client.addObserver(new ConnectionObserver() {
            @Override
            public void onConnected(ReconnectingWebSocketClient c, boolean reconnect) {
                c.send("subscribe");
            }
        });
        client.start();
        ScriptedSession first = this.server.lastSession();
        // while "m1" is on the wire the server drops the connection, and the client is
        // connected again before that write fails and puts "m1" back in the queue
        first.duringNextSend(() -> dropAndReconnect(first));
        CompletableFuture<Void> m1 = client.send("m1");
        ScriptedSession second = this.server.lastSession();
        assertThat(second).isNotSameAs(first);
        assertThat(client.isConnected()).isTrue();
        // written on the new connection, after its connect hook's message, without waiting
        // for another send to wake the writer
        assertThat(m1).isCompleted();
        assertThat(client.getPendingCount()).isZero();
        assertThat(first.sent()).containsExactly("subscribe");
        assertThat(second.sent()).containsExactly("subscribe", "m1");
        client.send("m2");
        assertThat(second.sent()).containsExactly("subscribe", "m1", "m2");
    }

    @Test
    void aMessageSentForOneSessionIsWrittenThereOrFailsAndNeverGoesOutOnTheNext() throws Exception {
        ReconnectingWebSocketClient client = client(
                (b) -> b.backoff(Duration.ofMillis(1), 1.0, 0, Duration.ofMillis(1), Duration.ZERO));
        client.start();
        ScriptedSession first = this.server.lastSession();
        List<CompletableFuture<Void>> forFirst = new ArrayList<>();
        // while "m1" is on the wire, a message for this session alone queues behind it, and
        // the server drops the connection before either is written
        first.duringNextSend(() -> {
            forFirst.add(client.send(new TextMessage("ack-1"), first));
            dropAndReconnect(first);
        });
        CompletableFuture<Void> m1 = client.send("m1");
        ScriptedSession second = this.server.lastSession();
        assertThat(second).isNotSameAs(first);
        assertThat(m1).isCompleted();
        assertThat(forFirst).singleElement()
            .satisfies((ack) -> assertThat(ack).failsWithin(Duration.ZERO)
                .withThrowableThat()
                .withCauseInstanceOf(SessionEndedException.class));
        // once its session has ended, at once
        assertThat(client.send(new TextMessage("ack-2"), first)).failsWithin(Duration.ZERO)
            .withThrowableThat()
            .withCauseInstanceOf(SessionEndedException.class);
        assertThat(client.send(new TextMessage("ack-3"), second)).isCompleted();
        assertThat(first.sent()).isEmpty();
        assertThat(second.sent()).containsExactly("m1", "ack-3");
        assertThat(client.getPendingCount()).isZero();
    }

    @Test
    void duringAReplacementAMessageForTheNewSessionWaitsWithWhatFollowsForTheSwitch() throws Exception {
        ReconnectingWebSocketClient client = client((b) -> b.maxConnectionAge(Duration.ofSeconds(60)));
        List<CompletableFuture<Void>> sent = new CopyOnWriteArrayList<>();
        List<String> oldSessionSentMeanwhile = new CopyOnWriteArrayList<>();
        client.addObserver(new ConnectionObserver() {
            @Override
            public void onConnected(ReconnectingWebSocketClient c, boolean reconnect, boolean rotation) {
                if (!rotation) {
                    return;
                }
                ScriptedSession old = VirtualTimeEngineTests.this.server.sessions.get(0);
                ScriptedSession next = VirtualTimeEngineTests.this.server.lastSession();
                // another thread sends while the new session's hooks run, before the switch
                sent.addAll(sendFromAnotherThread(c, next));
                oldSessionSentMeanwhile.addAll(old.sent());
            }
        });
        client.start();
        ScriptedSession first = this.server.lastSession();
        // the replacement comes at 90 to 95 % of the maximum age
        advance(58_000);
        ScriptedSession second = this.server.lastSession();
        assertThat(second).isNotSameAs(first);
        assertThat(sent).hasSize(2).allSatisfy((future) -> assertThat(future).isCompleted());
        // the old writer left both for the new one: m1 was sent after subscribe-2
        assertThat(oldSessionSentMeanwhile).isEmpty();
        assertThat(first.sent()).isEmpty();
        assertThat(second.sent()).containsExactly("subscribe-2", "m1");
    }

    @Test
    void aReplacementThatFailsFailsWhatWasSentForItAndTheOldSessionGoesOn() throws Exception {
        ReconnectingWebSocketClient client = client((b) -> b.maxConnectionAge(Duration.ofSeconds(60)));
        List<CompletableFuture<Void>> sent = new CopyOnWriteArrayList<>();
        AtomicBoolean once = new AtomicBoolean();
        client.addObserver(new ConnectionObserver() {
            @Override
            public void onConnected(ReconnectingWebSocketClient c, boolean reconnect, boolean rotation) {
                // the first replacement only: the client tries again a second later
                if (!rotation || !once.compareAndSet(false, true)) {
                    return;
                }
                ScriptedSession next = VirtualTimeEngineTests.this.server.lastSession();
                sent.addAll(sendFromAnotherThread(c, next));
                try {
                    // the new session drops before the switch
                    next.closeFromServer(new CloseStatus(1011));
                }
                catch (Exception ex) {
                    throw new IllegalStateException(ex);
                }
            }
        });
        client.start();
        ScriptedSession first = this.server.lastSession();
        advance(58_000);
        assertThat(once).isTrue();
        assertThat(client.isConnected()).isTrue();
        assertThat(sent.get(0)).failsWithin(Duration.ZERO)
            .withThrowableThat()
            .withCauseInstanceOf(SessionEndedException.class);
        assertThat(sent.get(1)).isCompleted();
        assertThat(first.sent()).containsExactly("m1");
    }

    @Test
    void afterASwitchTheNewSessionWritesOnceTheServerHasReadWhatTheOldOneWrote() throws Exception {
        ReconnectingWebSocketClient client = client((b) -> b.maxConnectionAge(Duration.ofSeconds(60)));
        client.start();
        ScriptedSession first = this.server.lastSession();
        assertThat(client.send("m1")).isCompleted();
        ScriptedSession second = replacementOf(first);
        // the old session was probed with the count of what it wrote: the new one waits for the pong
        assertThat(first.pings()).isEqualTo(1);
        CompletableFuture<Void> m2 = client.send("m2");
        assertThat(second.sent()).isEmpty();
        first.receivePong(ByteBuffer.allocate(Long.BYTES).putLong(0, SessionWriter.size(new TextMessage("m1"))));
        assertThat(m2).isCompleted();
        assertThat(second.sent()).containsExactly("m2");

        // a server that does not answer pings: the new session writes after the overlap
        ScriptedSession third = replacementOf(second);
        assertThat(second.pings()).isEqualTo(1);
        CompletableFuture<Void> m3 = client.send("m3");
        advance(RotationSchedule.MIN_OVERLAP.toMillis() - 2);
        assertThat(third.sent()).isEmpty();
        advance(2);
        assertThat(m3).isCompleted();
        assertThat(third.sent()).containsExactly("m3");
        assertThat(first.sent()).containsExactly("m1");
        assertThat(second.sent()).containsExactly("m2");
    }

    /** Advances to the planned replacement of {@code session} (at 90 to 95 % of its age), the millisecond it comes. */
    private ScriptedSession replacementOf(ScriptedSession session) {
        for (int millis = 0; millis < 60_000 && this.server.lastSession() == session; millis++) {
            advance(1);
        }
        ScriptedSession next = this.server.lastSession();
        assertThat(next).isNotSameAs(session);
        return next;
    }

}
