/**
 * Micrometer meters for {@link io.github.reconnectingws.ReconnectingWebSocketClient}s,
 * fed by a {@link io.github.reconnectingws.ConnectionObserver}. Depends on the public face
 * and micrometer-core only.
 */
@NullMarked
package io.github.reconnectingws.metrics;

import org.jspecify.annotations.NullMarked;
