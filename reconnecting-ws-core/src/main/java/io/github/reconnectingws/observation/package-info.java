/**
 * Micrometer observations of connect attempts and listener invocations.
 * <p>
 * Public API: the public types of this package; the others are internal.
 */
@NullMarked
package io.github.reconnectingws.observation;

import org.jspecify.annotations.NullMarked;
