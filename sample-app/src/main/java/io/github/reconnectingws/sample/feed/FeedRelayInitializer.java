package io.github.reconnectingws.sample.feed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.Map;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
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
 * the singleton bean {@code feedRelay}, closed when the context's singletons are destroyed.
 */
public class FeedRelayInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    /** The port the relay listens on; 0 for a free one. */
    public static final String PORT_PROPERTY = "sample.feed.port";

    private static final String BEAN_NAME = "feedRelay";

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
        ConfigurableListableBeanFactory beanFactory = context.getBeanFactory();
        beanFactory.registerSingleton(BEAN_NAME, relay);
        // closed with the singletons, after the clients have stopped (a ContextClosedEvent
        // listener would cut the clients' connections before they close them properly)
        if (beanFactory instanceof DefaultSingletonBeanRegistry registry) {
            registry.registerDisposableBean(BEAN_NAME, relay::close);
        }
        else {
            context.addApplicationListener((event) -> {
                if (event instanceof ContextClosedEvent closed && closed.getApplicationContext() == context) {
                    relay.close();
                }
            });
        }
        context.addApplicationListener((event) -> {
            if (event instanceof WebServerInitializedEvent initialized
                    && initialized.getApplicationContext() == context) {
                relay.setTargetPort(initialized.getWebServer().getPort());
            }
        });
    }

}
