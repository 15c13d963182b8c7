package io.github.reconnectingws.connection;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.github.reconnectingws.ConnectionState;
import io.github.reconnectingws.ReconnectingWebSocketClient;
import io.github.reconnectingws.testsupport.FaultProxy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Application code that blocks (connect hooks, handshake customizers) delays only its own
 * connection: the others still detect drops and half-open sockets, reconnect and write on
 * time. Real connections, real proxies; the hooks block on a latch the test releases.
 */
class SlowCallbackTests extends ClientTestSupport {

    /** More blocking connections than the engine has worker threads. */
    private static final int BLOCKED = Math.max(3, Runtime.getRuntime().availableProcessors() + 1);

    private final CountDownLatch release = new CountDownLatch(1);

    private final List<FaultProxy> proxies = new ArrayList<>();

    @AfterEach
    void releaseHooksAndProxies() {
        this.release.countDown();
        this.proxies.forEach(FaultProxy::close);
    }

    private FaultProxy newProxy() {
        FaultProxy proxy = FaultProxy.start(server().port());
        this.proxies.add(proxy);
        return proxy;
    }

    private void blockUntilReleased() {
        try {
            this.release.await(60, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /** Connections whose connect hooks block, each behind its own proxy. */
    private List<ReconnectingWebSocketClient> blockedClients(List<FaultProxy> proxies, CountDownLatch hooksEntered) {
        List<ReconnectingWebSocketClient> blocked = new ArrayList<>();
        for (int i = 0; i < BLOCKED; i++) {
            FaultProxy proxy = newProxy();
            proxies.add(proxy);
            ReconnectingWebSocketClient client = track(builder(proxy.wsUri("/ws")).name("slow-" + i)
                .heartbeat(Duration.ofMillis(200), Duration.ofMillis(300))
                .onConnect((c) -> {
                    hooksEntered.countDown();
                    blockUntilReleased();
                })
                .build());
            client.start();
            blocked.add(client);
        }
        return blocked;
    }

    @Test
    void aDropIsHealedOnTimeWhileOtherConnectionsHooksBlock() throws Exception {
        CountDownLatch hooksEntered = new CountDownLatch(BLOCKED);
        blockedClients(new ArrayList<>(), hooksEntered);
        assertThat(hooksEntered.await(20, TimeUnit.SECONDS)).as("every slow hook is running").isTrue();

        FaultProxy healthyProxy = newProxy();
        ReconnectingWebSocketClient healthy = started(builder(healthyProxy.wsUri("/ws")).name("healthy"));
        long cut = System.nanoTime();
        healthyProxy.cutAll();
        eventually().until(() -> healthy.getReconnectCount() == 1 && healthy.isConnected());
        long reconnectMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cut);
        // initial-interval 50 ms with 20% jitter, plus the handshake; the hooks block for minutes
        assertThat(reconnectMillis).as("reconnect time of the healthy connection").isLessThan(5_000);
        System.out.println("healthy connection reconnected " + reconnectMillis + " ms after the drop while "
                + BLOCKED + " other connections' hooks blocked");
        // and it writes
        healthy.send("still writing").get(10, TimeUnit.SECONDS);
        eventually().until(() -> server().receivedTexts().contains("still writing"));
    }

    @Test
    void aHalfOpenConnectionIsDetectedWhileItsOwnAndOtherHooksBlock() throws Exception {
        CountDownLatch hooksEntered = new CountDownLatch(BLOCKED);
        List<FaultProxy> blockedProxies = new ArrayList<>();
        List<ReconnectingWebSocketClient> blocked = blockedClients(blockedProxies, hooksEntered);
        assertThat(hooksEntered.await(20, TimeUnit.SECONDS)).as("every slow hook is running").isTrue();

        // one of the blocked connections goes silent: its heartbeat still runs
        ReconnectingWebSocketClient silent = blocked.get(0);
        assertThat(silent.getState()).isEqualTo(ConnectionState.CONNECTED);
        long frozen = System.nanoTime();
        blockedProxies.get(0).freeze();
        eventually().until(() -> silent.getState() != ConnectionState.CONNECTED);
        long detectedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - frozen);
        // interval 200 ms + timeout 300 ms; generous for a loaded machine, far below the block
        assertThat(detectedMillis).as("half-open detection").isLessThan(5_000);
        assertThat(blocked.subList(1, BLOCKED)).allMatch(ReconnectingWebSocketClient::isConnected);
    }

    @Test
    void aBlockingHookStillSendsBeforeTheBacklog() throws Exception {
        CountDownLatch hookEntered = new CountDownLatch(1);
        ReconnectingWebSocketClient client = track(builder(server().uri()).onConnect((c) -> {
            hookEntered.countDown();
            blockUntilReleased();
            c.send("subscribe");
        }).build());
        client.start();
        assertThat(hookEntered.await(20, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Void> queued = client.send("queued while the hook runs");
        assertThat(client.isConnected()).isTrue();
        assertThat(queued).isNotDone();
        this.release.countDown();
        queued.get(10, TimeUnit.SECONDS);
        eventually().until(() -> server().receivedTexts().size() == 2);
        assertThat(server().receivedTexts()).containsExactly("subscribe", "queued while the hook runs");
    }

    @Test
    void aBlockingHandshakeCustomizerDelaysOnlyItsOwnConnection() throws Exception {
        CountDownLatch customizersEntered = new CountDownLatch(BLOCKED);
        List<String> entered = new CopyOnWriteArrayList<>();
        for (int i = 0; i < BLOCKED; i++) {
            track(builder(server().uri()).name("token-" + i).handshakeCustomizer((request) -> {
                entered.add(request.getConnectionName() + " on " + Thread.currentThread().getName());
                customizersEntered.countDown();
                blockUntilReleased();
            }).build()).start();
        }
        assertThat(customizersEntered.await(20, TimeUnit.SECONDS))
            .as(() -> "customizers entered: " + entered + "; engine threads: " + engineThreads())
            .isTrue();
        ReconnectingWebSocketClient other = started(builder(server().uri()).name("other"));
        assertThat(other.isConnected()).isTrue();
    }

    /** A protocol's handshake that the server never answers, with a wait far longer than any assertion. */
    private ReconnectingWebSocketClientBuilder unansweredProtocolHandshake(URI uri, List<CompletableFuture<Void>> pending) {
        return builder(uri).connectTimeout(Duration.ofMinutes(2)).connectionInitializer((client, session) -> {
            CompletableFuture<Void> ready = new CompletableFuture<>();
            pending.add(ready);
            return ready;
        });
    }

    @Test
    void aConnectionDroppedDuringTheProtocolHandshakeIsRetriedAtOnce() {
        List<CompletableFuture<Void>> pending = new CopyOnWriteArrayList<>();
        FaultProxy proxy = newProxy();
        ReconnectingWebSocketClient client = track(unansweredProtocolHandshake(proxy.wsUri("/ws"), pending).build());
        client.start();
        eventually().until(() -> pending.size() == 1);
        long cut = System.nanoTime();
        proxy.cutAll();
        // nothing answers on the dropped connection: the next attempt does not wait out its handshake
        eventually().until(() -> pending.size() == 2);
        long retryMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cut);
        assertThat(retryMillis).as("next attempt after a drop during the protocol's handshake").isLessThan(5_000);
        assertThat(client.getReconnectCount()).isEqualTo(1);
    }

    @Test
    void stopDoesNotWaitForAnUnansweredProtocolHandshake() throws Exception {
        List<CompletableFuture<Void>> pending = new CopyOnWriteArrayList<>();
        ReconnectingWebSocketClient client = track(unansweredProtocolHandshake(server().uri(), pending).build());
        client.start();
        eventually().until(() -> pending.size() == 1);
        long stopping = System.nanoTime();
        client.stopAsync().get(20, TimeUnit.SECONDS);
        long stopMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopping);
        assertThat(stopMillis).as("stop while the protocol's handshake waits").isLessThan(5_000);
        assertThat(client.getState()).isEqualTo(ConnectionState.CLOSED);
    }

    /** Each engine thread's state and top frames, for a failure's message. */
    private static String engineThreads() {
        StringBuilder threads = new StringBuilder();
        Thread.getAllStackTraces().forEach((thread, stack) -> {
            if (thread.getName().startsWith("rws-")) {
                threads.append("\n  ").append(thread.getName()).append(' ').append(thread.getState());
                for (int i = 0; i < Math.min(6, stack.length); i++) {
                    threads.append("\n    at ").append(stack[i]);
                }
            }
        });
        return threads.toString();
    }

}
