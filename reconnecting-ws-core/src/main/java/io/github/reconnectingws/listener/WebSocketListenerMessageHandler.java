package io.github.reconnectingws.listener;

import io.github.reconnectingws.InboundMessageHandler;
import io.github.reconnectingws.ReconnectingWebSocketClient;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.messaging.Message;
import org.springframework.messaging.converter.MessageConversionException;
import org.springframework.messaging.handler.invocation.InvocableHandlerMethod;
import org.springframework.messaging.handler.invocation.MethodArgumentResolutionException;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;

/**
 * Invokes one listener method for each frame of the type it accepts, and sends a
 * non-void return value back on the same connection. Failures are thrown as
 * {@link ListenerExecutionFailedException}, which the client logs and reports to its
 * observers; the connection stays up.
 */
final class WebSocketListenerMessageHandler implements InboundMessageHandler {

    private static final Log logger = LogFactory.getLog(WebSocketListenerMessageHandler.class);

    private final InvocableHandlerMethod method;

    private final AcceptedFrames acceptedFrames;

    private final String description;

    /** How the method is invoked, wrapped; {@code null}: directly. */
    private final WebSocketListenerEndpoint.@Nullable Invoker invoker;

    private final @Nullable MessageRoute route;

    private final MessageRoute.@Nullable FieldReader reader;

    WebSocketListenerMessageHandler(InvocableHandlerMethod method, AcceptedFrames acceptedFrames,
            String description, WebSocketListenerEndpoint.@Nullable Invoker invoker, @Nullable MessageRoute route,
            MessageRoute.@Nullable FieldReader reader) {
        this.invoker = invoker;
        this.method = method;
        this.acceptedFrames = acceptedFrames;
        this.description = description;
        this.route = route;
        this.reader = reader;
    }

    @Override
    public boolean handles(WebSocketMessage<?> message) {
        return this.acceptedFrames.accepts(message)
                && (this.route == null || this.route.takes(this.reader.read(message)));
    }

    @Override
    public void handleMessage(ReconnectingWebSocketClient client, WebSocketSession session,
            WebSocketMessage<?> message) {
        // the client asked handles(message) just before: not asked again on the hot path
        Message<Object> converted = new ListenerMessage(client, session, message);
        Object result;
        try {
            result = (this.invoker != null) ? this.invoker.invoke(() -> invoke(converted, message))
                    : invoke(converted, message);
        }
        catch (ListenerExecutionFailedException ex) {
            throw ex;
        }
        catch (Exception ex) {
            throw new ListenerExecutionFailedException(this.description + " threw " + ex.getClass().getSimpleName(),
                    ex, false);
        }
        if (result != null) {
            client.send(result).whenComplete((ok, error) -> {
                if (error != null) {
                    logger.warn("Reply of " + this.description + " was not sent: " + client.describeFailure(error));
                }
            });
        }
    }

    /**
     * A conversion failure is made payload-free here, inside the invocation wrapper, so
     * that an observation's error does not quote the payload either.
     */
    private @Nullable Object invoke(Message<Object> converted, WebSocketMessage<?> message) throws Exception {
        try {
            return this.method.invoke(converted);
        }
        catch (MessageConversionException | MethodArgumentResolutionException ex) {
            throw ConversionFailures.failure(
                    this.description + " could not take a " + InboundPayloads.describe(message), ex);
        }
    }

}
