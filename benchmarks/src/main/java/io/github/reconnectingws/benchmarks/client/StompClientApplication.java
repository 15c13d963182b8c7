package io.github.reconnectingws.benchmarks.client;

import java.util.function.Consumer;

import io.github.reconnectingws.WebSocketListener;

import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.stereotype.Component;

/**
 * The STOMP client side of ours as an application uses it: one stomp-enabled connection
 * ({@value #CONNECTION}) from the starter's properties and a
 * {@code @WebSocketListener(connection, destination)} method taking the body as
 * {@code String}. The harness plugs its callback in through {@link Listener#frames}.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(StompClientApplication.Listener.class)
public class StompClientApplication {

    /** The connection's name (its STOMP client bean is {@code benchStompClient}). */
    public static final String CONNECTION = "bench";

    /** The destination the listener subscribes to. */
    public static final String DESTINATION = "/topic/bench";

    public static ConfigurableApplicationContext start(String stompUrl, int maxMessageSize) {
        SpringApplication app = new SpringApplication(StompClientApplication.class);
        app.setWebApplicationType(WebApplicationType.NONE);
        app.setBannerMode(Banner.Mode.OFF);
        app.setLogStartupInfo(false);
        app.setRegisterShutdownHook(false);
        String prefix = "--reconnecting.websocket.connections." + CONNECTION + ".";
        return app.run(prefix + "url=" + stompUrl, prefix + "stomp.enabled=true", prefix + "stomp.login=guest",
                prefix + "stomp.passcode=guest", prefix + "stomp.host=127.0.0.1",
                "--reconnecting.websocket.max-text-message-size=" + maxMessageSize + "B",
                "--reconnecting.websocket.max-binary-message-size=" + maxMessageSize + "B",
                "--spring.jmx.enabled=false", "--logging.level.root=WARN",
                "--logging.level.io.github.reconnectingws=WARN");
    }

    @Component
    public static class Listener {

        public static volatile Consumer<String> frames = (text) -> {
        };

        @WebSocketListener(connection = CONNECTION, destination = DESTINATION)
        void onFrame(String body) {
            frames.accept(body);
        }

    }

}
