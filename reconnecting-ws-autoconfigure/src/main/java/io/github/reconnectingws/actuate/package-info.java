/**
 * The {@code websocketclients} actuator endpoint: lists the
 * {@link io.github.reconnectingws.ReconnectingWebSocketClient}s and reconnects, stops or
 * starts one. Depends on the public face and {@code spring-boot-actuator} only.
 * <p>
 * Public API: the public types of this package; the others are internal.
 */
@NullMarked
package io.github.reconnectingws.actuate;

import org.jspecify.annotations.NullMarked;
