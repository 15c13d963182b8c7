package io.github.reconnectingws.sample.feed;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.server.HandshakeInterceptor;

/**
 * The feed server the sample's clients connect to, hosted in the same application:
 * {@code /feed/prices} (a price ticker) and {@code /feed/echo}. Clients reach it through
 * the {@link FeedRelay} on {@code sample.feed.port}, so that the fault switches can
 * break the network as well as the server.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
class FeedServerConfiguration implements WebSocketConfigurer {

    private static final Log logger = LogFactory.getLog(FeedServerConfiguration.class);

    private final FeedFaults faults;

    private final PriceFeedHandler prices;

    FeedServerConfiguration(FeedFaults faults, JsonMapper jsonMapper) {
        this.faults = faults;
        this.prices = new PriceFeedHandler(faults, jsonMapper);
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        HandshakeInterceptor guard = new FaultSwitchHandshakeInterceptor(this.faults);
        registry.addHandler(this.prices, "/feed/prices").addInterceptors(guard);
        registry.addHandler(new EchoHandler(this.faults), "/feed/echo").addInterceptors(guard);
    }

    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService feedTicker(@Value("${sample.feed.tick-interval:200ms}") Duration interval) {
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor((task) -> {
            Thread thread = new Thread(task, "feed-ticker");
            thread.setDaemon(true);
            return thread;
        });
        Runnable tick = () -> {
            try {
                this.prices.tick();
            }
            catch (RuntimeException ex) {
                // an exception would cancel the schedule: the ticker must outlive any one tick
                logger.warn("Price tick failed: " + ex);
            }
        };
        ticker.scheduleAtFixedRate(tick, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return ticker;
    }

    /** Answers handshakes with the status a fault switch asks for. */
    private record FaultSwitchHandshakeInterceptor(FeedFaults faults) implements HandshakeInterceptor {

        @Override
        public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response,
                WebSocketHandler wsHandler, Map<String, Object> attributes) {
            HttpStatus rejection = this.faults.handshakeRejection();
            if (rejection == null) {
                return true;
            }
            response.setStatusCode(rejection);
            return false;
        }

        @Override
        public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
                Exception exception) {
        }

    }

}
