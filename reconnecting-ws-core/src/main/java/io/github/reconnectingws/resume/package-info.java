/**
 * Keeping the last delivered resume position where it survives restarts and failovers.
 */
@NullMarked
package io.github.reconnectingws.resume;

import org.jspecify.annotations.NullMarked;
