package io.github.reconnectingws.connection;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.github.reconnectingws.ConnectionState;
import io.github.reconnectingws.HandshakeRedirectedException;
import io.github.reconnectingws.HandshakeRejectedException;
import io.github.reconnectingws.ReconnectingWebSocketClient;
import io.github.reconnectingws.testsupport.FaultProxy;
import io.github.reconnectingws.testsupport.TestWebSocketServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.web.socket.client.standard.StandardWebSocketClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Redirects answered to the handshake: fatal by default, followed within the same origin
 * when enabled, and never followed to another origin. "Another origin" is a real second
 * server reached under another host name ({@code localhost}), behind a proxy that counts
 * every TCP connection it accepts.
 */
class RedirectTests extends ClientTestSupport {

    private static final String TOKEN = "tok-3c91f0a7b2";

    private final TestWebSocketServer elsewhere = TestWebSocketServer.start();

    private final FaultProxy elsewhereProxy = FaultProxy.start(this.elsewhere.port());

    @AfterEach
    void closeElsewhere() {
        this.elsewhereProxy.close();
        this.elsewhere.close();
    }

    private URI configuredUri() {
        return URI.create(server().uri() + "?token=" + TOKEN);
    }

    private String elsewhereLocation() {
        return "ws://localhost:" + this.elsewhereProxy.port() + TestWebSocketServer.PATH + "?from=redirect";
    }

    private ReconnectingWebSocketClientBuilder withCredentials(ReconnectingWebSocketClientBuilder builder) {
        return builder.header("Authorization", "Bearer " + TOKEN);
    }

    @Test
    void aRedirectIsFatalByDefaultAndItsTargetIsNeverContacted() {
        server().rejectHandshakes(302, Map.of("Location", elsewhereLocation()));
        Recorder recorder = new Recorder();
        ReconnectingWebSocketClient client = track(withCredentials(builder(configuredUri())).observer(recorder).build());
        CompletableFuture<Void> first = client.start();
        eventually().until(() -> client.getState() == ConnectionState.FAILED);
        // the first start() completes after the observers heard of the failure
        assertThat(first).failsWithin(java.time.Duration.ofSeconds(10));
        eventually().until(() -> !recorder.failures.isEmpty());
        assertThat(recorder.failures).singleElement()
            .isInstanceOfSatisfying(HandshakeRedirectedException.class,
                    (ex) -> assertThat(ex.getLocation()).isEqualTo("ws://localhost:" + this.elsewhereProxy.port()));
        assertThat(client.getLastError()).contains("redirected").contains("follow-redirects is off")
            .doesNotContain(TOKEN)
            .doesNotContain("from=redirect");
        assertThat(server().handshakeCount()).isEqualTo(1);
        assertThat(this.elsewhereProxy.acceptedConnections()).isZero();
        assertThat(this.elsewhere.handshakeCount()).isZero();
    }

    @Test
    void aSameOriginRedirectIsFollowedWhenEnabled() {
        URI moved = URI.create(server().uri() + "?token=" + TOKEN + "&moved=1");
        server().rejectNextHandshakes(1, 302, Map.of("Location", moved.toString()));
        ReconnectingWebSocketClient client = started(withCredentials(builder(configuredUri())).followRedirects(true));
        assertThat(client.isConnected()).isTrue();
        assertThat(server().handshakeCount()).isEqualTo(2);
        assertThat(server().lastHandshakeQuery()).endsWith("moved=1");
        assertThat(server().lastHandshakeHeaders().get("authorization")).containsExactly("Bearer " + TOKEN);
    }

    @Test
    void aRelativeSameOriginRedirectIsFollowedWhenEnabled() {
        server().rejectNextHandshakes(1, 307, Map.of("Location", TestWebSocketServer.PATH + "?moved=2"));
        ReconnectingWebSocketClient client = started(builder(configuredUri()).followRedirects(true));
        assertThat(client.isConnected()).isTrue();
        assertThat(server().lastHandshakeQuery()).isEqualTo("moved=2");
    }

