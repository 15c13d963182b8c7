package io.github.reconnectingws.connection;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.github.reconnectingws.ConnectionFailedException;
import io.github.reconnectingws.ConnectionState;
import io.github.reconnectingws.HandshakeRejectedException;
import io.github.reconnectingws.ReconnectingWebSocketClient;
import io.github.reconnectingws.TooManyReconnectsException;
import io.github.reconnectingws.testsupport.FaultProxy;
import io.github.reconnectingws.testsupport.TestWebSocketServer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * What is retried, what is fatal, and how long the client waits.
 */
class HandshakeFailureTests extends ClientTestSupport {

    @Test
    void unauthorizedFailsAfterExactlyOneAttempt() {
        server().rejectHandshakes(401);
        Recorder recorder = new Recorder();
        ReconnectingWebSocketClient client = track(builder(server().uri()).observer(recorder).build());
        CompletableFuture<Void> first = client.start();
        eventually().until(() -> client.getState() == ConnectionState.FAILED);
        // the observers hear of the failure after the state has changed
        eventually().until(() -> !recorder.failures.isEmpty());
        // the first start() completes after the observers heard of the failure
        assertThat(first).failsWithin(java.time.Duration.ofSeconds(10));
        assertThat(server().handshakeCount()).isEqualTo(1);
        assertThat(recorder.attempts).containsExactly(false);
        assertThat(recorder.failures).singleElement()
            .isInstanceOfSatisfying(HandshakeRejectedException.class, (ex) -> assertThat(ex.getStatusCode()).isEqualTo(401));
        assertThat(client.getLastError()).contains("401");
        // nothing is retried later either
        server().acceptHandshakes();
        assertThat(client.getState()).isEqualTo(ConnectionState.FAILED);
        assertThat(server().handshakeCount()).isEqualTo(1);
    }

    @Test
    void forbiddenAndNotFoundAreFatalToo() {
        for (int status : new int[] { 403, 404 }) {
            server().rejectHandshakes(status);
            ReconnectingWebSocketClient client = track(builder(server().uri()).build());
            client.start();
            eventually().until(() -> client.getState() == ConnectionState.FAILED);
            assertThat(client.getLastError()).contains(String.valueOf(status));
        }
    }

    @Test
    void serviceUnavailableIsRetriedUntilTheServerRecovers() {
        server().rejectNextHandshakes(3, 503, Map.of());
        Recorder recorder = new Recorder();
        ReconnectingWebSocketClient client = track(builder(server().uri()).observer(recorder).build());
        client.start();
        eventually().until(client::isConnected);
        // the observers hear of the attempt after the state has changed
        eventually().until(() -> recorder.attempts.contains(true));
        assertThat(recorder.attempts).contains(false).last().isEqualTo(true);
        assertThat(server().handshakeCount()).isGreaterThanOrEqualTo(4);
    }

    @Test
    void tooManyRequestsWaitsAsLongAsRetryAfterSays() {
        server().rejectHandshakes(429, Map.of("Retry-After", "2"));
        Recorder recorder = new Recorder();
        ReconnectingWebSocketClient client = track(builder(server().uri()).observer(recorder).build());
        client.start();
        eventually().until(() -> !recorder.delays.isEmpty());
        assertThat(recorder.delays.get(0)).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        assertThat(recorder.reconnectCauses.get(0)).isInstanceOfSatisfying(HandshakeRejectedException.class,
                (ex) -> assertThat(ex.getRetryAfter()).isEqualTo(Duration.ofSeconds(2)));
        server().acceptHandshakes();
        eventually().until(client::isConnected);
    }

    @Test
    void retryAfterIsProbedOncePerEndpointAndOutageForEveryConnection() {
        // ten rejections in all, the probe's included; then the server accepts again
        server().rejectNextHandshakes(10, 503, Map.of("Retry-After", "0"));
        Recorder first = new Recorder();
        Recorder second = new Recorder();
        ReconnectingWebSocketClient one = track(builder(server().uri()).name("one").observer(first).build());
        ReconnectingWebSocketClient two = track(builder(server().uri()).name("two").observer(second).build());
        one.start();
        two.start();
        eventually().until(() -> one.isConnected() && two.isConnected() && first.attempts.contains(true)
                && second.attempts.contains(true));
        long rejectedAttempts = java.util.stream.Stream.of(first, second)
            .flatMap((recorder) -> recorder.attempts.stream())
            .filter((success) -> !success)
            .count();
        // every upgrade request but one was an attempt: a single probe served both connections
        assertThat(server().handshakeCount()).isEqualTo(rejectedAttempts + 1 + 2);
        assertThat(first.reconnectCauses).first().isInstanceOfSatisfying(HandshakeRejectedException.class,
                (ex) -> assertThat(ex.getRetryAfter()).isEqualTo(Duration.ZERO));
    }

