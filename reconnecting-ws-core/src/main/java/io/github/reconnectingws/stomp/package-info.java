/**
 * STOMP 1.2 over a reconnecting connection: CONNECT on every connection, subscriptions
 * restored after every reconnect, sends queued while disconnected.
 * <p>
 * Public API: the public types of this package; the others are internal.
 */
@NullMarked
package io.github.reconnectingws.stomp;

import org.jspecify.annotations.NullMarked;
