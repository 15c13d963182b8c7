package io.github.reconnectingws.autoconfigure;

import io.github.reconnectingws.ReconnectingWebSocketClientRegistry;
import io.github.reconnectingws.metrics.ReconnectingWebSocketRegistryMetrics;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Lazy;

/**
 * Micrometer meters for every {@code ReconnectingWebSocketClient} of the
 * {@link ReconnectingWebSocketClientRegistry}, when Micrometer is on the classpath and a
 * {@link MeterRegistry} bean exists. Ordered after Spring Boot's metrics
 * auto-configurations (which create the registry) and the reconnecting-ws one (which
 * creates the clients).
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration",
        "io.github.reconnectingws.autoconfigure.ReconnectingWebSocketAutoConfiguration" })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({ MeterRegistry.class, ReconnectingWebSocketClientRegistry.class })
public final class ReconnectingWebSocketMetricsAutoConfiguration {

    /**
     * Binds the meters of every connection; they are removed when the context closes.
     * Eager even with {@code spring.main.lazy-initialization}, so that it counts from the start.
     * @param clients the clients
     * @param meterRegistry the meter registry
     * @return the binder
     */
    @Bean
    @Lazy(false)
    @ConditionalOnMissingBean
    ReconnectingWebSocketRegistryMetrics reconnectingWebSocketRegistryMetrics(
            ReconnectingWebSocketClientRegistry clients, MeterRegistry meterRegistry) {
        return new ReconnectingWebSocketRegistryMetrics(clients, meterRegistry);
    }

}
