/**
 * Keeping the last delivered resume position where it survives restarts and failovers.
 * <p>
 * Public API: the public types of this package; the others are internal.
 */
@NullMarked
package io.github.reconnectingws.resume;

import org.jspecify.annotations.NullMarked;
