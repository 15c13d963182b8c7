package io.github.reconnectingws.listener;

import java.util.HashMap;
import java.util.Map;

import io.github.reconnectingws.ReconnectingWebSocketClient;
import org.jspecify.annotations.Nullable;

import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.converter.MessageConversionException;
import org.springframework.messaging.handler.invocation.InvocableHandlerMethod;
import org.springframework.messaging.handler.invocation.MethodArgumentResolutionException;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.support.GenericMessage;
import org.springframework.messaging.support.NativeMessageHeaderAccessor;

/**
 * Invokes one {@code @WebSocketListener(destination = ...)} method for the MESSAGE frames
 * of its destination that it takes ({@link StompDestinationListeners} hands them over):
 * the body as text (or as bytes for a {@code byte[]} parameter), converted to the
 * parameter's type by the frame's {@code content-type}; the STOMP headers as
 * {@code StompHeaders} and {@code @Header} arguments. Failures are thrown as
 * {@link ListenerExecutionFailedException}: logged and counted, the connection stays up.
 */
final class StompListenerFrameHandler {

    private final InvocableHandlerMethod method;

    private final boolean binary;

    private final ReconnectingWebSocketClient client;

    private final String description;

    private final WebSocketListenerEndpoint.Invoker invoker;

    private final @Nullable MessageRoute route;

    private final MessageRoute.@Nullable FieldReader reader;

    StompListenerFrameHandler(InvocableHandlerMethod method, AcceptedFrames acceptedFrames,
            ReconnectingWebSocketClient client, String description, WebSocketListenerEndpoint.Invoker invoker,
            @Nullable MessageRoute route) {
        this.route = route;
        this.reader = (route != null) ? new MessageRoute.FieldReader(route.field()) : null;
        this.invoker = invoker;
        this.method = method;
        this.binary = (acceptedFrames == AcceptedFrames.BINARY);
        this.client = client;
        this.description = description;
    }

    /** Whether it takes the body as bytes ({@code byte[]} parameter) rather than as text. */
    boolean binary() {
        return this.binary;
    }

    /**
     * Whether its route takes the body.
     * @param payload the body, as text or as bytes as {@link #binary()} says
     */
    boolean takes(Object payload) {
        return this.route == null || this.route.takes((payload instanceof String text) ? this.reader.read(text) : null);
    }

    /**
     * Invoke the listener with a body it takes.
     * @param payload the body, as text or as bytes as {@link #binary()} says
     */
    void handleFrame(StompHeaders headers, Object payload) {
        Map<String, Object> messageHeaders = new HashMap<>(8);
        messageHeaders.put(WebSocketArgumentResolver.CLIENT_HEADER, this.client);
        messageHeaders.put(WebSocketArgumentResolver.STOMP_HEADERS_HEADER, headers);
        messageHeaders.put(NativeMessageHeaderAccessor.NATIVE_HEADERS, headers);
        if (headers.getContentType() != null) {
            messageHeaders.put(MessageHeaders.CONTENT_TYPE, headers.getContentType());
        }
        GenericMessage<Object> message = new GenericMessage<>(payload, new ListenerMessage.Headers(messageHeaders));
        try {
            this.invoker.invoke(() -> invoke(message, headers));
        }
        catch (ListenerExecutionFailedException ex) {
            throw ex;
        }
        catch (Exception ex) {
            throw new ListenerExecutionFailedException(this.description + " threw " + ex.getClass().getSimpleName(),
                    ex, false);
        }
    }

    /** Payload-free inside the invocation wrapper, so that an observation's error is too. */
    private @Nullable Object invoke(GenericMessage<Object> message, StompHeaders headers) throws Exception {
        try {
            return this.method.invoke(message);
        }
        catch (MessageConversionException | MethodArgumentResolutionException ex) {
            throw ConversionFailures.failure(
                    this.description + " could not take a frame from " + headers.getDestination(), ex);
        }
    }

}
