package io.github.reconnectingws.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import javax.sql.DataSource;

import io.github.reconnectingws.ApplicationEventPublishingObserver;
import io.github.reconnectingws.HandshakeRequestCustomizer;
import io.github.reconnectingws.PayloadEncoder;
import io.github.reconnectingws.ReconnectingWebSocketClient;
import io.github.reconnectingws.ReconnectingWebSocketClientRegistry;
import io.github.reconnectingws.ResumePositionStore;
import io.github.reconnectingws.cluster.ConnectionRoles;
import io.github.reconnectingws.connection.WebSocketClientResources;
import io.github.reconnectingws.listener.InboundPayloads;
import io.github.reconnectingws.listener.ListenerInvocationWrapper;
import io.github.reconnectingws.listener.WebSocketListenerAnnotationBeanPostProcessor;
import io.github.reconnectingws.resume.JdbcResumePositionStore;
import io.github.reconnectingws.stomp.ReconnectingStompClients;
import org.apache.tomcat.websocket.WsWebSocketContainer;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.thread.Threading;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.core.task.VirtualThreadTaskExecutor;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.messaging.converter.ByteArrayMessageConverter;
import org.springframework.messaging.converter.CompositeMessageConverter;
import org.springframework.messaging.converter.JacksonJsonMessageConverter;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.converter.SimpleMessageConverter;
import org.springframework.messaging.converter.StringMessageConverter;
import org.springframework.messaging.handler.annotation.support.MessageHandlerMethodFactory;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.web.socket.client.WebSocketClient;

/**
 * Auto-configuration of reconnecting WebSocket clients: one
 * {@link ReconnectingWebSocketClient} bean per connection configured under
 * {@code reconnecting.websocket}, a {@link ReconnectingWebSocketClientRegistry}, a
 * lifecycle that starts and stops them with the context, application events,
 * {@code @WebSocketListener} methods and JSON payloads.
 * <p>
 * The application may bring its own {@link WebSocketClientResources} (threads and
 * containers), a {@link TaskScheduler} named {@value #TASK_SCHEDULER_BEAN_NAME}, a
 * transport {@link WebSocketClient}, a {@link PayloadEncoder},
 * {@link HandshakeRequestCustomizer}s (token refresh) and
 * {@link ReconnectingWebSocketClientCustomizer}s.
 */
@AutoConfiguration(after = SslAutoConfiguration.class,
        afterName = { "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration",
                "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration" })
@ConditionalOnClass({ WebSocketClient.class, WsWebSocketContainer.class })
@ConditionalOnBooleanProperty(name = "reconnecting.websocket.enabled", matchIfMissing = true)
@EnableConfigurationProperties(ReconnectingWebSocketProperties.class)
@Import(ReconnectingWebSocketClientsRegistrar.class)
public final class ReconnectingWebSocketAutoConfiguration {

    /** The name of a {@link TaskScheduler} bean the clients use instead of their own. */
    public static final String TASK_SCHEDULER_BEAN_NAME = "reconnectingWebSocketTaskScheduler";

    @Bean
    @ConditionalOnMissingBean
    WebSocketClientResources reconnectingWebSocketClientResources(
            @Qualifier(TASK_SCHEDULER_BEAN_NAME) ObjectProvider<TaskScheduler> scheduler, Environment environment) {
        if (Threading.VIRTUAL.isActive(environment)) {
            // spring.threads.virtual.enabled on Java 21+: application callbacks on virtual threads
            return new WebSocketClientResources(scheduler.getIfAvailable(),
                    WebSocketClientResources.DEFAULT_CONNECT_CONCURRENCY, new VirtualThreadTaskExecutor("rws-callback-"));
        }
        return new WebSocketClientResources(scheduler.getIfAvailable(),
                WebSocketClientResources.DEFAULT_CONNECT_CONCURRENCY);
    }

    @Bean
    ConnectionDefinitions reconnectingWebSocketConnectionDefinitions(Environment environment,
            ObjectProvider<SslBundles> sslBundles) {
        return ConnectionDefinitions.load(Binder.get(environment), sslBundles.getIfAvailable());
    }

    @Bean(ReconnectingWebSocketClientsRegistrar.FACTORY_BEAN_NAME)
    ReconnectingWebSocketClientFactory reconnectingWebSocketClientFactory(ConnectionDefinitions connections,
            WebSocketClientResources resources, ObjectProvider<SslBundles> sslBundles,
            ObjectProvider<WebSocketClient> transport, ObjectProvider<PayloadEncoder> payloadEncoder,
            ObjectProvider<HandshakeRequestCustomizer> handshakeCustomizers,
            ObjectProvider<ReconnectingWebSocketClientCustomizer> customizers,
            ObjectProvider<ResumePositionStore> positionStore, ReconnectingStompClients stompClients,
            @Qualifier(STOMP_CONVERTER_BEAN_NAME) ObjectProvider<MessageConverter> stompConverter,
            ApplicationEventPublisher eventPublisher) {
        return new ReconnectingWebSocketClientFactory(connections, resources, sslBundles, transport, payloadEncoder,
                handshakeCustomizers, customizers, positionStore, stompClients,
                stompConverter.getIfAvailable(() -> stompConverter(null)),
                new ApplicationEventPublishingObserver(eventPublisher));
    }

