package io.github.reconnectingws.autoconfigure;

import java.util.List;

import io.github.reconnectingws.ReconnectingWebSocketClientRegistry;
import io.github.reconnectingws.health.ReconnectingWebSocketHealthIndicator;
import org.junit.jupiter.api.Test;

import org.springframework.boot.LazyInitializationBeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ReconnectingWebSocketHealthContributorAutoConfiguration}.
 */
class ReconnectingWebSocketHealthContributorAutoConfigurationTests {

    private static final String BEAN_NAME = "reconnectingWebSocketHealthIndicator";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ReconnectingWebSocketHealthContributorAutoConfiguration.class));

    @Test
    void oneConnectionGetsOneIndicator() {
        this.runner.withUserConfiguration(ObservabilityTestClients.OneConnection.class).run((context) -> {
            assertThat(context).hasBean(BEAN_NAME);
            assertThat(context.getBean(BEAN_NAME)).isInstanceOf(ReconnectingWebSocketHealthIndicator.class);
            ReconnectingWebSocketHealthIndicator indicator = context
                .getBean(ReconnectingWebSocketHealthIndicator.class);
            assertThat(indicator.health().getStatus()).isEqualTo(Status.UNKNOWN);
        });
    }

    @Test
    void severalConnectionsGetAComponentPerName() {
        this.runner.withUserConfiguration(ObservabilityTestClients.TwoConnections.class).run((context) -> {
            HealthContributor contributor = context.getBean(BEAN_NAME, HealthContributor.class);
            assertThat(contributor).isInstanceOf(CompositeHealthContributor.class);
            CompositeHealthContributor composite = (CompositeHealthContributor) contributor;
            assertThat(composite.getContributor("prices")).isInstanceOf(ReconnectingWebSocketHealthIndicator.class);
            assertThat(composite.getContributor("orders")).isInstanceOf(ReconnectingWebSocketHealthIndicator.class);
            assertThat(composite.stream().map((entry) -> entry.name())).containsExactly("prices", "orders");
        });
    }

    @Test
    void isCreatedAtStartupEvenWithLazyInitialization() {
        this.runner.withUserConfiguration(ObservabilityTestClients.OneConnection.class)
            .withPropertyValues("spring.main.lazy-initialization=true")
            .withInitializer((context) -> context.addBeanFactoryPostProcessor(
                    new LazyInitializationBeanFactoryPostProcessor()))
            .run((context) -> assertThat(context.getBeanFactory().containsSingleton(BEAN_NAME)).isTrue());
    }

    @Test
    void canBeDisabled() {
        this.runner.withUserConfiguration(ObservabilityTestClients.OneConnection.class)
            .withPropertyValues("management.health.reconnectingWebSocket.enabled=false")
            .run((context) -> assertThat(context).doesNotHaveBean(BEAN_NAME));
    }

    @Test
    void canBeDisabledInKebabCase() {
        this.runner.withUserConfiguration(ObservabilityTestClients.OneConnection.class)
            .withPropertyValues("management.health.reconnectingwebsocket.enabled=false")
            .run((context) -> assertThat(context).doesNotHaveBean(BEAN_NAME));
    }

    @Test
    void followsTheDefaultsOfHealthIndicators() {
        this.runner.withUserConfiguration(ObservabilityTestClients.OneConnection.class)
            .withPropertyValues("management.health.defaults.enabled=false")
            .run((context) -> assertThat(context).doesNotHaveBean(BEAN_NAME));
    }

    @Test
    void backsOffWithoutSpringBootHealth() {
        this.runner.withClassLoader(new FilteredClassLoader("org.springframework.boot.health"))
            .withUserConfiguration(ObservabilityTestClients.OneConnection.class)
            .run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(BEAN_NAME));
    }

    @Test
    void backsOffWithoutConnections() {
        this.runner.run((context) -> assertThat(context).doesNotHaveBean(BEAN_NAME));
    }

    @Test
    void comesWithTheConfiguredConnections() {
        this.runner.withConfiguration(AutoConfigurations.of(ReconnectingWebSocketAutoConfiguration.class))
            .withPropertyValues("reconnecting.websocket.auto-startup=false",
                    "reconnecting.websocket.url=ws://127.0.0.1:9/feed")
            .run((context) -> assertThat(context.getBean(BEAN_NAME))
                .isInstanceOf(ReconnectingWebSocketHealthIndicator.class));
    }

    @Test
    void isAbsentWithoutConfiguredConnections() {
        this.runner.withConfiguration(AutoConfigurations.of(ReconnectingWebSocketAutoConfiguration.class))
            .run((context) -> assertThat(context).hasSingleBean(ReconnectingWebSocketClientRegistry.class)
                .doesNotHaveBean(BEAN_NAME));
    }

    @Test
    void reportsUnknownForARegistryWithoutTheClients() {
        this.runner.withUserConfiguration(ObservabilityTestClients.OneConnection.class)
            .withBean("emptyRegistry", ReconnectingWebSocketClientRegistry.class, () -> ReconnectingWebSocketClientRegistry.of(List.of()),
                    (definition) -> definition.setPrimary(true))
            .run((context) -> {
            HealthIndicator indicator = context.getBean(BEAN_NAME, HealthIndicator.class);
            assertThat(indicator.health().getStatus()).isEqualTo(Status.UNKNOWN);
            assertThat(indicator.health().getDetails()).containsEntry("connections", 0);
        });
    }

    @Test
    void backsOffForAUserDefinedContributor() {
        this.runner.withUserConfiguration(ObservabilityTestClients.OneConnection.class)
            .withBean(BEAN_NAME, HealthIndicator.class, () -> () -> Health.up().build())
            .run((context) -> assertThat(context).getBean(BEAN_NAME)
                .isNotInstanceOf(ReconnectingWebSocketHealthIndicator.class));
    }

}
