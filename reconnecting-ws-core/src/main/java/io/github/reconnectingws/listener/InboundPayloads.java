package io.github.reconnectingws.listener;

import java.nio.ByteBuffer;

import org.jspecify.annotations.Nullable;

import org.springframework.messaging.Message;
import org.springframework.messaging.converter.MessageConversionException;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.support.GenericMessage;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketMessage;

/**
 * The payload of an inbound WebSocket message as a {@code @WebSocketListener} method's
 * payload parameter receives it, for other consumers of the same messages (reactive
 * streams): a type takes the frames a listener parameter of that type takes
 * ({@code String} and POJOs text, {@code byte[]} and {@code ByteBuffer} binary,
 * {@code WebSocketMessage} both), and a payload that is neither text nor bytes is
 * converted by the converter the listeners use (JSON when Jackson is present).
 * Thread-safe.
 */
public final class InboundPayloads {

    private final MessageConverter converter;

    /**
     * Create the conversion of one application.
     * @param converter the converter of the listeners' POJO payloads
     */
    public InboundPayloads(MessageConverter converter) {
        this.converter = converter;
    }

    /**
     * Whether a payload of the given type is taken from the message's kind of frame; a
     * message that is not taken is no failure, just not for this type.
     * @param type the payload type
     * @param message the message
     * @return {@code true} when {@link #convert} should be asked
     */
    public static boolean accepts(Class<?> type, WebSocketMessage<?> message) {
        return AcceptedFrames.of(type).accepts(message);
    }

    /**
     * The message's payload as the given type.
     * @param <T> the type
     * @param message a message the type {@linkplain #accepts accepts}
     * @param type the payload type
     * @param consumer who wanted it, for the failure's message
     * @return the payload, {@code null} when the converter made nothing of it (JSON
     * {@code null})
     * @throws ListenerExecutionFailedException when it cannot be converted (a conversion
     * failure whose message never quotes the payload)
     */
    @SuppressWarnings("unchecked")
    public <T> @Nullable T convert(WebSocketMessage<?> message, Class<T> type, String consumer) {
        if (type.isInstance(message)) {
            return (T) message;
        }
        Object payload = payload(message);
        if (type.isInstance(payload)) {
            return (T) payload;
        }
        if (type == ByteBuffer.class && payload instanceof byte[] bytes) {
            return (T) ByteBuffer.wrap(bytes);
        }
        try {
            Message<Object> converted = new GenericMessage<>(payload, ListenerMessage.NO_HEADERS);
            Object result = this.converter.fromMessage(converted, type);
            if (result == null && !(payload instanceof String text && "null".equals(text.strip()))) {
                throw new MessageConversionException("No converter for a " + type.getName());
            }
            return (T) result;
        }
        catch (RuntimeException ex) {
            throw ConversionFailures.failure(consumer + " could not take a " + describe(message), ex);
        }
    }

    /** Text as {@code String}, binary as a copy in a {@code byte[]}. */
    static Object payload(WebSocketMessage<?> message) {
        if (message instanceof BinaryMessage binary) {
            ByteBuffer buffer = binary.getPayload().duplicate();
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        }
        return ((TextMessage) message).getPayload();
    }

    /** What kind of message, never its content. */
    static String describe(WebSocketMessage<?> message) {
        return ((message instanceof TextMessage) ? "text" : "binary") + " message of " + message.getPayloadLength()
                + " bytes";
    }

}
