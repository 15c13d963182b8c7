package io.github.reconnectingws.sample.feed;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;
import org.springframework.web.socket.handler.TextWebSocketHandler;

/**
 * {@code /feed/prices}: a ticker of JSON prices, like a market data feed. A connection
 * gets nothing until it subscribes with {@code {"op":"subscribe","symbols":["ACME"]}};
 * a new connection starts unsubscribed, so a client must subscribe again after every
 * reconnect. Then every {@link #tick()} sends one message per subscribed symbol:
 * {@code {"symbol":"ACME","price":101.25,"seq":17,"time":"2026-11-22T00:00:00Z"}}.
 */
public class PriceFeedHandler extends TextWebSocketHandler {

    private final FeedFaults faults;

    private final JsonMapper json;

    private final Map<String, Subscriber> subscribers = new ConcurrentHashMap<>();

    private final Map<String, BigDecimal> prices = new ConcurrentHashMap<>();

    private final AtomicLong sequence = new AtomicLong();

    PriceFeedHandler(FeedFaults faults, JsonMapper json) {
        this.faults = faults;
        this.json = json;
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession session) {
        this.faults.opened(session);
    }

    @Override
    protected void handleTextMessage(WebSocketSession session, TextMessage message) throws Exception {
        JsonNode request = this.json.readTree(message.getPayload());
        if (!"subscribe".equals(request.path("op").asString(""))) {
            session.close(CloseStatus.BAD_DATA.withReason("expected {\"op\":\"subscribe\",\"symbols\":[...]}"));
            return;
        }
        Set<String> symbols = ConcurrentHashMap.newKeySet();
        request.path("symbols").forEach((symbol) -> symbols.add(symbol.asString()));
        this.subscribers.computeIfAbsent(session.getId(),
                (id) -> new Subscriber(new ConcurrentWebSocketSessionDecorator(session, 2000, 256 * 1024), symbols))
            .symbols()
            .addAll(symbols);
    }

    @Override
    public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
        this.subscribers.remove(session.getId());
        this.faults.closed(session);
    }

    /** Send one price per subscribed symbol to every subscriber, unless the feed is silent. */
    void tick() {
        if (this.faults.isSilent() || this.subscribers.isEmpty()) {
            return;
        }
        Instant now = Instant.now();
        for (Subscriber subscriber : new ArrayList<>(this.subscribers.values())) {
            for (String symbol : subscriber.symbols()) {
                send(subscriber.session(), nextPrice(symbol, now));
            }
        }
    }

    private String nextPrice(String symbol, Instant now) {
        BigDecimal price = this.prices.compute(symbol, (key, last) -> {
            BigDecimal start = (last != null) ? last : BigDecimal.valueOf(50 + ThreadLocalRandom.current().nextInt(150));
            double move = 1 + (ThreadLocalRandom.current().nextDouble() - 0.5) / 100;
            return start.multiply(BigDecimal.valueOf(move)).setScale(2, RoundingMode.HALF_UP);
        });
        return this.json.writeValueAsString(Map.of("symbol", symbol, "price", price, "seq",
                this.sequence.incrementAndGet(), "time", now.toString()));
    }

    private void send(WebSocketSession session, String payload) {
        if (!session.isOpen()) {
            return;
        }
        try {
            session.sendMessage(new TextMessage(payload));
        }
        catch (Exception ex) {
            // the connection is going away; afterConnectionClosed cleans up
        }
    }

    private record Subscriber(WebSocketSession session, Set<String> symbols) {
    }

}
