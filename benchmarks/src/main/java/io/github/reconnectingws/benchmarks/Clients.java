package io.github.reconnectingws.benchmarks;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.reconnectingws.ReconnectingWebSocketClient;
import io.github.reconnectingws.connection.ReconnectingWebSocketClientBuilder;
import io.github.reconnectingws.connection.WebSocketClientResources;
import org.apache.tomcat.websocket.WsWebSocketContainer;

import org.springframework.core.task.support.TaskExecutorAdapter;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;

/**
 * The two clients under comparison, set up alike: the raw Spring
 * {@link StandardWebSocketClient} on one shared Tomcat container with a bounded connect
 * executor (what a careful user of the raw client does), and ours on one shared
 * {@link WebSocketClientResources}.
 */
public final class Clients {

    private Clients() {
    }

    /** A raw client pool: one container, {@code connectThreads} handshake threads. */
    public static final class Raw implements AutoCloseable {

        private final WsWebSocketContainer container = new WsWebSocketContainer();

        private final ExecutorService connectors;

        public final StandardWebSocketClient client;

        public Raw(int maxText, int maxBinary, int connectThreads) {
            this.container.setDefaultMaxTextMessageBufferSize(maxText);
            this.container.setDefaultMaxBinaryMessageBufferSize(maxBinary);
            AtomicInteger count = new AtomicInteger();
            this.connectors = Executors.newFixedThreadPool(connectThreads, (task) -> {
                Thread thread = new Thread(task, "raw-connect-" + count.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            });
            this.client = new StandardWebSocketClient(this.container);
            this.client.setTaskExecutor(new TaskExecutorAdapter(this.connectors));
        }

        @Override
        public void close() {
            this.container.destroy();
            this.connectors.shutdownNow();
        }

    }

    /** A builder for one of ours on shared resources. */
    public static ReconnectingWebSocketClientBuilder ours(String url, String name, WebSocketClientResources resources,
            int maxText, int maxBinary) {
        return ReconnectingWebSocketClientBuilder.forUrl(url)
            .name(name)
            .resources(resources)
            .maxMessageSizes(maxText, maxBinary);
    }

    public static void closeAll(Iterable<ReconnectingWebSocketClient> clients) {
        for (ReconnectingWebSocketClient client : clients) {
            client.stopAsync();
        }
        for (ReconnectingWebSocketClient client : clients) {
            client.close();
        }
    }

}
