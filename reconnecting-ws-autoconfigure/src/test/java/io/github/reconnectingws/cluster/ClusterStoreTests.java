package io.github.reconnectingws.cluster;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.github.reconnectingws.testsupport.PostgresServer;
import io.github.reconnectingws.testsupport.RedisServer;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The cluster stores' contract, on a real PostgreSQL and a real Redis (skipped, with the
 * reason, when one is not installed): leases that expire by the store's clock, claims
 * that only one of two instances wins, releases, and leaving.
 */
class ClusterStoreTests {

    private static final Duration TTL = Duration.ofSeconds(30);

    @Test
    void postgresql() {
        try (PostgresServer postgres = PostgresServer.start()) {
            JdbcClusterStore store = new JdbcClusterStore(postgres.dataSource());
            store.createTables();
            store.createTables(); // twice: creating the tables is idempotent
            contract(store);
        }
    }

    @Test
    void redis() {
        try (RedisServer redis = RedisServer.start()) {
            LettuceConnectionFactory connectionFactory = new LettuceConnectionFactory(redis.host(), redis.port());
            connectionFactory.afterPropertiesSet();
            connectionFactory.start();
            try {
                contract(new RedisClusterStore(connectionFactory, "test:"));
            }
            finally {
                connectionFactory.destroy();
            }
        }
    }

    private void contract(ClusterStore store) {
        String app = "app-" + UUID.randomUUID();
        store.register(app, List.of("a", "b"));
        store.register(app, List.of("a")); // twice: nothing changes

        ClusterStore.View first = store.checkIn(app, "one", TTL);
        ClusterStore.View second = store.checkIn(app, "two", TTL);
        assertThat(second.members()).containsExactlyInAnyOrder("one", "two");
        assertThat(second.holdings()).containsOnlyKeys("a", "b");
        assertThat(second.holder("a")).isNull();
        long epoch = first.holdings().get("a").epoch();

        // both claim "a" with the epoch they saw: one wins
        Map<String, Long> won = store.claim(app, "one", Map.of("a", epoch));
        assertThat(won).containsExactly(Map.entry("a", epoch + 1));
        assertThat(store.claim(app, "two", Map.of("a", epoch))).isEmpty();
        // with the new epoch too: "one" is live
        assertThat(store.claim(app, "two", Map.of("a", epoch + 1))).isEmpty();
        assertThat(store.checkIn(app, "two", TTL).holder("a")).isEqualTo("one");

        // only the holder releases
        store.release(app, "two", List.of("a"));
        assertThat(store.checkIn(app, "two", TTL).holder("a")).isEqualTo("one");
        store.release(app, "one", List.of("a"));
        ClusterStore.View released = store.checkIn(app, "two", TTL);
        assertThat(released.holder("a")).isNull();
        assertThat(store.claim(app, "two", Map.of("a", released.holdings().get("a").epoch())))
            .containsExactly(Map.entry("a", epoch + 2));

        // a lease that expires by the store's clock frees what it held
        store.checkIn(app, "short", Duration.ofMillis(300));
        assertThat(store.claim(app, "short", Map.of("b", 0L))).containsOnlyKeys("b");
        await().atMost(Duration.ofSeconds(10)).until(() -> !store.checkIn(app, "two", TTL).members().contains("short"));
        ClusterStore.View expired = store.checkIn(app, "two", TTL);
        assertThat(expired.holder("b")).isNull();
        assertThat(store.claim(app, "two", Map.of("b", expired.holdings().get("b").epoch()))).containsOnlyKeys("b");
        // an expired instance claims nothing
        assertThat(store.claim(app, "short", Map.of("a", epoch + 2))).isEmpty();

        // leaving ends the lease and frees everything at once
        store.leave(app, "two");
        ClusterStore.View left = store.checkIn(app, "one", TTL);
        assertThat(left.members()).containsExactly("one");
        assertThat(left.holder("a")).isNull();
        assertThat(left.holder("b")).isNull();

        // another application's connections of the same name are its own
        String other = "other-" + UUID.randomUUID();
        store.register(other, List.of("a"));
        store.checkIn(other, "three", TTL);
        assertThat(store.claim(other, "three", Map.of("a", 0L))).containsOnlyKeys("a");
        assertThat(store.checkIn(app, "one", TTL).holder("a")).isNull();
    }

}
