package io.github.reconnectingws.benchmarks.client;

import java.io.FileOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import io.github.reconnectingws.ReconnectingWebSocketClient;
import io.github.reconnectingws.ReconnectingWebSocketClientRegistry;
import io.github.reconnectingws.WebSocketConnectedEvent;
import io.github.reconnectingws.autoconfigure.ReconnectingWebSocketAutoConfiguration;
import io.github.reconnectingws.autoconfigure.ReconnectingWebSocketClientCustomizer;
import io.github.reconnectingws.autoconfigure.ReconnectingWebSocketClusterAutoConfiguration;
import io.github.reconnectingws.cluster.ClusterStore;
import io.github.reconnectingws.cluster.JdbcClusterStore;
import io.github.reconnectingws.cluster.RedisClusterStore;
import io.github.reconnectingws.cluster.ReconnectingWebSocketCluster;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/**
 * One instance of the cluster benchmark, in a JVM of its own: the connections and the
 * store given on the command line ({@code bench.jdbc-url} or {@code bench.redis-port}),
 * the store wrapped to count its operations (an application's own {@link ClusterStore}
 * bean), a connect hook that announces {@code instance:<id>}, and the tick messages it
 * delivers appended to {@code bench.received-file}. Prints
 * {@code STATUS held=<n> threads=<n> ops=<n>} every 200 ms; stops when its standard input
 * closes.
 */
@Configuration(proxyBeanMethods = false)
@ImportAutoConfiguration({ ReconnectingWebSocketAutoConfiguration.class,
        ReconnectingWebSocketClusterAutoConfiguration.class, SslAutoConfiguration.class,
        PropertyPlaceholderAutoConfiguration.class })
public class ClusterInstanceBenchApplication {

    static final AtomicLong operations = new AtomicLong();

    @Bean
    @ConditionalOnProperty("bench.jdbc-url")
    ClusterStore jdbcStore(Environment environment) throws Exception {
        DataSource dataSource = new SimpleDriverDataSource(new org.postgresql.Driver(),
                environment.getRequiredProperty("bench.jdbc-url"), "postgres", "");
        JdbcClusterStore store = new JdbcClusterStore(dataSource);
        store.createTables();
        return new CountingStore(store);
    }

    @Bean(destroyMethod = "destroy")
    @ConditionalOnProperty("bench.redis-port")
    LettuceConnectionFactory redisConnectionFactory(Environment environment) {
        LettuceConnectionFactory factory = new LettuceConnectionFactory("127.0.0.1",
                environment.getRequiredProperty("bench.redis-port", Integer.class));
        factory.afterPropertiesSet();
        factory.start();
        return factory;
    }

    @Bean
    @ConditionalOnProperty("bench.redis-port")
    ClusterStore redisStore(LettuceConnectionFactory redisConnectionFactory) {
        return new CountingStore(new RedisClusterStore(redisConnectionFactory, "bench:"));
    }

    @Bean
    @ConditionalOnProperty("bench.received-file")
    ReconnectingWebSocketClientCustomizer recordTicks(Environment environment) throws IOException {
        FileOutputStream out = new FileOutputStream(environment.getRequiredProperty("bench.received-file"), true);
        return (name, builder) -> builder.messageHandler((client, session, message) -> {
            String text = String.valueOf(message.getPayload());
            if (text.startsWith("{\"seq\":")) {
                synchronized (out) {
                    // unbuffered: on disk at once, whatever happens to the JVM next
                    out.write((name + " " + text + "\n").getBytes(StandardCharsets.US_ASCII));
                }
            }
        });
    }

    @EventListener
    void announce(WebSocketConnectedEvent event) {
        event.getClient().send("instance:" + System.getProperty("instance.id"));
    }

    public static void main(String[] args) throws Exception {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(ClusterInstanceBenchApplication.class)
            .web(WebApplicationType.NONE)
            .run(args);
        ObjectProvider<ReconnectingWebSocketCluster> cluster = context.getBeanProvider(ReconnectingWebSocketCluster.class);
        Thread status = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                ReconnectingWebSocketCluster members = cluster.getIfAvailable();
                long held = (members != null) ? members.connectionNames()
                    .stream()
                    .filter((name) -> "leader".equals(members.role(name)))
                    .count() : -1;
                long connected = context.getBean(ReconnectingWebSocketClientRegistry.class)
                    .getClients()
                    .values()
                    .stream()
                    .filter(ReconnectingWebSocketClient::isConnected)
                    .count();
                System.out.println("STATUS held=" + held + " connected=" + connected + " threads="
                        + ManagementFactory.getThreadMXBean().getThreadCount() + " ops=" + operations.get());
                try {
                    Thread.sleep(200);
                }
                catch (InterruptedException ex) {
                    return;
                }
            }
        }, "bench-status");
        status.setDaemon(true);
        status.start();
        System.out.println("INSTANCE-STARTED");
        while (System.in.read() != -1) {
            // until the harness closes standard input
        }
        context.close();
        System.exit(0);
    }

    /** Counts the operations that reach the store. */
    record CountingStore(ClusterStore store) implements ClusterStore {

        @Override
        public void register(String application, Collection<String> connections) {
            operations.incrementAndGet();
            this.store.register(application, connections);
        }

        @Override
        public View checkIn(String application, String member, Duration ttl) {
            operations.incrementAndGet();
            return this.store.checkIn(application, member, ttl);
        }

        @Override
        public Map<String, Long> claim(String application, String member, Map<String, Long> epochs) {
            operations.incrementAndGet();
            return this.store.claim(application, member, epochs);
        }

        @Override
        public void release(String application, String member, Collection<String> connections) {
            operations.incrementAndGet();
            this.store.release(application, member, connections);
        }

        @Override
        public void leave(String application, String member) {
            operations.incrementAndGet();
            this.store.leave(application, member);
        }

    }

}
