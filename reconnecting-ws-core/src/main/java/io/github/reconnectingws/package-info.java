/**
 * The public face of reconnecting-ws: the client, its states, the listener annotation,
 * the connection events and the exceptions an application may see.
 */
@NullMarked
package io.github.reconnectingws;

import org.jspecify.annotations.NullMarked;
