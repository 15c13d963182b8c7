package io.github.reconnectingws.clusterapp;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import com.zaxxer.hikari.HikariDataSource;
import io.github.reconnectingws.WebSocketConnectedEvent;
import io.github.reconnectingws.autoconfigure.ReconnectingWebSocketAutoConfiguration;
import io.github.reconnectingws.autoconfigure.ReconnectingWebSocketClientCustomizer;
import io.github.reconnectingws.autoconfigure.ReconnectingWebSocketClusterAutoConfiguration;
import io.github.reconnectingws.testsupport.PostgresServer;

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

/**
 * One instance of a clustered application, run as a separate JVM by the failover tests:
 * clustered connections given on the command line, a cluster store given there too
 * ({@code instance.jdbc-url}: a pooled DataSource, so the store is in PostgreSQL;
 * {@code instance.redis-port}: a Redis connection, so it is in Redis), and a connect hook
 * that tells the server which instance connected. Closing its standard input stops it
 * gracefully; the tests kill it with SIGKILL otherwise.
 */
@Configuration(proxyBeanMethods = false)
@ImportAutoConfiguration({ ReconnectingWebSocketAutoConfiguration.class,
        ReconnectingWebSocketClusterAutoConfiguration.class, SslAutoConfiguration.class,
        PropertyPlaceholderAutoConfiguration.class })
public class ClusterInstanceApplication {

    @Bean
    @ConditionalOnProperty("instance.jdbc-url")
    HikariDataSource dataSource(Environment environment) {
        return PostgresServer.pool(environment.getRequiredProperty("instance.jdbc-url"));
    }

    @Bean(destroyMethod = "destroy")
    @ConditionalOnProperty("instance.redis-port")
    LettuceConnectionFactory redisConnectionFactory(Environment environment) {
        LettuceConnectionFactory factory = new LettuceConnectionFactory("127.0.0.1",
                environment.getRequiredProperty("instance.redis-port", Integer.class));
        factory.afterPropertiesSet();
        factory.start();
        return factory;
    }

    /** With {@code instance.received-file}: every delivered message's position, a line each, written at once. */
    @Bean
    @ConditionalOnProperty("instance.received-file")
    ReconnectingWebSocketClientCustomizer recordDeliveries(Environment environment) throws IOException {
        FileOutputStream out = new FileOutputStream(environment.getRequiredProperty("instance.received-file"), true);
        return (name, builder) -> builder.messageHandler((client, session, message) -> {
            String text = String.valueOf(message.getPayload());
            if (text.startsWith("{\"seq\":")) {
                String seq = text.substring(text.indexOf(':') + 1, text.indexOf(','));
                synchronized (out) {
                    // unbuffered: what was delivered is on disk even if the JVM is killed next
                    out.write((seq + "\n").getBytes(StandardCharsets.US_ASCII));
                }
            }
        });
    }

    @EventListener
    void announce(WebSocketConnectedEvent event) {
        event.getClient().send("instance:" + System.getProperty("instance.id"));
    }

    public static void main(String[] args) throws IOException {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(ClusterInstanceApplication.class)
            .web(WebApplicationType.NONE)
            .run(args);
        System.out.println("INSTANCE-STARTED");
        while (System.in.read() != -1) {
            // runs until its standard input is closed
        }
        context.close();
        System.exit(0);
    }

}
