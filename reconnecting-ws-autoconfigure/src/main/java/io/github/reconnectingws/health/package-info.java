/**
 * Spring Boot health reporting for
 * {@link io.github.reconnectingws.ReconnectingWebSocketClient}s. Depends on the public
 * face and {@code spring-boot-health} only.
 * <p>
 * Public API: the public types of this package; the others are internal.
 */
@NullMarked
package io.github.reconnectingws.health;

import org.jspecify.annotations.NullMarked;
