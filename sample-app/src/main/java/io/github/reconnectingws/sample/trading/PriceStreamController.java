package io.github.reconnectingws.sample.trading;

import io.github.reconnectingws.reactive.ReactiveReconnectingWebSocketClient;
import reactor.core.publisher.Flux;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The price feed as server-sent events, straight from the default connection's reactive
 * stream: one event per price, for as long as the browser listens, across every drop and
 * reconnect of the feed (the stream outlives them; the board subscribes again).
 */
@RestController
class PriceStreamController {

    private final ReactiveReconnectingWebSocketClient prices;

    PriceStreamController(ReactiveReconnectingWebSocketClient prices) {
        this.prices = prices;
    }

    @GetMapping(path = "/api/prices/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Flux<Price> stream() {
        return this.prices.messages(Price.class);
    }

}
