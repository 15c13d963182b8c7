package io.github.reconnectingws.connection;

import java.net.ProxySelector;
import java.net.URI;
import java.util.List;

import io.github.reconnectingws.ConnectionState;
import io.github.reconnectingws.ProxyRejectedException;
import io.github.reconnectingws.ReconnectingWebSocketClient;
import io.github.reconnectingws.testsupport.TestWebSocketServer;
import io.github.reconnectingws.testsupport.TinyProxyServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Connections through a real authenticating HTTP proxy (Debian's tinyproxy): the CONNECT
 * tunnel, drops and proxy restarts, a refused password, wss:// end to end, and credentials
 * that each reach only their own side.
 */
class ProxyTests extends ClientTestSupport {

    private static final String PROXY_USER = "proxy-user";

    private static final String PROXY_PASSWORD = "proxy-pass-6d1f";

    private static final String FEED_TOKEN = "feed-token-91ac";

    private TinyProxyServer tinyproxy;

    private TinyProxyServer second;

    private TinyProxyServer tinyproxy(int... connectPorts) {
        this.tinyproxy = TinyProxyServer.start(PROXY_USER, PROXY_PASSWORD, connectPorts);
        return this.tinyproxy;
    }

    @AfterEach
    void stopProxy() {
        if (this.tinyproxy != null) {
            this.tinyproxy.close();
        }
        if (this.second != null) {
            this.second.close();
        }
    }

    private ReconnectingWebSocketClientBuilder throughProxy(URI feed, String password) {
        return builder(feed).proxy(this.tinyproxy.uri().toString(), PROXY_USER, password)
            .header("Authorization", "Bearer " + FEED_TOKEN);
    }

    @Test
    void connectsThroughTheProxyAndReconnectsThroughItAfterADrop() {
        TinyProxyServer proxy = tinyproxy(server().port());
        ReconnectingWebSocketClient client = started(throughProxy(server().uri(), PROXY_PASSWORD));
        assertThat(proxy.logLinesWith(": CONNECT 127.0.0.1:" + server().port())).hasSize(1);
        server().closeAll(1011, "restarting");
        eventually().until(() -> client.getReconnectCount() == 1 && client.isConnected());
        assertThat(proxy.logLinesWith(": CONNECT 127.0.0.1:" + server().port())).hasSize(2);
        assertCredentialsStayedOnTheirSide(proxy, server());
    }

    @Test
    void aProxyRestartIsAnOutageRecoveredThroughTheProxy() {
        TinyProxyServer proxy = tinyproxy(server().port());
        Recorder recorder = new Recorder();
        ReconnectingWebSocketClient client = started(throughProxy(server().uri(), PROXY_PASSWORD).observer(recorder));
        proxy.stop();
        eventually().until(() -> client.getState() == ConnectionState.RECONNECTING);
        eventually().until(() -> recorder.attempts.contains(false));
        proxy.restart();
        eventually().until(() -> client.getReconnectCount() == 1 && client.isConnected());
        assertThat(server().handshakeCount()).isEqualTo(2);
        // one log for both runs of the proxy: a tunnel before the restart and one after
        assertThat(proxy.logLinesWith(": CONNECT 127.0.0.1:" + server().port())).hasSize(2);
    }

    @Test
    void aPasswordTheProxyRefusesIsFatalAfterOneAttempt() {
        TinyProxyServer proxy = tinyproxy(server().port());
        // tinyproxy answers refused credentials with 401, missing ones with 407
        ReconnectingWebSocketClient client = failsAfterOneAttempt(throughProxy(server().uri(), "wrong-password"), 401);
        assertThat(client.getLastError()).contains("401").doesNotContain("wrong-password");
        assertThat(proxy.log()).doesNotContain(FEED_TOKEN);
    }

    @Test
    void aProxyThatWantsCredentialsWhenNoneAreConfiguredIsFatalAfterOneAttempt() {
        tinyproxy(server().port());
        failsAfterOneAttempt(builder(server().uri()).proxy(this.tinyproxy.uri().toString(), null, null), 407);
    }

    /** Starts the client and checks that it gave up after one attempt, refused by the proxy. */
    private ReconnectingWebSocketClient failsAfterOneAttempt(ReconnectingWebSocketClientBuilder builder, int status) {
        Recorder recorder = new Recorder();
        ReconnectingWebSocketClient client = track(builder.observer(recorder).build());
        client.start();
        eventually().until(() -> client.getState() == ConnectionState.FAILED);
        // the observers hear of the failure after the state has changed
        eventually().until(() -> !recorder.failures.isEmpty());
        assertThat(recorder.attempts).containsExactly(false);
        assertThat(recorder.failures).singleElement()
            .isInstanceOfSatisfying(ProxyRejectedException.class, (ex) -> {
                assertThat(ex.getStatusCode()).isEqualTo(status);
                assertThat(ex.isFatal()).isTrue();
                assertThat(ex.getMessage()).contains("proxy.username");
            });
        assertThat(server().handshakeCount()).isZero();
        return client;
    }

    @Test
    void wssGoesThroughTheTunnelWithTlsEndToEnd() {
        try (TestWebSocketServer tls = TestWebSocketServer.builder().tls().start()) {
            TinyProxyServer proxy = tinyproxy(tls.port());
            ReconnectingWebSocketClient client = started(
                    throughProxy(tls.uri(), PROXY_PASSWORD).sslContext(tls.trustingSslContext()));
            assertThat(client.getUrl()).startsWith("wss://");
            assertThat(proxy.logLinesWith(": CONNECT 127.0.0.1:" + tls.port())).hasSize(1);
            assertCredentialsStayedOnTheirSide(proxy, tls);
        }
    }

    @Test
    void redirectRulesHoldThroughTheProxy() {
        TinyProxyServer proxy = tinyproxy(server().port());
        // another origin: fatal, never contacted, not even through the proxy
        server().rejectNextHandshakes(1, 302, java.util.Map.of("Location", "ws://localhost:" + server().port() + "/elsewhere"));
        Recorder recorder = new Recorder();
        ReconnectingWebSocketClient client = track(throughProxy(server().uri(), PROXY_PASSWORD).followRedirects(true)
            .observer(recorder)
            .build());
        client.start();
        eventually().until(() -> client.getState() == ConnectionState.FAILED);
        // the observers hear of the failure after the state has changed
        eventually().until(() -> !recorder.failures.isEmpty());
        assertThat(recorder.failures).singleElement().isInstanceOf(io.github.reconnectingws.HandshakeRedirectedException.class);
        assertThat(proxy.logLinesWith(": CONNECT localhost:")).isEmpty();
        // the same origin: followed, through the proxy
        server().rejectNextHandshakes(1, 302, java.util.Map.of("Location", server().uri().toString()));
        ReconnectingWebSocketClient sameOrigin = started(
                throughProxy(server().uri(), PROXY_PASSWORD).followRedirects(true));
        assertThat(sameOrigin.isConnected()).isTrue();
        assertThat(proxy.logLinesWith(": CONNECT 127.0.0.1:" + server().port())).hasSize(3);
    }

    @Test
    void binaryAndTextMessagesGoBothWaysCompressedThroughTheProxy() {
        tinyproxy(server().port());
        java.util.List<Object> received = new java.util.concurrent.CopyOnWriteArrayList<>();
        ReconnectingWebSocketClient client = started(throughProxy(server().uri(), PROXY_PASSWORD)
            .messageHandler((c, session, message) -> received.add(message.getPayload())));
        assertThat(client.getExtensions()).containsExactly("permessage-deflate");
        byte[] bytes = "binary through the tunnel ".repeat(40).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        client.send(bytes).join();
        client.send("text through the tunnel").join();
        eventually().until(() -> server().receivedBinaries().size() == 1 && server().receivedTexts().size() == 1);
        assertThat(server().receivedBinaries().get(0)).isEqualTo(bytes);
        server().sendToAll(bytes);
        eventually().until(() -> received.size() == 1);
        assertThat(received.get(0)).isEqualTo(java.nio.ByteBuffer.wrap(bytes));
    }

    @Test
    void twoConnectionsUseTwoProxiesAtOnceEachOnlyItsOwn() {
        try (TestWebSocketServer other = TestWebSocketServer.builder().start()) {
            // each proxy tunnels only to its own feed's port: a connection sent through the other's proxy would be refused
            TinyProxyServer first = tinyproxy(server().port());
            this.second = TinyProxyServer.start(PROXY_USER, PROXY_PASSWORD, other.port());
            ReconnectingWebSocketClient one = started(throughProxy(server().uri(), PROXY_PASSWORD));
            ReconnectingWebSocketClient two = started(builder(other.uri()).proxy(this.second.uri().toString(),
                    PROXY_USER, PROXY_PASSWORD));
            for (int drop = 1; drop <= 3; drop++) {
                int reconnects = drop;
                server().closeAll(1011, "restarting");
                other.closeAll(1011, "restarting");
                eventually().until(() -> one.getReconnectCount() == reconnects && one.isConnected()
                        && two.getReconnectCount() == reconnects && two.isConnected());
            }
            assertThat(first.logLinesWith(": CONNECT ")).hasSize(4)
                .allMatch((line) -> line.contains(": CONNECT 127.0.0.1:" + server().port()));
            assertThat(this.second.logLinesWith(": CONNECT ")).hasSize(4)
                .allMatch((line) -> line.contains(": CONNECT 127.0.0.1:" + other.port()));
        }
    }

    @Test
    void aFeedWhoseCertificateDoesNotNameItsHostIsFatalThroughTheTunnelToo() {
        try (TestWebSocketServer tls = TestWebSocketServer.builder().tls().start()) {
            TinyProxyServer proxy = tinyproxy(tls.port());
            // the certificate names 127.0.0.1 only: the tunnel does not make localhost acceptable
            URI byName = URI.create("wss://localhost:" + tls.port() + TestWebSocketServer.PATH);
            Recorder recorder = new Recorder();
            ReconnectingWebSocketClient client = track(throughProxy(byName, PROXY_PASSWORD)
                .sslContext(tls.trustingSslContext())
                .observer(recorder)
                .build());
            client.start();
            eventually().until(() -> client.getState() == ConnectionState.FAILED);
            // the observers hear of the failure after the state has changed
            eventually().until(() -> !recorder.failures.isEmpty());
            assertThat(recorder.attempts).containsExactly(false);
            assertThat(proxy.logLinesWith(": CONNECT localhost:" + tls.port())).hasSize(1);
            assertThat(tls.handshakeCount()).isZero();
            assertThat(client.getLastError()).containsIgnoringCase("localhost");
        }
    }

    @Test
    void theJvmsSelectorIsPutBackWhenTheLastClientWithAProxyIsClosed() {
        ProxySelector before = ProxySelector.getDefault();
        tinyproxy(server().port());
        ReconnectingWebSocketClient first = started(throughProxy(server().uri(), PROXY_PASSWORD));
        ReconnectingWebSocketClient second = started(throughProxy(server().uri(), PROXY_PASSWORD));
        assertThat(ProxySelector.getDefault()).isNotSameAs(before);
        first.close();
        assertThat(ProxySelector.getDefault()).isNotSameAs(before);
        assertThat(second.isConnected()).isTrue();
        second.close();
        assertThat(ProxySelector.getDefault()).isSameAs(before);
    }

    @Test
    void otherClientsOfTheJvmSeeTheProxySettingsTheyHadBefore() {
        tinyproxy(server().port());
        started(throughProxy(server().uri(), PROXY_PASSWORD));
        ReconnectingWebSocketClient direct = started(builder(server().uri()));
        assertThat(direct.isConnected()).isTrue();
        assertThat(this.tinyproxy.logLinesWith(": CONNECT ")).hasSize(1);
        assertThat(ProxySelector.getDefault().select(URI.create("http://127.0.0.1:" + server().port() + "/ws")))
            .containsExactly(java.net.Proxy.NO_PROXY);
    }

    private static void assertCredentialsStayedOnTheirSide(TinyProxyServer proxy, TestWebSocketServer feed) {
        List<String> authorization = feed.lastHandshakeHeaders().entrySet().stream()
            .filter((header) -> header.getKey().equalsIgnoreCase("Authorization"))
            .flatMap((header) -> header.getValue().stream())
            .toList();
        assertThat(authorization).containsExactly("Bearer " + FEED_TOKEN);
        assertThat(feed.lastHandshakeHeaders().keySet())
            .noneMatch((header) -> header.equalsIgnoreCase("Proxy-Authorization"));
        assertThat(proxy.log()).doesNotContain(FEED_TOKEN);
    }

}