    @Test
    void aRedirectToAnotherOriginIsFatalEvenWhenRedirectsAreFollowed() {
        server().rejectHandshakes(301, Map.of("Location", elsewhereLocation()));
        Recorder recorder = new Recorder();
        ReconnectingWebSocketClient client = track(
                withCredentials(builder(configuredUri())).followRedirects(true).observer(recorder).build());
        client.start();
        eventually().until(() -> client.getState() == ConnectionState.FAILED);
        assertThat(client.getLastError()).contains("another origin").doesNotContain(TOKEN);
        assertThat(server().handshakeCount()).isEqualTo(1);
        assertThat(this.elsewhereProxy.acceptedConnections()).isZero();
        assertThat(this.elsewhere.handshakeCount()).isZero();
        // fatal: not retried later either
        server().acceptHandshakes();
        assertThat(client.getState()).isEqualTo(ConnectionState.FAILED);
        assertThat(server().handshakeCount()).isEqualTo(1);
    }

    @Test
    void anotherPortOnTheSameHostIsAnotherOrigin() {
        String sameHostOtherPort = "ws://127.0.0.1:" + this.elsewhereProxy.port() + TestWebSocketServer.PATH;
        server().rejectHandshakes(302, Map.of("Location", sameHostOtherPort));
        ReconnectingWebSocketClient client = track(builder(configuredUri()).followRedirects(true).build());
        client.start();
        eventually().until(() -> client.getState() == ConnectionState.FAILED);
        assertThat(this.elsewhereProxy.acceptedConnections()).isZero();
    }

    @Test
    void aRedirectFromWssToWsIsFatalEvenWhenRedirectsAreFollowed() {
        try (TestWebSocketServer secure = TestWebSocketServer.builder().tls().start()) {
            String downgrade = "ws://127.0.0.1:" + secure.port() + TestWebSocketServer.PATH;
            secure.rejectHandshakes(302, Map.of("Location", downgrade));
            ReconnectingWebSocketClient client = track(withCredentials(
                    builder(URI.create(secure.uri() + "?token=" + TOKEN)).sslContext(secure.trustingSslContext()))
                .followRedirects(true)
                .build());
            client.start();
            eventually().until(() -> client.getState() == ConnectionState.FAILED);
            assertThat(client.getLastError()).contains("another origin").contains("ws://127.0.0.1:" + secure.port());
            assertThat(secure.handshakeCount()).isEqualTo(1);
        }
    }

    @Test
    void redirectsAreFollowedABoundedNumberOfTimes() {
        server().rejectHandshakes(302, Map.of("Location", server().uri() + "?again=1"));
        ReconnectingWebSocketClient client = track(builder(configuredUri()).followRedirects(true).build());
        client.start();
        eventually().until(() -> client.getState() == ConnectionState.FAILED);
        assertThat(client.getLastError()).contains("more than " + TomcatTransport.MAX_REDIRECTS);
        assertThat(server().handshakeCount()).isEqualTo(TomcatTransport.MAX_REDIRECTS + 1);
    }

    @Test
    void aPermanentRedirectTheTransportCannotFollowIsFatal() {
        // Tomcat neither follows a 308 nor reports its Location
        server().rejectHandshakes(308, Map.of("Location", elsewhereLocation()));
        Recorder recorder = new Recorder();
        ReconnectingWebSocketClient client = track(builder(configuredUri()).followRedirects(true).observer(recorder).build());
        client.start();
        eventually().until(() -> client.getState() == ConnectionState.FAILED);
        eventually().until(() -> !recorder.failures.isEmpty());
        assertThat(recorder.failures).singleElement()
            .isInstanceOfSatisfying(HandshakeRejectedException.class, (ex) -> assertThat(ex.getStatusCode()).isEqualTo(308));
        assertThat(server().handshakeCount()).isEqualTo(1);
        assertThat(this.elsewhereProxy.acceptedConnections()).isZero();
    }

    @Test
    void anApplicationsTomcatClientDoesNotFollowRedirectsToAnotherOriginEither() {
        server().rejectHandshakes(302, Map.of("Location", elsewhereLocation()));
        StandardWebSocketClient own = new StandardWebSocketClient();
        ReconnectingWebSocketClient client = track(withCredentials(builder(configuredUri())).transport(own).build());
        client.start();
        eventually().until(() -> client.getState() == ConnectionState.FAILED);
        assertThat(this.elsewhereProxy.acceptedConnections()).isZero();
        assertThat(this.elsewhere.handshakeCount()).isZero();
    }

}
