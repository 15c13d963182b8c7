package io.github.reconnectingws.autoconfigure;

import io.github.reconnectingws.listener.ListenerInvocationWrapper;
import io.github.reconnectingws.observation.ReconnectingWebSocketObservations;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration}
 * for Micrometer observations of connect attempts and listener invocations, with the
 * context's {@link ObservationRegistry}; off with
 * {@code reconnecting.websocket.observations.enabled=false}.
 */
@AutoConfiguration(afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration",
        before = ReconnectingWebSocketAutoConfiguration.class)
@ConditionalOnClass(ObservationRegistry.class)
@ConditionalOnBean(ObservationRegistry.class)
@ConditionalOnBooleanProperty(name = "reconnecting.websocket.observations.enabled", matchIfMissing = true)
public final class ReconnectingWebSocketObservationAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ListenerInvocationWrapper reconnectingWebSocketListenerObservations(ObservationRegistry registry) {
        return ReconnectingWebSocketObservations.listenerInvocations(registry);
    }

    @Bean
    ReconnectingWebSocketClientCustomizer reconnectingWebSocketConnectObservations(ObservationRegistry registry) {
        return (name, builder) -> builder.observer(ReconnectingWebSocketObservations.connectAttempts(registry));
    }

}
