/**
 * Micrometer observations of connect attempts and listener invocations.
 */
@NullMarked
package io.github.reconnectingws.observation;

import org.jspecify.annotations.NullMarked;
