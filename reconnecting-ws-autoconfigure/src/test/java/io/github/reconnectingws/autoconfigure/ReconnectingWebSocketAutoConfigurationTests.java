package io.github.reconnectingws.autoconfigure;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.reconnectingws.ConnectionSettings;
import io.github.reconnectingws.ConnectionState;
import io.github.reconnectingws.HandshakeRequestCustomizer;
import io.github.reconnectingws.ReconnectingWebSocketClient;
import io.github.reconnectingws.ReconnectingWebSocketClientRegistry;
import io.github.reconnectingws.OutboundOverflow;
import io.github.reconnectingws.PayloadEncoder;
import io.github.reconnectingws.connection.WebSocketClientResources;
import io.github.reconnectingws.listener.WebSocketListenerAnnotationBeanPostProcessor;
import io.github.reconnectingws.test.MockWebSocketServer;
import org.apache.tomcat.websocket.WsWebSocketContainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.messaging.handler.annotation.support.MessageHandlerMethodFactory;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.concurrent.ConcurrentTaskScheduler;
import org.springframework.util.unit.DataSize;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.client.WebSocketClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Conditions, beans and properties of {@link ReconnectingWebSocketAutoConfiguration}.
 */
@ExtendWith(OutputCaptureExtension.class)
class ReconnectingWebSocketAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ReconnectingWebSocketAutoConfiguration.class))
        .withPropertyValues("reconnecting.websocket.auto-startup=false");

    @Test
    void withoutUrlThereIsNoClientButTheInfrastructureIsThere() {
        this.runner.run((context) -> {
            assertThat(context).doesNotHaveBean(ReconnectingWebSocketClient.class);
            assertThat(context).hasSingleBean(ReconnectingWebSocketClientRegistry.class);
            assertThat(context).hasSingleBean(WebSocketClientResources.class);
            assertThat(context).hasSingleBean(WebSocketListenerAnnotationBeanPostProcessor.class);
            assertThat(context.getBean(ReconnectingWebSocketClientRegistry.class).getClients()).isEmpty();
        });
    }

    @Test
    void urlCreatesTheDefaultClient() {
        this.runner.withPropertyValues("reconnecting.websocket.url=ws://user:secret@localhost:1/feed?token=abc")
            .run((context) -> {
                assertThat(context).hasSingleBean(ReconnectingWebSocketClient.class);
                assertThat(context).hasBean("reconnectingWebSocketClient");
                ReconnectingWebSocketClient client = context.getBean(ReconnectingWebSocketClient.class);
                assertThat(client.getName()).isEqualTo("default");
                assertThat(client.getUrl()).isEqualTo("ws://******@localhost:1/feed?token=******");
                assertThat(client.getState()).isEqualTo(ConnectionState.NEW);
                assertThat(context.getBean(ReconnectingWebSocketClientRegistry.class).getClient("default"))
                    .isSameAs(client);
            });
    }

    @Test
    void namedConnectionsGetTheirOwnBeansAndTheDefaultOneIsPrimary() {
        this.runner
            .withPropertyValues("reconnecting.websocket.url=ws://localhost:1/a",
                    "reconnecting.websocket.connections.prices.url=ws://localhost:2/b",
                    "reconnecting.websocket.connections.orders-eu.url=ws://localhost:3/c")
            .run((context) -> {
                assertThat(context.getBeansOfType(ReconnectingWebSocketClient.class)).containsOnlyKeys(
                        "reconnectingWebSocketClient", "pricesReconnectingWebSocketClient",
                        "orders-euReconnectingWebSocketClient");
                assertThat(context.getBean(ReconnectingWebSocketClient.class).getName()).isEqualTo("default");
                assertThat(context.getBean("pricesReconnectingWebSocketClient", ReconnectingWebSocketClient.class)
                    .getName()).isEqualTo("prices");
                assertThat(context.getBean(ReconnectingWebSocketClientRegistry.class).getClients())
                    .containsOnlyKeys("default", "prices", "orders-eu");
                assertThat(context.getBean(ReconnectingWebSocketClientRegistry.class).getClients().keySet())
                    .containsExactly("default", "prices", "orders-eu");
            });
    }

    @Test
    void namedConnectionsOnlyWithoutDefault() {
        this.runner.withPropertyValues("reconnecting.websocket.connections.prices.url=ws://localhost:2/b")
            .run((context) -> {
                assertThat(context).hasSingleBean(ReconnectingWebSocketClient.class);
                assertThat(context).doesNotHaveBean("reconnectingWebSocketClient");
                assertThat(context.getBean(ReconnectingWebSocketClient.class).getName()).isEqualTo("prices");
            });
    }

    @Test
    void topLevelDefaultsMatchTheSpecification() {
        this.runner.withPropertyValues("reconnecting.websocket.url=ws://localhost:1/a").run((context) -> {
            ConnectionSettings settings = context.getBean(ConnectionDefinitions.class).settings("default");
            assertThat(settings.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
            assertThat(context.getBean(ConnectionDefinitions.class).get("default").isFailFast()).isFalse();
            assertThat(settings.maxTextMessageSize()).isEqualTo(DataSize.ofKilobytes(64));
            assertThat(settings.maxBinaryMessageSize()).isEqualTo(DataSize.ofKilobytes(64));
            assertThat(settings.backoff().initialInterval()).isEqualTo(Duration.ofMillis(100));
            assertThat(settings.backoff().multiplier()).isEqualTo(2.0);
            assertThat(settings.backoff().randomizationFactor()).isEqualTo(0.5);
            assertThat(settings.backoff().maxInterval()).isEqualTo(Duration.ofSeconds(30));
            assertThat(settings.backoff().maxElapsedTime()).isZero();
            assertThat(settings.maxReconnects()).isZero();
            assertThat(settings.maxReconnectsWindow()).isEqualTo(Duration.ofMinutes(1));
            assertThat(settings.heartbeat().interval()).isEqualTo(Duration.ofSeconds(20));
            assertThat(settings.heartbeat().timeout()).isEqualTo(Duration.ofSeconds(10));
            assertThat(settings.outbound().bufferSize()).isEqualTo(1000);
            assertThat(settings.outbound().overflow()).isEqualTo(OutboundOverflow.REJECT);
            assertThat(settings.outbound().sendTimeLimit()).isEqualTo(Duration.ofSeconds(10));
            assertThat(settings.shutdownTimeout()).isEqualTo(Duration.ofSeconds(5));
            assertThat(settings.backoff().stableAfter()).isEqualTo(Duration.ofSeconds(5));
            assertThat(settings.outbound().writeInline()).isFalse();
            assertThat(new ConnectionProperties().isAutoStartup()).isTrue();
            assertThat(settings.followRedirects()).isFalse();
            assertThat(settings.headers()).isEmpty();
            assertThat(settings.subprotocols()).isEmpty();
        });
    }

    @Test
    void thePlainBuilderHasTheSameDefaultsAsTheProperties() {
        this.runner.withPropertyValues("reconnecting.websocket.url=ws://localhost:1/a").run((context) -> {
            ConnectionSettings bound = context.getBean(ConnectionDefinitions.class).settings("default");
            // every setting: the defaults of the properties are those of the settings
            assertThat(bound).isEqualTo(ConnectionSettings.DEFAULTS.withUrl("ws://localhost:1/a"));
        });
    }

    @Test
    void namedConnectionInheritsEveryUnsetSettingFieldByField() {
        this.runner
            .withPropertyValues("reconnecting.websocket.url=ws://localhost:1/a",
                    "reconnecting.websocket.headers.Authorization=Bearer top",
                    "reconnecting.websocket.subprotocols=v1.json", "reconnecting.websocket.connect-timeout=3s",
                    "reconnecting.websocket.fail-fast=true", "reconnecting.websocket.max-text-message-size=128KB",
                    "reconnecting.websocket.max-binary-message-size=32KB",
                    "reconnecting.websocket.backoff.initial-interval=1s",
                    "reconnecting.websocket.backoff.multiplier=3",
                    "reconnecting.websocket.backoff.randomization-factor=0.1",
                    "reconnecting.websocket.backoff.max-interval=1m",
                    "reconnecting.websocket.backoff.max-elapsed-time=10m",
                    "reconnecting.websocket.backoff.stable-after=30s", "reconnecting.websocket.max-reconnects=5",
                    "reconnecting.websocket.max-reconnects-window=2m", "reconnecting.websocket.heartbeat.interval=0s",
                    "reconnecting.websocket.heartbeat.timeout=4s", "reconnecting.websocket.outbound.buffer-size=10",
                    "reconnecting.websocket.outbound.overflow=drop-oldest",
                    "reconnecting.websocket.outbound.send-time-limit=2s",
                    "reconnecting.websocket.outbound.write-inline=true",
                    "reconnecting.websocket.shutdown-timeout=1s",
                    "reconnecting.websocket.connections.prices.url=ws://localhost:2/b",
                    "reconnecting.websocket.connections.prices.backoff.multiplier=1.5",
                    "reconnecting.websocket.connections.prices.outbound.buffer-size=20",
                    "reconnecting.websocket.connections.prices.auto-startup=true",
                    "reconnecting.websocket.connections.prices.heartbeat.interval=7s",
                    "reconnecting.websocket.connections.prices.headers.X-Key=k")
            .withPropertyValues("reconnecting.websocket.connections.prices.auto-startup=false")
            .run((context) -> {
                ConnectionProperties prices = context.getBean(ConnectionDefinitions.class).get("prices");
                // overridden
                assertThat(prices.getUrl()).isEqualTo("ws://localhost:2/b");
                assertThat(prices.getBackoff().getMultiplier()).isEqualTo(1.5);
                assertThat(prices.getOutbound().getBufferSize()).isEqualTo(20);
                assertThat(prices.getHeartbeat().getInterval()).isEqualTo(Duration.ofSeconds(7));
                assertThat(prices.getHeaders()).containsOnlyKeys("X-Key");
                // inherited, including siblings of overridden nested settings
                assertThat(prices.getSubprotocols()).containsExactly("v1.json");
                assertThat(prices.getConnectTimeout()).isEqualTo(Duration.ofSeconds(3));
                assertThat(prices.isFailFast()).isTrue();
                assertThat(prices.isAutoStartup()).isFalse();
                assertThat(prices.getMaxTextMessageSize()).isEqualTo(DataSize.ofKilobytes(128));
                assertThat(prices.getMaxBinaryMessageSize()).isEqualTo(DataSize.ofKilobytes(32));
                assertThat(prices.getBackoff().getInitialInterval()).isEqualTo(Duration.ofSeconds(1));
                assertThat(prices.getBackoff().getRandomizationFactor()).isEqualTo(0.1);
                assertThat(prices.getBackoff().getMaxInterval()).isEqualTo(Duration.ofMinutes(1));
                assertThat(prices.getBackoff().getMaxElapsedTime()).isEqualTo(Duration.ofMinutes(10));
                assertThat(prices.getBackoff().getStableAfter()).isEqualTo(Duration.ofSeconds(30));
                assertThat(prices.getOutbound().isWriteInline()).isTrue();
                assertThat(prices.getMaxReconnects()).isEqualTo(5);
                assertThat(prices.getMaxReconnectsWindow()).isEqualTo(Duration.ofMinutes(2));
                assertThat(prices.getHeartbeat().getTimeout()).isEqualTo(Duration.ofSeconds(4));
                assertThat(prices.getOutbound().getOverflow()).isEqualTo(OutboundOverflow.DROP_OLDEST);
                assertThat(prices.getOutbound().getSendTimeLimit()).isEqualTo(Duration.ofSeconds(2));
                assertThat(prices.getShutdownTimeout()).isEqualTo(Duration.ofSeconds(1));
                // the default connection keeps its own
                ConnectionProperties top = context.getBean(ConnectionDefinitions.class).get("default");
                assertThat(top.getBackoff().getMultiplier()).isEqualTo(3.0);
                assertThat(top.getHeaders()).containsOnlyKeys("Authorization");
            });
    }

    @Test
    void givingUpAfterMaxElapsedTimeLogsTheLastFailureMasked(CapturedOutput output) {
        MockWebSocketServer server = MockWebSocketServer.create().start();
        try {
            server.rejectHandshakes(503);
            this.runner
                .withPropertyValues("reconnecting.websocket.url=" + server.url() + "?token=tok-5c1e8d2f9a",
                        "reconnecting.websocket.backoff.initial-interval=50ms",
                        "reconnecting.websocket.backoff.max-interval=100ms",
                        "reconnecting.websocket.backoff.max-elapsed-time=1s")
                .run((context) -> {
                    ReconnectingWebSocketClient client = context.getBean(ReconnectingWebSocketClient.class);
                    client.start();
                    await().atMost(Duration.ofSeconds(20)).until(() -> client.getState() == ConnectionState.FAILED);
                    // the line is logged after the state changed
                    await().atMost(Duration.ofSeconds(20))
                        .untilAsserted(() -> assertThat(output)
                            .containsPattern("ERROR .*WebSocket 'default' .*gave up.* max-elapsed-time PT1S"
                                    + ".*; last failure: HandshakeRejectedException.*503"));
                    assertThat(output).doesNotContain("tok-5c1e8d2f9a");
                });
        }
        finally {
            server.close();
        }
    }

    @Test
    void credentialsAreInheritedOnlyByConnectionsOfTheSameOrigin(CapturedOutput output) {
        this.runner
            .withPropertyValues("reconnecting.websocket.url=ws://127.0.0.1:1/a",
                    "reconnecting.websocket.headers.Authorization=Bearer top-secret-token",
                    "reconnecting.websocket.stomp.login=guest", "reconnecting.websocket.stomp.passcode=pass-word",
                    "reconnecting.websocket.proxy.url=http://127.0.0.1:3128",
                    "reconnecting.websocket.proxy.username=proxy-user",
                    "reconnecting.websocket.proxy.password=proxy-password",
                    "reconnecting.websocket.connections.same.url=ws://127.0.0.1:1/b",
                    "reconnecting.websocket.connections.third-party.url=wss://localhost:2/x",
                    "reconnecting.websocket.connections.own.url=ws://localhost:3/y",
                    "reconnecting.websocket.connections.own.headers.X-Key=k",
                    "reconnecting.websocket.connections.own.stomp.passcode=own-passcode")
            .run((context) -> {
                ConnectionDefinitions definitions = context.getBean(ConnectionDefinitions.class);
                ConnectionProperties same = definitions.get("same");
                assertThat(same.getHeaders()).containsOnlyKeys("Authorization");
                assertThat(same.getStomp().getPasscode()).isEqualTo("pass-word");
                ConnectionProperties thirdParty = definitions.get("third-party");
                assertThat(thirdParty.getHeaders()).isEmpty();
                assertThat(thirdParty.getStomp().getLogin()).isNull();
                assertThat(thirdParty.getStomp().getPasscode()).isNull();
                // the proxy is inherited whatever the feed: its credentials go to the proxy
                assertThat(thirdParty.getProxy().getUrl()).isEqualTo("http://127.0.0.1:3128");
                assertThat(thirdParty.getProxy().getPassword()).isEqualTo("proxy-password");
                ConnectionProperties own = definitions.get("own");
                assertThat(own.getHeaders()).containsOnlyKeys("X-Key");
                assertThat(own.getStomp().getPasscode()).isEqualTo("own-passcode");
                assertThat(own.getStomp().getLogin()).isNull();
                assertThat(output).contains("reconnecting.websocket.connections.third-party.url is another origin "
                        + "(wss://localhost:2) than reconnecting.websocket.url (ws://127.0.0.1:1), so the top-level "
                        + "headers [Authorization] are not sent to it; set "
                        + "reconnecting.websocket.connections.third-party.headers");
                assertThat(output).doesNotContain("top-secret-token").doesNotContain("pass-word");
            });
    }

    @Test
    void withoutATopLevelUrlTheTopLevelHeadersAreDefaultsOfEveryConnection() {
        this.runner
            .withPropertyValues("reconnecting.websocket.headers.Authorization=Bearer shared",
                    "reconnecting.websocket.connections.a.url=ws://127.0.0.1:1/a",
                    "reconnecting.websocket.connections.b.url=wss://localhost:2/b")
            .run((context) -> {
                ConnectionDefinitions definitions = context.getBean(ConnectionDefinitions.class);
                assertThat(definitions.get("a").getHeaders()).containsOnlyKeys("Authorization");
                assertThat(definitions.get("b").getHeaders()).containsOnlyKeys("Authorization");
            });
    }

    @Test
    void compressionAndProxyAreInheritedAndSwitchedPerConnection() {
        this.runner
            .withPropertyValues("reconnecting.websocket.url=ws://127.0.0.1:1/a",
                    "reconnecting.websocket.proxy.url=http://127.0.0.1:3128",
                    "reconnecting.websocket.connections.plain.url=ws://127.0.0.1:1/b",
                    "reconnecting.websocket.connections.plain.compression.enabled=false",
                    "reconnecting.websocket.connections.plain.proxy.url=")
            .run((context) -> {
                ConnectionDefinitions definitions = context.getBean(ConnectionDefinitions.class);
                assertThat(definitions.get("default").getCompression().isEnabled()).isTrue();
                assertThat(definitions.get("default").getProxy().getUrl()).isEqualTo("http://127.0.0.1:3128");
                assertThat(definitions.get("plain").getCompression().isEnabled()).isFalse();
                assertThat(definitions.get("plain").getProxy().getUrl()).isEmpty();
            });
    }

    @Test
    void namedConnectionWithoutUrlInheritsTheTopLevelUrl() {
        this.runner
            .withPropertyValues("reconnecting.websocket.url=ws://localhost:1/a",
                    "reconnecting.websocket.connections.other.headers.X-Tenant=two")
            .run((context) -> assertThat(context.getBean(ConnectionDefinitions.class).get("other").getUrl())
                .isEqualTo("ws://localhost:1/a"));
    }

    @Test
    void headersSubprotocolsAndHandshakeCustomizersReachTheHandshake() {
        RecordingTransport transport = new RecordingTransport();
        this.runner
            .withPropertyValues("reconnecting.websocket.url=ws://localhost:1/a",
                    "reconnecting.websocket.headers.Authorization=Bearer static",
                    "reconnecting.websocket.subprotocols=v1.json,v2.json")
            .withBean(WebSocketClient.class, () -> transport)
            .withBean("tokenRefresh", HandshakeRequestCustomizer.class,
                    () -> (request) -> request.getHeaders().set("Authorization", "Bearer fresh"))
            .withBean("queryToken", HandshakeRequestCustomizer.class,
                    () -> (request) -> request.setUri(URI.create(request.getUri() + "?conn=" + request.getConnectionName())))
            .run((context) -> {
                context.getBean(ReconnectingWebSocketClient.class).start();
                await().atMost(Duration.ofSeconds(10)).until(() -> !transport.handshakes.isEmpty());
                RecordingTransport.Handshake handshake = transport.handshakes.get(0);
                assertThat(handshake.headers().get("Authorization")).containsExactly("Bearer fresh");
                assertThat(handshake.headers().getSecWebSocketProtocol()).containsExactly("v1.json", "v2.json");
                assertThat(handshake.uri()).isEqualTo(URI.create("ws://localhost:1/a?conn=default"));
            });
    }

    @Test
    void customizersAreAppliedInOrderPerConnection() {
        List<String> calls = new ArrayList<>();
        this.runner
            .withPropertyValues("reconnecting.websocket.url=ws://localhost:1/a",
                    "reconnecting.websocket.connections.prices.url=ws://localhost:2/b")
            .withUserConfiguration(OrderedCustomizers.class)
            .withBean(Calls.class, () -> new Calls(calls))
            .run((context) -> {
                assertThat(context).hasNotFailed();
                assertThat(calls).containsExactly("first:default", "second:default", "first:prices",
                        "second:prices");
            });
    }

    @Test
    void backsOffFromUserResourcesRegistryAndPayloadEncoder() {
        WebSocketClientResources resources = new WebSocketClientResources();
        ReconnectingWebSocketClientRegistry registry = ReconnectingWebSocketClientRegistry.of(List.of());
        PayloadEncoder encoder = (payload) -> new TextMessage("custom");
        this.runner.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class))
            .withBean(WebSocketClientResources.class, () -> resources)
            .withBean(ReconnectingWebSocketClientRegistry.class, () -> registry)
            .withBean(PayloadEncoder.class, () -> encoder)
            .run((context) -> {
                assertThat(context.getBean(WebSocketClientResources.class)).isSameAs(resources);
                assertThat(context.getBean(ReconnectingWebSocketClientRegistry.class)).isSameAs(registry);
                assertThat(context.getBean(PayloadEncoder.class)).isSameAs(encoder);
            });
    }

    @Test
    void backsOffFromAClientBeanOfTheSameName() {
        this.runner.withPropertyValues("reconnecting.websocket.url=ws://localhost:1/a")
            .withBean("reconnectingWebSocketClient", ReconnectingWebSocketClient.class,
                    () -> io.github.reconnectingws.connection.ReconnectingWebSocketClientBuilder
                        .forUrl("ws://localhost:9/mine")
                        .build())
            .run((context) -> assertThat(context.getBean(ReconnectingWebSocketClient.class).getUrl())
                .isEqualTo("ws://localhost:9/mine"));
    }

    @Test
    void applicationsOwnClientBeanIsNotStartedByTheAutoConfiguration() {
        RecordingTransport transport = new RecordingTransport();
        this.runner
            .withPropertyValues("reconnecting.websocket.url=ws://localhost:1/a",
                    "reconnecting.websocket.auto-startup=true")
            .withBean("reconnectingWebSocketClient", ReconnectingWebSocketClient.class,
                    () -> io.github.reconnectingws.connection.ReconnectingWebSocketClientBuilder
                        .forUrl("ws://localhost:9/mine")
                        .name("mine")
                        .transport(transport)
                        .build())
            .run((context) -> {
                assertThat(context).hasNotFailed();
                assertThat(context.getBean(ReconnectingWebSocketClient.class).getState())
                    .isEqualTo(ConnectionState.NEW);
                assertThat(context.getBean(ReconnectingWebSocketClientRegistry.class).getClients())
                    .containsOnlyKeys("mine");
            });
    }

    @Test
    void clientsAreCreatedAndStartedEvenWithLazyInitialization() {
        RecordingTransport transport = new RecordingTransport();
        this.runner
            .withPropertyValues("reconnecting.websocket.url=ws://localhost:1/a",
                    "reconnecting.websocket.auto-startup=true", "spring.main.lazy-initialization=true")
            .withInitializer((context) -> context
                .addBeanFactoryPostProcessor(new org.springframework.boot.LazyInitializationBeanFactoryPostProcessor()))
            .withBean(WebSocketClient.class, () -> transport)
            .run((context) -> await().atMost(Duration.ofSeconds(10)).until(() -> !transport.handshakes.isEmpty()));
    }

    @Test
    void usesTheSchedulerBeanNamedForIt() {
        AtomicInteger scheduled = new AtomicInteger();
        ConcurrentTaskScheduler scheduler = new ConcurrentTaskScheduler() {
            @Override
            public java.util.concurrent.ScheduledFuture<?> schedule(Runnable task, java.time.Instant startTime) {
                scheduled.incrementAndGet();
                return super.schedule(task, startTime);
            }
        };
        this.runner.withPropertyValues("reconnecting.websocket.url=ws://localhost:1/a")
            .withBean(WebSocketClient.class, RecordingTransport::new)
            .withBean(ReconnectingWebSocketAutoConfiguration.TASK_SCHEDULER_BEAN_NAME, TaskScheduler.class,
                    () -> scheduler)
            .run((context) -> {
                context.getBean(ReconnectingWebSocketClient.class).start();
                await().atMost(Duration.ofSeconds(10)).until(() -> scheduled.get() > 0);
            });
    }

    @Test
    void payloadEncoderWritesJsonWithTheContextsMapper() {
        this.runner.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class)).run((context) -> {
            assertThat(context).hasSingleBean(JsonMapper.class);
            WebSocketMessage<?> message = context.getBean(PayloadEncoder.class).encode(new Price("ACME", 12.5));
            assertThat(message).isInstanceOf(TextMessage.class);
            assertThat(message.getPayload()).isEqualTo("{\"symbol\":\"ACME\",\"value\":12.5}");
        });
    }

    @Test
    void payloadEncoderUsesTheApplicationsOwnMapper() {
        this.runner.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class))
            .withBean(JsonMapper.class,
                    () -> JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.UPPER_SNAKE_CASE).build())
            .run((context) -> assertThat(context.getBean(PayloadEncoder.class).encode(new Price("ACME", 1.0))
                .getPayload()).isEqualTo("{\"SYMBOL\":\"ACME\",\"VALUE\":1.0}"));
    }

    @Test
    void withoutJacksonThereIsNoPayloadEncoderButListenersStillWork() {
        this.runner.withClassLoader(new FilteredClassLoader(JsonMapper.class)).run((context) -> {
            assertThat(context).doesNotHaveBean(PayloadEncoder.class);
            assertThat(context).hasSingleBean(WebSocketListenerAnnotationBeanPostProcessor.class);
        });
    }

    @Test
    void withoutSpringMessagingThereAreNoListeners() {
        this.runner.withClassLoader(new FilteredClassLoader(MessageHandlerMethodFactory.class))
            .withPropertyValues("reconnecting.websocket.url=ws://localhost:1/a")
            .run((context) -> {
                assertThat(context).doesNotHaveBean(WebSocketListenerAnnotationBeanPostProcessor.class);
                assertThat(context).hasSingleBean(ReconnectingWebSocketClient.class);
            });
    }

    @Test
    void withoutTomcatsClientNothingIsConfigured() {
        this.runner.withClassLoader(new FilteredClassLoader(WsWebSocketContainer.class))
            .withPropertyValues("reconnecting.websocket.url=ws://localhost:1/a")
            .run((context) -> assertThat(context).doesNotHaveBean(ReconnectingWebSocketClientRegistry.class)
                .doesNotHaveBean(ReconnectingWebSocketClient.class));
    }

    @Test
    void disabledCreatesNothing() {
        this.runner
            .withPropertyValues("reconnecting.websocket.enabled=false", "reconnecting.websocket.url=ws://localhost:1/a",
                    "reconnecting.websocket.connections.prices.url=ws://localhost:2/b")
            .run((context) -> {
                assertThat(context).hasNotFailed();
                assertThat(context).doesNotHaveBean(ReconnectingWebSocketClient.class);
                assertThat(context).doesNotHaveBean(ReconnectingWebSocketClientRegistry.class);
                assertThat(context).doesNotHaveBean(WebSocketClientResources.class);
                assertThat(context).doesNotHaveBean(WebSocketListenerAnnotationBeanPostProcessor.class);
                assertThat(context).doesNotHaveBean(ReconnectingWebSocketProperties.class);
            });
    }

    @Test
    void autoStartupStartsClientsWithTheContextAndCloseStopsThem() {
        RecordingTransport transport = new RecordingTransport();
        this.runner
            .withPropertyValues("reconnecting.websocket.url=ws://localhost:1/a",
                    "reconnecting.websocket.auto-startup=true",
                    "reconnecting.websocket.connections.manual.url=ws://localhost:2/b",
                    "reconnecting.websocket.connections.manual.auto-startup=false")
            .withBean(WebSocketClient.class, () -> transport)
            .run((context) -> {
                ReconnectingWebSocketClientRegistry registry = context.getBean(ReconnectingWebSocketClientRegistry.class);
                await().atMost(Duration.ofSeconds(10)).until(() -> !transport.handshakes.isEmpty());
                assertThat(registry.getClient("default").getState()).isNotEqualTo(ConnectionState.NEW);
                assertThat(registry.getClient("manual").getState()).isEqualTo(ConnectionState.NEW);
                assertThat(transport.handshakes).allSatisfy((h) -> assertThat(h.uri().getPort()).isEqualTo(1));
                context.close();
                assertThat(registry.getClient("default").getState()).isEqualTo(ConnectionState.CLOSED);
            });
    }

    record Price(String symbol, double value) {
    }

    record Calls(List<String> names) {
    }

    @Configuration(proxyBeanMethods = false)
    static class OrderedCustomizers {

        @Bean
        @Order(2)
        ReconnectingWebSocketClientCustomizer second(Calls calls) {
            return (name, builder) -> calls.names().add("second:" + name);
        }

        @Bean
        @Order(1)
        ReconnectingWebSocketClientCustomizer first(Calls calls) {
            return (name, builder) -> calls.names().add("first:" + name);
        }

    }

}
