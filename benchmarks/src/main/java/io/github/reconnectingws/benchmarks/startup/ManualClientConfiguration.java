package io.github.reconnectingws.benchmarks.startup;

import io.github.reconnectingws.ReconnectingWebSocketClient;
import io.github.reconnectingws.connection.ReconnectingWebSocketClientBuilder;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Until the starter's auto-configuration exists: the one connection it would create,
 * declared by hand and started with the context.
 */
@Configuration(proxyBeanMethods = false)
class ManualClientConfiguration {

    @Bean(destroyMethod = "close")
    ReconnectingWebSocketClient reconnectingWebSocketClient() {
        ReconnectingWebSocketClient client = ReconnectingWebSocketClientBuilder.forUrl(System.getProperty("bench.url"))
            .build();
        client.start();
        return client;
    }

}
