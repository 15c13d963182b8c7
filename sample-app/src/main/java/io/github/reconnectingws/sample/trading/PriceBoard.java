package io.github.reconnectingws.sample.trading;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.github.reconnectingws.WebSocketConnectedEvent;
import io.github.reconnectingws.WebSocketListener;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Consumes the price feed on the default connection. The feed sends nothing until a
 * connection subscribes, and forgets the subscription when the connection drops: so the
 * board subscribes on every {@link WebSocketConnectedEvent}, which the client publishes
 * before it flushes what was queued while it was disconnected.
 */
@Component
public class PriceBoard {

    private static final Log logger = LogFactory.getLog(PriceBoard.class);

    private final List<String> symbols;

    private final Map<String, Price> latest = new ConcurrentHashMap<>();

    private final AtomicLong received = new AtomicLong();

    PriceBoard(@Value("${sample.symbols:ACME,GLOBEX,INITECH}") List<String> symbols) {
        this.symbols = List.copyOf(symbols);
    }

    @EventListener(condition = "#event.connectionName == 'default'")
    void subscribe(WebSocketConnectedEvent event) {
        event.getClient().send(new Subscribe("subscribe", this.symbols));
        logger.info("Subscribed to " + String.join(", ", this.symbols)
                + (event.isReconnect() ? " again after reconnect" : ""));
    }

    @WebSocketListener
    void onPrice(Price price) {
        this.latest.put(price.symbol(), price);
        this.received.incrementAndGet();
    }

    /** The latest price of each symbol, by symbol. */
    public Map<String, Price> getLatest() {
        return new TreeMap<>(this.latest);
    }

    /** The number of prices received. */
    public long getReceivedCount() {
        return this.received.get();
    }

    /** The subscribe request the feed expects. */
    record Subscribe(String op, List<String> symbols) {
    }

}