    @Test
    void givesUpWhenMaxElapsedTimeIsSpent() {
        FaultProxy proxy = proxy();
        Recorder recorder = new Recorder();
        ReconnectingWebSocketClient client = started(builder(proxy.wsUri(TestWebSocketServer.PATH))
            .backoff(Duration.ofMillis(50), 2.0, 0, Duration.ofMillis(200), Duration.ofMillis(800))
            .observer(recorder));
        proxy.refuse();
        proxy.cutAll();
        eventually().until(() -> !client.isConnected());
        CompletableFuture<Void> queued = client.send("never sent");
        eventually().until(() -> client.getState() == ConnectionState.FAILED);
        // the observers hear of the failure after the state has changed
        eventually().until(() -> !recorder.failures.isEmpty());
        assertThat(recorder.failures).singleElement().isInstanceOf(ConnectionFailedException.class);
        assertThat(queued).failsWithin(TIMEOUT)
            .withThrowableOfType(java.util.concurrent.ExecutionException.class)
            .withCauseInstanceOf(ConnectionFailedException.class);
        assertThat(client.send("after give-up")).isCompletedExceptionally();
        // a failed client can be started again
        proxy.resume();
        client.start();
        eventually().until(client::isConnected);
    }

    @Test
    void rateLimitPostponesReconnectsBeyondTheLimit() {
        Recorder recorder = new Recorder();
        ReconnectingWebSocketClient client = started(
                builder(server().uri()).maxReconnects(2, Duration.ofSeconds(30)).observer(recorder));
        for (int i = 1; i <= 2; i++) {
            long expected = i;
            server().awaitOpenSessions(1);
            server().closeAll(1011, "again");
            eventually().until(() -> client.getReconnectCount() == expected && client.isConnected());
        }
        assertThat(client.canConnect()).isFalse();
        assertThatExceptionOfType(TooManyReconnectsException.class).isThrownBy(client::reconnect);
        server().awaitOpenSessions(1);
        server().closeAll(1011, "once more");
        eventually().until(() -> recorder.reconnectCauses.stream().anyMatch(TooManyReconnectsException.class::isInstance));
        TooManyReconnectsException limited = (TooManyReconnectsException) recorder.reconnectCauses.stream()
            .filter(TooManyReconnectsException.class::isInstance)
            .findFirst()
            .orElseThrow();
        assertThat(limited.getRetryIn()).isGreaterThan(Duration.ofSeconds(20));
        assertThat(client.getState()).isEqualTo(ConnectionState.RECONNECTING);
        // each reconnect's delay is recorded just after its cause
        eventually().until(() -> recorder.delays.size() == recorder.reconnectCauses.size());
        assertThat(recorder.delays.get(recorder.delays.size() - 1)).isGreaterThan(Duration.ofSeconds(20));
    }

    @Test
    void aStalledHandshakeTimesOutAndIsRetried() {
        FaultProxy proxy = proxy();
        proxy.stall();
        Recorder recorder = new Recorder();
        ReconnectingWebSocketClient client = track(builder(proxy.wsUri(TestWebSocketServer.PATH))
            .connectTimeout(Duration.ofMillis(500))
            .observer(recorder)
            .build());
        client.start();
        eventually().until(() -> recorder.attempts.contains(false));
        assertThat(client.getState()).isIn(ConnectionState.RECONNECTING, ConnectionState.CONNECTING);
        proxy.resume();
        eventually().until(client::isConnected);
    }

    @Test
    void untrustedCertificateIsFatalAndTrustedOneConnects() {
        try (TestWebSocketServer tls = TestWebSocketServer.builder().tls().start()) {
            ReconnectingWebSocketClient untrusting = track(builder(tls.uri()).build());
            untrusting.start();
            eventually().until(() -> untrusting.getState() == ConnectionState.FAILED);
            assertThat(untrusting.getLastError()).containsIgnoringCase("certificat");

            ReconnectingWebSocketClient trusting = started(builder(tls.uri()).sslContext(tls.trustingSslContext()));
            trusting.send("over tls");
            eventually().until(() -> tls.receivedTexts().contains("over tls"));
        }
    }

}
