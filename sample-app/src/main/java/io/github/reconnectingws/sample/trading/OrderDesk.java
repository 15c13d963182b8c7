package io.github.reconnectingws.sample.trading;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicLong;

import io.github.reconnectingws.ReconnectingWebSocketClient;
import io.github.reconnectingws.ReconnectingWebSocketClientRegistry;
import io.github.reconnectingws.WebSocketListener;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

/**
 * Sends orders on the named connection {@code echo} and takes the echoed order as its
 * acknowledgement. An order placed while the connection is down is not lost: the client
 * queues it and writes it after the reconnect, and its acknowledgement arrives then.
 */
@Component
public class OrderDesk {

    /** The connection orders go out on. */
    public static final String CONNECTION = "echo";

    private static final int KEPT = 20;

    private static final Log logger = LogFactory.getLog(OrderDesk.class);

    private final ReconnectingWebSocketClientRegistry clients;

    private final AtomicLong ids = new AtomicLong();

    private final Map<Long, Tracked> byId = new ConcurrentHashMap<>();

    private final Deque<Tracked> recent = new ConcurrentLinkedDeque<>();

    OrderDesk(ReconnectingWebSocketClientRegistry clients) {
        this.clients = clients;
    }

    /**
     * Send an order; never waits for the network.
     * @param symbol the instrument
     * @param quantity how many
     * @return the order as it was sent
     */
    public Order place(String symbol, int quantity) {
        ReconnectingWebSocketClient client = this.clients.getClient(CONNECTION);
        if (client == null) {
            throw new IllegalStateException("No connection named '" + CONNECTION + "' is configured");
        }
        Order order = new Order(this.ids.incrementAndGet(), symbol, quantity, Instant.now(),
                client.getState().name());
        Tracked tracked = new Tracked(order);
        this.byId.put(order.id(), tracked);
        this.recent.addFirst(tracked);
        while (this.recent.size() > KEPT) {
            Tracked oldest = this.recent.pollLast();
            if (oldest != null) {
                this.byId.remove(oldest.order.id());
            }
        }
        client.send(order).whenComplete((ok, failure) -> {
            if (failure != null) {
                tracked.error = failure.getClass().getSimpleName() + ": " + failure.getMessage();
                logger.warn("Order " + order.id() + " not sent: " + tracked.error);
            }
            else {
                tracked.writtenAt = Instant.now();
            }
        });
        logger.info("Order " + order.id() + " placed while " + order.placedWhile()
                + (client.isConnected() ? "" : ": queued until the connection is back"));
        return order;
    }

    @WebSocketListener(connection = CONNECTION)
    void onAcknowledgement(Order echoed) {
        Tracked tracked = this.byId.get(echoed.id());
        if (tracked != null && tracked.acknowledgedAt == null) {
            tracked.acknowledgedAt = Instant.now();
            if (!"CONNECTED".equals(echoed.placedWhile())) {
                logger.info("Order " + echoed.id() + " placed while " + echoed.placedWhile() + " acknowledged after "
                        + Duration.between(echoed.placedAt(), tracked.acknowledgedAt).toMillis() + " ms");
            }
        }
    }

    /** The most recent orders, newest first. */
    public List<OrderStatus> getRecent() {
        List<OrderStatus> statuses = new ArrayList<>();
        this.recent.forEach((tracked) -> statuses.add(tracked.status()));
        return statuses;
    }

    /**
     * The status of an order.
     * @param id the order number
     * @return its status, or {@code null} if it is not among the recent ones
     */
    public @Nullable OrderStatus getStatus(long id) {
        Tracked tracked = this.byId.get(id);
        return (tracked != null) ? tracked.status() : null;
    }

    /**
     * What became of an order.
     * @param order the order
     * @param writtenAt when the client wrote it to the socket, or {@code null}
     * @param acknowledgedAt when its echo arrived, or {@code null}
     * @param error why it was not sent, or {@code null}
     */
    public record OrderStatus(Order order, @Nullable Instant writtenAt, @Nullable Instant acknowledgedAt,
            @Nullable String error) {
    }

    private static final class Tracked {

        private final Order order;

        private volatile @Nullable Instant writtenAt;

        private volatile @Nullable Instant acknowledgedAt;

        private volatile @Nullable String error;

        Tracked(Order order) {
            this.order = order;
        }

        OrderStatus status() {
            return new OrderStatus(this.order, this.writtenAt, this.acknowledgedAt, this.error);
        }

    }

}
