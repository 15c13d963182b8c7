package io.github.reconnectingws.sample.trading;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A price from the feed, converted from JSON by {@code @WebSocketListener}.
 * @param symbol the instrument
 * @param price the price
 * @param seq the feed's sequence number
 * @param time when the feed sent it
 */
public record Price(String symbol, BigDecimal price, long seq, Instant time) {
}
