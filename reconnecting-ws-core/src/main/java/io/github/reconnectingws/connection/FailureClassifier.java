package io.github.reconnectingws.connection;

import java.security.cert.CertificateException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import io.github.reconnectingws.FatalCloseStatusException;
import io.github.reconnectingws.HandshakeRedirectedException;
import io.github.reconnectingws.HandshakeRejectedException;
import io.github.reconnectingws.ProtocolHandshakeException;

/**
 * Tells fatal failures (never retried) from retryable ones, by type alone: the
 * {@link Transport} reports rejected handshakes and refused redirects with the client's
 * own exception types.
 */
final class FailureClassifier {

    private FailureClassifier() {
    }

    /** Strip the wrappers that futures add. */
    static Throwable unwrap(Throwable failure) {
        Throwable current = failure;
        while ((current instanceof CompletionException || current instanceof ExecutionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    /**
     * Whether retrying cannot help: a close code listed as fatal, a redirect that was not
     * followed, a handshake rejected
     * with 3xx or with 4xx other than 408, 425 and 429, or a TLS trust failure (a
     * certificate the client does not trust).
     */
    static boolean isFatal(Throwable failure) {
        for (Throwable current = failure; current != null; current = current.getCause()) {
            if (current instanceof HandshakeRedirectedException || current instanceof FatalCloseStatusException) {
                return true;
            }
            if (current instanceof HandshakeRejectedException rejected) {
                return rejected.isFatal();
            }
            if (current instanceof ProtocolHandshakeException refused) {
                return refused.isFatal();
            }
            if (current instanceof CertificateException) {
                return true;
            }
            if (current.getCause() == current) {
                break;
            }
        }
        return false;
    }

    /**
     * Whether nothing listened at the endpoint: the connection was refused, or there was
     * no route to the host.
     */
    static boolean isListenerAbsent(Throwable failure) {
        for (Throwable current = failure; current != null; current = current.getCause()) {
            if (current instanceof java.net.ConnectException || current instanceof java.net.NoRouteToHostException) {
                return true;
            }
            if (current.getCause() == current) {
                break;
            }
        }
        return false;
    }

    /** Whether the server may have sent {@code Retry-After} with this rejection. */
    static boolean mayCarryRetryAfter(int status) {
        return status == 429 || status == 503;
    }

}
