package io.github.reconnectingws.stomp;

import org.jspecify.annotations.Nullable;

import org.springframework.messaging.simp.stomp.StompFrameHandler;
import org.springframework.messaging.simp.stomp.StompHeaders;

/**
 * A frame handler that acknowledges messages itself, for a subscription with
 * {@code ack: client-individual}: {@link ReconnectingStompClient} neither ACKs a message
 * when the handler returns nor NACKs it, unless the handler throws (NACK).
 */
public interface AcknowledgingStompFrameHandler extends StompFrameHandler {

    /**
     * Handle a MESSAGE and, now or later, from any thread, acknowledge it once.
     * @param headers the frame's headers
     * @param payload the converted payload
     * @param acknowledgement ACKs or NACKs this message (the first call counts)
     */
    void handleFrame(StompHeaders headers, @Nullable Object payload, StompAcknowledgement acknowledgement);

    @Override
    default void handleFrame(StompHeaders headers, @Nullable Object payload) {
        throw new UnsupportedOperationException("an AcknowledgingStompFrameHandler is called with its acknowledgement");
    }

}
