package io.github.reconnectingws.connection;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import io.github.reconnectingws.ClientClosedException;
import io.github.reconnectingws.ClientNotStartedException;
import io.github.reconnectingws.ConnectionState;
import io.github.reconnectingws.OutboundBufferFullException;
import io.github.reconnectingws.ReconnectingWebSocketClient;
import io.github.reconnectingws.testsupport.FaultProxy;
import io.github.reconnectingws.testsupport.TestWebSocketServer;
import io.github.reconnectingws.OutboundOverflow;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Messages the client accepted are sent, in order, or reported failed: never lost.
 */
class OutboundTests extends ClientTestSupport {

    @Override
    TestWebSocketServer startServer() {
        return TestWebSocketServer.builder().maxMessageBytes(64 * 1024 * 1024).start();
    }

    @Test
    void messagesSentDuringAnOutageArriveInOrderAfterTheSubscribe() {
        ReconnectingWebSocketClient client = started(builder(proxiedUri())
            .onConnect((c) -> c.send("subscribe")));
        eventually().until(() -> server().receivedTexts().contains("subscribe"));
        proxy().refuse();
        proxy().cutAll();
        eventually().until(() -> !client.isConnected());
        server().clearReceived();
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            sent.add(client.send("message-" + i));
        }
        assertThat(client.getPendingCount()).isEqualTo(200);
        assertThat(sent).noneMatch(CompletableFuture::isDone);
        proxy().resume();
        eventually().until(() -> server().receivedTexts().size() >= 201);
        List<String> expected = new ArrayList<>();
        expected.add("subscribe");
        IntStream.range(0, 200).forEach((i) -> expected.add("message-" + i));
        assertThat(server().receivedTexts()).containsExactlyElementsOf(expected);
        assertThat(sent).allMatch((future) -> future.isDone() && !future.isCompletedExceptionally());
        assertThat(client.getPendingCount()).isZero();
    }

    @Test
    void aWriteThatFailsIsQueuedAgainAndSentAfterReconnect() {
        ReconnectingWebSocketClient client = started(builder(proxiedUri())
            .sendTimeLimit(Duration.ofSeconds(2)));
        proxy().freeze();
        // more than the socket buffers hold, so the write cannot finish while frozen (random
        // bytes: permessage-deflate, on by default, would shrink a uniform array to nothing)
        byte[] big = new byte[8 * 1024 * 1024];
        new java.util.Random(7).nextBytes(big);
        CompletableFuture<Void> sent = client.send(big);
        // Tomcat may report the closed session a moment before the failed write returns:
        // the message is back in the queue once the write has failed
        eventually().until(() -> client.getState() != ConnectionState.CONNECTED && client.getPendingCount() == 1);
        assertThat(sent).isNotDone();
        proxy().resume();
        assertThat(sent).succeedsWithin(TIMEOUT);
        eventually().until(() -> server().receivedBinaries().stream().anyMatch((b) -> b.length == big.length));
        assertThat(client.getReconnectCount()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aSendFindingTheWriterIdleWritesOnTheSendingThread() {
        ReconnectingWebSocketClient client = started(builder(server().uri()));
        // the writer opens once the connect hooks have run: a first message waits for that
        client.send("first").join();
        // written before send() returned: no hand-off to the writer pool. The drain that
        // wrote "first" may still hold the writer for a moment after completing it, and a
        // send meanwhile leaves its message to that drain: so try until the writer is idle
        eventually().until(() -> client.send("inline").isDone());
        eventually().until(() -> server().receivedTexts().contains("inline"));
    }

    @Test
    void aServerThatStopsReadingNeverBlocksSend() throws Exception {
        ReconnectingWebSocketClient client = started(builder(proxiedUri()).outbound(2000, OutboundOverflow.REJECT)
            .sendTimeLimit(Duration.ofSeconds(60)));
        client.send("first").join();
        proxy().freeze();
        // 32 MiB of random bytes, far more than the socket buffers hold: a send that wrote
        // on its own thread into a full buffer would wait there for the send time limit
        java.util.Random random = new java.util.Random(11);
        List<CompletableFuture<Void>> sends = new ArrayList<>();
        byte[] last = null;
        long start = System.nanoTime();
        for (int i = 0; i < 1000; i++) {
            last = new byte[32 * 1024];
            random.nextBytes(last);
            sends.add(client.send(last));
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
        assertThat(sends.get(sends.size() - 1)).isNotDone();
        // the proxy drops the frozen connection (its stream has a hole); what was still
        // queued goes out over the next one
        proxy().resume();
        CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        byte[] expected = last;
        eventually().until(() -> server().receivedBinaries().stream().anyMatch((b) -> java.util.Arrays.equals(b, expected)));
        assertThat(client.getReconnectCount()).isOne();
    }

    @Test
    void rejectOverflowFailsTheNewMessage() {
        ReconnectingWebSocketClient client = track(builder(proxiedUri())
            .outbound(3, OutboundOverflow.REJECT)
            .build());
        proxy().refuse();
        client.start();
        List<CompletableFuture<Void>> sent = IntStream.range(0, 4).mapToObj((i) -> client.send("m" + i)).toList();
        assertThat(sent.get(3)).isCompletedExceptionally();
        assertThat(failure(sent.get(3))).isInstanceOf(OutboundBufferFullException.class).hasMessageContaining("rejected");
        assertThat(sent.subList(0, 3)).noneMatch(CompletableFuture::isDone);
        proxy().resume();
        eventually().until(() -> server().receivedTexts().size() == 3);
        assertThat(server().receivedTexts()).containsExactly("m0", "m1", "m2");
    }

    @Test
    void dropOldestOverflowDiscardsTheOldestMessage() {
        ReconnectingWebSocketClient client = track(builder(proxiedUri())
            .outbound(3, OutboundOverflow.DROP_OLDEST)
            .build());
        proxy().refuse();
        client.start();
        List<CompletableFuture<Void>> sent = IntStream.range(0, 5).mapToObj((i) -> client.send("m" + i)).toList();
        assertThat(failure(sent.get(0))).isInstanceOf(OutboundBufferFullException.class).hasMessageContaining("discarded");
        assertThat(failure(sent.get(1))).isInstanceOf(OutboundBufferFullException.class);
        proxy().resume();
        eventually().until(() -> server().receivedTexts().size() == 3);
        assertThat(server().receivedTexts()).containsExactly("m2", "m3", "m4");
    }

    @Test
    void sendingBeforeStartFailsClearly() {
        ReconnectingWebSocketClient client = track(builder(server().uri()).build());
        assertThat(failure(client.send("too early"))).isInstanceOf(ClientNotStartedException.class)
            .hasMessageContaining("start()");
    }

    @Test
    void sendingAfterCloseFailsClearly() {
        ReconnectingWebSocketClient client = started(builder(server().uri()));
        client.close();
        assertThat(failure(client.send("too late"))).isInstanceOf(ClientClosedException.class);
    }

    @Test
    void sendsBinaryBuffersAndObjects() {
        ReconnectingWebSocketClient client = started(builder(server().uri())
            .payloadEncoder((payload) -> new org.springframework.web.socket.TextMessage("encoded:" + payload)));
        client.send(java.nio.ByteBuffer.wrap(new byte[] { 1, 2, 3 }));
        client.send((Object) new StringBuilder("pojo"));
        eventually().until(() -> server().receivedBinaries().size() == 1
                && server().receivedTexts().contains("encoded:pojo"));
        assertThat(server().receivedBinaries().get(0)).containsExactly(1, 2, 3);
    }

    private static Throwable failure(CompletableFuture<Void> future) {
        try {
            future.get();
            throw new AssertionError("expected a failure");
        }
        catch (ExecutionException ex) {
            return ex.getCause();
        }
        catch (InterruptedException ex) {
            throw new IllegalStateException(ex);
        }
    }

}
