package io.github.reconnectingws.listener;

import java.nio.ByteBuffer;
import java.util.List;

import io.github.reconnectingws.ReconnectingWebSocketClient;
import io.github.reconnectingws.WebSocketListener;
import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.ReflectionHintsPredicates;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.aot.test.generate.TestGenerationContext;
import org.springframework.beans.factory.aot.AotServices;
import org.springframework.beans.factory.aot.BeanRegistrationAotProcessor;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.messaging.Message;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The runtime hints registered for {@code @WebSocketListener} beans when a context is
 * processed ahead of time.
 */
class WebSocketListenerRuntimeHintsTests {

    private final ReflectionHintsPredicates reflection = RuntimeHintsPredicates.reflection();

    @Test
    void processorIsRegisteredInAotFactories() {
        assertThat(AotServices.factories().load(BeanRegistrationAotProcessor.class))
            .hasAtLeastOneElementOfType(WebSocketListenerBeanRegistrationAotProcessor.class);
    }

    @Test
    void listenerMethodsAreRegisteredForInvocation() {
        RuntimeHints hints = processAheadOfTime(Listeners.class);
        for (String method : List.of("onQuote", "onText", "onRequest", "onOrder", "onEnvelope", "onBytes")) {
            assertThat(this.reflection.onMethodInvocation(Listeners.class, method)).as(method).accepts(hints);
        }
        assertThat(this.reflection.onMethodInvocation(Listeners.class, "notAListener")).rejects(hints);
    }

    @Test
    void pojoPayloadsAndRepliesGetBindingHints() {
        RuntimeHints hints = processAheadOfTime(Listeners.class);
        // a POJO payload of WebSocket messages: constructor and accessors for JSON binding
        assertThat(this.reflection.onType(Quote.class)).accepts(hints);
        assertThat(this.reflection.onMethodInvocation(Quote.class, "symbol")).accepts(hints);
        assertThat(this.reflection.onConstructorInvocation(Quote.class.getDeclaredConstructors()[0])).accepts(hints);
        // a request and the POJO reply sent back as JSON
        assertThat(this.reflection.onMethodInvocation(Request.class, "id")).accepts(hints);
        assertThat(this.reflection.onMethodInvocation(Reply.class, "answer")).accepts(hints);
        // a STOMP payload, and the payload of a Message<T>
        assertThat(this.reflection.onMethodInvocation(Order.class, "quantity")).accepts(hints);
        assertThat(this.reflection.onMethodInvocation(Envelope.class, "body")).accepts(hints);
    }

    @Test
    void argumentsTheInfrastructureSuppliesGetNoHints() {
        RuntimeHints hints = processAheadOfTime(Listeners.class);
        assertThat(this.reflection.onType(Trace.class)).as("@Header argument").rejects(hints);
        assertThat(this.reflection.onType(StompHeaders.class)).rejects(hints);
        assertThat(this.reflection.onType(WebSocketSession.class)).rejects(hints);
        assertThat(this.reflection.onType(ReconnectingWebSocketClient.class)).rejects(hints);
        assertThat(this.reflection.onType(TextMessage.class)).rejects(hints);
        assertThat(this.reflection.onType(ByteBuffer.class)).rejects(hints);
        assertThat(this.reflection.onType(Message.class)).rejects(hints);
    }

    @Test
    void beanWithoutListenersGetsNoHints() {
        RuntimeHints hints = processAheadOfTime(NoListeners.class);
        assertThat(this.reflection.onMethodInvocation(NoListeners.class, "onQuote")).rejects(hints);
        assertThat(this.reflection.onType(Quote.class)).rejects(hints);
    }

    private static RuntimeHints processAheadOfTime(Class<?> beanClass) {
        GenericApplicationContext context = new GenericApplicationContext();
        context.registerBean(beanClass);
        TestGenerationContext generationContext = new TestGenerationContext();
        new ApplicationContextAotGenerator().processAheadOfTime(context, generationContext);
        return generationContext.getRuntimeHints();
    }

    record Quote(String symbol, double value) {
    }

    record Request(String id) {
    }

    record Reply(String answer) {
    }

    record Order(String item, int quantity) {
    }

    record Envelope(String body) {
    }

    record Trace(String id) {
    }

    static class Listeners {

        @WebSocketListener
        void onQuote(Quote quote, WebSocketSession session) {
        }

        @WebSocketListener
        void onText(String text, ReconnectingWebSocketClient client, TextMessage raw) {
        }

        @WebSocketListener
        Reply onRequest(Request request) {
            return new Reply(request.id());
        }

        @WebSocketListener(destination = "/topic/orders")
        void onOrder(Order order, StompHeaders headers, @Header("trace") Trace trace) {
        }

        @WebSocketListener
        void onEnvelope(Message<Envelope> message) {
        }

        @WebSocketListener
        void onBytes(ByteBuffer bytes) {
        }

        void notAListener(Quote quote) {
        }

    }

    static class NoListeners {

        void onQuote(Quote quote) {
        }

    }

}
