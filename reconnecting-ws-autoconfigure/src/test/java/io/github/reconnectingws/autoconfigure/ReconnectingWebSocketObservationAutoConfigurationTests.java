package io.github.reconnectingws.autoconfigure;

import java.time.Duration;

import io.github.reconnectingws.ReconnectingWebSocketClient;
import io.github.reconnectingws.WebSocketListener;
import io.github.reconnectingws.listener.ListenerInvocationWrapper;
import io.github.reconnectingws.test.MockWebSocketServer;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Observations of connect attempts and listener invocations with the context's
 * {@link ObservationRegistry}, and the property that switches them off.
 */
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
    void aPropertySwitchesObservationsOff() {
        this.runner.withBean(ObservationRegistry.class, TestObservationRegistry::create)
            .withPropertyValues("reconnecting.websocket.observations.enabled=false")
            .run((context) -> assertThat(context).doesNotHaveBean(ListenerInvocationWrapper.class));
    }

    @Test
    void withoutAnObservationRegistryNothingIsObserved() {
        this.runner.run((context) -> assertThat(context).doesNotHaveBean(ListenerInvocationWrapper.class));
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
