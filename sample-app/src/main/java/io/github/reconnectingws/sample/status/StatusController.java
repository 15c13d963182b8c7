package io.github.reconnectingws.sample.status;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.github.reconnectingws.ReconnectingWebSocketClient;
import io.github.reconnectingws.ReconnectingWebSocketClientRegistry;
import io.github.reconnectingws.ReconnectingWebSocketException;
import io.github.reconnectingws.sample.feed.FeedFaults;
import io.github.reconnectingws.sample.trading.Order;
import io.github.reconnectingws.sample.trading.NewsDesk;
import io.github.reconnectingws.sample.trading.OrderDesk;
import io.github.reconnectingws.sample.trading.Price;
import io.github.reconnectingws.sample.trading.PriceBoard;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * The JSON the status page polls, and its buttons besides the fault switches.
 * <pre>
 * GET  /api/status                          connections, faults, prices, orders, journal
 * POST /api/orders?symbol=ACME&amp;quantity=10  place an order on the echo connection
 * POST /api/connections/{name}/start        start a stopped or failed connection
 * POST /api/connections/{name}/reconnect    drop and reconnect now
 * </pre>
 */
@RestController
@RequestMapping("/api")
class StatusController {

    private final ConnectionStatusService connections;

    private final ReconnectingWebSocketClientRegistry clients;

    private final FeedFaults faults;

    private final PriceBoard prices;

    private final OrderDesk orders;

    private final NewsDesk news;

    StatusController(ConnectionStatusService connections, ReconnectingWebSocketClientRegistry clients,
            FeedFaults faults, PriceBoard prices, OrderDesk orders, NewsDesk news) {
        this.news = news;
        this.connections = connections;
        this.clients = clients;
        this.faults = faults;
        this.prices = prices;
        this.orders = orders;
    }

    @GetMapping("/status")
    Status status() {
        return new Status(Instant.now(), this.connections.connections(), this.faults.snapshot(),
                this.prices.getLatest(), this.prices.getReceivedCount(), this.orders.getRecent(),
                this.news.getLatest(), this.news.getReceivedCount(), this.connections.journal());
    }

    @PostMapping("/orders")
    Order placeOrder(@RequestParam(defaultValue = "ACME") String symbol,
            @RequestParam(defaultValue = "10") int quantity) {
        return this.orders.place(symbol, quantity);
    }

    @GetMapping("/orders/{id}")
    OrderDesk.OrderStatus order(@PathVariable long id) {
        OrderDesk.OrderStatus status = this.orders.getStatus(id);
        if (status == null) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "No recent order " + id);
        }
        return status;
    }

    @PostMapping("/connections/{name}/start")
    ConnectionStateView start(@PathVariable String name) {
        ReconnectingWebSocketClient client = client(name);
        client.start();
        return new ConnectionStateView(name, client.getState().name());
    }

    @PostMapping("/connections/{name}/reconnect")
    ConnectionStateView reconnect(@PathVariable String name) {
        ReconnectingWebSocketClient client = client(name);
        client.reconnect();
        return new ConnectionStateView(name, client.getState().name());
    }

    @ExceptionHandler(ReconnectingWebSocketException.class)
    ResponseEntity<Map<String, String>> refused(ReconnectingWebSocketException ex) {
        return ResponseEntity.status(HttpStatus.CONFLICT).body(Map.of("error", String.valueOf(ex.getMessage())));
    }

    private ReconnectingWebSocketClient client(String name) {
        ReconnectingWebSocketClient client = this.clients.getClient(name);
        if (client == null) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "No connection named '" + name + "'");
        }
        return client;
    }

    /**
     * Everything the status page shows.
     * @param time when this was taken
     * @param connections every connection
     * @param faults the fault switches
     * @param prices the latest price per symbol
     * @param pricesReceived prices received in all
     * @param orders recent orders, newest first
     * @param news the latest headlines over STOMP, newest first
     * @param newsReceived headlines received in all
     * @param journal recent connection events, newest first
     */
    record Status(Instant time, List<ConnectionStatusService.ConnectionStatus> connections, FeedFaults.Snapshot faults,
            Map<String, Price> prices, long pricesReceived, List<OrderDesk.OrderStatus> orders,
            List<NewsDesk.Headline> news, long newsReceived, List<ConnectionStatusService.JournalEntry> journal) {
    }

    /**
     * A connection's state after an operation.
     * @param name the connection
     * @param state its state
     */
    record ConnectionStateView(String name, String state) {
    }

}
