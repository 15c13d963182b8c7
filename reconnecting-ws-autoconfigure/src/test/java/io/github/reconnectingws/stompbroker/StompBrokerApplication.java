package io.github.reconnectingws.stompbroker;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.MessageDeliveryException;
import org.springframework.messaging.simp.config.ChannelRegistration;
import org.springframework.messaging.simp.config.MessageBrokerRegistry;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.ChannelInterceptor;
import org.springframework.web.socket.config.annotation.EnableWebSocketMessageBroker;
import org.springframework.web.socket.config.annotation.StompEndpointRegistry;
import org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer;

/**
 * Spring's own STOMP broker (the simple broker) in an embedded server, for the STOMP
 * tests: endpoint {@code /ws}, destinations {@code /topic/**}; a CONNECT whose passcode
 * is not {@value #PASSCODE} is refused with an ERROR frame.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
@EnableWebSocketMessageBroker
public class StompBrokerApplication implements WebSocketMessageBrokerConfigurer {

    /** The passcode the broker accepts. */
    public static final String PASSCODE = "s3cret-pass";

    /** The sessions that sent CONNECT, for tests to count. */
    public static final Set<String> connectedSessions = ConcurrentHashMap.newKeySet();

    /**
     * Every SUBSCRIBE ({@code SUBSCRIBE <destination> <id>}) and UNSUBSCRIBE
     * ({@code UNSUBSCRIBE <id>}) frame, in order.
     */
    public static final java.util.List<String> subscriptionFrames = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** The {@code X-Token} header of every CONNECT frame. */
    public static final java.util.List<String> connectTokens = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public void registerStompEndpoints(StompEndpointRegistry registry) {
        registry.addEndpoint("/ws");
    }

    @Override
    public void configureMessageBroker(MessageBrokerRegistry registry) {
        registry.enableSimpleBroker("/topic");
    }

    @Override
    public void configureClientInboundChannel(ChannelRegistration registration) {
        // one thread: a session's frames are routed in the order they came (a SEND queued
        // during an outage follows the re-sent SUBSCRIBE), while a refused CONNECT still
        // becomes an ERROR frame (setPreserveReceiveOrder would lose the interceptor's failure)
        registration.taskExecutor().corePoolSize(1).maxPoolSize(1);
        registration.interceptors(new ChannelInterceptor() {
            @Override
            public Message<?> preSend(Message<?> message, MessageChannel channel) {
                StompHeaderAccessor accessor = StompHeaderAccessor.wrap(message);
                if (accessor.getCommand() == StompCommand.CONNECT) {
                    if (!PASSCODE.equals(accessor.getPasscode())) {
                        throw new MessageDeliveryException("Access refused: bad login or passcode");
                    }
                    connectedSessions.add(accessor.getSessionId());
                    connectTokens.add(String.valueOf(accessor.getFirstNativeHeader("X-Token")));
                }
                else if (accessor.getCommand() == StompCommand.SUBSCRIBE) {
                    subscriptionFrames.add("SUBSCRIBE " + accessor.getDestination() + " " + accessor.getSubscriptionId());
                }
                else if (accessor.getCommand() == StompCommand.UNSUBSCRIBE) {
                    subscriptionFrames.add("UNSUBSCRIBE " + accessor.getSubscriptionId());
                }
                return message;
            }
        });
    }

    /**
     * Start the broker on a port.
     * @param port the port, 0 for any
     * @return the running broker
     */
    public static ConfigurableApplicationContext start(int port) {
        return new SpringApplicationBuilder(StompBrokerApplication.class)
            .properties("server.address=127.0.0.1", "server.port=" + port, "spring.main.banner-mode=off",
                    "logging.level.root=warn")
            .run();
    }

}
