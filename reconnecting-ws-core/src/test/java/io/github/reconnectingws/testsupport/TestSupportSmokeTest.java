package io.github.reconnectingws.testsupport;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;

import javax.net.ssl.SSLContext;

import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.CloseReason;
import jakarta.websocket.CloseReason.CloseCodes;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Session;
import org.apache.tomcat.websocket.WsWebSocketContainer;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Proves the test support against a plain JSR-356 client (Tomcat's), so later tests can
 * trust the faults they inject.
 */
class TestSupportSmokeTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final WsWebSocketContainer container = new WsWebSocketContainer();

    private TestWebSocketServer server;

    private FaultProxy proxy;

    @BeforeEach
    void startServerAndProxy() {
        this.server = TestWebSocketServer.builder().echo().start();
        this.proxy = FaultProxy.start(this.server.port());
    }

    @AfterEach
    void stopAll() {
        this.container.destroy();
        this.proxy.close();
        this.server.close();
    }

    @Test
    void recordsHandshakeAndMessagesEchoesAndPushesThroughTheProxy() throws Exception {
        URI uri = URI.create(this.proxy.proxiedUri(this.server.uri()) + "?token=abc");
        TestClient client = connect(uri, Map.of("X-Test", "yes"), null);

        client.session.getBasicRemote().sendText("hello");
        assertThat(client.nextText()).isEqualTo("hello");
        assertThat(this.server.receivedTexts()).containsExactly("hello");
        assertThat(this.server.handshakeCount()).isEqualTo(1);
        assertThat(this.server.lastHandshakeHeaders()).containsEntry("x-test", List.of("yes"));
        assertThat(this.server.lastHandshakeQuery()).isEqualTo("token=abc");
        assertThat(this.server.openSessions()).isEqualTo(1);
        assertThat(this.proxy.activeConnections()).isEqualTo(1);

        assertThat(this.server.sendToAll("pushed")).isEqualTo(1);
        assertThat(client.nextText()).isEqualTo("pushed");
        assertThat(this.server.sendToAll(new byte[] { 1, 2, 3 })).isEqualTo(1);
        assertThat(client.nextBinary()).containsExactly(1, 2, 3);

        client.session.close(new CloseReason(CloseCodes.GOING_AWAY, "bye"));
        waitUpTo().until(() -> this.server.clientCloseCodes().equals(List.of(1001)));
        waitUpTo().until(() -> this.server.openSessions() == 0 && this.proxy.activeConnections() == 0);
    }

    @Test
    void acceptsMessagesOfHalfAMebibyte() throws Exception {
        this.container.setDefaultMaxTextMessageBufferSize(TestWebSocketServer.DEFAULT_MAX_MESSAGE_BYTES);
        TestClient client = connect(this.server.uri(), Map.of(), null);
        String big = "x".repeat(512 * 1024);

        client.session.getBasicRemote().sendText(big);

        assertThat(client.nextText()).isEqualTo(big);
        assertThat(this.server.receivedTexts()).containsExactly(big);
    }

    @Test
    void rejectedHandshakesFailTheConnectWithTheStatus() throws Exception {
        this.server.rejectHandshakes(401);
        assertThatThrownBy(() -> connect(this.server.uri(), Map.of(), null))
                .isInstanceOf(DeploymentException.class).hasMessageContaining("401");

        this.server.rejectNextHandshakes(1, 503, Map.of("Retry-After", "2"));
        assertThatThrownBy(() -> connect(this.server.uri(), Map.of(), null))
                .isInstanceOf(DeploymentException.class).hasMessageContaining("503");
        connect(this.server.uri(), Map.of(), null);

        assertThat(this.server.handshakeCount()).isEqualTo(3);
        this.server.awaitOpenSessions(1);
    }

    @Test
    void stallSwallowsTrafficUntilResumeClosesTheConnection() throws Exception {
        TestClient client = connect(this.proxy.proxiedUri(this.server.uri()), Map.of(), null);

        this.proxy.stall();
        client.session.getBasicRemote().sendText("lost");

        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2))
                .until(() -> client.texts.isEmpty() && client.session.isOpen());
        assertThat(this.server.receivedTexts()).isEmpty();

        this.proxy.resume();
        waitUpTo().until(client.closed::isDone);
        assertThat(connect(this.proxy.proxiedUri(this.server.uri()), Map.of(), null).session.isOpen())
                .isTrue();
    }

    @Test
    void cutAllClosesTheClientAbnormallyAndNewConnectionsStillWork() throws Exception {
        TestClient client = connect(this.proxy.proxiedUri(this.server.uri()), Map.of(), null);

        this.proxy.cutAll();

        assertThat(client.closeCode()).isEqualTo(CloseCodes.CLOSED_ABNORMALLY.getCode());
        waitUpTo().until(() -> this.proxy.activeConnections() == 0 && this.server.openSessions() == 0);
        connect(this.proxy.proxiedUri(this.server.uri()), Map.of(), null);
        assertThat(this.proxy.acceptedConnections()).isEqualTo(2);
    }

    @Test
    void refuseFailsTheTcpConnectUntilResumeRebindsTheSamePort() throws Exception {
        URI uri = this.proxy.proxiedUri(this.server.uri());

        this.proxy.refuse();
        assertThatThrownBy(() -> connect(uri, Map.of(), null)).isInstanceOf(DeploymentException.class)
                .hasRootCauseInstanceOf(ConnectException.class);

        this.proxy.resume();
        assertThat(connect(uri, Map.of(), null).session.isOpen()).isTrue();
    }

    @Test
    void closeAllSendsTheCloseCodeToTheClient() throws Exception {
        TestClient client = connect(this.server.uri(), Map.of(), null);
        // The client has its 101 before the server has opened the session it is to close.
        this.server.awaitOpenSessions(1);

        this.server.closeAll(4000, "go away");

        assertThat(client.closeCode()).isEqualTo(4000);
        assertThat(this.server.clientCloseCodes()).isEmpty();
    }

    @Test
    void restartAcceptsConnectionsOnTheSamePort() throws Exception {
        TestClient client = connect(this.server.uri(), Map.of(), null);
        int port = this.server.port();
        // Stopping while the upgrade is still being processed would drop the connection (1006).
        this.server.awaitOpenSessions(1);

        this.server.stop();
        assertThat(client.closeCode()).isEqualTo(CloseCodes.GOING_AWAY.getCode());
        assertThatThrownBy(() -> connect(this.server.uri(), Map.of(), null))
                .hasRootCauseInstanceOf(ConnectException.class);

        this.server.restart();
        assertThat(this.server.port()).isEqualTo(port);
        assertThat(connect(this.server.uri(), Map.of(), null).session.isOpen()).isTrue();
        assertThat(this.server.clientCloseCodes()).isEmpty();
    }

    @Test
    void tlsServerEchoesForAClientTrustingItsCertificate() throws Exception {
        try (TestWebSocketServer tls = TestWebSocketServer.builder().tls().echo().start()) {
            assertThat(tls.uri().toString()).startsWith("wss://127.0.0.1:");
            assertThat(tls.certificatePem()).content().startsWith("-----BEGIN CERTIFICATE-----");
            assertThatThrownBy(() -> connect(tls.uri(), Map.of(), null))
                    .isInstanceOf(DeploymentException.class);

            TestClient client = connect(tls.uri(), Map.of(), tls.trustingSslContext());
            client.session.getBasicRemote().sendText("secret");

            assertThat(client.nextText()).isEqualTo("secret");
        }
    }

    private TestClient connect(URI uri, Map<String, String> headers, SSLContext sslContext)
            throws DeploymentException, IOException {
        // Tomcat 11 takes the SSLContext from the config (Jakarta WebSocket 2.1); it dropped the
        // org.apache.tomcat.websocket.SSL_CONTEXT user property.
        ClientEndpointConfig config = ClientEndpointConfig.Builder.create()
                .configurator(new ClientEndpointConfig.Configurator() {
                    @Override
                    public void beforeRequest(Map<String, List<String>> requestHeaders) {
                        headers.forEach((name, value) -> requestHeaders.put(name, List.of(value)));
                    }
                })
                .sslContext(sslContext)
                .build();
        // String, not Long: Tomcat casts it.
        config.getUserProperties().put("org.apache.tomcat.websocket.IO_TIMEOUT_MS", "3000");
        TestClient client = new TestClient();
        this.container.connectToServer(client, config, uri);
        return client;
    }

    private static ConditionFactory waitUpTo() {
        return await().atMost(TIMEOUT);
    }

    /** A client endpoint that queues what it receives and completes on close. */
    private static final class TestClient extends Endpoint {

        private final BlockingQueue<String> texts = new LinkedBlockingQueue<>();

        private final BlockingQueue<byte[]> binaries = new LinkedBlockingQueue<>();

        private final CompletableFuture<CloseReason> closed = new CompletableFuture<>();

        private volatile Session session;

        @Override
        public void onOpen(Session session, EndpointConfig config) {
            this.session = session;
            session.addMessageHandler(String.class, this.texts::add);
            session.addMessageHandler(ByteBuffer.class, buffer -> {
                byte[] data = new byte[buffer.remaining()];
                buffer.get(data);
                this.binaries.add(data);
            });
        }

        @Override
        public void onClose(Session session, CloseReason closeReason) {
            this.closed.complete(closeReason);
        }

        String nextText() {
            return waitUpTo().until(this.texts::poll, text -> text != null);
        }

        byte[] nextBinary() {
            return waitUpTo().until(this.binaries::poll, data -> data != null);
        }

        int closeCode() {
            waitUpTo().until(this.closed::isDone);
            return this.closed.join().getCloseCode().getCode();
        }

    }

}
