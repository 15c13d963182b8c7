package io.github.reconnectingws.sample.feed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.Map;

import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Binds the {@link FeedRelay} before any bean exists, so that
 * {@code ${sample.feed.port}} in {@code reconnecting.websocket.url} resolves to the port
 * it really listens on (also when {@code sample.feed.port} is 0, as in tests), points it
 * at the web server once that has started, and closes it with the context. The relay is
 * the singleton bean {@code feedRelay}.
 */
public class FeedRelayInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    /** The port the relay listens on; 0 for a free one. */
    public static final String PORT_PROPERTY = "sample.feed.port";

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        ConfigurableEnvironment environment = context.getEnvironment();
        String address = environment.getProperty("server.address", "127.0.0.1");
        int port = environment.getProperty(PORT_PROPERTY, Integer.class, 0);
        FeedRelay relay;
        try {
            relay = new FeedRelay(InetAddress.getByName(address), port);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot listen on " + address + ":" + port + " (" + PORT_PROPERTY + ")",
                    ex);
        }
        environment.getPropertySources()
            .addFirst(new MapPropertySource("feedRelay", Map.of(PORT_PROPERTY, relay.getPort())));
        context.getBeanFactory().registerSingleton("feedRelay", relay);
        context.addApplicationListener((event) -> {
            if (event instanceof WebServerInitializedEvent initialized
                    && initialized.getApplicationContext() == context) {
                relay.setTargetPort(initialized.getWebServer().getPort());
            }
            else if (event instanceof ContextClosedEvent closed && closed.getApplicationContext() == context) {
                relay.close();
            }
        });
    }

}
