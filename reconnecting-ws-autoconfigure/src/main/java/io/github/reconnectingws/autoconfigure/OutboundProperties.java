package io.github.reconnectingws.autoconfigure;

import java.time.Duration;

import io.github.reconnectingws.ConnectionSettings;
import io.github.reconnectingws.OutboundOverflow;

/**
 * The buffer of messages sent while disconnected (or faster than they can be
 * written).
 * <p>
 * A group of {@link ConnectionProperties}, mapped onto
 * {@link ConnectionSettings} by {@code ConnectionSettingsMapper}.
 */
public class OutboundProperties {

    /**
     * How many messages may wait to be written.
     */
    private int bufferSize = 1000;

    /**
     * What to do with a new message when the buffer is full.
     */
    private OutboundOverflow overflow = OutboundOverflow.REJECT;

    /**
     * How long one write may take before the connection counts as broken.
     */
    private Duration sendTimeLimit = Duration.ofSeconds(10);

    /**
     * Whether to write on the sending thread when nothing else is being written: the
     * lowest latency for request/response traffic, but sending may then block (up to
     * the send time limit) while the socket buffer is full. Off: writes run on the
     * shared writer pool and sending never blocks.
     */
    private boolean writeInline = false;

    /**
     * Most messages written per second, in any second; further messages wait in the
     * buffer, in order (paced, not dropped). 0 means unlimited.
     */
    private int rateLimit = 0;

    public int getBufferSize() {
        return this.bufferSize;
    }

    public void setBufferSize(int bufferSize) {
        this.bufferSize = bufferSize;
    }

    public OutboundOverflow getOverflow() {
        return this.overflow;
    }

    public void setOverflow(OutboundOverflow overflow) {
        this.overflow = overflow;
    }

    public Duration getSendTimeLimit() {
        return this.sendTimeLimit;
    }

    public void setSendTimeLimit(Duration sendTimeLimit) {
        this.sendTimeLimit = sendTimeLimit;
    }

    public boolean isWriteInline() {
        return this.writeInline;
    }

    public void setWriteInline(boolean writeInline) {
        this.writeInline = writeInline;
    }

    public int getRateLimit() {
        return this.rateLimit;
    }

    public void setRateLimit(int rateLimit) {
        this.rateLimit = rateLimit;
    }

}
