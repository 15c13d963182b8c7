package io.github.reconnectingws.listener;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.github.reconnectingws.InboundMessageHandler;
import io.github.reconnectingws.ReconnectingWebSocketClient;
import org.jspecify.annotations.Nullable;

import org.springframework.messaging.handler.annotation.support.MessageHandlerMethodFactory;
import org.springframework.util.ClassUtils;

/**
 * One {@code @WebSocketListener} method of one bean, bound to a connection.
 *
 * @param bean the bean
 * @param method the method, invocable on the bean (resolved through proxies)
 * @param connectionName the connection it listens to
 * @param destination the STOMP destination, or empty for WebSocket messages
 * @param route which messages it takes, or {@code null} for every message of its frame type
 */
record WebSocketListenerEndpoint(Object bean, Method method, String connectionName, String destination,
        @Nullable MessageRoute route) {

    /**
     * An endpoint for an annotated method, its route declared or derived from the payload
     * type, checked.
     * @throws IllegalStateException for a route that cannot work, naming the method
     */
    static WebSocketListenerEndpoint of(Object bean, Method method, String connectionName, String destination,
            String field, String[] havingValue) {
        String description = describe(method);
        MessageRoute route = MessageRoute.declared(field, havingValue, description);
        if (route == null) {
            route = JsonTypeRoutes.of(AcceptedFrames.payloadType(method));
        }
        if (route != null && AcceptedFrames.of(method) == AcceptedFrames.BINARY) {
            throw new IllegalStateException("@WebSocketListener " + description + " routes by the JSON field "
                    + route.field() + " but takes binary messages: route text (String or POJO) listeners only");
        }
        return new WebSocketListenerEndpoint(bean, method, connectionName, destination, route);
    }

    /**
     * A message handler that invokes the method, created with the given factory.
     * @param readers the connection's field readers, one per field, shared by its listeners
     */
    InboundMessageHandler createHandler(MessageHandlerMethodFactory methodFactory, ListenerInvocationWrapper wrapper,
            Function<String, MessageRoute.FieldReader> readers) {
        String listener = listenerName();
        // unwrapped, the method is invoked directly: no invocation object per message
        WebSocketListenerEndpoint.Invoker invoker = (wrapper == ListenerInvocationWrapper.NONE) ? null
                : (invocation) -> wrapper.invoke(this.connectionName, listener, invocation);
        return new WebSocketListenerMessageHandler(methodFactory.createInvocableHandlerMethod(this.bean, this.method),
                AcceptedFrames.of(this.method), "@WebSocketListener " + describeMethod(), invoker, this.route,
                (this.route != null) ? readers.apply(this.route.field()) : null);
    }

    /** The listener's low-cardinality name: {@code Class.method}. */
    String listenerName() {
        return ClassUtils.getShortName(this.method.getDeclaringClass()) + "." + this.method.getName();
    }

    /** The invoker of the method for the frames of its destination, created with the given factory. */
    StompListenerFrameHandler createFrameHandler(MessageHandlerMethodFactory methodFactory, ReconnectingWebSocketClient client,
            ListenerInvocationWrapper wrapper) {
        String listener = listenerName();
        return new StompListenerFrameHandler(methodFactory.createInvocableHandlerMethod(this.bean, this.method),
                AcceptedFrames.of(this.method), client, "@WebSocketListener " + describeMethod(),
                (invocation) -> wrapper.invoke(this.connectionName, listener, invocation), this.route);
    }

    /** An invocation of the listener, wrapped. */
    @FunctionalInterface
    interface Invoker {

        @Nullable Object invoke(Callable<@Nullable Object> invocation) throws Exception;

    }

    /** The method as {@code Class.method(ParameterTypes)}, for messages. */
    String describeMethod() {
        return describe(this.method);
    }

    private static String describe(Method method) {
        String parameters = Arrays.stream(method.getParameterTypes())
            .map(Class::getSimpleName)
            .collect(Collectors.joining(", "));
        return ClassUtils.getShortName(method.getDeclaringClass()) + "." + method.getName() + "(" + parameters + ")";
    }

}
