package io.github.reconnectingws.it;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.reconnectingws.ReconnectingWebSocketClient;
import io.github.reconnectingws.WebSocketConnectedEvent;
import io.github.reconnectingws.autoconfigure.ReconnectingWebSocketAutoConfiguration;
import io.github.reconnectingws.test.MockWebSocketServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.event.EventListener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * With {@code spring.threads.virtual.enabled} on Java 21+, application callbacks (here a
 * {@link WebSocketConnectedEvent} listener) run on virtual threads; without, on the
 * callback pool's platform threads. The first test is skipped, saying so, on Java 17.
 */
class VirtualThreadsIntegrationTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final MockWebSocketServer server = MockWebSocketServer.create().start();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ReconnectingWebSocketAutoConfiguration.class,
                SslAutoConfiguration.class, PropertyPlaceholderAutoConfiguration.class))
        .withPropertyValues("reconnecting.websocket.url=" + this.server.uri())
        .withBean(HookThreads.class);

    @AfterEach
    void stopServer() {
        this.server.close();
    }

    @Test
    void callbacksRunOnVirtualThreadsWhenEnabled() {
        assumeThat(Runtime.version().feature()).as("virtual threads need Java 21 or later").isGreaterThanOrEqualTo(21);
        this.runner.withPropertyValues("spring.threads.virtual.enabled=true").run((context) -> {
            HookThreads hooks = context.getBean(HookThreads.class);
            await().atMost(TIMEOUT).until(() -> !hooks.virtual.isEmpty());
            assertThat(hooks.virtual).containsOnly(true);
            ReconnectingWebSocketClient client = context.getBean(ReconnectingWebSocketClient.class);
            client.send("still writing").get();
        });
    }

    @Test
    void callbacksRunOnPlatformThreadsByDefault() {
        this.runner.run((context) -> {
            HookThreads hooks = context.getBean(HookThreads.class);
            await().atMost(TIMEOUT).until(() -> !hooks.virtual.isEmpty());
            assertThat(hooks.virtual).containsOnly(false);
            assertThat(hooks.names).allMatch((name) -> name.startsWith("rws-callback-"));
        });
    }

    static class HookThreads {

        final List<Boolean> virtual = new CopyOnWriteArrayList<>();

        final List<String> names = new CopyOnWriteArrayList<>();

        @EventListener
        void onConnected(WebSocketConnectedEvent event) throws Exception {
            Thread thread = Thread.currentThread();
            // Thread.isVirtual() exists from Java 21; the build targets 17
            boolean isVirtual = Runtime.version().feature() >= 21
                    && (boolean) Thread.class.getMethod("isVirtual").invoke(thread);
            this.virtual.add(isVirtual);
            this.names.add(thread.getName());
        }

    }

}
