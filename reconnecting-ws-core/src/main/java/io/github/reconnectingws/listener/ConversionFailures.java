package io.github.reconnectingws.listener;

import java.util.ArrayList;
import java.util.List;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.exc.MismatchedInputException;

import org.springframework.util.ClassUtils;

/**
 * Describes why a payload could not be converted without a word of the payload: the
 * messages of Spring's conversion exceptions carry the whole message, and Jackson's the
 * offending token. What is kept: the exception types, and from Jackson where in the
 * document it failed and what it wanted there.
 */
final class ConversionFailures {

    private static final boolean JACKSON_PRESENT = ClassUtils.isPresent("tools.jackson.core.JacksonException",
            ConversionFailures.class.getClassLoader());

    private static final int MAX_CAUSES = 8;

    private ConversionFailures() {
    }

    /**
     * The failure to report: what could not be taken and why, without the converter's
     * exception, whose message may quote the payload.
     * @param what for example {@code @WebSocketListener Feed.ticker(Ticker) could not take
     * a text message of 37 bytes}
     */
    static ListenerExecutionFailedException failure(String what, Throwable conversionFailure) {
        return new ListenerExecutionFailedException(what + ": " + describe(conversionFailure), null, true);
    }

    /**
     * For example {@code MessageConversionException caused by MismatchedInputException at
     * Price["price"] (wanted int)}.
     */
    static String describe(Throwable failure) {
        List<String> parts = new ArrayList<>();
        Throwable current = failure;
        for (int i = 0; current != null && i < MAX_CAUSES; i++) {
            String part = current.getClass().getSimpleName();
            if (JACKSON_PRESENT) {
                part += Jackson.detail(current);
            }
            parts.add(part);
            current = (current.getCause() != current) ? current.getCause() : null;
        }
        return String.join(" caused by ", parts);
    }

    /** Kept apart so that the listener works without Jackson. */
    private static final class Jackson {

        static String detail(Throwable failure) {
            if (!(failure instanceof JacksonException jackson)) {
                return "";
            }
            String detail = "";
            String path = jackson.getPathReference();
            if (path != null && !path.isEmpty()) {
                detail += " at " + path;
            }
            if (failure instanceof MismatchedInputException mismatched && mismatched.getTargetType() != null) {
                detail += " (wanted " + mismatched.getTargetType().getSimpleName() + ")";
            }
            else if (jackson.getLocation() != null) {
                detail += " (at line " + jackson.getLocation().getLineNr() + ", column "
                        + jackson.getLocation().getColumnNr() + ")";
            }
            return detail;
        }

    }

}
