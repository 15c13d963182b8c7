/**
 * The {@code websocketclients} actuator endpoint: lists the
 * {@link io.github.reconnectingws.ReconnectingWebSocketClient}s and reconnects, stops or
 * starts one. Depends on the public face and {@code spring-boot-actuator} only.
 */
@NullMarked
package io.github.reconnectingws.actuate;

import org.jspecify.annotations.NullMarked;
