/**
 * The test kit for applications that use reconnecting-ws: {@link MockWebSocketServer}, a
 * scripted WebSocket server that breaks on request, and {@link ConnectionStates}, which
 * waits for a client's state.
 */
@NullMarked
package io.github.reconnectingws.test;

import org.jspecify.annotations.NullMarked;
