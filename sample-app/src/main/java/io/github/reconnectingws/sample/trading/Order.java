package io.github.reconnectingws.sample.trading;

import java.time.Instant;

/**
 * An order, sent as JSON on the {@code echo} connection, which sends it back as the
 * acknowledgement.
 * @param id the order number
 * @param symbol the instrument
 * @param quantity how many
 * @param placedAt when the application sent it
 * @param placedWhile the connection's state when it was sent, e.g. {@code RECONNECTING}:
 * such an order waits in the client's outbound queue until the connection is back
 */
public record Order(long id, String symbol, int quantity, Instant placedAt, String placedWhile) {
}
