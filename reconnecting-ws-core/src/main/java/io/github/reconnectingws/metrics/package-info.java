/**
 * Micrometer meters for {@link io.github.reconnectingws.ReconnectingWebSocketClient}s,
 * fed by a {@link io.github.reconnectingws.ConnectionObserver}. Depends on the public face
 * and micrometer-core only.
 * <p>
 * Public API: the public types of this package; the others are internal.
 */
@NullMarked
package io.github.reconnectingws.metrics;

import org.jspecify.annotations.NullMarked;
