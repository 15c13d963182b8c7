package io.github.reconnectingws.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.reconnectingws.ReconnectingWebSocketClient;
import io.github.reconnectingws.ReconnectingWebSocketClientRegistry;
import io.github.reconnectingws.listener.InboundPayloads;
import io.github.reconnectingws.metrics.ReconnectingWebSocketClientMetrics;
import io.github.reconnectingws.reactive.ReactiveReconnectingStompClient;
import io.github.reconnectingws.reactive.ReactiveReconnectingWebSocketClient;
import io.github.reconnectingws.stomp.ReconnectingStompClient;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.RuntimeBeanReference;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.context.annotation.Lazy;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.converter.SimpleMessageConverter;

/**
 * Reactive streams over the configured connections, when Reactor is on the classpath: one
 * {@link ReactiveReconnectingWebSocketClient} per connection
 * ({@code reactiveReconnectingWebSocketClient}, primary, for the default connection,
 * {@code <name>ReactiveReconnectingWebSocketClient} for the others) and one
 * {@link ReactiveReconnectingStompClient} per STOMP connection
 * ({@code <name>ReactiveStompClient}, {@code reactiveReconnectingStompClient} for the
 * default one), with the connection's {@code reactive.*} settings and the listeners'
 * payload conversion. Their streams complete as soon as the context starts closing, before
 * any lifecycle stops (a web server's graceful shutdown among them). Backs off when the
 * application defines a {@link ReactiveReconnectingWebSocketClient} itself; a bean of one
 * of these names is left alone. With Micrometer, counts what subscribers lose
 * ({@value ReconnectingWebSocketClientMetrics#REACTIVE_DROPPED}).
 */
@AutoConfiguration(after = ReconnectingWebSocketAutoConfiguration.class, afterName = {
        "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration" })
@ConditionalOnClass({ Flux.class, MessageConverter.class })
@ConditionalOnBean(ReconnectingWebSocketClientRegistry.class)
@ConditionalOnMissingBean(ReactiveReconnectingWebSocketClient.class)
@Import(ReactiveReconnectingWebSocketAutoConfiguration.Registrar.class)
public final class ReactiveReconnectingWebSocketAutoConfiguration {

    /** The bean that builds the reactive clients. */
    static final String FACTORY_BEAN_NAME = "reactiveReconnectingWebSocketClientFactory";

