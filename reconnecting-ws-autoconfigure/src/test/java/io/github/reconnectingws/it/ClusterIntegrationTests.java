package io.github.reconnectingws.it;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import io.github.reconnectingws.ConnectionStandbyException;
import io.github.reconnectingws.ConnectionState;
import io.github.reconnectingws.ReconnectingWebSocketClient;
import io.github.reconnectingws.ReconnectingWebSocketClientRegistry;
import io.github.reconnectingws.actuate.ReconnectingWebSocketClientsEndpoint;
import io.github.reconnectingws.autoconfigure.InvalidConnectionPropertyException;
import io.github.reconnectingws.autoconfigure.ReconnectingWebSocketAutoConfiguration;
import io.github.reconnectingws.autoconfigure.ReconnectingWebSocketClusterAutoConfiguration;
import io.github.reconnectingws.autoconfigure.ReconnectingWebSocketHealthContributorAutoConfiguration;
import io.github.reconnectingws.cluster.ConnectionRoles;
import io.github.reconnectingws.cluster.ReconnectingWebSocketCluster;
import io.github.reconnectingws.test.MockWebSocketServer;
import io.github.reconnectingws.testsupport.PostgresServer;
import io.github.reconnectingws.testsupport.RedisServer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Two instances of an application share one cluster store: exactly one holds a
 * connection, the other waits on standby, and a graceful stop of the holder hands the
 * connection over at once. The instances are two application contexts in this JVM over
 * a real PostgreSQL (each test an application of its own); Redis, separate JVMs, SIGKILL,
 * SIGSTOP and many connections are covered by the cluster failover tests.
 */
class ClusterIntegrationTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private static PostgresServer postgres;

    private static DataSource dataSource;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ReconnectingWebSocketAutoConfiguration.class,
                ReconnectingWebSocketClusterAutoConfiguration.class, SslAutoConfiguration.class,
                PropertyPlaceholderAutoConfiguration.class))
        .withPropertyValues("reconnecting.websocket.cluster.enabled=true",
                "reconnecting.websocket.backoff.initial-interval=50ms",
                "spring.application.name=app-" + UUID.randomUUID());

    /** With the PostgreSQL: the instances of one test share its tables under their application's name. */
    private final ApplicationContextRunner clustered = this.runner.withBean(DataSource.class, () -> dataSource);

    @BeforeAll
    static void startPostgres() {
        postgres = PostgresServer.start();
        dataSource = postgres.dataSource();
    }

    @AfterAll
    static void stopPostgres() {
        if (postgres != null) {
            postgres.close();
        }
    }

    /** A server of its own for every test. */
    @RegisterExtension
    final MockWebSocketServer server = MockWebSocketServer.create();

    @Test
    void oneInstanceHoldsTheConnectionAndAGracefulStopHandsItOverAtOnce() {
        ApplicationContextRunner instance = this.clustered.withPropertyValues("reconnecting.websocket.url=" + this.server.uri());
        instance.run((first) -> instance.run((second) -> {
            ReconnectingWebSocketClient one = client(first);
            ReconnectingWebSocketClient two = client(second);
            await().atMost(TIMEOUT).until(() -> (one.isConnected() && two.getState() == ConnectionState.STANDBY)
                    || (two.isConnected() && one.getState() == ConnectionState.STANDBY));
            assertThat(this.server.openConnections().size()).isEqualTo(1);
            boolean oneHolds = one.isConnected();
            AssertableApplicationContext holderContext = oneHolds ? first : second;
            AssertableApplicationContext standbyContext = oneHolds ? second : first;
            ReconnectingWebSocketClient standby = oneHolds ? two : one;
            assertThat(holderContext.getBean(ConnectionRoles.class).role("default")).isEqualTo(ConnectionRoles.LEADER);
            assertThat(standbyContext.getBean(ConnectionRoles.class).role("default"))
                .isEqualTo(ConnectionRoles.STANDBY);
            assertThat(standby.send("not held here")).failsWithin(Duration.ZERO)
                .withThrowableOfType(Exception.class)
                .withCauseInstanceOf(ConnectionStandbyException.class);

            long stopped = System.nanoTime();
            ((ConfigurableApplicationContext) holderContext.getSourceApplicationContext()).close();
            await().atMost(TIMEOUT).until(standby::isConnected);
            long handoverMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopped);
            assertThat(standbyContext.getBean(ConnectionRoles.class).role("default")).isEqualTo(ConnectionRoles.LEADER);
            await().atMost(TIMEOUT).until(() -> this.server.openConnections().size() == 1);
            assertThat(handoverMillis).as("graceful handover").isLessThan(2_000);
            System.out.println("graceful handover in the same JVM: " + handoverMillis + " ms");
        }));
    }

    @Test
    void yieldingHandsTheConnectionToTheOtherInstance() {
        ApplicationContextRunner instance = this.clustered.withPropertyValues("reconnecting.websocket.url=" + this.server.uri());
        instance.run((first) -> instance.run((second) -> {
            ReconnectingWebSocketClient one = client(first);
            ReconnectingWebSocketClient two = client(second);
            await().atMost(TIMEOUT).until(() -> one.isConnected() ^ two.isConnected());
            AssertableApplicationContext holder = one.isConnected() ? first : second;
            ReconnectingWebSocketClient other = one.isConnected() ? two : one;
            assertThat(holder.getBean(ConnectionRoles.class).yieldLeadership("default")).isTrue();
            await().atMost(TIMEOUT).until(other::isConnected);
            await().atMost(TIMEOUT).until(() -> this.server.openConnections().size() == 1);
        }));
    }

    @Test
    void healthEndpointAndGaugeShowTheRole() {
        ApplicationContextRunner instance = this.clustered
            .withConfiguration(AutoConfigurations.of(ReconnectingWebSocketHealthContributorAutoConfiguration.class))
            .withPropertyValues("reconnecting.websocket.url=" + this.server.uri());
        instance.run((first) -> instance.run((second) -> {
            await().atMost(TIMEOUT).until(() -> client(first).isConnected() ^ client(second).isConnected());
            // each has checked in since the other joined
            await().atMost(TIMEOUT).until(() -> first.getBean(ReconnectingWebSocketCluster.class).members() == 2
                    && second.getBean(ReconnectingWebSocketCluster.class).members() == 2);
            for (AssertableApplicationContext context : List.of(first, second)) {
                boolean holds = client(context).isConnected();
                String role = holds ? ConnectionRoles.LEADER : ConnectionRoles.STANDBY;
                Health health = context.getBean("reconnectingWebSocketHealthIndicator", HealthIndicator.class)
                    .health();
                assertThat(health.getStatus()).isEqualTo(Status.UP);
                assertThat(health.getDetails()).containsEntry("role", role)
                    .containsEntry("state", holds ? "CONNECTED" : "STANDBY");
                SimpleMeterRegistry meters = new SimpleMeterRegistry();
                context.getBean(MeterBinder.class).bindTo(meters);
                assertThat(meters.get("reconnecting.websocket.cluster.leader").tag("connection", "default").gauge()
                    .value()).isEqualTo(holds ? 1.0 : 0.0);
                assertThat(meters.get("reconnecting.websocket.cluster.members").gauge().value()).isEqualTo(2.0);
                ReconnectingWebSocketClientsEndpoint endpoint = new ReconnectingWebSocketClientsEndpoint(
                        context.getBean(ReconnectingWebSocketClientRegistry.class),
                        context.getBean(ConnectionRoles.class));
                assertThat(endpoint.connection("default").role()).isEqualTo(role);
                String holder = context.getBean(ReconnectingWebSocketCluster.class).memberId();
                if (holds) {
                    assertThat(endpoint.connection("default").holder()).isEqualTo(holder);
                }
                if (!holds) {
                    Object yielded = endpoint.control("default", "yield").getBody();
                    assertThat(yielded).isInstanceOfSatisfying(ReconnectingWebSocketClientsEndpoint.ConnectionDescriptor.class,
                            (connection) -> assertThat(connection.state()).isEqualTo("STANDBY"));
                }
            }
        }));
    }

    @Test
    void twoApplicationsSharingAStoreEachHoldTheirOwnConnectionOfTheSameName() {
        ApplicationContextRunner shared = this.clustered.withPropertyValues("reconnecting.websocket.url=" + this.server.uri());
        shared.withPropertyValues("spring.application.name=orders")
            .run((orders) -> shared.withPropertyValues("spring.application.name=billing").run((billing) -> {
                await().atMost(TIMEOUT).until(() -> client(orders).isConnected() && client(billing).isConnected());
                assertThat(this.server.openConnections().size()).isEqualTo(2);
            }));
    }

    @Test
    void withoutAStoreStartupFailsNamingTheProperty() {
        this.runner.withPropertyValues("reconnecting.websocket.url=ws://127.0.0.1:1/feed").run((context) -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                .isInstanceOfSatisfying(InvalidConnectionPropertyException.class, (ex) -> {
                    assertThat(ex.getProperty()).isEqualTo("reconnecting.websocket.cluster.enabled");
                    assertThat(ex.getAcceptedValues()).contains("DataSource").contains("RedisConnectionFactory");
                });
        });
    }

    @Test
    void aLockTtlNotMoreThanTwiceTheHeartbeatFailsStartupNamingTheProperty() {
        this.clustered
            .withPropertyValues("reconnecting.websocket.url=ws://127.0.0.1:1/feed",
                    "reconnecting.websocket.cluster.heartbeat=2s", "reconnecting.websocket.cluster.lock-ttl=4s")
            .run((context) -> assertThat(context.getStartupFailure()).rootCause()
                .isInstanceOfSatisfying(InvalidConnectionPropertyException.class,
                        (ex) -> assertThat(ex.getProperty()).isEqualTo("reconnecting.websocket.cluster.lock-ttl")));
    }

    @Test
    void aHeartbeatSetForOneConnectionFailsStartupNamingTheProperty() {
        this.clustered
            .withPropertyValues("reconnecting.websocket.url=ws://127.0.0.1:1/feed",
                    "reconnecting.websocket.connections.other.cluster.heartbeat=1s")
            .run((context) -> assertThat(context.getStartupFailure()).rootCause()
                .isInstanceOfSatisfying(InvalidConnectionPropertyException.class, (ex) -> assertThat(ex.getProperty())
                    .isEqualTo("reconnecting.websocket.connections.other.cluster.heartbeat")));
    }

    @Test
    void aConnectionOnlyOneInstanceHasIsHeldByIt() {
        // a rolling deployment that adds connection "added": the old instance does not know it
        ApplicationContextRunner old = this.clustered.withPropertyValues("reconnecting.websocket.url=" + this.server.uri());
        ApplicationContextRunner updated = old
            .withPropertyValues("reconnecting.websocket.connections.added.url=" + this.server.uri() + "?added");
        old.run((first) -> updated.run((second) -> {
            ReconnectingWebSocketClient added = second.getBean(ReconnectingWebSocketClientRegistry.class)
                .getClient("added");
            await().atMost(TIMEOUT).until(() -> added.isConnected()
                    && (client(first).isConnected() ^ client(second).isConnected()));
            assertThat(this.server.openConnections()).hasSize(2);
        }));
    }

    @Test
    void aStoreThatHangsLetsTheConnectionsGoWhenTheLeaseLapsesAndTakesThemBackWhenItAnswers() {
        try (RedisServer redis = RedisServer.start()) {
            LettuceConnectionFactory connectionFactory = new LettuceConnectionFactory(redis.host(), redis.port());
            connectionFactory.afterPropertiesSet();
            connectionFactory.start();
            this.runner.withBean(LettuceConnectionFactory.class, () -> connectionFactory)
                .withPropertyValues("reconnecting.websocket.url=" + this.server.uri(),
                        "reconnecting.websocket.connections.other.url=" + this.server.uri() + "?other",
                        "reconnecting.websocket.cluster.lock-ttl=2s")
                .run((context) -> {
                    ReconnectingWebSocketClientRegistry clients = context.getBean(ReconnectingWebSocketClientRegistry.class);
                    await().atMost(TIMEOUT)
                        .until(() -> clients.getClients().values().stream().allMatch(ReconnectingWebSocketClient::isConnected));
                    long frozen = System.nanoTime();
                    redis.freeze();
                    try {
                        // check-ins hang: no lease, so no holder
                        await().atMost(TIMEOUT).until(() -> clients.getClients().values().stream()
                            .allMatch((client) -> client.getState() == ConnectionState.STANDBY));
                        long letGoMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - frozen);
                        await().atMost(TIMEOUT).until(() -> this.server.openConnections().isEmpty());
                        assertThat(letGoMillis).as("let go after the store stopped answering").isLessThan(2_000 + 1_000);
                        assertThat(context.getBean(ConnectionRoles.class).role("default")).isEqualTo(ConnectionRoles.STANDBY);
                    }
                    finally {
                        redis.thaw();
                    }
                    await().atMost(TIMEOUT)
                        .until(() -> clients.getClients().values().stream().allMatch(ReconnectingWebSocketClient::isConnected));
                });
            connectionFactory.destroy();
        }
    }

    @Test
    void connectionsWithoutClusterAreLeftAlone() {
        this.runner.withPropertyValues("reconnecting.websocket.cluster.enabled=false",
                "reconnecting.websocket.url=ws://127.0.0.1:1/feed", "reconnecting.websocket.auto-startup=false")
            .run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(ConnectionRoles.class));
    }

    @Test
    void standbyClientsRefuseToReconnect() {
        this.clustered
            .withPropertyValues("reconnecting.websocket.url=ws://127.0.0.1:1/feed",
                    "reconnecting.websocket.auto-startup=false")
            .run((context) -> {
                ReconnectingWebSocketClient client = client(context);
                await().atMost(TIMEOUT).until(() -> client.getState() == ConnectionState.STANDBY);
                assertThatExceptionOfType(ConnectionStandbyException.class).isThrownBy(client::reconnect);
            });
    }

    private static ReconnectingWebSocketClient client(AssertableApplicationContext context) {
        assertThat(context).hasNotFailed();
        return context.getBean(ReconnectingWebSocketClient.class);
    }

}
