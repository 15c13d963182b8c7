/**
 * Holding each connection once per cluster: Spring Integration leader election over a
 * lock registry decides which instance holds it; the others wait on standby.
 * <p>
 * Public API: the public types of this package; the others are internal.
 */
@NullMarked
package io.github.reconnectingws.cluster;

import org.jspecify.annotations.NullMarked;
