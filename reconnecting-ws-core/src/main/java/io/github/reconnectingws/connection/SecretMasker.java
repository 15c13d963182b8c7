package io.github.reconnectingws.connection;

import java.net.URI;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * Keeps secrets (URL user-info, query values, header values) out of everything the client
 * shows: the masked URL, logged and reported error descriptions.
 */
final class SecretMasker {

    static final String MASK = "******";

    /** Values shorter than this are not scrubbed from text: too likely to be ordinary words. */
    private static final int MIN_SECRET_LENGTH = 4;

    private static final int MAX_REMEMBERED = 64;

    /** How deep {@link #sanitize} follows causes. */
    private static final int MAX_CAUSES = 16;

    /** The remembered secrets, oldest first; guarded by {@code this}. */
    private final Set<String> secrets = new LinkedHashSet<>();

    /** Remember secret values, e.g. the headers of an attempt, to scrub them from text. */
    synchronized void remember(Collection<String> values) {
        for (String value : values) {
            if (value != null && value.length() >= MIN_SECRET_LENGTH) {
                this.secrets.remove(value);
                this.secrets.add(value);
            }
        }
        Iterator<String> oldest = this.secrets.iterator();
        while (this.secrets.size() > MAX_REMEMBERED) {
            oldest.next();
            oldest.remove();
        }
    }

    /** Remember the secret parts of a URI: user-info and query values. */
    void rememberUri(URI uri) {
        Set<String> values = new LinkedHashSet<>();
        if (uri.getRawUserInfo() != null) {
            values.add(uri.getRawUserInfo());
            values.add(uri.getUserInfo());
        }
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                int eq = pair.indexOf('=');
                if (eq >= 0) {
                    values.add(pair.substring(eq + 1));
                }
            }
        }
        remember(values);
    }

    /** Replace every remembered secret in the text. */
    synchronized String scrub(@Nullable String text) {
        if (text == null) {
            return "";
        }
        String result = text;
        for (String secret : this.secrets) {
            result = result.replace(secret, MASK);
        }
        return result;
    }

    /**
     * The failure as it may be handed to the application (observers, events, futures):
     * the failure itself when no message in its chain carries a remembered secret, else a
     * copy of the chain with the secrets masked. Tomcat, for one, puts the whole URL in
     * the message of a failed handshake. Each copied link keeps its type when the type has
     * a {@code (String, Throwable)} or {@code (String)} constructor, so classifying by
     * type still works, and keeps its stack trace.
     */
    Throwable sanitize(Throwable failure) {
        return leaks(failure, 0) ? copy(failure, 0) : failure;
    }

    private boolean leaks(Throwable failure, int depth) {
        if (depth > MAX_CAUSES) {
            return false;
        }
        String message = failure.getMessage();
        if (message != null && !scrub(message).equals(message)) {
            return true;
        }
        Throwable cause = failure.getCause();
        return cause != null && cause != failure && leaks(cause, depth + 1);
    }

    private Throwable copy(Throwable failure, int depth) {
        Throwable cause = failure.getCause();
        Throwable safeCause = (cause != null && cause != failure && depth < MAX_CAUSES && leaks(cause, depth + 1))
                ? copy(cause, depth + 1) : cause;
        String message = failure.getMessage();
        if (safeCause == cause && (message == null || scrub(message).equals(message))) {
            return failure;
        }
        Throwable copy = instantiate(failure.getClass(), (message != null) ? scrub(message) : null, safeCause);
        copy.setStackTrace(failure.getStackTrace());
        return copy;
    }

    private static Throwable instantiate(Class<? extends Throwable> type, @Nullable String message,
            @Nullable Throwable cause) {
        try {
            return type.getConstructor(String.class, Throwable.class).newInstance(message, cause);
        }
        catch (ReflectiveOperationException | RuntimeException ex) {
            // try the next constructor
        }
        try {
            Throwable copy = type.getConstructor(String.class).newInstance(message);
            if (cause != null) {
                copy.initCause(cause);
            }
            return copy;
        }
        catch (ReflectiveOperationException | RuntimeException ex) {
            return new MaskedException(type.getName() + ((message != null) ? ": " + message : ""), cause);
        }
    }

    /**
     * Describe a failure for logs and health: the type and message of the failure and of
     * its root cause, secrets scrubbed.
     */
    String describe(Throwable failure) {
        Throwable outer = FailureClassifier.unwrap(failure);
        Throwable root = outer;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String description = brief(outer);
        if (root != outer) {
            description += " (caused by " + brief(root) + ")";
        }
        return scrub(description);
    }

    private static String brief(Throwable failure) {
        String message = failure.getMessage();
        return failure.getClass().getSimpleName() + ((message != null) ? ": " + message : "");
    }

    /**
     * The URI as it may be shown: user-info replaced by {@link #MASK}, every query value
     * replaced by {@link #MASK}.
     */
    static String maskUri(URI uri) {
        StringBuilder masked = new StringBuilder();
        masked.append(uri.getScheme()).append("://");
        if (uri.getRawUserInfo() != null) {
            masked.append(MASK).append('@');
        }
        masked.append(uri.getHost());
        if (uri.getPort() != -1) {
            masked.append(':').append(uri.getPort());
        }
        if (uri.getRawPath() != null) {
            masked.append(uri.getRawPath());
        }
        if (uri.getRawQuery() != null) {
            masked.append('?');
            String[] pairs = uri.getRawQuery().split("&");
            for (int i = 0; i < pairs.length; i++) {
                int eq = pairs[i].indexOf('=');
                masked.append((i > 0) ? "&" : "").append((eq >= 0) ? pairs[i].substring(0, eq + 1) + MASK : pairs[i]);
            }
        }
        return masked.toString();
    }

    /** Stands in for a failure whose type cannot be rebuilt with a masked message. */
    static final class MaskedException extends Exception {

        MaskedException(String message, @Nullable Throwable cause) {
            super(message, cause);
        }

    }

}
