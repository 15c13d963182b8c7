/**
 * The connection engine: state machine, reconnect scheduling (backoff, rate limit, fatal
 * classification), heartbeat, outbound queue and per-attempt handshake. Depends on the
 * public face and Spring Framework only, never on Spring Boot.
 * <p>
 * Internal: not part of the public API; may change without notice. The exceptions are its
 * public entry points, which are public API: {@link ReconnectingWebSocketClientBuilder} (a
 * client without Spring Boot), {@link WebSocketClientResources} (threads and containers
 * shared by clients) and {@link JsonPointerPositionExtractor}, the package's only public
 * classes.
 */
@NullMarked
package io.github.reconnectingws.connection;

import org.jspecify.annotations.NullMarked;
