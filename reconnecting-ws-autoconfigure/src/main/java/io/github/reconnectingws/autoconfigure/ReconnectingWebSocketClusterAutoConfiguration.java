package io.github.reconnectingws.autoconfigure;

import javax.sql.DataSource;

import io.github.reconnectingws.ReconnectingWebSocketClient;
import io.github.reconnectingws.ReconnectingWebSocketClientRegistry;
import io.github.reconnectingws.cluster.ConnectionRoles;
import io.github.reconnectingws.cluster.ReconnectingWebSocketCluster;
import io.github.reconnectingws.metrics.ReconnectingWebSocketClientMetrics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.integration.jdbc.lock.DefaultLockRepository;
import org.springframework.integration.jdbc.lock.JdbcLockRegistry;
import org.springframework.integration.support.leader.LockRegistryLeaderInitiator;
import org.springframework.integration.support.locks.LockRegistry;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration}
 * for connections held once per cluster ({@code cluster.enabled}): Spring Integration
 * leader election over the context's {@link LockRegistry}, or, without one, a
 * {@link JdbcLockRegistry} on the context's {@link DataSource}.
 */
@AutoConfiguration(after = ReconnectingWebSocketAutoConfiguration.class,
        afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@ConditionalOnClass(LockRegistryLeaderInitiator.class)
@ConditionalOnBean(ReconnectingWebSocketClientRegistry.class)
@Conditional(OnClusteredConnectionCondition.class)
public final class ReconnectingWebSocketClusterAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ReconnectingWebSocketCluster reconnectingWebSocketCluster(ConnectionDefinitions connections,
            ReconnectingWebSocketClientRegistry clients, ObjectProvider<LockRegistry<?>> lockRegistry,
            ApplicationEventPublisher publisher, Environment environment) {
        ReconnectingWebSocketCluster cluster = new ReconnectingWebSocketCluster(
                ReconnectingWebSocketClientLifecycle.PHASE + 1);
        String application = environment.getProperty("spring.application.name");
        for (String name : connections.names()) {
            ConnectionProperties properties = connections.get(name);
            ConnectionProperties.Cluster settings = properties.getCluster();
            ReconnectingWebSocketClient client = clients.getClient(name);
            if (!settings.isEnabled() || client == null) {
                continue;
            }
            LockRegistry<?> locks = lockRegistry.getIfUnique();
            if (locks == null) {
                throw new InvalidConnectionPropertyException(property(name, "cluster.enabled"), "true",
                        "no LockRegistry to elect the instance that holds the connection",
                        "false, or true with a LockRegistry bean (a JdbcLockRegistry, a RedisLockRegistry, ...) "
                                + "or a DataSource with spring-integration-jdbc and the INT_LOCK table");
            }
            String role = (settings.getRole() != null) ? settings.getRole()
                    : "reconnecting-ws:" + ((application != null) ? application + ":" : "") + name;
            cluster.addConnection(client, role, locks, settings.getHeartbeat(), publisher, properties.isAutoStartup());
        }
        return cluster;
    }

    /** The gauge of this instance's role for each clustered connection. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    static class ClusterMetricsConfiguration {

        @Bean
        MeterBinder reconnectingWebSocketClusterMetrics(ReconnectingWebSocketCluster cluster) {
            return (registry) -> cluster.connectionNames()
                .forEach((name) -> Gauge
                    .builder(ReconnectingWebSocketClientMetrics.CLUSTER_LEADER,
                            () -> ConnectionRoles.LEADER.equals(cluster.role(name)) ? 1 : 0)
                    .tag(ReconnectingWebSocketClientMetrics.CONNECTION_TAG, name)
                    .description("1 on the instance of the cluster that holds the connection, else 0")
                    .register(registry));
        }

    }

    private static String property(String connection, String setting) {
        return ConnectionDefinitions.property(connection, setting);
    }

    /**
     * Without a {@link LockRegistry} of the application's: a JDBC one on its
     * {@link DataSource}. The {@code INT_LOCK} table must exist (see README).
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(JdbcLockRegistry.class)
    @ConditionalOnMissingBean(LockRegistry.class)
    @ConditionalOnSingleCandidate(DataSource.class)
    static class JdbcLockRegistryConfiguration {

        @Bean
        DefaultLockRepository reconnectingWebSocketLockRepository(DataSource dataSource) {
            DefaultLockRepository repository = new DefaultLockRepository(dataSource);
            repository.setTransactionManager(new DataSourceTransactionManager(dataSource));
            return repository;
        }

        @Bean
        JdbcLockRegistry reconnectingWebSocketLockRegistry(DefaultLockRepository reconnectingWebSocketLockRepository,
                ReconnectingWebSocketProperties properties) {
            return new JdbcLockRegistry(reconnectingWebSocketLockRepository, properties.getCluster().getLockTtl());
        }

    }

}
