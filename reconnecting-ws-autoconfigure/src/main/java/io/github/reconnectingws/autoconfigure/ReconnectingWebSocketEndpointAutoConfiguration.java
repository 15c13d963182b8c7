package io.github.reconnectingws.autoconfigure;

import io.github.reconnectingws.ReconnectingWebSocketClientRegistry;
import io.github.reconnectingws.actuate.ReconnectingWebSocketClientsEndpoint;
import io.github.reconnectingws.cluster.ConnectionRoles;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The {@code websocketclients} actuator endpoint, when the actuator is on the classpath
 * and the endpoint is available (its access is not {@code none}, its default, and it is
 * exposed).
 */
@AutoConfiguration(afterName = "io.github.reconnectingws.autoconfigure.ReconnectingWebSocketAutoConfiguration")
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnBean(ReconnectingWebSocketClientRegistry.class)
public final class ReconnectingWebSocketEndpointAutoConfiguration {

    /**
     * The endpoint. The availability condition sits here rather than on the class: on
     * the class it would be evaluated (and fail to load) without the actuator.
     * @param clients the clients
     * @return the endpoint
     */
    @Bean
    @ConditionalOnAvailableEndpoint
    @ConditionalOnMissingBean
    ReconnectingWebSocketClientsEndpoint reconnectingWebSocketClientsEndpoint(
            ReconnectingWebSocketClientRegistry clients, ObjectProvider<ConnectionRoles> roles) {
        return new ReconnectingWebSocketClientsEndpoint(clients, roles.getIfAvailable());
    }

}
