package io.github.reconnectingws.it;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.sql.DataSource;

import io.github.reconnectingws.ReconnectingWebSocketClient;
import io.github.reconnectingws.autoconfigure.InvalidConnectionPropertyException;
import io.github.reconnectingws.autoconfigure.ReconnectingWebSocketAutoConfiguration;
import io.github.reconnectingws.autoconfigure.ReconnectingWebSocketClientCustomizer;
import io.github.reconnectingws.resume.JdbcResumePositionStore;
import io.github.reconnectingws.testsupport.PostgresServer;
import io.github.reconnectingws.testsupport.SequenceFeedServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code resume.store: jdbc} on a real PostgreSQL: the position written when the
 * application stops is where the next start resumes, one row per connection.
 */
class ResumeJdbcStoreTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private static PostgresServer postgres;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ReconnectingWebSocketAutoConfiguration.class,
                SslAutoConfiguration.class, PropertyPlaceholderAutoConfiguration.class))
        .withPropertyValues("reconnecting.websocket.resume.position=/seq", "reconnecting.websocket.resume.store=jdbc",
                "spring.application.name=prices-app");

    @BeforeAll
    static void startPostgres() {
        postgres = PostgresServer.start();
        postgres.execute(JdbcResumePositionStore.DDL);
    }

    @AfterAll
    static void stopPostgres() {
        if (postgres != null) {
            postgres.close();
        }
    }

    private static DataSource dataSource() {
        return postgres.dataSource();
    }

    @Test
    void aRestartResumesWhereTheLastRunStopped() {
        try (SequenceFeedServer feed = SequenceFeedServer.start()) {
            List<String> received = new CopyOnWriteArrayList<>();
            ApplicationContextRunner app = this.runner.withBean(DataSource.class, ResumeJdbcStoreTests::dataSource)
                .withBean(ReconnectingWebSocketClientCustomizer.class,
                        () -> (name, builder) -> builder.messageHandler(
                                (client, session, message) -> received.add((String) message.getPayload())))
                .withPropertyValues("reconnecting.websocket.url=" + feed.uri() + "?since={position}");
            app.run((context) -> {
                assertThat(context).hasNotFailed();
                ReconnectingWebSocketClient client = context.getBean(ReconnectingWebSocketClient.class);
                // a first subscriber gets only what is published after the feed registered it
                await().atMost(TIMEOUT).until(() -> client.isConnected() && feed.openSessions() == 1);
                for (int i = 0; i < 50; i++) {
                    feed.publish();
                }
                await().atMost(TIMEOUT).until(() -> received.size() == 50);
            });
            // stopped: the position is in the database
            assertThat(new JdbcTemplate(dataSource()).queryForObject(
                    "SELECT POSITION FROM RWS_RESUME_POSITION WHERE POSITION_KEY = 'prices-app:default'", String.class))
                .isEqualTo("50");
            for (int i = 0; i < 10; i++) {
                feed.publish();
            }
            app.run((context) -> {
                await().atMost(TIMEOUT).until(() -> received.size() == 60);
                assertThat(feed.queries()).containsExactly("since=", "since=50");
                assertThat(received.get(50)).startsWith("{\"seq\":51,");
                assertThat(context.getBean(ReconnectingWebSocketClient.class).getResumePosition()).hasValue("60");
            });
        }
    }

    @Test
    void withoutADataSourceStartupFailsNamingTheProperty() {
        this.runner.withPropertyValues("reconnecting.websocket.url=ws://127.0.0.1:1/feed").run((context) -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                .isInstanceOfSatisfying(InvalidConnectionPropertyException.class,
                        (ex) -> assertThat(ex.getProperty()).isEqualTo("reconnecting.websocket.resume.store"));
        });
    }

}
