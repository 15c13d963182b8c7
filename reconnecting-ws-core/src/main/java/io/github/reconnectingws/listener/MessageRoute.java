package io.github.reconnectingws.listener;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

import io.github.reconnectingws.connection.JsonPointerPositionExtractor;
import org.jspecify.annotations.Nullable;

import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketMessage;

/**
 * Which messages one listener takes: the JSON text messages whose value at a JSON pointer
 * is one of a set. Declared with {@code @WebSocketListener(field, havingValue)} or derived
 * from the payload type's Jackson type info ({@link JsonTypeRoutes}).
 *
 * @param field the JSON pointer
 * @param values the values taken
 */
record MessageRoute(String field, Set<String> values) {

    /**
     * The route a listener declares.
     * @param field the {@code field} attribute
     * @param values the {@code havingValue} attribute
     * @param method the listener, for messages
     * @return the route, or {@code null} when none is declared
     * @throws IllegalStateException if only one of the two is set, or the field is not a
     * JSON pointer
     */
    static @Nullable MessageRoute declared(String field, String[] values, String method) {
        if (field.isEmpty() && values.length == 0) {
            return null;
        }
        if (field.isEmpty() || values.length == 0) {
            throw new IllegalStateException("@WebSocketListener " + method + " sets "
                    + (field.isEmpty() ? "havingValue without field" : "field without havingValue")
                    + ": set both, e.g. field = \"/type\", havingValue = \"ticker\"");
        }
        try {
            new JsonPointerPositionExtractor(field);
        }
        catch (IllegalArgumentException ex) {
            throw new IllegalStateException("@WebSocketListener " + method + " has field '" + field
                    + "', which is not a JSON pointer: " + ex.getMessage() + " (e.g. /type or /data/kind)", ex);
        }
        return new MessageRoute(field, new LinkedHashSet<>(Arrays.asList(values)));
    }

    boolean takes(@Nullable String value) {
        return value != null && this.values.contains(value);
    }

    @Override
    public String toString() {
        return this.field + " in " + this.values;
    }

    /**
     * Reads one field of the messages of one connection, remembering the last message's
     * value: listeners routed by the same field parse each message once. Used only while
     * the connection hands a message to its listeners, one message at a time.
     */
    static final class FieldReader {

        private final JsonPointerPositionExtractor extractor;

        private @Nullable WebSocketMessage<?> lastMessage;

        private @Nullable String lastValue;

        FieldReader(String field) {
            this.extractor = new JsonPointerPositionExtractor(field);
        }

        @Nullable String read(WebSocketMessage<?> message) {
            if (message != this.lastMessage) {
                this.lastValue = readQuietly(message);
                this.lastMessage = message;
            }
            return this.lastValue;
        }

        @Nullable String read(String text) {
            return readQuietly(new TextMessage(text));
        }

        private @Nullable String readQuietly(WebSocketMessage<?> message) {
            try {
                return this.extractor.extract(message);
            }
            catch (RuntimeException ex) {
                // not JSON: no value, so no routed listener takes it
                return null;
            }
        }

    }

}
