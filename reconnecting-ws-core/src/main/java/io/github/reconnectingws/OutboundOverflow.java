package io.github.reconnectingws;

/**
 * What to do with a new outbound message when the outbound buffer is full.
 */
public enum OutboundOverflow {

    /** Refuse the new message: its future fails with {@code OutboundBufferFullException}. */
    REJECT,

    /** Discard the oldest queued message (its future fails) to make room for the new one. */
    DROP_OLDEST

}
