/**
 * Spring Boot auto-configuration of reconnecting WebSocket clients: properties under
 * {@code reconnecting.websocket}, client beans, their lifecycle, application events and
 * {@code @WebSocketListener} support.
 */
@NullMarked
package io.github.reconnectingws.autoconfigure;

import org.jspecify.annotations.NullMarked;
