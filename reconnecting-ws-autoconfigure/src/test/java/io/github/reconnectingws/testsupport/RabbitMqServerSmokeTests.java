package io.github.reconnectingws.testsupport;

import java.lang.reflect.Type;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.messaging.converter.StringMessageConverter;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompFrameHandler;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.simp.stomp.StompSession;
import org.springframework.messaging.simp.stomp.StompSessionHandlerAdapter;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.messaging.WebSocketStompClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Proves {@link RabbitMqServer} with Spring's {@link WebSocketStompClient}: a message sent
 * to a topic reaches a subscriber, the broker refuses connections while stopped, and after
 * a restart on the same port a new connection works again. Skipped (not failed) when
 * RabbitMQ is not installed.
 */
class RabbitMqServerSmokeTests {

    private static final String TOPIC = "/topic/smoke";

    private static final long WAIT_SECONDS = 15;

    @Test
    void stompOverWebSocketBeforeAndAfterRestart() throws Exception {
        try (RabbitMqServer rabbit = RabbitMqServer.start()) {
            System.out.printf("RabbitMQ started in %d ms: %s%n", rabbit.lastStartDuration().toMillis(), rabbit);
            ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
            scheduler.setThreadNamePrefix("rabbitmq-smoke-");
            scheduler.initialize();
            WebSocketStompClient client = new WebSocketStompClient(new StandardWebSocketClient());
            client.setMessageConverter(new StringMessageConverter());
            client.setTaskScheduler(scheduler); // for receipts
            client.setDefaultHeartbeat(new long[] { 0, 0 });
            try {
                roundTrip(client, rabbit, "before restart");

                rabbit.stop();
                assertThat(rabbit.isRunning()).isFalse();
                assertThatThrownBy(() -> connect(client, rabbit).get(WAIT_SECONDS, TimeUnit.SECONDS))
                        .as("connecting while the broker is stopped")
                        .isInstanceOf(ExecutionException.class);

                rabbit.restart();
                System.out.printf("RabbitMQ restarted in %d ms%n", rabbit.lastStartDuration().toMillis());
                roundTrip(client, rabbit, "after restart");
            }
            finally {
                client.stop();
                scheduler.shutdown();
            }
        }
    }

    private static void roundTrip(WebSocketStompClient client, RabbitMqServer rabbit, String payload)
            throws Exception {
        StompSession session = connect(client, rabbit).get(WAIT_SECONDS, TimeUnit.SECONDS);
        try {
            session.setAutoReceipt(true);
            CompletableFuture<String> received = new CompletableFuture<>();
            StompSession.Subscription subscription = session.subscribe(TOPIC, new StompFrameHandler() {

                @Override
                public Type getPayloadType(StompHeaders headers) {
                    return String.class;
                }

                @Override
                public void handleFrame(StompHeaders headers, Object body) {
                    received.complete((String) body);
                }

            });
            CompletableFuture<Void> subscribed = new CompletableFuture<>();
            subscription.addReceiptTask(() -> subscribed.complete(null));
            subscription.addReceiptLostTask(() -> subscribed.completeExceptionally(
                    new AssertionError("no RECEIPT for SUBSCRIBE " + TOPIC)));
            subscribed.get(WAIT_SECONDS, TimeUnit.SECONDS);

            session.send(TOPIC, payload);

            assertThat(received.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(payload);
        }
        finally {
            session.disconnect();
        }
    }

    private static CompletableFuture<StompSession> connect(WebSocketStompClient client, RabbitMqServer rabbit) {
        WebSocketHttpHeaders handshakeHeaders = new WebSocketHttpHeaders();
        handshakeHeaders.setSecWebSocketProtocol("v12.stomp");
        StompHeaders connectHeaders = new StompHeaders();
        connectHeaders.setLogin(rabbit.login());
        connectHeaders.setPasscode(rabbit.passcode());
        connectHeaders.setHost(rabbit.virtualHost());
        return client.connectAsync(rabbit.stompUri(), handshakeHeaders, connectHeaders,
                new StompSessionHandlerAdapter() {

                    @Override
                    public void handleException(StompSession session, StompCommand command, StompHeaders headers,
                            byte[] payload, Throwable exception) {
                        exception.printStackTrace();
                    }

                    @Override
                    public void handleTransportError(StompSession session, Throwable exception) {
                        System.out.println("STOMP transport error: " + exception);
                    }

                });
    }

}
