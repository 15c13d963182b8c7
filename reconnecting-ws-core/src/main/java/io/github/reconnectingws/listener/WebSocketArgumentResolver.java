package io.github.reconnectingws.listener;

import java.nio.ByteBuffer;

import io.github.reconnectingws.ReconnectingWebSocketClient;

import org.springframework.core.MethodParameter;
import org.springframework.messaging.Message;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.Headers;
import org.springframework.messaging.handler.annotation.Payload;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolver;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;

/**
 * Resolves the WebSocket-specific arguments of listener methods from the message built for
 * each frame (a {@link ListenerMessage}'s fields; a STOMP frame's message headers): the
 * {@link ReconnectingWebSocketClient}, the current {@link WebSocketSession}, the raw
 * {@link WebSocketMessage}, the {@link StompHeaders} and a binary payload as a read-only
 * {@link ByteBuffer}. Strings, byte arrays and POJOs are left to spring-messaging's
 * payload resolution.
 */
final class WebSocketArgumentResolver implements HandlerMethodArgumentResolver {

    static final String CLIENT_HEADER = "reconnectingWebSocket.client";

    static final String STOMP_HEADERS_HEADER = "reconnectingWebSocket.stompHeaders";

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        if (parameter.hasParameterAnnotation(Header.class) || parameter.hasParameterAnnotation(Headers.class)
                || parameter.hasParameterAnnotation(Payload.class)) {
            return false;
        }
        Class<?> type = parameter.getParameterType();
        return type == ReconnectingWebSocketClient.class || type == WebSocketSession.class || type == StompHeaders.class
                || type == ByteBuffer.class || WebSocketMessage.class.isAssignableFrom(type);
    }

    @Override
    public Object resolveArgument(MethodParameter parameter, Message<?> message) {
        Class<?> type = parameter.getParameterType();
        if (message instanceof ListenerMessage listenerMessage) {
            return resolve(type, listenerMessage.client, listenerMessage.session, listenerMessage.frame);
        }
        // a STOMP frame's message carries the client and the frame's headers as headers
        if (type == ReconnectingWebSocketClient.class) {
            return header(message, CLIENT_HEADER);
        }
        if (type == StompHeaders.class) {
            return header(message, STOMP_HEADERS_HEADER);
        }
        throw new IllegalStateException("Message has no " + type.getSimpleName());
    }

    private static Object resolve(Class<?> type, ReconnectingWebSocketClient client, WebSocketSession session,
            WebSocketMessage<?> raw) {
        if (type == ReconnectingWebSocketClient.class) {
            return client;
        }
        if (type == WebSocketSession.class) {
            return session;
        }
        if (type == ByteBuffer.class && raw.getPayload() instanceof ByteBuffer buffer) {
            return buffer.asReadOnlyBuffer();
        }
        if (type.isInstance(raw)) {
            return raw;
        }
        throw new IllegalArgumentException("A " + raw.getClass().getSimpleName() + " cannot be passed as "
                + type.getSimpleName());
    }

    private static Object header(Message<?> message, String name) {
        Object value = message.getHeaders().get(name);
        if (value == null) {
            throw new IllegalStateException("Message has no '" + name + "' header");
        }
        return value;
    }

}
