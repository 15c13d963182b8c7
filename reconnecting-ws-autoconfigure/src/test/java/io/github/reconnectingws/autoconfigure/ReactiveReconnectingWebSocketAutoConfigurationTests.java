package io.github.reconnectingws.autoconfigure;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.github.reconnectingws.ConnectionState;
import io.github.reconnectingws.ReconnectingWebSocketClient;
import io.github.reconnectingws.metrics.ReconnectingWebSocketClientMetrics;
import io.github.reconnectingws.reactive.ReactiveOverflow;
import io.github.reconnectingws.reactive.ReactiveReconnectingStompClient;
import io.github.reconnectingws.reactive.ReactiveReconnectingWebSocketClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.SmartLifecycle;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Conditions, beans and properties of {@link ReactiveReconnectingWebSocketAutoConfiguration}.
 */
class ReactiveReconnectingWebSocketAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ReconnectingWebSocketAutoConfiguration.class,
                ReactiveReconnectingWebSocketAutoConfiguration.class, JacksonAutoConfiguration.class))
        .withPropertyValues("reconnecting.websocket.auto-startup=false");

    @Test
    void oneReactiveClientPerConnectionByTheNamesOfTheClients() {
        this.runner
            .withPropertyValues("reconnecting.websocket.url=ws://localhost:1/a",
                    "reconnecting.websocket.connections.prices.url=ws://localhost:2/b",
                    "reconnecting.websocket.connections.orders-eu.url=ws://localhost:3/c")
            .run((context) -> {
                assertThat(context.getBeansOfType(ReactiveReconnectingWebSocketClient.class)).containsOnlyKeys(
                        "reactiveReconnectingWebSocketClient", "pricesReactiveReconnectingWebSocketClient",
                        "orders-euReactiveReconnectingWebSocketClient");
                assertThat(context.getBean(ReactiveReconnectingWebSocketClient.class).getClient())
                    .as("the default connection's is primary")
                    .isSameAs(context.getBean(ReconnectingWebSocketClient.class));
                assertThat(context.getBean("pricesReactiveReconnectingWebSocketClient",
                        ReactiveReconnectingWebSocketClient.class).getClient())
                    .isSameAs(context.getBean("pricesReconnectingWebSocketClient"));
                assertThat(context).doesNotHaveBean(ReactiveReconnectingStompClient.class);
            });
    }

    @Test
    void stompConnectionsGetAReactiveStompClient() {
        this.runner
            .withPropertyValues("reconnecting.websocket.url=ws://localhost:1/a",
                    "reconnecting.websocket.stomp.enabled=true",
                    "reconnecting.websocket.connections.rabbit.url=ws://localhost:2/ws",
                    "reconnecting.websocket.connections.plain.url=ws://localhost:3/ws",
                    "reconnecting.websocket.connections.plain.stomp.enabled=false")
            .run((context) -> {
                assertThat(context.getBeansOfType(ReactiveReconnectingStompClient.class))
                    .containsOnlyKeys("reactiveReconnectingStompClient", "rabbitReactiveStompClient");
                assertThat(context.getBean("rabbitReactiveStompClient", ReactiveReconnectingStompClient.class)
                    .getStompClient()).isSameAs(context.getBean("rabbitStompClient"));
            });
    }

    @Test
    void inAReactiveAndInAServletWebApplicationContextToo() {
        new ReactiveWebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ReconnectingWebSocketAutoConfiguration.class,
                    ReactiveReconnectingWebSocketAutoConfiguration.class, JacksonAutoConfiguration.class))
            .withPropertyValues("reconnecting.websocket.auto-startup=false", "reconnecting.websocket.url=ws://localhost:1/a")
            .run((context) -> assertThat(context).hasSingleBean(ReactiveReconnectingWebSocketClient.class));
        new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ReconnectingWebSocketAutoConfiguration.class,
                    ReactiveReconnectingWebSocketAutoConfiguration.class, JacksonAutoConfiguration.class))
            .withPropertyValues("reconnecting.websocket.auto-startup=false", "reconnecting.websocket.url=ws://localhost:1/a")
            .run((context) -> assertThat(context).hasSingleBean(ReactiveReconnectingWebSocketClient.class));
    }

    @Test
    void withoutReactorThereIsNoReactiveClient() {
        this.runner.withPropertyValues("reconnecting.websocket.url=ws://localhost:1/a")
            .withClassLoader(new FilteredClassLoader(Flux.class))
            .run((context) -> {
                assertThat(context).hasNotFailed();
                assertThat(context).hasSingleBean(ReconnectingWebSocketClient.class);
                assertThat(context).doesNotHaveBean("reactiveReconnectingWebSocketClient");
                assertThat(context).doesNotHaveBean(ReactiveReconnectingWebSocketAutoConfiguration.class);
            });
    }

    @Test
    void withoutConnectionsOrWhenDisabledThereIsNone() {
        this.runner.run((context) -> assertThat(context).doesNotHaveBean(ReactiveReconnectingWebSocketClient.class));
        this.runner
            .withPropertyValues("reconnecting.websocket.url=ws://localhost:1/a", "reconnecting.websocket.enabled=false")
            .run((context) -> {
                assertThat(context).hasNotFailed();
                assertThat(context).doesNotHaveBean(ReactiveReconnectingWebSocketClient.class);
            });
    }

    @Test
    void backsOffFromTheApplicationsOwnReactiveClient() {
        this.runner.withPropertyValues("reconnecting.websocket.url=ws://localhost:1/a")
            .withBean("myReactiveClient", ReactiveReconnectingWebSocketClient.class,
                    () -> ReactiveReconnectingWebSocketClient
                        .builder(io.github.reconnectingws.connection.ReconnectingWebSocketClientBuilder
                            .forUrl("ws://localhost:9/mine")
                            .build())
                        .build())
            .run((context) -> {
                assertThat(context).hasSingleBean(ReactiveReconnectingWebSocketClient.class);
                assertThat(context.getBean(ReactiveReconnectingWebSocketClient.class).getClient().getUrl())
                    .isEqualTo("ws://localhost:9/mine");
            });
    }

    @Test
    void namedConnectionsInheritTheReactiveSettingsAndMayOverrideThem() {
        this.runner
            .withPropertyValues("reconnecting.websocket.url=ws://localhost:1/a",
                    "reconnecting.websocket.reactive.buffer-size=32", "reconnecting.websocket.reactive.overflow=error",
                    "reconnecting.websocket.connections.prices.url=ws://localhost:2/b",
                    "reconnecting.websocket.connections.orders.url=ws://localhost:3/c",
                    "reconnecting.websocket.connections.orders.reactive.overflow=drop-latest")
            .run((context) -> {
                ConnectionDefinitions connections = context.getBean(ConnectionDefinitions.class);
                assertThat(connections.get("prices").getReactive().getBufferSize()).isEqualTo(32);
                assertThat(connections.get("prices").getReactive().getOverflow()).isEqualTo(ReactiveOverflow.ERROR);
                assertThat(connections.get("orders").getReactive().getBufferSize()).isEqualTo(32);
                assertThat(connections.get("orders").getReactive().getOverflow())
                    .isEqualTo(ReactiveOverflow.DROP_LATEST);
            });
    }

    @Test
    void defaultsAreThoseOfThePlainBuilder() {
        ConnectionProperties.Reactive defaults = new ConnectionProperties().getReactive();
        assertThat(defaults.getBufferSize()).isEqualTo(1024);
        assertThat(defaults.getOverflow()).isEqualTo(ReactiveOverflow.DROP_OLDEST);
        assertThat(ReactiveReconnectingWebSocketClient.builder(
                io.github.reconnectingws.connection.ReconnectingWebSocketClientBuilder.forUrl("ws://localhost:9/x")
                    .build()))
            .hasFieldOrPropertyWithValue("bufferSize", defaults.getBufferSize())
            .hasFieldOrPropertyWithValue("overflow", defaults.getOverflow());
    }

    @Test
    void aBufferSizeThatIsNotPositiveFailsStartupNamingTheProperty() {
        this.runner
            .withPropertyValues("reconnecting.websocket.url=ws://localhost:1/a",
                    "reconnecting.websocket.connections.prices.url=ws://localhost:2/b",
                    "reconnecting.websocket.connections.prices.reactive.buffer-size=0")
            .run((context) -> assertThat(context).getFailure()
                .rootCause()
                .isInstanceOf(InvalidConnectionPropertyException.class)
                .hasMessageContaining("reconnecting.websocket.connections.prices.reactive.buffer-size"));
    }

    @Test
    void countsWhatSubscribersLosePerConnection() {
        this.runner.withPropertyValues("reconnecting.websocket.url=ws://localhost:1/a")
            .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
            .run((context) -> {
                MeterRegistry meters = context.getBean(MeterRegistry.class);
                assertThat(meters.get(ReconnectingWebSocketClientMetrics.REACTIVE_DROPPED)
                    .tag(ReconnectingWebSocketClientMetrics.CONNECTION_TAG, "default")
                    .functionCounter()
                    .count()).isZero();
            });
        MeterRegistry meters = new SimpleMeterRegistry();
        this.runner.withPropertyValues("reconnecting.websocket.url=ws://localhost:1/a")
            .withBean(MeterRegistry.class, () -> meters)
            .run((context) -> assertThat(meters.find(ReconnectingWebSocketClientMetrics.REACTIVE_DROPPED).meters())
                .hasSize(1));
        assertThat(meters.find(ReconnectingWebSocketClientMetrics.REACTIVE_DROPPED).meters())
            .as("removed when the context closes")
            .isEmpty();
    }

    @Test
    void withoutMicrometerTheReactiveClientsAreThereUncounted() {
        this.runner.withPropertyValues("reconnecting.websocket.url=ws://localhost:1/a")
            .withClassLoader(new FilteredClassLoader(MeterRegistry.class))
            .run((context) -> {
                assertThat(context).hasNotFailed();
                assertThat(context).hasSingleBean(ReactiveReconnectingWebSocketClient.class);
            });
    }

    @Test
    void theStreamsCompleteWhenTheContextCloses() {
        StepVerifier[] states = new StepVerifier[1];
        this.runner.withPropertyValues("reconnecting.websocket.url=ws://localhost:1/a")
            .run((context) -> states[0] = StepVerifier
                .create(context.getBean(ReactiveReconnectingWebSocketClient.class).states())
                .expectNext(ConnectionState.NEW)
                .expectComplete()
                .verifyLater());
        states[0].verify(java.time.Duration.ofSeconds(10));
    }

    @Test
    void theStreamsCompleteBeforeTheLifecycleStopsSoAWebServerDoesNotWaitForThem() {
        CountDownLatch completed = new CountDownLatch(1);
        AtomicReference<Boolean> completedWhileTheWebServerStopped = new AtomicReference<>();
        // stops where a web server's graceful shutdown does, which waits (30 s by default)
        // for responses that stream these (server-sent events) until they complete
        SmartLifecycle webServer = new SmartLifecycle() {

            private volatile boolean running;

            @Override
            public void start() {
                this.running = true;
            }

            @Override
            public void stop() {
                try {
                    completedWhileTheWebServerStopped.set(completed.await(5, TimeUnit.SECONDS));
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
                this.running = false;
            }

            @Override
            public boolean isRunning() {
                return this.running;
            }

            @Override
            public int getPhase() {
                return SmartLifecycle.DEFAULT_PHASE - 1024;
            }

        };
        this.runner.withPropertyValues("reconnecting.websocket.url=ws://localhost:1/a")
            .withBean("webServerGracefulShutdown", SmartLifecycle.class, () -> webServer)
            .run((context) -> context.getBean(ReactiveReconnectingWebSocketClient.class)
                .messages(String.class)
                .subscribe(null, null, completed::countDown));
        assertThat(completedWhileTheWebServerStopped).hasValue(true);
    }

}
