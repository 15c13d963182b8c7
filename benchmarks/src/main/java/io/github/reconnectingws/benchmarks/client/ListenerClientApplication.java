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
 * The client side of ours as an application uses it: the starter's auto-configuration
 * with a default connection ({@code /sink}) and a named one ({@code echo}), and
 * {@code @WebSocketListener(String)} methods. The harness plugs its callbacks in through
 * {@link Listeners#sink} and {@link Listeners#echo}.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(ListenerClientApplication.Listeners.class)
public class ListenerClientApplication {

    public static ConfigurableApplicationContext start(String sinkUrl, String echoUrl, int maxMessageSize) {
        SpringApplication app = new SpringApplication(ListenerClientApplication.class);
        app.setWebApplicationType(WebApplicationType.NONE);
        app.setBannerMode(Banner.Mode.OFF);
        app.setLogStartupInfo(false);
        app.setRegisterShutdownHook(false);
        return app.run("--reconnecting.websocket.url=" + sinkUrl,
                "--reconnecting.websocket.connections.echo.url=" + echoUrl,
                "--reconnecting.websocket.max-text-message-size=" + maxMessageSize + "B",
                "--reconnecting.websocket.max-binary-message-size=" + maxMessageSize + "B",
                "--spring.jmx.enabled=false", "--logging.level.root=WARN",
                "--logging.level.io.github.reconnectingws=WARN");
    }

    @Component
    public static class Listeners {

        public static volatile Consumer<String> sink = (text) -> {
        };

        public static volatile Runnable echo = () -> {
        };

        @WebSocketListener
        void onSink(String text) {
            sink.accept(text);
        }

        @WebSocketListener(connection = "echo")
        void onEcho(String text) {
            echo.run();
        }

    }

}
