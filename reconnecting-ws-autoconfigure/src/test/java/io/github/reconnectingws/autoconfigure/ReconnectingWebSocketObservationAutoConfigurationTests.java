package io.github.reconnectingws.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.reconnectingws.ConnectionObserver;
import io.github.reconnectingws.ReconnectingWebSocketClient;
import io.github.reconnectingws.WebSocketListener;
import io.github.reconnectingws.listener.ListenerInvocationWrapper;
import io.github.reconnectingws.test.MockWebSocketServer;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.web.socket.WebSocketMessage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Observations of connect attempts and listener invocations with the context's
 * {@link ObservationRegistry}, and the property that switches them off.
 */
@ExtendWith(OutputCaptureExtension.class)
class ReconnectingWebSocketObservationAutoConfigurationTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final MockWebSocketServer server = MockWebSocketServer.create().start();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ReconnectingWebSocketObservationAutoConfiguration.class,
                ReconnectingWebSocketAutoConfiguration.class, SslAutoConfiguration.class,
                PropertyPlaceholderAutoConfiguration.class))
        .withPropertyValues("reconnecting.websocket.url=" + this.server.uri())
        .withBean(Listener.class);

    @AfterEach
    void stopServer() {
        this.server.close();
    }

    @Test
    void connectAttemptsAndListenerInvocationsAreObserved() {
        TestObservationRegistry registry = TestObservationRegistry.create();
        java.util.List<String> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
        registry.observationConfig().observationHandler(new io.micrometer.observation.ObservationHandler<>() {
            @Override
            public boolean supportsContext(io.micrometer.observation.Observation.Context context) {
                return true;
            }

            @Override
            public void onError(io.micrometer.observation.Observation.Context context) {
                errors.add(context.getName());
            }
        });
        this.runner.withBean(ObservationRegistry.class, () -> registry).run((context) -> {
            ReconnectingWebSocketClient client = context.getBean(ReconnectingWebSocketClient.class);
            await().atMost(TIMEOUT).until(client::isConnected);
            this.server.awaitConnections(1);
            this.server.sendToAll("hello");
            this.server.sendToAll("boom");
            await().atMost(TIMEOUT).until(() -> context.getBean(Listener.class).calls == 2);
            await().atMost(TIMEOUT).untilAsserted(() -> TestObservationRegistryAssert.assertThat(registry)
                .hasObservationWithNameEqualTo("reconnecting.websocket.connect")
                .that()
                .hasLowCardinalityKeyValue("connection", "default")
                .hasLowCardinalityKeyValue("outcome", "success")
                .hasBeenStopped());
            TestObservationRegistryAssert.assertThat(registry)
                .hasNumberOfObservationsWithNameEqualTo("reconnecting.websocket.listener", 2)
                .forAllObservationsWithNameEqualTo("reconnecting.websocket.listener",
                        (observation) -> observation.hasLowCardinalityKeyValue("listener",
                                "ReconnectingWebSocketObservationAutoConfigurationTests.Listener.onText")
                            .hasLowCardinalityKeyValue("connection", "default"));
            // the listener's exception is the observation's error
            assertThat(errors).containsExactly("reconnecting.websocket.listener");
        });
    }

    @Test
    void aPayloadThatDoesNotConvertReachesNeitherTheObservationNorTheObserversNorTheLog(CapturedOutput output) {
        String secret = "tok-7f3e9a2b51c4";
        TestObservationRegistry registry = TestObservationRegistry.create();
        List<Throwable> observed = new CopyOnWriteArrayList<>();
        registry.observationConfig().observationHandler(new ObservationHandler<>() {
            @Override
            public boolean supportsContext(Observation.Context context) {
                return true;
            }

            @Override
            public void onError(Observation.Context context) {
                observed.add(context.getError());
            }
        });
        List<Throwable> reported = new CopyOnWriteArrayList<>();
        ConnectionObserver observer = new ConnectionObserver() {
            @Override
            public void onListenerError(ReconnectingWebSocketClient client, WebSocketMessage<?> message,
                    Throwable error) {
                reported.add(error);
            }
        };
        this.runner.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class))
            .withBean(ObservationRegistry.class, () -> registry)
            .withBean(QuoteListener.class)
            .withBean(ReconnectingWebSocketClientCustomizer.class, () -> (name, builder) -> builder.observer(observer))
            .run((context) -> {
                ReconnectingWebSocketClient client = context.getBean(ReconnectingWebSocketClient.class);
                await().atMost(TIMEOUT).until(client::isConnected);
                this.server.awaitConnections(1);
                this.server.sendToAll("{\"symbol\":\"ACME\",\"price\":\"" + secret + "\"}");
                await().atMost(TIMEOUT).until(() -> !reported.isEmpty() && !observed.isEmpty());
                // the conversion failed, with its cause named
                assertThat(reported).singleElement()
                    .satisfies((error) -> assertThat(error).hasMessageContaining("could not take a text message of")
                        .hasMessageContaining("InvalidFormatException at ")
                        .hasMessageContaining("(wanted double)"));
                assertThat(observed).singleElement()
                    .satisfies((error) -> assertThat(error).hasMessageContaining("InvalidFormatException"));
                await().atMost(TIMEOUT).until(() -> output.getAll().contains("could not take a text message of"));
                List<String> texts = new ArrayList<>();
                reported.forEach((error) -> describe(error, texts));
                observed.forEach((error) -> describe(error, texts));
                texts.add(output.getAll());
                assertThat(texts).allSatisfy((text) -> assertThat(text).doesNotContain(secret));
            });
    }

    /** Every text of a failure: messages, stack traces, causes and suppressed ones. */
    private static void describe(Throwable failure, List<String> into) {
        java.io.StringWriter trace = new java.io.StringWriter();
        failure.printStackTrace(new java.io.PrintWriter(trace));
        into.add(trace.toString());
        for (Throwable current = failure; current != null; current = current.getCause()) {
            into.add(String.valueOf(current));
            for (Throwable suppressed : current.getSuppressed()) {
                describe(suppressed, into);
            }
        }
    }

    @Test
    void aPropertySwitchesObservationsOff() {
        this.runner.withBean(ObservationRegistry.class, TestObservationRegistry::create)
            .withPropertyValues("reconnecting.websocket.observations.enabled=false")
            .run((context) -> assertThat(context).doesNotHaveBean(ListenerInvocationWrapper.class));
    }

    @Test
    void withoutAnObservationRegistryNothingIsObserved() {
        this.runner.run((context) -> assertThat(context).doesNotHaveBean(ListenerInvocationWrapper.class));
    }

    record Quote(String symbol, double price) {
    }

    static class QuoteListener {

        @WebSocketListener
        void onQuote(Quote quote) {
        }

    }

    static class Listener {

        volatile int calls;

        @WebSocketListener
        void onText(String text) {
            this.calls++;
            if ("boom".equals(text)) {
                throw new IllegalStateException("boom");
            }
        }

    }

}
