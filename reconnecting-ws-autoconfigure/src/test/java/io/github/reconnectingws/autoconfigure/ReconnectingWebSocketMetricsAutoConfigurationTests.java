package io.github.reconnectingws.autoconfigure;

import io.github.reconnectingws.metrics.ReconnectingWebSocketRegistryMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.LazyInitializationBeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ReconnectingWebSocketMetricsAutoConfiguration}.
 */
class ReconnectingWebSocketMetricsAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ReconnectingWebSocketMetricsAutoConfiguration.class));

    @Test
    void bindsEveryConnectionToBootsMeterRegistry() {
        this.runner
            .withConfiguration(
                    AutoConfigurations.of(MetricsAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class))
            .withUserConfiguration(ObservabilityTestClients.TwoConnections.class)
            .run((context) -> {
                assertThat(context).hasSingleBean(ReconnectingWebSocketRegistryMetrics.class);
                MeterRegistry registry = context.getBean(MeterRegistry.class);
                assertThat(registry.get("reconnecting.websocket.state").tag("connection", "prices").gauge().value())
                    .isZero();
                assertThat(registry.get("reconnecting.websocket.state").tag("connection", "orders").gauge().value())
                    .isZero();
            });
    }

    @Test
    void bindsTheConfiguredConnections() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        this.runner.withConfiguration(AutoConfigurations.of(ReconnectingWebSocketAutoConfiguration.class))
            .withBean(MeterRegistry.class, () -> registry)
            .withPropertyValues("reconnecting.websocket.auto-startup=false",
                    "reconnecting.websocket.url=ws://127.0.0.1:9/feed",
                    "reconnecting.websocket.connections.prices.url=ws://127.0.0.1:9/prices")
            .run((context) -> assertThat(registry.get("reconnecting.websocket.connected").gauges())
                .extracting((gauge) -> gauge.getId().getTag("connection"))
                .containsExactlyInAnyOrder("default", "prices"));
        assertThat(registry.getMeters()).isEmpty();
    }

    @Test
    void bindsEvenWithLazyInitialization() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        this.runner.withBean(MeterRegistry.class, () -> registry)
            .withUserConfiguration(ObservabilityTestClients.OneConnection.class)
            .withPropertyValues("spring.main.lazy-initialization=true")
            .withInitializer((context) -> context.addBeanFactoryPostProcessor(
                    new LazyInitializationBeanFactoryPostProcessor()))
            .run((context) -> assertThat(registry.find("reconnecting.websocket.connected").gauge()).isNotNull());
    }

    @Test
    void removesTheMetersWhenTheContextCloses() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        this.runner.withBean(MeterRegistry.class, () -> registry)
            .withUserConfiguration(ObservabilityTestClients.OneConnection.class)
            .run((context) -> assertThat(registry.find("reconnecting.websocket.connected").tag("connection", "default")
                .gauge()).isNotNull());
        assertThat(registry.getMeters()).isEmpty();
    }

    @Test
    void backsOffWithoutAMeterRegistryBean() {
        this.runner.withUserConfiguration(ObservabilityTestClients.OneConnection.class)
            .run((context) -> assertThat(context).doesNotHaveBean(ReconnectingWebSocketRegistryMetrics.class));
    }

    @Test
    void backsOffWithoutMicrometer() {
        this.runner.withClassLoader(new FilteredClassLoader("io.micrometer.core"))
            .withUserConfiguration(ObservabilityTestClients.OneConnection.class)
            .run((context) -> assertThat(context).hasNotFailed()
                .doesNotHaveBean(ReconnectingWebSocketRegistryMetrics.class));
    }

    @Test
    void backsOffWithoutConnections() {
        this.runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
            .run((context) -> assertThat(context).doesNotHaveBean(ReconnectingWebSocketRegistryMetrics.class));
    }

}