    /** The converter of STOMP bodies, by content type. */
    static final String STOMP_CONVERTER_BEAN_NAME = "reconnectingWebSocketStompMessageConverter";

    /** Text and bytes, and JSON with the given converter. */
    static MessageConverter stompConverter(@Nullable MessageConverter json) {
        List<MessageConverter> converters = new ArrayList<>(
                List.of(new StringMessageConverter(), new ByteArrayMessageConverter()));
        if (json != null) {
            converters.add(json);
        }
        return new CompositeMessageConverter(converters);
    }

    @Bean
    @ConditionalOnMissingBean
    ReconnectingStompClients reconnectingStompClients() {
        return new ReconnectingStompClients();
    }

    /**
     * With {@code resume.store: jdbc} on a connection: the positions in the application's
     * {@link DataSource} (table in README).
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(JdbcTemplate.class)
    @ConditionalOnSingleCandidate(DataSource.class)
    @Conditional(OnJdbcResumeStoreCondition.class)
    static class JdbcResumeStoreConfiguration {

        @Bean(destroyMethod = "close")
        @ConditionalOnMissingBean(ResumePositionStore.class)
        JdbcResumePositionStore reconnectingWebSocketResumePositionStore(DataSource dataSource,
                ReconnectingWebSocketProperties properties, Environment environment) {
            String application = environment.getProperty("spring.application.name");
            return new JdbcResumePositionStore(dataSource, (application != null) ? application + ":" : "",
                    properties.getResume().getFlushInterval());
        }

    }

    @Bean
    @ConditionalOnMissingBean
    ReconnectingWebSocketClientRegistry reconnectingWebSocketClientRegistry(
            ObjectProvider<ReconnectingWebSocketClient> clients) {
        return ReconnectingWebSocketClientRegistry.of(clients.orderedStream().toList());
    }

    @Bean
    ReconnectingWebSocketClientLifecycle reconnectingWebSocketClientLifecycle(ConnectionDefinitions connections,
            ReconnectingWebSocketClientFactory factory, ObjectProvider<ConnectionRoles> cluster) {
        return new ReconnectingWebSocketClientLifecycle(connections, factory, cluster);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(JsonMapper.class)
    static class JsonPayloadConfiguration {

        @Bean(STOMP_CONVERTER_BEAN_NAME)
        @ConditionalOnMissingBean(name = STOMP_CONVERTER_BEAN_NAME)
        MessageConverter reconnectingWebSocketStompMessageConverter(ObjectProvider<JsonMapper> jsonMapper) {
            return stompConverter(new JacksonJsonMessageConverter(jsonMapper.getIfAvailable(JsonMapper::shared)));
        }

        @Bean
        @ConditionalOnMissingBean
        PayloadEncoder reconnectingWebSocketPayloadEncoder(ObjectProvider<JsonMapper> jsonMapper) {
            return new JacksonPayloadEncoder(jsonMapper.getIfAvailable(JsonMapper::shared));
        }

    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MessageHandlerMethodFactory.class)
    static class ListenerConfiguration {

        @Configuration(proxyBeanMethods = false)
        @ConditionalOnClass(JsonMapper.class)
        static class JsonListenerConfiguration {

            @Bean
            static WebSocketListenerAnnotationBeanPostProcessor webSocketListenerAnnotationBeanPostProcessor(
                    ObjectProvider<ReconnectingWebSocketClientRegistry> registry,
                    ObjectProvider<ReconnectingStompClients> stompClients,
                    ObjectProvider<ListenerInvocationWrapper> invocationWrapper, ObjectProvider<JsonMapper> jsonMapper) {
                Supplier<MessageConverter> json = () -> payloadConverter(jsonMapper);
                return new WebSocketListenerAnnotationBeanPostProcessor(registry, stompClients, invocationWrapper,
                        json);
            }

            /** The listeners' conversion, for the other consumers of messages (reactive streams). */
            @Bean
            @ConditionalOnMissingBean
            InboundPayloads reconnectingWebSocketInboundPayloads(ObjectProvider<JsonMapper> jsonMapper) {
                return new InboundPayloads(payloadConverter(jsonMapper));
            }

            private static MessageConverter payloadConverter(ObjectProvider<JsonMapper> jsonMapper) {
                return new JacksonJsonMessageConverter(jsonMapper.getIfAvailable(JsonMapper::shared));
            }

        }

        @Configuration(proxyBeanMethods = false)
        @ConditionalOnMissingClass("tools.jackson.databind.json.JsonMapper")
        static class PlainListenerConfiguration {

            @Bean
            static WebSocketListenerAnnotationBeanPostProcessor webSocketListenerAnnotationBeanPostProcessor(
                    ObjectProvider<ReconnectingWebSocketClientRegistry> registry,
                    ObjectProvider<ReconnectingStompClients> stompClients,
                    ObjectProvider<ListenerInvocationWrapper> invocationWrapper) {
                return new WebSocketListenerAnnotationBeanPostProcessor(registry, stompClients, invocationWrapper,
                        SimpleMessageConverter::new);
            }

            @Bean
            @ConditionalOnMissingBean
            InboundPayloads reconnectingWebSocketInboundPayloads() {
                return new InboundPayloads(new SimpleMessageConverter());
            }

        }

    }

}
