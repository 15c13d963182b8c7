package io.github.reconnectingws.testsupport;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.integration.jdbc.lock.DefaultLockRepository;
import org.springframework.integration.jdbc.lock.JdbcLockRegistry;
import org.springframework.integration.redis.util.RedisLockRegistry;
import org.springframework.integration.support.locks.DistributedLock;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Proves {@link PostgresServer} and {@link RedisServer} against Spring Integration's lock
 * registries: a lock obtained by one client is refused to another until it is released.
 * Skipped (not failed) when PostgreSQL or Redis is not installed.
 */
class ClusterServersSmokeTests {

    private static final Duration TTL = Duration.ofSeconds(10);

    private static final long WAIT_SECONDS = 5;

    @Test
    void jdbcLockRegistryOnRealPostgres() throws Exception {
        long startedAt = System.nanoTime();
        try (PostgresServer postgres = PostgresServer.start()) {
            System.out.printf("PostgreSQL started in %d ms on port %d%n", elapsedMillis(startedAt), postgres.port());
            postgres.execute(PostgresServer.intLockDdl());
            DriverManagerDataSource dataSource = new DriverManagerDataSource(postgres.jdbcUrl(), postgres.username(),
                    postgres.password());
            DefaultLockRepository repositoryA = lockRepository(dataSource);
            DefaultLockRepository repositoryB = lockRepository(dataSource);
            try {
                DistributedLock lockA = new JdbcLockRegistry(repositoryA, TTL).obtain("leader");
                DistributedLock lockB = new JdbcLockRegistry(repositoryB, TTL).obtain("leader");

                assertThat(lockA.tryLock(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
                assertThat(lockB.tryLock()).as("held by the other client").isFalse();
                lockA.unlock();
                assertThat(lockB.tryLock(WAIT_SECONDS, TimeUnit.SECONDS)).as("released by the other client").isTrue();
                lockB.unlock();
            }
            finally {
                repositoryA.close();
                repositoryB.close();
            }
        }
    }

    @Test
    void redisLockRegistryOnRealRedis() throws Exception {
        long startedAt = System.nanoTime();
        try (RedisServer redis = RedisServer.start()) {
            System.out.printf("Redis started in %d ms on port %d%n", elapsedMillis(startedAt), redis.port());
            LettuceConnectionFactory connectionFactory = new LettuceConnectionFactory(
                    new RedisStandaloneConfiguration(redis.host(), redis.port()),
                    LettuceClientConfiguration.builder().commandTimeout(Duration.ofSeconds(WAIT_SECONDS)).build());
            connectionFactory.afterPropertiesSet();
            connectionFactory.start();
            RedisLockRegistry registryA = new RedisLockRegistry(connectionFactory, "reconnecting-ws-smoke", TTL);
            RedisLockRegistry registryB = new RedisLockRegistry(connectionFactory, "reconnecting-ws-smoke", TTL);
            try {
                DistributedLock lockA = registryA.obtain("leader");
                DistributedLock lockB = registryB.obtain("leader");

                assertThat(lockA.tryLock(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
                assertThat(lockB.tryLock()).as("held by the other client").isFalse();
                lockA.unlock();
                assertThat(lockB.tryLock(WAIT_SECONDS, TimeUnit.SECONDS)).as("released by the other client").isTrue();
                lockB.unlock();
            }
            finally {
                registryA.destroy();
                registryB.destroy();
                connectionFactory.destroy();
            }
        }
    }

    /**
     * Outside an application context the repository cannot look up a transaction manager
     * and nobody calls its lifecycle callbacks: do both here.
     */
    private static DefaultLockRepository lockRepository(DriverManagerDataSource dataSource) {
        DefaultLockRepository repository = new DefaultLockRepository(dataSource);
        repository.setTransactionManager(new DataSourceTransactionManager(dataSource));
        repository.afterPropertiesSet();
        repository.afterSingletonsInstantiated();
        repository.start();
        return repository;
    }

    private static long elapsedMillis(long startedAt) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt);
    }

}
