package io.github.reconnectingws.connection;

import io.github.reconnectingws.PositionExtractor;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonPointer;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketMessage;

/**
 * The value at a JSON pointer of inbound JSON text messages, as text: the position of
 * {@code resume.position}, and the field {@code @WebSocketListener} routes by. Reads only
 * as far as the pointer's value, without building a tree: the messages of a fast feed
 * are parsed once more for it, so this is kept cheap. Binary messages, text that is not
 * JSON, and a pointer to nothing, to {@code null} or to an object or array have no value.
 */
public final class JsonPointerPositionExtractor implements PositionExtractor {

    private static final JsonFactory factory = new JsonFactory();

    private final JsonPointer pointer;

    /**
     * Create an extractor.
     * @param pointer a JSON pointer, e.g. {@code /seq} or {@code /data/type}
     * @throws IllegalArgumentException if it is not a valid JSON pointer
     */
    public JsonPointerPositionExtractor(String pointer) {
        this.pointer = JsonPointer.compile(pointer);
    }

    @Override
    public @Nullable String extract(WebSocketMessage<?> message) {
        if (!(message instanceof TextMessage text)) {
            return null;
        }
        try (JsonParser parser = factory.createParser(ObjectReadContext.empty(), text.getPayload())) {
            return find(parser, this.pointer);
        }
    }

    private static @Nullable String find(JsonParser parser, JsonPointer pointer) {
        JsonToken token = parser.nextToken();
        JsonPointer remaining = pointer;
        while (token != null && !remaining.matches()) {
            if (token == JsonToken.START_OBJECT && remaining.getMatchingProperty() != null) {
                String wanted = remaining.getMatchingProperty();
                boolean found = false;
                for (token = parser.nextToken(); token == JsonToken.PROPERTY_NAME; token = parser.nextToken()) {
                    if (wanted.equals(parser.currentName())) {
                        found = true;
                        break;
                    }
                    parser.nextToken();
                    parser.skipChildren();
                }
                if (!found) {
                    return null;
                }
            }
            else if (token == JsonToken.START_ARRAY && remaining.getMatchingIndex() >= 0) {
                int index = remaining.getMatchingIndex();
                for (int i = 0; i < index; i++) {
                    if (parser.nextToken() == JsonToken.END_ARRAY) {
                        return null;
                    }
                    parser.skipChildren();
                }
            }
            else {
                return null;
            }
            remaining = remaining.tail();
            token = parser.nextToken();
        }
        if (token == null || !token.isScalarValue() || token == JsonToken.VALUE_NULL) {
            return null;
        }
        return parser.getString();
    }

}
