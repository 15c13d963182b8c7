package io.github.reconnectingws.sample.feed;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.simp.SimpMessagingTemplate;
import org.springframework.messaging.simp.config.MessageBrokerRegistry;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.config.annotation.EnableWebSocketMessageBroker;
import org.springframework.web.socket.config.annotation.StompEndpointRegistry;
import org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketTransportRegistration;
import org.springframework.web.socket.handler.WebSocketHandlerDecorator;

/**
 * A STOMP broker in the sample (Spring's simple broker) at {@code /feed/stomp}, behind the
 * same relay as the other feeds, with a news wire publishing a headline to
 * {@code /topic/news} every {@code sample.news.interval}. The sample's {@code news}
 * connection speaks STOMP to it; a drop switch shows its subscription restored.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSocketMessageBroker
class StompBrokerConfiguration implements WebSocketMessageBrokerConfigurer {

    private static final String[] HEADLINES = { "ACME beats estimates", "GLOBEX opens a new plant",
            "INITECH merges teams", "Markets steady", "Rates unchanged" };

    private final FeedFaults faults;

    StompBrokerConfiguration(FeedFaults faults) {
        this.faults = faults;
    }

    /** The broker's sessions are feed connections too: the drop switch closes them. */
    @Override
    public void configureWebSocketTransport(WebSocketTransportRegistration registration) {
        registration.addDecoratorFactory((handler) -> new WebSocketHandlerDecorator(handler) {

            @Override
            public void afterConnectionEstablished(WebSocketSession session) throws Exception {
                StompBrokerConfiguration.this.faults.opened(session);
                super.afterConnectionEstablished(session);
            }

            @Override
            public void afterConnectionClosed(WebSocketSession session, CloseStatus status) throws Exception {
                StompBrokerConfiguration.this.faults.closed(session);
                super.afterConnectionClosed(session, status);
            }

        });
    }

    @Override
    public void registerStompEndpoints(StompEndpointRegistry registry) {
        registry.addEndpoint("/feed/stomp");
        // a session's frames in the order they came: a SEND queued during an outage follows
        // the re-sent SUBSCRIBE, and must not be routed before it
        registry.setPreserveReceiveOrder(true);
    }

    @Override
    public void configureMessageBroker(MessageBrokerRegistry registry) {
        registry.enableSimpleBroker("/topic");
    }

    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService newsWire(SimpMessagingTemplate template,
            @Value("${sample.news.interval:1s}") Duration interval) {
        ScheduledExecutorService wire = Executors.newSingleThreadScheduledExecutor((task) -> {
            Thread thread = new Thread(task, "news-wire");
            thread.setDaemon(true);
            return thread;
        });
        AtomicLong seq = new AtomicLong();
        wire.scheduleAtFixedRate(() -> {
            long n = seq.incrementAndGet();
            try {
                template.convertAndSend("/topic/news", new News(n, HEADLINES[(int) (n % HEADLINES.length)]));
            }
            catch (RuntimeException ex) {
                // the broker is not up yet, or stopping
            }
        }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return wire;
    }

    /**
     * A headline.
     * @param seq its number
     * @param headline the text
     */
    record News(long seq, String headline) {
    }

}
