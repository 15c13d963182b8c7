package io.github.reconnectingws;

/**
 * The time-limited right of this instance to hold a connection, given by a cluster (see
 * {@link ReconnectingWebSocketClient#start(ConnectionLease)}). A lease is measured on the
 * instance's own monotonic clock, so that neither a pause of the JVM nor a jump of the
 * wall clock makes a lapsed lease look valid.
 */
@FunctionalInterface
public interface ConnectionLease {

    /** A lease that never lapses: the connection is held until it is stopped. */
    ConnectionLease UNLIMITED = () -> true;

    /**
     * Whether the connection may still be held. Asked before every delivery and every
     * write, from any thread: must be cheap and must not block.
     * @return {@code false} once the lease has lapsed
     */
    boolean isValid();

}
