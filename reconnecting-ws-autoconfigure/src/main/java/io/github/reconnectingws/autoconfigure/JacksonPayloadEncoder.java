package io.github.reconnectingws.autoconfigure;

import io.github.reconnectingws.PayloadEncoder;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketMessage;

/**
 * Encodes payloads as JSON text messages with the application's {@link JsonMapper}.
 */
final class JacksonPayloadEncoder implements PayloadEncoder {

    private final JsonMapper jsonMapper;

    JacksonPayloadEncoder(JsonMapper jsonMapper) {
        this.jsonMapper = jsonMapper;
    }

    @Override
    public WebSocketMessage<?> encode(Object payload) {
        return new TextMessage(this.jsonMapper.writeValueAsString(payload));
    }

}
