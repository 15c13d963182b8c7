package io.github.reconnectingws.autoconfigure;

import java.util.Map;

import io.github.reconnectingws.ReconnectingWebSocketClient;
import io.github.reconnectingws.ReconnectingWebSocketClientRegistry;
import io.github.reconnectingws.cluster.ConnectionRoles;
import io.github.reconnectingws.health.ReconnectingWebSocketHealthIndicator;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.CompositeHealthContributorConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Lazy;

/**
 * The {@code reconnectingWebSocket} health contributor, when {@code spring-boot-health} is
 * on the classpath: one {@link ReconnectingWebSocketHealthIndicator} for a single
 * connection, a composite with a component per connection name for several. Disabled by
 * {@code management.health.reconnectingwebsocket.enabled=false} (any relaxed form, e.g.
 * {@code reconnectingWebSocket}), or by {@code management.health.defaults.enabled=false}.
 * Without any connection there is no contributor.
 */
@AutoConfiguration(afterName = "io.github.reconnectingws.autoconfigure.ReconnectingWebSocketAutoConfiguration")
@ConditionalOnClass({ HealthContributor.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnBean({ ReconnectingWebSocketClientRegistry.class, ReconnectingWebSocketClient.class })
public final class ReconnectingWebSocketHealthContributorAutoConfiguration
        extends
        CompositeHealthContributorConfiguration<ReconnectingWebSocketHealthIndicator, ReconnectingWebSocketClient> {

    /** The name of the contributor, and of its enabled property. */
    static final String CONTRIBUTOR_NAME = "reconnectingWebSocket";

    /** The key of the enabled property, in its canonical (lower case) form. */
    static final String ENABLED_KEY = "reconnectingwebsocket";

    ReconnectingWebSocketHealthContributorAutoConfiguration(ObjectProvider<ConnectionRoles> roles) {
        super((client) -> new ReconnectingWebSocketHealthIndicator(client, () -> {
            ConnectionRoles cluster = roles.getIfAvailable();
            return (cluster != null) ? cluster.role(client.getName()) : null;
        }));
    }

    /**
     * The contributor. The enabled-condition sits here rather than on the class: on the
     * class it would be evaluated (and fail to load) without {@code spring-boot-health}.
     * Eager even with {@code spring.main.lazy-initialization}, so that it observes the
     * clients from their start.
     * @param clients the clients
     * @return the contributor, named {@value #CONTRIBUTOR_NAME} after the bean name
     */
    @Bean
    @Lazy(false)
    @ConditionalOnEnabledHealthIndicator(ENABLED_KEY)
    @ConditionalOnMissingBean(
            name = { "reconnectingWebSocketHealthIndicator", "reconnectingWebSocketHealthContributor" })
    HealthContributor reconnectingWebSocketHealthIndicator(ReconnectingWebSocketClientRegistry clients) {
        Map<String, ReconnectingWebSocketClient> byName = clients.getClients();
        if (byName.isEmpty()) {
            return NoConnections.INSTANCE;
        }
        return createContributor(byName);
    }

    /** Reported when no connection is configured: nothing to be healthy or not. */
    private enum NoConnections implements HealthIndicator {

        INSTANCE;

        @Override
        public Health health() {
            return Health.unknown().withDetail("connections", 0).build();
        }

    }

}
