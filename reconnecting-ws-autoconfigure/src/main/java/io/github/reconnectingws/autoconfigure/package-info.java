/**
 * Spring Boot auto-configuration of reconnecting WebSocket clients: properties under
 * {@code reconnecting.websocket}, client beans, their lifecycle, application events and
 * {@code @WebSocketListener} support.
 * <p>
 * Public API: the properties ({@link ReconnectingWebSocketProperties},
 * {@link ConnectionProperties}), {@link ReconnectingWebSocketClientCustomizer} and
 * {@link InvalidConnectionPropertyException}. The auto-configuration classes are public so
 * that an application can exclude them or order its own against them by name; what they
 * contain is internal: not part of the public API; may change without notice.
 */
@NullMarked
package io.github.reconnectingws.autoconfigure;

import org.jspecify.annotations.NullMarked;
