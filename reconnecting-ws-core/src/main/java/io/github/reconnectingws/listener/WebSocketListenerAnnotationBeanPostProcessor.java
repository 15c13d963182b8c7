package io.github.reconnectingws.listener;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.github.reconnectingws.ReconnectingWebSocketClient;
import io.github.reconnectingws.ReconnectingWebSocketClientRegistry;
import io.github.reconnectingws.stomp.ReconnectingStompClient;
import io.github.reconnectingws.stomp.ReconnectingStompClients;
import io.github.reconnectingws.WebSocketListener;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.handler.annotation.support.DefaultMessageHandlerMethodFactory;
import org.springframework.messaging.handler.annotation.support.MessageHandlerMethodFactory;

/**
 * Finds {@link WebSocketListener @WebSocketListener} methods on beans and, once all
 * singletons exist, adds one message handler per method to the client of its connection
 * (looked up in the {@link ReconnectingWebSocketClientRegistry}), or, for STOMP, one
 * subscription per destination shared by its methods. Arguments are resolved
 * with spring-messaging's {@link DefaultMessageHandlerMethodFactory}; payloads that are
 * neither {@code String} nor bytes are converted by the given message converter (JSON).
 * <p>
 * A listener that names a connection that is not configured fails startup.
 */
public class WebSocketListenerAnnotationBeanPostProcessor implements BeanPostProcessor, SmartInitializingSingleton {

    private final ObjectProvider<ReconnectingWebSocketClientRegistry> registry;

    private final Supplier<MessageConverter> payloadConverter;

    private final ObjectProvider<ReconnectingStompClients> stompClients;

    private final ObjectProvider<ListenerInvocationWrapper> invocationWrapper;

    private final Set<Class<?>> classesWithoutListeners = ConcurrentHashMap.newKeySet();

    private final List<WebSocketListenerEndpoint> pending = new ArrayList<>();

    /**
     * Per connection, one reader per routing field, shared by its listeners so that each
     * message is parsed once per field. Guarded by {@code this} while listeners attach;
     * read afterwards only by the connection's message dispatch.
     */
    private final Map<String, Map<String, MessageRoute.FieldReader>> fieldReaders = new HashMap<>();

    /**
     * Per connection and destination, the listeners on its one subscription. Guarded by
     * {@code this}.
     */
    private final Map<String, Map<String, StompDestinationListeners>> destinations = new HashMap<>();

    private @Nullable MessageHandlerMethodFactory methodFactory;

    /**
     * Create a post-processor.
     * @param registry the registry of the clients that listeners attach to, resolved
     * once all singletons exist
     * @param stompClients the STOMP clients that destination listeners subscribe with
     * @param invocationWrapper wraps every invocation (observations), if any
     * @param payloadConverter supplies the converter for POJO payloads (JSON)
     */
    public WebSocketListenerAnnotationBeanPostProcessor(ObjectProvider<ReconnectingWebSocketClientRegistry> registry,
            ObjectProvider<ReconnectingStompClients> stompClients,
            ObjectProvider<ListenerInvocationWrapper> invocationWrapper, Supplier<MessageConverter> payloadConverter) {
        this.invocationWrapper = invocationWrapper;
        this.registry = registry;
        this.stompClients = stompClients;
        this.payloadConverter = payloadConverter;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        Class<?> targetClass = AopUtils.getTargetClass(bean);
        if (this.classesWithoutListeners.contains(targetClass)) {
            return bean;
        }
        Map<Method, WebSocketListener> listeners = AnnotationUtils.isCandidateClass(targetClass,
                WebSocketListener.class) ? MethodIntrospector.selectMethods(targetClass,
                        (MethodIntrospector.MetadataLookup<WebSocketListener>) (method) -> AnnotatedElementUtils
                            .findMergedAnnotation(method, WebSocketListener.class))
                        : Map.of();
        if (listeners.isEmpty()) {
            this.classesWithoutListeners.add(targetClass);
            return bean;
        }
        listeners.forEach((method, annotation) -> {
            String connection = annotation.connection().isEmpty() ? ReconnectingWebSocketClient.DEFAULT_NAME : annotation.connection();
            register(WebSocketListenerEndpoint.of(bean, AopUtils.selectInvocableMethod(method, bean.getClass()),
                    connection, annotation.destination(), annotation.field(), annotation.havingValue()));
        });
        return bean;
    }

    private synchronized void register(WebSocketListenerEndpoint endpoint) {
        if (this.methodFactory == null) {
            this.pending.add(endpoint);
        }
        else {
            attach(endpoint, this.methodFactory);
        }
    }

    /**
     * Attach the listeners found so far to their clients; later beans (lazy ones) are
     * attached as they are created.
     */
    @Override
    public synchronized void afterSingletonsInstantiated() {
        DefaultMessageHandlerMethodFactory factory = new DefaultMessageHandlerMethodFactory();
        factory.setMessageConverter(this.payloadConverter.get());
        factory.setCustomArgumentResolvers(List.of(new WebSocketArgumentResolver()));
        factory.afterPropertiesSet();
        this.methodFactory = factory;
        this.pending.forEach((endpoint) -> attach(endpoint, factory));
        this.pending.clear();
    }

    private ListenerInvocationWrapper wrapper() {
        return this.invocationWrapper.getIfAvailable(() -> ListenerInvocationWrapper.NONE);
    }

    private void attach(WebSocketListenerEndpoint endpoint, MessageHandlerMethodFactory factory) {
        ReconnectingWebSocketClientRegistry clients = this.registry.getIfAvailable();
        ReconnectingWebSocketClient client = (clients != null) ? clients.getClient(endpoint.connectionName()) : null;
        if (client == null) {
            throw new IllegalStateException("@WebSocketListener " + endpoint.describeMethod()
                    + " listens to WebSocket connection '" + endpoint.connectionName()
                    + "', which is not configured. Configured connections: "
                    + ((clients != null) ? clients.getClients().keySet() : "none")
                    + ". Configure it with reconnecting.websocket.url (default connection) or "
                    + "reconnecting.websocket.connections." + endpoint.connectionName() + ".url");
        }
        if (endpoint.destination().isEmpty()) {
            Map<String, MessageRoute.FieldReader> readers = this.fieldReaders
                .computeIfAbsent(endpoint.connectionName(), (name) -> new HashMap<>());
            client.addMessageHandler(endpoint.createHandler(factory, wrapper(),
                    (field) -> readers.computeIfAbsent(field, MessageRoute.FieldReader::new)));
            return;
        }
        ReconnectingStompClients stomp = this.stompClients.getIfAvailable();
        ReconnectingStompClient stompClient = (stomp != null) ? stomp.get(endpoint.connectionName()) : null;
        if (stompClient == null) {
            throw new IllegalStateException("@WebSocketListener " + endpoint.describeMethod() + " subscribes to '"
                    + endpoint.destination() + "' on WebSocket connection '" + endpoint.connectionName()
                    + "', which does not speak STOMP: set its stomp.enabled to true");
        }
        Map<String, StompDestinationListeners> subscribed = this.destinations
            .computeIfAbsent(endpoint.connectionName(), (name) -> new HashMap<>());
        StompDestinationListeners listeners = subscribed.get(endpoint.destination());
        if (listeners == null) {
            listeners = new StompDestinationListeners(client, endpoint.destination());
            listeners.add(endpoint.createFrameHandler(factory, client, wrapper()));
            subscribed.put(endpoint.destination(), listeners);
            stompClient.subscribe(endpoint.destination(), listeners);
        }
        else {
            listeners.add(endpoint.createFrameHandler(factory, client, wrapper()));
        }
    }

}
