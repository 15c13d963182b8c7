package io.github.reconnectingws.stomp;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

import io.github.reconnectingws.ConnectionSettings;

import org.springframework.http.HttpHeaders;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompEncoder;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.util.MimeType;
import org.springframework.util.MimeTypeUtils;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketMessage;

/**
 * The frames the STOMP client writes, as WebSocket messages: CONNECT, SEND, SUBSCRIBE and
 * the acknowledgements. Stateless; the encoder is safe for concurrent use.
 */
final class StompFrames {

    private static final byte[] EMPTY = new byte[0];

    private static final StompEncoder encoder = new StompEncoder();

    private StompFrames() {
    }

    /**
     * CONNECT with the settings' login, passcode and host, asking the broker for
     * heart-beats, and this attempt's handshake headers but for the WebSocket handshake's
     * own (a refreshed token goes with CONNECT too).
     */
    static WebSocketMessage<?> connect(ConnectionSettings.Stomp settings, Duration heartbeat,
            HttpHeaders handshakeHeaders) {
        StompHeaderAccessor accessor = StompHeaderAccessor.create(StompCommand.CONNECT);
        accessor.setAcceptVersion("1.2");
        accessor.setHost(settings.host());
        if (settings.login() != null) {
            accessor.setLogin(settings.login());
        }
        if (settings.passcode() != null) {
            accessor.setPasscode(settings.passcode());
        }
        accessor.setHeartbeat(0, heartbeat.toMillis());
        handshakeHeaders.forEach((name, values) -> {
            if (!isHandshakeOnly(name)) {
                values.forEach((value) -> accessor.addNativeHeader(name, value));
            }
        });
        return frame(accessor, EMPTY);
    }

    /**
     * SEND with the headers and the payload: bytes as they are, text as UTF-8, any other
     * object as JSON through the converter; the content type follows unless given.
     * @throws IllegalArgumentException if the converter cannot convert the payload
     */
    static WebSocketMessage<?> send(StompHeaders headers, Object payload, MessageConverter converter,
            String receipt) {
        StompHeaderAccessor accessor = StompHeaderAccessor.create(StompCommand.SEND);
        headers.forEach((name, values) -> values.forEach((value) -> accessor.addNativeHeader(name, value)));
        byte[] body;
        MimeType contentType = headers.getContentType();
        if (payload instanceof byte[] bytes) {
            body = bytes;
            contentType = (contentType != null) ? contentType : MimeTypeUtils.APPLICATION_OCTET_STREAM;
        }
        else if (payload instanceof String text) {
            body = text.getBytes(StandardCharsets.UTF_8);
            contentType = (contentType != null) ? contentType : new MimeType("text", "plain", StandardCharsets.UTF_8);
        }
        else {
            MessageHeaders json = new MessageHeaders(Map.of(MessageHeaders.CONTENT_TYPE, MimeTypeUtils.APPLICATION_JSON));
            Message<?> converted = converter.toMessage(payload, json);
            if (converted == null) {
                throw new IllegalArgumentException(
                        "Cannot convert a " + payload.getClass().getName() + " to a STOMP body");
            }
            Object converterBody = converted.getPayload();
            body = (converterBody instanceof byte[] bytes) ? bytes
                    : String.valueOf(converterBody).getBytes(StandardCharsets.UTF_8);
            contentType = MimeTypeUtils.APPLICATION_JSON;
        }
        accessor.setContentType(contentType);
        accessor.setContentLength(body.length);
        if (!receipt.isEmpty()) {
            accessor.setReceipt(receipt);
        }
        return frame(accessor, body);
    }

    /** A frame of headers only: SUBSCRIBE, UNSUBSCRIBE. */
    static WebSocketMessage<?> headersOnly(StompCommand command, StompHeaders headers) {
        StompHeaderAccessor accessor = StompHeaderAccessor.create(command);
        headers.forEach((name, values) -> values.forEach((value) -> accessor.addNativeHeader(name, value)));
        return frame(accessor, EMPTY);
    }

    /** ACK or NACK of the message with this ack id. */
    static WebSocketMessage<?> ack(StompCommand command, String ackId) {
        StompHeaderAccessor accessor = StompHeaderAccessor.create(command);
        accessor.setNativeHeader("id", ackId);
        return frame(accessor, EMPTY);
    }

    /** The bytes of a WebSocket message, for the decoder. */
    static ByteBuffer bytes(WebSocketMessage<?> message) {
        return (message instanceof TextMessage text)
                ? ByteBuffer.wrap(text.getPayload().getBytes(StandardCharsets.UTF_8))
                : ((BinaryMessage) message).getPayload().duplicate();
    }

    /** Text frames, unless the body is binary (neither text nor JSON). */
    private static WebSocketMessage<?> frame(StompHeaderAccessor accessor, byte[] body) {
        accessor.setLeaveMutable(true);
        byte[] bytes = encoder.encode(MessageBuilder.createMessage(body, accessor.getMessageHeaders()));
        boolean binary = body.length > 0 && accessor.getContentType() != null
                && !"text".equals(accessor.getContentType().getType())
                && !accessor.getContentType().getSubtype().contains("json");
        return binary ? new BinaryMessage(bytes) : new TextMessage(bytes);
    }

    private static boolean isHandshakeOnly(String header) {
        String name = header.toLowerCase(Locale.ROOT);
        return name.startsWith("sec-websocket-") || name.equals("host") || name.equals("upgrade")
                || name.equals("connection") || name.equals("origin") || name.equals("user-agent")
                || name.startsWith("content-") || name.equals("login") || name.equals("passcode");
    }

}
