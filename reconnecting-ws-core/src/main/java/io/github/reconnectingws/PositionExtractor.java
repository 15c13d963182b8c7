package io.github.reconnectingws;

import org.jspecify.annotations.Nullable;

import org.springframework.web.socket.WebSocketMessage;

/**
 * Reads the resume position of an inbound message, for feeds whose positions are not at
 * a JSON pointer of their text messages ({@code resume.position}).
 */
@FunctionalInterface
public interface PositionExtractor {

    /**
     * The position of a message.
     * @param message an inbound message
     * @return its position, or {@code null} when it has none
     * @throws Exception if the message cannot be read; it is then delivered without a
     * position
     */
    @Nullable String extract(WebSocketMessage<?> message) throws Exception;

}
