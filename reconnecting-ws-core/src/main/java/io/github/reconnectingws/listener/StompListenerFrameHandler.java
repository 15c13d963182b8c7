package io.github.reconnectingws.listener;

import java.lang.reflect.Type;
import java.util.HashMap;
import java.util.Map;

import io.github.reconnectingws.ReconnectingWebSocketClient;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.converter.MessageConversionException;
import org.springframework.messaging.handler.invocation.InvocableHandlerMethod;
import org.springframework.messaging.handler.invocation.MethodArgumentResolutionException;
import org.springframework.messaging.simp.stomp.StompFrameHandler;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.support.GenericMessage;
import org.springframework.messaging.support.NativeMessageHeaderAccessor;

/**
 * Invokes one {@code @WebSocketListener(destination = ...)} method for each MESSAGE frame
 * of its subscription: the body as text (or as bytes for a {@code byte[]} parameter),
 * converted to the parameter's type by the frame's {@code content-type}; the STOMP
 * headers as {@code StompHeaders} and {@code @Header} arguments. Failures are thrown as
 * {@link ListenerExecutionFailedException}: logged and counted, the connection stays up.
 */
final class StompListenerFrameHandler implements StompFrameHandler {

    private static final Log logger = LogFactory.getLog(StompListenerFrameHandler.class);

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

    @Override
    public Type getPayloadType(StompHeaders headers) {
        return this.binary ? byte[].class : String.class;
    }

    @Override
    public void handleFrame(StompHeaders headers, @Nullable Object payload) {
        if (this.route != null && !this.route.takes((payload instanceof String text) ? this.reader.read(text) : null)) {
            if (logger.isDebugEnabled()) {
                logger.debug(this.description + " does not take a frame from " + headers.getDestination() + " ("
                        + this.route + ")");
            }
            return;
        }
        Map<String, Object> messageHeaders = new HashMap<>(8);
        messageHeaders.put(WebSocketArgumentResolver.CLIENT_HEADER, this.client);
        messageHeaders.put(WebSocketArgumentResolver.STOMP_HEADERS_HEADER, headers);
        messageHeaders.put(NativeMessageHeaderAccessor.NATIVE_HEADERS, headers);
        if (headers.getContentType() != null) {
            messageHeaders.put(MessageHeaders.CONTENT_TYPE, headers.getContentType());
        }
        try {
            GenericMessage<Object> message = new GenericMessage<>((payload != null) ? payload : "",
                    new ListenerMessage.Headers(messageHeaders));
            this.invoker.invoke(() -> this.method.invoke(message));
        }
        catch (MessageConversionException | MethodArgumentResolutionException ex) {
            ListenerExecutionFailedException failure = new ListenerExecutionFailedException(
                    this.description + " could not take a frame from " + headers.getDestination() + ": "
                            + ConversionFailures.describe(ex), null, true);
            failure.addSuppressed(ex);
            throw failure;
        }
        catch (Exception ex) {
            throw new ListenerExecutionFailedException(this.description + " threw " + ex.getClass().getSimpleName(),
                    ex, false);
        }
    }

}
