/**
 * Reactive streams over the reconnecting clients, with Reactor on the classpath: a
 * connection's messages, states and events as hot {@code Flux}es that survive reconnects,
 * sends as {@code Mono}s, and STOMP destinations watched as {@code Flux}es.
 */
@NullMarked
package io.github.reconnectingws.reactive;

import org.jspecify.annotations.NullMarked;
