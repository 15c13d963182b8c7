/**
 * STOMP 1.2 over a reconnecting connection: CONNECT on every connection, subscriptions
 * restored after every reconnect, sends queued while disconnected.
 */
@NullMarked
package io.github.reconnectingws.stomp;

import org.jspecify.annotations.NullMarked;
