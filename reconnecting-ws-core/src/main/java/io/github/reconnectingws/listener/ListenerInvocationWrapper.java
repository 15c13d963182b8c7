package io.github.reconnectingws.listener;

import java.util.concurrent.Callable;

import org.jspecify.annotations.Nullable;

/**
 * Wraps every invocation of a {@code @WebSocketListener} method, e.g. in a Micrometer
 * observation. Invocations run on the thread that reads the connection: keep wrappers
 * cheap.
 */
@FunctionalInterface
public interface ListenerInvocationWrapper {

    /** Invokes the listener as it is. */
    ListenerInvocationWrapper NONE = (connection, listener, invocation) -> invocation.call();

    /**
     * Invoke a listener.
     * @param connectionName the connection the message arrived on
     * @param listener the listener method, as {@code Class.method}
     * @param invocation the invocation
     * @return what the listener returned
     * @throws Exception what the listener threw
     */
    @Nullable Object invoke(String connectionName, String listener, Callable<@Nullable Object> invocation)
            throws Exception;

}
