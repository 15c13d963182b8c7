/**
 * Spreading clustered connections over the live instances of an application: each
 * instance checks in with a {@link io.github.reconnectingws.cluster.ClusterStore}
 * (PostgreSQL or Redis) every heartbeat, holds its fair share under a lease that it
 * measures on its own monotonic clock, and lets its connections go when the lease lapses.
 * <p>
 * Public API: the public types of this package; the others are internal.
 */
@NullMarked
package io.github.reconnectingws.cluster;

import org.jspecify.annotations.NullMarked;
