package io.github.reconnectingws.sample;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
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

    @EventListener
    void ready(ApplicationReadyEvent event) {
        Environment environment = event.getApplicationContext().getEnvironment();
        logger.info("Status page: http://" + environment.getProperty("server.address", "127.0.0.1") + ":"
                + environment.getProperty("local.server.port") + "/  (feed relay on port "
                + environment.getProperty("sample.feed.port") + ")");
    }

}
