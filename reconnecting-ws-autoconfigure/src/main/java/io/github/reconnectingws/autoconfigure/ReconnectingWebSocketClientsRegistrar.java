package io.github.reconnectingws.autoconfigure;

import io.github.reconnectingws.ReconnectingWebSocketClient;
import io.github.reconnectingws.stomp.ReconnectingStompClient;

import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Registers one {@link ReconnectingWebSocketClient} bean per configured connection:
 * {@value #DEFAULT_BEAN_NAME} (primary) for the default connection and
 * {@code <name>ReconnectingWebSocketClient} for each named one. A bean already defined
 * under that name (the application's own) is left alone.
 */
class ReconnectingWebSocketClientsRegistrar implements ImportBeanDefinitionRegistrar {

    /** The bean name of the default connection's client. */
    static final String DEFAULT_BEAN_NAME = "reconnectingWebSocketClient";

    /** The bean that builds the clients. */
    static final String FACTORY_BEAN_NAME = "reconnectingWebSocketClientFactory";

    private final ConnectionDefinitions connections;

    ReconnectingWebSocketClientsRegistrar(Environment environment) {
        this.connections = ConnectionDefinitions.bind(Binder.get(environment));
    }

    @Override
    public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
        for (String name : this.connections.names()) {
            String beanName = beanName(name);
            if (!registry.containsBeanDefinition(beanName)) {
                registry.registerBeanDefinition(beanName, clientDefinition(name));
                if (this.connections.get(name).getStomp().isEnabled()) {
                    registry.registerBeanDefinition(stompBeanName(name), stompDefinition(name, beanName));
                }
            }
        }
    }

    private static RootBeanDefinition stompDefinition(String name, String clientBeanName) {
        RootBeanDefinition definition = new RootBeanDefinition(ReconnectingStompClient.class);
        definition.setFactoryBeanName(FACTORY_BEAN_NAME);
        definition.setFactoryMethodName("createStompClient");
        definition.getConstructorArgumentValues().addIndexedArgumentValue(0, name);
        definition.setDependsOn(clientBeanName);
        definition.setPrimary(ReconnectingWebSocketClient.DEFAULT_NAME.equals(name));
        return definition;
    }

    /**
     * The bean name of a connection's STOMP client.
     * @param connectionName the connection name
     * @return {@code reconnectingStompClient} for the default connection, else
     * {@code <connectionName>StompClient}
     */
    static String stompBeanName(String connectionName) {
        return ReconnectingWebSocketClient.DEFAULT_NAME.equals(connectionName) ? "reconnectingStompClient"
                : connectionName + "StompClient";
    }

    private static RootBeanDefinition clientDefinition(String name) {
        RootBeanDefinition definition = new RootBeanDefinition(ReconnectingWebSocketClient.class);
        definition.setFactoryBeanName(FACTORY_BEAN_NAME);
        definition.setFactoryMethodName("createClient");
        definition.getConstructorArgumentValues().addIndexedArgumentValue(0, name);
        definition.setPrimary(ReconnectingWebSocketClient.DEFAULT_NAME.equals(name));
        definition.setDestroyMethodName("close");
        // connections are infrastructure: eager even with spring.main.lazy-initialization
        definition.setLazyInit(false);
        return definition;
    }

    /**
     * The bean name of a connection's client.
     * @param connectionName the connection name
     * @return {@value #DEFAULT_BEAN_NAME} for the default connection, else
     * {@code <connectionName>ReconnectingWebSocketClient}
     */
    static String beanName(String connectionName) {
        return ReconnectingWebSocketClient.DEFAULT_NAME.equals(connectionName) ? DEFAULT_BEAN_NAME
                : connectionName + "ReconnectingWebSocketClient";
    }

    /**
     * The bean name of a connection's reactive client.
     * @param connectionName the connection name
     * @return {@code reactiveReconnectingWebSocketClient} for the default connection, else
     * {@code <connectionName>ReactiveReconnectingWebSocketClient}
     */
    static String reactiveBeanName(String connectionName) {
        return ReconnectingWebSocketClient.DEFAULT_NAME.equals(connectionName) ? "reactiveReconnectingWebSocketClient"
                : connectionName + "ReactiveReconnectingWebSocketClient";
    }

    /**
     * The bean name of a connection's reactive STOMP client.
     * @param connectionName the connection name
     * @return {@code reactiveReconnectingStompClient} for the default connection, else
     * {@code <connectionName>ReactiveStompClient}
     */
    static String reactiveStompBeanName(String connectionName) {
        return ReconnectingWebSocketClient.DEFAULT_NAME.equals(connectionName) ? "reactiveReconnectingStompClient"
                : connectionName + "ReactiveStompClient";
    }

}
