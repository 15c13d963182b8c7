package io.github.reconnectingws.autoconfigure;

import io.github.reconnectingws.actuate.ReconnectingWebSocketClientsEndpoint;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ReconnectingWebSocketEndpointAutoConfiguration}.
 */
class ReconnectingWebSocketEndpointAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ReconnectingWebSocketEndpointAutoConfiguration.class))
        .withUserConfiguration(ObservabilityTestClients.OneConnection.class);

    // ApplicationContextRunner binds enum properties strictly; an application also takes "unrestricted"

    @Test
    void isOffByDefault() {
        this.runner.run((context) -> assertThat(context).doesNotHaveBean(ReconnectingWebSocketClientsEndpoint.class));
    }

    @Test
    void isOffWhenExposedWithoutAccess() {
        this.runner.withPropertyValues("management.endpoints.web.exposure.include=*")
            .run((context) -> assertThat(context).doesNotHaveBean(ReconnectingWebSocketClientsEndpoint.class));
    }

    @Test
    void isOnWhenGrantedAccessAndExposed() {
        this.runner
            .withPropertyValues("management.endpoint.websocketclients.access=UNRESTRICTED",
                    "management.endpoints.web.exposure.include=websocketclients")
            .run((context) -> assertThat(context).hasSingleBean(ReconnectingWebSocketClientsEndpoint.class));
    }

    @Test
    void listsTheConfiguredConnections() {
        new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ReconnectingWebSocketAutoConfiguration.class,
                    ReconnectingWebSocketEndpointAutoConfiguration.class))
            .withPropertyValues("management.endpoint.websocketclients.access=UNRESTRICTED",
                    "management.endpoints.web.exposure.include=websocketclients",
                    "reconnecting.websocket.auto-startup=false", "reconnecting.websocket.url=ws://127.0.0.1:9/feed")
            .run((context) -> assertThat(
                    context.getBean(ReconnectingWebSocketClientsEndpoint.class).connections().connections())
                .containsOnlyKeys("default"));
    }

    @Test
    void isOffWhenGrantedAccessButNotExposed() {
        this.runner.withPropertyValues("management.endpoint.websocketclients.access=UNRESTRICTED")
            .run((context) -> assertThat(context).doesNotHaveBean(ReconnectingWebSocketClientsEndpoint.class));
    }

    @Test
    void backsOffWithoutTheActuator() {
        this.runner.withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate"))
            .withPropertyValues("management.endpoint.websocketclients.access=UNRESTRICTED",
                    "management.endpoints.web.exposure.include=websocketclients")
            .run((context) -> assertThat(context).hasNotFailed()
                .doesNotHaveBean(ReconnectingWebSocketClientsEndpoint.class));
    }

}
