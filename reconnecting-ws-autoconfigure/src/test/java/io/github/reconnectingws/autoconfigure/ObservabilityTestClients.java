package io.github.reconnectingws.autoconfigure;

import java.util.List;

import io.github.reconnectingws.ReconnectingWebSocketClient;
import io.github.reconnectingws.ReconnectingWebSocketClientRegistry;
import io.github.reconnectingws.connection.ReconnectingWebSocketClientBuilder;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * User configurations for the observability auto-configuration tests: clients that are
 * built but never started (no server needed), and a registry of them.
 */
final class ObservabilityTestClients {

    private ObservabilityTestClients() {
    }

    static ReconnectingWebSocketClient client(String name) {
        return ReconnectingWebSocketClientBuilder.forUrl("ws://127.0.0.1:9/" + name).name(name).build();
    }

    @Configuration(proxyBeanMethods = false)
    static class OneConnection {

        @Bean
        ReconnectingWebSocketClient defaultClient() {
            return client("default");
        }

        @Bean
        ReconnectingWebSocketClientRegistry reconnectingWebSocketClientRegistry(ReconnectingWebSocketClient client) {
            return ReconnectingWebSocketClientRegistry.of(List.of(client));
        }

    }

    @Configuration(proxyBeanMethods = false)
    static class TwoConnections {

        @Bean
        ReconnectingWebSocketClient pricesClient() {
            return client("prices");
        }

        @Bean
        ReconnectingWebSocketClient ordersClient() {
            return client("orders");
        }

        @Bean
        ReconnectingWebSocketClientRegistry reconnectingWebSocketClientRegistry(
                ReconnectingWebSocketClient pricesClient, ReconnectingWebSocketClient ordersClient) {
            return ReconnectingWebSocketClientRegistry.of(List.of(pricesClient, ordersClient));
        }

    }

}
