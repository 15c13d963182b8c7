package io.github.reconnectingws.benchmarks.client;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import javax.sql.DataSource;

import io.github.reconnectingws.WebSocketListener;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.context.support.GenericApplicationContext;
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
        return start(sinkUrl, echoUrl, maxMessageSize, List.of(), null);
    }

    /**
     * @param extraArgs more {@code --key=value} properties (e.g. resume settings)
     * @param dataSource registered as the application's DataSource bean, or {@code null}
     */
    public static ConfigurableApplicationContext start(String sinkUrl, String echoUrl, int maxMessageSize,
            List<String> extraArgs, @Nullable DataSource dataSource) {
        SpringApplication app = new SpringApplication(ListenerClientApplication.class);
        app.setWebApplicationType(WebApplicationType.NONE);
        app.setBannerMode(Banner.Mode.OFF);
        app.setLogStartupInfo(false);
        app.setRegisterShutdownHook(false);
        if (dataSource != null) {
            app.addInitializers((context) -> ((GenericApplicationContext) context).registerBean("dataSource",
                    DataSource.class, () -> dataSource));
        }
        List<String> args = new ArrayList<>(List.of("--reconnecting.websocket.url=" + sinkUrl,
                "--reconnecting.websocket.connections.echo.url=" + echoUrl,
                "--reconnecting.websocket.max-text-message-size=" + maxMessageSize + "B",
                "--reconnecting.websocket.max-binary-message-size=" + maxMessageSize + "B",
                "--spring.jmx.enabled=false", "--logging.level.root=WARN",
                "--logging.level.io.github.reconnectingws=WARN"));
        args.addAll(extraArgs);
        return app.run(args.toArray(String[]::new));
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
