/**
 * The connection engine: state machine, reconnect scheduling (backoff, rate limit, fatal
 * classification), heartbeat, outbound queue and per-attempt handshake. Depends on the
 * public face and Spring Framework only, never on Spring Boot.
 */
@NullMarked
package io.github.reconnectingws.connection;

import org.jspecify.annotations.NullMarked;
