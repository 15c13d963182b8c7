package io.github.reconnectingws.autoconfigure;

import javax.sql.DataSource;

import io.github.reconnectingws.ReconnectingWebSocketClient;
import io.github.reconnectingws.ReconnectingWebSocketClientRegistry;
import io.github.reconnectingws.ResumePositionStore;
import io.github.reconnectingws.cluster.ClusterStore;
import io.github.reconnectingws.cluster.ConnectionRoles;
import io.github.reconnectingws.cluster.JdbcClusterStore;
import io.github.reconnectingws.cluster.RedisClusterStore;
import io.github.reconnectingws.cluster.ReconnectingWebSocketCluster;
import io.github.reconnectingws.metrics.ReconnectingWebSocketClientMetrics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.env.Environment;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration}
 * for connections spread over the instances of an application ({@code cluster.enabled}):
 * a {@link ReconnectingWebSocketCluster} over the context's {@link ClusterStore}, or,
 * without one, a {@link JdbcClusterStore} on the context's {@link DataSource}, or a
 * {@link RedisClusterStore} on its {@link RedisConnectionFactory}.
 */
@AutoConfiguration(after = ReconnectingWebSocketAutoConfiguration.class,
        afterName = { "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
                "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration" })
@ConditionalOnBean(ReconnectingWebSocketClientRegistry.class)
@Conditional(OnClusteredConnectionCondition.class)
public final class ReconnectingWebSocketClusterAutoConfiguration {

    private static final Log logger = LogFactory.getLog(ReconnectingWebSocketClusterAutoConfiguration.class);

    /** Used when {@code spring.application.name} is not set. */
    static final String DEFAULT_APPLICATION = "application";

    @Bean
    @ConditionalOnMissingBean
    ReconnectingWebSocketCluster reconnectingWebSocketCluster(ConnectionDefinitions connections,
            ReconnectingWebSocketClientRegistry clients, ObjectProvider<ClusterStore> clusterStore,
            ObjectProvider<ResumePositionStore> resumeStore, ReconnectingWebSocketProperties properties,
            Environment environment) {
        ClusterStore store = clusterStore.getIfUnique();
        if (store == null) {
            String clustered = connections.names()
                .stream()
                .filter((name) -> connections.get(name).getCluster().isEnabled())
                .findFirst()
                .orElseThrow();
            throw new InvalidConnectionPropertyException(ConnectionDefinitions.property(clustered, "cluster.enabled"),
                    "true", "no store for the cluster's leases",
                    "false, or true with a DataSource (PostgreSQL), a RedisConnectionFactory or a ClusterStore bean");
        }
        ConnectionProperties.Cluster settings = properties.getCluster();
        ResumePositionStore resume = resumeStore.getIfUnique();
        ReconnectingWebSocketCluster cluster = new ReconnectingWebSocketCluster(store,
                environment.getProperty("spring.application.name", DEFAULT_APPLICATION), settings.getHeartbeat(),
                settings.getLockTtl(), ReconnectingWebSocketClientLifecycle.PHASE + 1,
                (name, epoch) -> {
                    if (resume != null) {
                        resume.fence(name, epoch);
                    }
                });
        for (String name : connections.names()) {
            ConnectionProperties definition = connections.get(name);
            ConnectionProperties.Cluster clustering = definition.getCluster();
            ReconnectingWebSocketClient client = clients.getClient(name);
            if (clustering.isEnabled() && client != null) {
                cluster.addConnection(client, (clustering.getRole() != null) ? clustering.getRole() : name,
                        definition.isAutoStartup());
            }
        }
        return cluster;
    }

    /** The gauges of this instance's role for each clustered connection, and of the live instances. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    static class ClusterMetricsConfiguration {

        @Bean
        MeterBinder reconnectingWebSocketClusterMetrics(ReconnectingWebSocketCluster cluster, Environment environment) {
            return (registry) -> {
                cluster.connectionNames()
                    .forEach((name) -> Gauge
                        .builder(ReconnectingWebSocketClientMetrics.CLUSTER_LEADER,
                                () -> ConnectionRoles.LEADER.equals(cluster.role(name)) ? 1 : 0)
                        .tag(ReconnectingWebSocketClientMetrics.CONNECTION_TAG, name)
                        .description("1 on the instance of the cluster that holds the connection, else 0")
                        .register(registry));
                Gauge.builder(ReconnectingWebSocketClientMetrics.CLUSTER_MEMBERS, cluster::members)
                    .tag(ReconnectingWebSocketClientMetrics.APPLICATION_TAG,
                            environment.getProperty("spring.application.name", DEFAULT_APPLICATION))
                    .description("Live instances of the application that this one sees, itself included")
                    .register(registry);
            };
        }

    }

    /** Without a {@link ClusterStore} of the application's: one in its PostgreSQL {@link DataSource}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(JdbcTemplate.class)
    @ConditionalOnMissingBean(ClusterStore.class)
    @ConditionalOnSingleCandidate(DataSource.class)
    static class JdbcClusterStoreConfiguration {

        @Bean
        JdbcClusterStore reconnectingWebSocketClusterStore(DataSource dataSource) {
            JdbcClusterStore store = new JdbcClusterStore(dataSource);
            try {
                store.createTables();
            }
            catch (DataAccessException ex) {
                // a user without DDL rights creates them once (README); the driver's reason is in the root
                Throwable root = NestedExceptionUtils.getMostSpecificCause(ex);
                logger.warn("Could not create the cluster tables (RWS_CLUSTER_MEMBER, RWS_CLUSTER_CONNECTION); "
                        + "create them as README shows: " + ex + ((root != ex) ? " (caused by " + root + ")" : ""));
            }
            return store;
        }

    }

    /** Without a {@link ClusterStore} or a {@link DataSource}: one in Redis. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(RedisConnectionFactory.class)
    @ConditionalOnMissingBean({ ClusterStore.class, DataSource.class })
    @ConditionalOnSingleCandidate(RedisConnectionFactory.class)
    static class RedisClusterStoreConfiguration {

        @Bean
        RedisClusterStore reconnectingWebSocketClusterStore(RedisConnectionFactory connectionFactory) {
            return new RedisClusterStore(connectionFactory, "reconnecting-ws:");
        }

    }

}
