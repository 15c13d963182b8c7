package io.github.reconnectingws.connection;

import java.net.ConnectException;
import java.security.cert.CertificateException;
import java.util.concurrent.CompletionException;

import javax.net.ssl.SSLHandshakeException;

import io.github.reconnectingws.HandshakeRedirectedException;
import io.github.reconnectingws.HandshakeRejectedException;
import jakarta.websocket.DeploymentException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FailureClassifierTests {

    @Test
    void readsTheStatusFromTomcatsMessages() {
        assertThat(TomcatTransport.handshakeStatus(new CompletionException(new DeploymentException(
                "The HTTP response from the server [403] did not permit the HTTP upgrade to WebSocket"))))
            .isEqualTo(403);
        assertThat(TomcatTransport.handshakeStatus(new DeploymentException(
                "Failed to handle HTTP response code [401]. Missing [WWW-Authenticate] header in response")))
            .isEqualTo(401);
        assertThat(TomcatTransport.handshakeStatus(new DeploymentException("connect failed",
                new ConnectException("Connection refused")))).isEqualTo(-1);
    }

    @Test
    void fourHundredsAreFatalExceptTimeoutTooEarlyAndTooManyRequests() {
        assertThat(FailureClassifier.isFatal(rejected(400))).isTrue();
        assertThat(FailureClassifier.isFatal(rejected(401))).isTrue();
        assertThat(FailureClassifier.isFatal(rejected(403))).isTrue();
        assertThat(FailureClassifier.isFatal(rejected(404))).isTrue();
        assertThat(FailureClassifier.isFatal(rejected(408))).isFalse();
        assertThat(FailureClassifier.isFatal(rejected(425))).isFalse();
        assertThat(FailureClassifier.isFatal(rejected(429))).isFalse();
        assertThat(FailureClassifier.isFatal(rejected(500))).isFalse();
        assertThat(FailureClassifier.isFatal(rejected(503))).isFalse();
    }

    @Test
    void trustFailuresAreFatalOtherIoErrorsAreNot() {
        SSLHandshakeException untrusted = new SSLHandshakeException("PKIX path building failed");
        untrusted.initCause(new CertificateException("unable to find valid certification path"));
        assertThat(FailureClassifier.isFatal(new DeploymentException("request failed", untrusted))).isTrue();
        assertThat(FailureClassifier.isFatal(new DeploymentException("failed", new ConnectException("refused"))))
            .isFalse();
    }

    @Test
    void readsTheRedirectTargetFromTomcatsMessage() {
        assertThat(TomcatTransport.redirectTarget(new DeploymentException("Cyclic Location header "
                + "[ws://localhost:8081/elsewhere?x=1] detected / reached max number of redirects [1] of max [0]")))
            .hasToString("ws://localhost:8081/elsewhere?x=1");
        assertThat(TomcatTransport.redirectTarget(new DeploymentException("connect failed"))).isNull();
    }

    @Test
    void redirectsAndThreeHundredsAreFatal() {
        assertThat(FailureClassifier.isFatal(new HandshakeRedirectedException("redirected", "ws://h:1", null)))
            .isTrue();
        assertThat(FailureClassifier.isFatal(new HandshakeRejectedException(308, null, null))).isTrue();
    }

    private static Exception rejected(int status) {
        return new CompletionException(new HandshakeRejectedException(status, null, null));
    }

}
