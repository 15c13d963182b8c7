package io.github.reconnectingws.listener;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import io.github.reconnectingws.InboundMessageHandler;
import io.github.reconnectingws.ReconnectingWebSocketClient;
import org.jspecify.annotations.Nullable;

import org.springframework.messaging.handler.annotation.support.MessageHandlerMethodFactory;
import org.springframework.messaging.simp.stomp.StompFrameHandler;
import org.springframework.util.ClassUtils;

/**
 * One {@code @WebSocketListener} method of one bean, bound to a connection.
 *
 * @param bean the bean
 * @param method the method, invocable on the bean (resolved through proxies)
 * @param connectionName the connection it listens to
 */
record WebSocketListenerEndpoint(Object bean, Method method, String connectionName, String destination) {

    /** A message handler that invokes the method, created with the given factory. */
    InboundMessageHandler createHandler(MessageHandlerMethodFactory methodFactory, ListenerInvocationWrapper wrapper) {
        return new WebSocketListenerMessageHandler(methodFactory.createInvocableHandlerMethod(this.bean, this.method),
                AcceptedFrames.of(this.method), "@WebSocketListener " + describeMethod(),
                (invocation) -> wrapper.invoke(this.connectionName, listenerName(), invocation));
    }

    /** The listener's low-cardinality name: {@code Class.method}. */
    String listenerName() {
        return ClassUtils.getShortName(this.method.getDeclaringClass()) + "." + this.method.getName();
    }

    /** A STOMP frame handler that invokes the method, created with the given factory. */
    StompFrameHandler createFrameHandler(MessageHandlerMethodFactory methodFactory, ReconnectingWebSocketClient client,
            ListenerInvocationWrapper wrapper) {
        return new StompListenerFrameHandler(methodFactory.createInvocableHandlerMethod(this.bean, this.method),
                AcceptedFrames.of(this.method), client, "@WebSocketListener " + describeMethod(),
                (invocation) -> wrapper.invoke(this.connectionName, listenerName(), invocation));
    }

    /** An invocation of the listener, wrapped. */
    @FunctionalInterface
    interface Invoker {

        @Nullable Object invoke(Callable<@Nullable Object> invocation) throws Exception;

    }

    /** The method as {@code Class.method(ParameterTypes)}, for messages. */
    String describeMethod() {
        String parameters = Arrays.stream(this.method.getParameterTypes())
            .map(Class::getSimpleName)
            .collect(Collectors.joining(", "));
        return ClassUtils.getShortName(this.method.getDeclaringClass()) + "." + this.method.getName() + "("
                + parameters + ")";
    }

}