    @Bean(FACTORY_BEAN_NAME)
    Factory reactiveReconnectingWebSocketClientFactory(ConnectionDefinitions connections,
            ObjectProvider<InboundPayloads> payloads) {
        return new Factory(connections,
                payloads.getIfAvailable(() -> new InboundPayloads(new SimpleMessageConverter())));
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    @ConditionalOnBean(MeterRegistry.class)
    static class MetricsConfiguration {

        /** Binds the counter of every reactive client once they all exist; removed when the context closes. */
        @Bean
        @Lazy(false)
        DroppedItemsMeters reactiveReconnectingWebSocketMetrics(MeterRegistry meterRegistry,
                ObjectProvider<ReactiveReconnectingWebSocketClient> clients) {
            return new DroppedItemsMeters(meterRegistry, clients);
        }

    }

    /** The {@value ReconnectingWebSocketClientMetrics#REACTIVE_DROPPED} counter of each reactive client. */
    static final class DroppedItemsMeters implements SmartInitializingSingleton, DisposableBean {

        private final MeterRegistry meterRegistry;

        private final ObjectProvider<ReactiveReconnectingWebSocketClient> clients;

        private final List<Meter> meters = new ArrayList<>();

        DroppedItemsMeters(MeterRegistry meterRegistry, ObjectProvider<ReactiveReconnectingWebSocketClient> clients) {
            this.meterRegistry = meterRegistry;
            this.clients = clients;
        }

        @Override
        public synchronized void afterSingletonsInstantiated() {
            this.clients.orderedStream()
                .forEach((client) -> this.meters.add(FunctionCounter
                    .builder(ReconnectingWebSocketClientMetrics.REACTIVE_DROPPED, client,
                            ReactiveReconnectingWebSocketClient::getDroppedCount)
                    .tag(ReconnectingWebSocketClientMetrics.CONNECTION_TAG, client.getName())
                    .description("Items that reactive-stream subscribers lost to a full buffer")
                    .register(this.meterRegistry)));
        }

        @Override
        public synchronized void destroy() {
            this.meters.forEach(this.meterRegistry::remove);
            this.meters.clear();
        }

    }

    /**
     * Builds each connection's reactive clients from its settings, and completes their
     * streams as soon as the context starts closing: before the lifecycle stops, so that
     * a web server's graceful shutdown does not wait its whole timeout for responses that
     * stream them (server-sent events), which would otherwise end only when the beans are
     * destroyed.
     */
    static final class Factory implements ApplicationListener<ContextClosedEvent>, ApplicationContextAware {

        private final ConnectionDefinitions connections;

        private final InboundPayloads payloads;

        private final List<ReactiveReconnectingWebSocketClient> created = new CopyOnWriteArrayList<>();

        private @Nullable ApplicationContext context;

        Factory(ConnectionDefinitions connections, InboundPayloads payloads) {
            this.connections = connections;
            this.payloads = payloads;
        }

        @Override
        public void setApplicationContext(ApplicationContext context) {
            this.context = context;
        }

        @Override
        public void onApplicationEvent(ContextClosedEvent event) {
            // a child context's event reaches its parent's listeners too
            if (event.getApplicationContext() == this.context) {
                this.created.forEach(ReactiveReconnectingWebSocketClient::close);
            }
        }

        ReactiveReconnectingWebSocketClient createClient(String name, ReconnectingWebSocketClient client) {
            ConnectionProperties.Reactive reactive = this.connections.get(name).getReactive();
            if (reactive.getBufferSize() < 1) {
                throw new InvalidConnectionPropertyException(
                        ConnectionDefinitions.property(name, "reactive.buffer-size"),
                        String.valueOf(reactive.getBufferSize()), "must be positive",
                        "a positive number of items, e.g. 1024");
            }
            ReactiveReconnectingWebSocketClient streams = ReactiveReconnectingWebSocketClient.builder(client)
                .payloads(this.payloads)
                .bufferSize(reactive.getBufferSize())
                .overflow(reactive.getOverflow())
                .build();
            this.created.add(streams);
            return streams;
        }

        ReactiveReconnectingStompClient createStompClient(ReconnectingStompClient stomp,
                ReactiveReconnectingWebSocketClient streams) {
            return new ReactiveReconnectingStompClient(stomp, streams);
        }

    }

    /**
     * Registers the reactive beans of every configured connection whose client bean the
     * auto-configuration registered, by the names of
     * {@link ReconnectingWebSocketClientsRegistrar}.
     */
    static class Registrar implements ImportBeanDefinitionRegistrar {

        private final ConnectionDefinitions connections;

        Registrar(Environment environment) {
            this.connections = ConnectionDefinitions.bind(Binder.get(environment));
        }

        @Override
        public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
            for (String name : this.connections.names()) {
                String clientBeanName = ReconnectingWebSocketClientsRegistrar.beanName(name);
                String beanName = ReconnectingWebSocketClientsRegistrar.reactiveBeanName(name);
                if (!registry.containsBeanDefinition(clientBeanName) || registry.containsBeanDefinition(beanName)) {
                    continue;
                }
                registry.registerBeanDefinition(beanName, clientDefinition(name, clientBeanName));
                String stompBeanName = ReconnectingWebSocketClientsRegistrar.stompBeanName(name);
                String reactiveStompBeanName = ReconnectingWebSocketClientsRegistrar.reactiveStompBeanName(name);
                if (this.connections.get(name).getStomp().isEnabled() && registry.containsBeanDefinition(stompBeanName)
                        && !registry.containsBeanDefinition(reactiveStompBeanName)) {
                    registry.registerBeanDefinition(reactiveStompBeanName,
                            stompDefinition(name, stompBeanName, beanName));
                }
            }
        }

        private static RootBeanDefinition clientDefinition(String name, String clientBeanName) {
            RootBeanDefinition definition = new RootBeanDefinition(ReactiveReconnectingWebSocketClient.class);
            definition.setFactoryBeanName(FACTORY_BEAN_NAME);
            definition.setFactoryMethodName("createClient");
            definition.getConstructorArgumentValues().addIndexedArgumentValue(0, name);
            definition.getConstructorArgumentValues()
                .addIndexedArgumentValue(1, new RuntimeBeanReference(clientBeanName));
            definition.setPrimary(ReconnectingWebSocketClient.DEFAULT_NAME.equals(name));
            // completes the streams before the client (which it depends on) is closed
            definition.setDestroyMethodName("close");
            definition.setLazyInit(false);
            return definition;
        }

        private static RootBeanDefinition stompDefinition(String name, String stompBeanName, String reactiveBeanName) {
            RootBeanDefinition definition = new RootBeanDefinition(ReactiveReconnectingStompClient.class);
            definition.setFactoryBeanName(FACTORY_BEAN_NAME);
            definition.setFactoryMethodName("createStompClient");
            definition.getConstructorArgumentValues().addIndexedArgumentValue(0, new RuntimeBeanReference(stompBeanName));
            definition.getConstructorArgumentValues()
                .addIndexedArgumentValue(1, new RuntimeBeanReference(reactiveBeanName));
            definition.setPrimary(ReconnectingWebSocketClient.DEFAULT_NAME.equals(name));
            return definition;
        }

    }

}
