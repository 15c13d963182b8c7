package io.github.reconnectingws.listener;

import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.nio.ByteBuffer;

import io.github.reconnectingws.ReconnectingWebSocketClient;
import org.jspecify.annotations.Nullable;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.Headers;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;

/**
 * Which frames a listener method receives, decided by the type of its payload parameter:
 * {@code String}, {@code TextMessage} and POJOs take text frames; {@code byte[]},
 * {@code ByteBuffer} and {@code BinaryMessage} take binary frames; other
 * {@code WebSocketMessage} types, {@code Message} and methods without a payload
 * parameter take both.
 */
enum AcceptedFrames {

    TEXT, BINARY, ALL;

    boolean accepts(WebSocketMessage<?> message) {
        return switch (this) {
            case TEXT -> message instanceof TextMessage;
            case BINARY -> message instanceof BinaryMessage;
            case ALL -> message instanceof TextMessage || message instanceof BinaryMessage;
        };
    }

    /** The type of the method's payload parameter, or {@code null} when it has none. */
    static @Nullable Class<?> payloadType(Method method) {
        for (Parameter parameter : method.getParameters()) {
            if (isPayload(parameter)) {
                return parameter.getType();
            }
        }
        return null;
    }

    static AcceptedFrames of(Method method) {
        for (Parameter parameter : method.getParameters()) {
            if (isPayload(parameter)) {
                return of(parameter.getType());
            }
        }
        return ALL;
    }

    /** The frames a payload of the given type is taken from. */
    static AcceptedFrames of(Class<?> type) {
        if (type == byte[].class || type == ByteBuffer.class || type == BinaryMessage.class) {
            return BINARY;
        }
        if (WebSocketMessage.class.isAssignableFrom(type) && type != TextMessage.class
                || Message.class.isAssignableFrom(type)) {
            return ALL;
        }
        return TEXT;
    }

    private static boolean isPayload(Parameter parameter) {
        Class<?> type = parameter.getType();
        return type != ReconnectingWebSocketClient.class && type != WebSocketSession.class
                && type != MessageHeaders.class && type != StompHeaders.class && !parameter.isAnnotationPresent(Header.class)
                && !parameter.isAnnotationPresent(Headers.class);
    }

}
