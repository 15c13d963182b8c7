package io.github.reconnectingws.connection;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import io.github.reconnectingws.ConnectionState;
import io.github.reconnectingws.ReconnectingWebSocketClient;
import io.github.reconnectingws.testsupport.FaultProxy;
import io.github.reconnectingws.testsupport.TestWebSocketServer;
import org.junit.jupiter.api.Test;

import org.springframework.web.socket.TextMessage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * Close is graceful and final; connections cost no threads.
 */
class LifecycleTests extends ClientTestSupport {

    @Override
    TestWebSocketServer startServer() {
        // the server keeps a buffer of its message limit per session: a thousand sessions at
        // the default 1 MiB would hold 3 GB of this JVM's heap
        return TestWebSocketServer.builder().maxMessageBytes(8 * 1024).start();
    }

    @Test
    void closeFlushesSendsGoingAwayAndNeverReconnects() {
        ReconnectingWebSocketClient client = started(builder(server().uri()));
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            sent.add(client.send("last words " + i));
        }
        int handshakes = server().handshakeCount();
        client.close();
        assertThat(sent).allMatch((future) -> future.isDone() && !future.isCompletedExceptionally());
        assertThat(client.getState()).isEqualTo(ConnectionState.CLOSED);
        eventually().until(() -> server().clientCloseCodes().contains(1001));
        assertThat(server().receivedTexts()).hasSize(50).last().isEqualTo("last words 49");
        org.awaitility.Awaitility.await()
            .during(Duration.ofMillis(500))
            .atMost(Duration.ofSeconds(3))
            .until(() -> server().handshakeCount() == handshakes && client.getState() == ConnectionState.CLOSED);
    }

    @Test
    void aStoppedClientCanStartAgain() {
        ReconnectingWebSocketClient client = started(builder(server().uri()));
        client.stop();
        assertThat(client.getState()).isEqualTo(ConnectionState.CLOSED);
        client.start();
        eventually().until(client::isConnected);
    }

    @Test
    void closeWithoutSharedResourcesLeavesNoThreadBehind() {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        ReconnectingWebSocketClient client = ReconnectingWebSocketClientBuilder.forUri(server().uri())
            .heartbeat(Duration.ofMillis(100), Duration.ofSeconds(5))
            .build();
        client.start().join();
        client.send("x").join();
        client.close();
        eventually().until(() -> threadsStartedSince(before).isEmpty());
        // a second close, its resources gone, has nothing left to do
        client.close();
        assertThat(client.getState()).isEqualTo(ConnectionState.CLOSED);
    }

    @Test
    void hundredDropsLeaveNoExtraThreads() {
        FaultProxy proxy = proxy();
        ReconnectingWebSocketClient client = started(builder(proxy.wsUri(TestWebSocketServer.PATH))
            .heartbeat(Duration.ofMillis(200), Duration.ofSeconds(5))
            .stableAfter(Duration.ZERO));
        int threadsAfterWarmUp = 0;
        for (int i = 1; i <= 100; i++) {
            long expected = i;
            client.send("before drop " + i);
            proxy.cutAll();
            // on a timeout, says what the client had reached instead
            eventually().alias("reconnected after drop " + i)
                .until(() -> client.getReconnectCount() + " reconnects, " + client.getState(),
                        equalTo(expected + " reconnects, CONNECTED"));
            if (i == 10) {
                threadsAfterWarmUp = ownThreadCount();
            }
        }
        client.send("still works").join();
        // a leak would add a thread or more per drop; pools are bounded (Tomcat replaces
        // its background thread when sessions come back, the old one ends within seconds)
        int bound = threadsAfterWarmUp + 4;
        eventually().untilAsserted(() -> assertThat(ownThreads()).hasSizeLessThanOrEqualTo(bound));
    }

    @Test
    void aThousandIdleClientsNeedAHandfulOfThreads() {
        long poolThreadsBefore = poolThreads();
        int clientStackBefore = ownThreadCount();
        List<ReconnectingWebSocketClient> clients = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            ReconnectingWebSocketClient client = track(builder(server().uri()).name("c" + i)
                .maxMessageSizes(8 * 1024, 8 * 1024)
                .heartbeat(Duration.ofSeconds(20), Duration.ofSeconds(10))
                .build());
            client.start();
            clients.add(client);
        }
        eventually().atMost(Duration.ofSeconds(60)).until(() -> clients.stream().allMatch(ReconnectingWebSocketClient::isConnected));
        // the engine's pools are fixed: scheduler 1, workers 2, writers 4, handshakes 4
        assertThat(poolThreads() - poolThreadsBefore).isLessThanOrEqualTo(11);
        // the callback pool starts threads only while callbacks block, and has a bound
        assertThat(callbackThreads()).isLessThanOrEqualTo(WebSocketClientResources.DEFAULT_CALLBACK_CONCURRENCY);
        // Tomcat's I/O group is a cached pool sized by concurrent callbacks, not connections;
        // only the client stack's own threads count (the test server shares the JVM, and its
        // threads, like what earlier tests left behind, say nothing about the client)
        assertThat(ownThreadCount() - clientStackBefore).isLessThan(50);
        clients.get(999).send(new TextMessage("alive")).join();
    }

    /** Threads of the client stack: ours and the Tomcat client's. */
    private static int ownThreadCount() {
        return ownThreads().size();
    }

    private static long poolThreads() {
        return ownThreads().stream()
            .filter((name) -> name.startsWith("rws-") && !name.startsWith("rws-callback-"))
            .count();
    }

    private static long callbackThreads() {
        return ownThreads().stream().filter((name) -> name.startsWith("rws-callback-")).count();
    }

    private static List<String> ownThreads() {
        return Thread.getAllStackTraces().keySet().stream()
            .map(Thread::getName)
            .filter((name) -> name.startsWith("rws-") || name.startsWith("WebSocketClient-")
                    || name.startsWith("WebSocket background"))
            .toList();
    }

    private static List<String> threadsStartedSince(Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream()
            .filter((t) -> !before.contains(t) && t.isAlive())
            .filter((t) -> t.getName().startsWith("rws-") || t.getName().startsWith("WebSocketClient-"))
            .map(Thread::getName)
            .toList();
    }

}
