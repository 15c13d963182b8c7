/**
 * The public face of reconnecting-ws: the client, its states, the listener annotation,
 * the connection events and the exceptions an application may see.
 * <p>
 * Public API: every public type of this package. It depends on none of the other
 * packages.
 */
@NullMarked
package io.github.reconnectingws;

import org.jspecify.annotations.NullMarked;
