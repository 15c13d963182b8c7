package io.github.reconnectingws.connection;

import java.net.URI;
import java.security.cert.CertificateException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.reconnectingws.HandshakeRedirectedException;
import io.github.reconnectingws.HandshakeRejectedException;
import org.jspecify.annotations.Nullable;

/**
 * Tells fatal failures (never retried) from retryable ones, and reads the HTTP status of a
 * rejected handshake from Tomcat's {@code DeploymentException}, which has no getter for
 * it: its message carries the status in brackets, e.g. "The HTTP response from the
 * server [403] did not permit the HTTP upgrade to WebSocket". Likewise the target of a
 * redirect that Tomcat refused to follow (the engine sets its redirect limit to 0):
 * "Cyclic Location header [ws://host:port/path] detected / reached max number of
 * redirects [1] of max [0]".
 */
final class FailureClassifier {

    private static final Pattern STATUS_IN_MESSAGE = Pattern.compile("(?i)HTTP response.*?\\[(\\d{3})\\]");

    private static final Pattern REDIRECT_TARGET = Pattern.compile("Location header \\[([^\\]]+)\\]");

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
     * The HTTP status of a rejected handshake.
     * @return the status, or -1 if the failure is not a rejected handshake
     */
    static int handshakeStatus(Throwable failure) {
        for (Throwable current = failure; current != null; current = current.getCause()) {
            if (current instanceof HandshakeRejectedException rejected) {
                return rejected.getStatusCode();
            }
            if (current instanceof jakarta.websocket.DeploymentException && current.getMessage() != null) {
                Matcher matcher = STATUS_IN_MESSAGE.matcher(current.getMessage());
                if (matcher.find()) {
                    return Integer.parseInt(matcher.group(1));
                }
            }
            if (current.getCause() == current) {
                break;
            }
        }
        return -1;
    }

    /**
     * The target of a handshake redirect that the transport did not follow.
     * @return the absolute target, or {@code null} if the failure is not such a redirect
     */
    static @Nullable URI redirectTarget(Throwable failure) {
        for (Throwable current = failure; current != null; current = current.getCause()) {
            if (current instanceof jakarta.websocket.DeploymentException && current.getMessage() != null) {
                Matcher matcher = REDIRECT_TARGET.matcher(current.getMessage());
                if (matcher.find()) {
                    try {
                        URI target = URI.create(matcher.group(1));
                        return (target.isAbsolute() && target.getHost() != null) ? target : null;
                    }
                    catch (IllegalArgumentException ex) {
                        return null;
                    }
                }
            }
            if (current.getCause() == current) {
                break;
            }
        }
        return null;
    }

    /**
     * Whether retrying cannot help: a handshake rejected with 3xx (a redirect not
     * followed) or 4xx other than 408, 425 and 429, or a TLS trust failure (a certificate
     * the client does not trust).
     */
    static boolean isFatal(Throwable failure) {
        if (unwrap(failure) instanceof HandshakeRedirectedException) {
            return true;
        }
        int status = handshakeStatus(failure);
        if (status != -1) {
            return HandshakeRejectedException.isFatalStatus(status);
        }
        for (Throwable current = failure; current != null; current = current.getCause()) {
            if (current instanceof CertificateException) {
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
