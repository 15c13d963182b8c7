package io.github.reconnectingws.it;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.github.reconnectingws.ReconnectingWebSocketClient;
import io.github.reconnectingws.autoconfigure.ReactiveReconnectingWebSocketAutoConfiguration;
import io.github.reconnectingws.autoconfigure.ReconnectingWebSocketAutoConfiguration;
import io.github.reconnectingws.reactive.ReactiveReconnectingWebSocketClient;
import io.github.reconnectingws.test.MockWebSocketServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.Disposable;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.http.codec.autoconfigure.CodecsAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.reactor.netty.autoconfigure.NettyReactiveWebServerAutoConfiguration;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.webflux.autoconfigure.HttpHandlerAutoConfiguration;
import org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A WebFlux application on Netty streams a connection's messages to HTTP clients as
 * server-sent events, straight from {@code messages(String.class)}: the stream goes on
 * across a drop of the feed's connection.
 */
class ReactiveWebFluxIntegrationTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @RegisterExtension
    final MockWebSocketServer feed = MockWebSocketServer.create();

    @Test
    void aWebFluxApplicationOnNettyStreamsTheFeedAcrossADrop() {
        try (ConfigurableApplicationContext app = start()) {
            var server = ((WebServerApplicationContext) app).getWebServer();
            assertThat(server.getClass().getSimpleName()).startsWith("Netty");
            ReconnectingWebSocketClient client = app.getBean(ReconnectingWebSocketClient.class);
            List<String> events = new CopyOnWriteArrayList<>();
            Disposable subscription = streaming(app, events, new CountDownLatch(1));
            try {
                long reconnects = client.getReconnectCount();
                this.feed.dropAll();
                await().atMost(TIMEOUT).until(() -> client.isConnected() && client.getReconnectCount() > reconnects);
                await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(100)).until(() -> {
                    this.feed.sendToAll("p2");
                    return events.contains("p2");
                });
                assertThat(subscription.isDisposed()).as("the event stream did not end with the drop").isFalse();
            }
            finally {
                subscription.dispose();
            }
        }
    }

    @Test
    void closingTheApplicationEndsTheEventStreamsWithoutWaitingForTheShutdownTimeout() throws Exception {
        ConfigurableApplicationContext app = start();
        CountDownLatch ended = new CountDownLatch(1);
        Disposable subscription = streaming(app, new CopyOnWriteArrayList<>(), ended);
        try {
            long closing = System.nanoTime();
            app.close();
            long closeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closing);
            // graceful shutdown waits up to 30 s (Boot's timeout per shutdown phase) for a
            // response still streaming
            assertThat(closeMillis).as("closing with an event stream open").isLessThan(10_000);
            assertThat(ended.await(10, TimeUnit.SECONDS)).as("the HTTP client's stream ended").isTrue();
        }
        finally {
            subscription.dispose();
            app.close();
        }
    }

    private ConfigurableApplicationContext start() {
        ConfigurableApplicationContext app = new SpringApplicationBuilder(PricesApplication.class)
            .web(WebApplicationType.REACTIVE)
            .run("--server.port=0", "--server.address=127.0.0.1", "--reconnecting.websocket.url=" + this.feed.url(),
                    "--reconnecting.websocket.backoff.initial-interval=50ms", "--spring.main.banner-mode=off");
        await().atMost(TIMEOUT).until(app.getBean(ReconnectingWebSocketClient.class)::isConnected);
        return app;
    }

    /** An HTTP client streaming {@code /prices} into {@code events}, once its first event arrived. */
    private Disposable streaming(ConfigurableApplicationContext app, List<String> events, CountDownLatch ended) {
        int port = ((WebServerApplicationContext) app).getWebServer().getPort();
        Disposable subscription = WebClient.create("http://127.0.0.1:" + port)
            .get()
            .uri("/prices")
            .accept(MediaType.TEXT_EVENT_STREAM)
            .retrieve()
            .bodyToFlux(String.class)
            .subscribe(events::add, (error) -> ended.countDown(), ended::countDown);
        // hot: what the feed sends before the HTTP client is subscribed is not for it
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(100)).until(() -> {
            this.feed.sendToAll("p1");
            return events.contains("p1");
        });
        return subscription;
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({ NettyReactiveWebServerAutoConfiguration.class, HttpHandlerAutoConfiguration.class,
            WebFluxAutoConfiguration.class, CodecsAutoConfiguration.class, ReconnectingWebSocketAutoConfiguration.class,
            ReactiveReconnectingWebSocketAutoConfiguration.class, JacksonAutoConfiguration.class,
            SslAutoConfiguration.class, PropertyPlaceholderAutoConfiguration.class,
            LifecycleAutoConfiguration.class })
    static class PricesApplication {

        @Bean
        RouterFunction<ServerResponse> prices(ReactiveReconnectingWebSocketClient reactive) {
            return RouterFunctions.route()
                .GET("/prices", (request) -> ServerResponse.ok()
                    .contentType(MediaType.TEXT_EVENT_STREAM)
                    .body(reactive.messages(String.class), String.class))
                .build();
        }

    }

}
