package io.github.reconnectingws.sample;

import com.zaxxer.hikari.HikariDataSource;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;

/**
 * A runnable application that hosts its own WebSocket feed ({@code /feed/prices},
 * {@code /feed/echo}) and consumes it through reconnecting clients, with a live status
 * page at {@code /} and fault switches to break the feed.
 * <p>
 * Run it from the repository root with {@code ./mvnw -pl sample-app -am spring-boot:run}.
 */
@SpringBootApplication
public class SampleApplication {

    private static final Log logger = LogFactory.getLog(SampleApplication.class);

    public static void main(String[] args) {
        SpringApplication.run(SampleApplication.class, args);
    }

    /**
     * The database of the {@code cluster} profile: PostgreSQL at
     * {@code sample.cluster.jdbc-url}, in which the starter keeps the cluster store. A
     * connection pool, as the store runs a statement every few seconds per instance.
     * @param url the JDBC URL
     * @return the data source
     */
    @Bean
    @ConditionalOnProperty("sample.cluster.jdbc-url")
    HikariDataSource clusterStore(@Value("${sample.cluster.jdbc-url}") String url,
            @Value("${sample.cluster.username:postgres}") String username,
            @Value("${sample.cluster.password:}") String password) {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setPoolName("cluster-store");
        dataSource.setJdbcUrl(url);
        dataSource.setUsername(username);
        dataSource.setPassword(password);
        dataSource.setMaximumPoolSize(4);
        return dataSource;
    }

    @EventListener
    void ready(ApplicationReadyEvent event) {
        Environment environment = event.getApplicationContext().getEnvironment();
        logger.info("Status page: http://" + environment.getProperty("server.address", "127.0.0.1") + ":"
                + environment.getProperty("local.server.port") + "/  (feed relay on port "
                + environment.getProperty("sample.feed.port") + ")");
    }

}
