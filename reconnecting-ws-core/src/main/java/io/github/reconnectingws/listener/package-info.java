/**
 * {@code @WebSocketListener} support: finds annotated bean methods and turns each into a
 * message handler on its connection, resolving arguments with spring-messaging's
 * handler-method machinery.
 */
@NullMarked
package io.github.reconnectingws.listener;

import org.jspecify.annotations.NullMarked;
