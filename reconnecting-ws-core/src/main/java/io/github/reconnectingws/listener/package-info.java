/**
 * {@code @WebSocketListener} support: finds annotated bean methods and turns each into a
 * message handler on its connection, resolving arguments with spring-messaging's
 * handler-method machinery.
 * <p>
 * Public API: {@link ListenerInvocationWrapper} and
 * {@link ListenerExecutionFailedException}.
 * {@link WebSocketListenerAnnotationBeanPostProcessor} is public for the auto-configuration
 * only, and with the package's other classes internal: not part of the public API; may
 * change without notice.
 */
@NullMarked
package io.github.reconnectingws.listener;

import org.jspecify.annotations.NullMarked;
