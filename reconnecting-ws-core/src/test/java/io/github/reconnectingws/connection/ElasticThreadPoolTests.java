package io.github.reconnectingws.connection;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The callback pool: a thread only when none is idle, never a task stranded in the queue
 * while its threads come and go, and a bound beyond which tasks wait their turn.
 */
class ElasticThreadPoolTests {

    private static final long WAIT_SECONDS = 10;

    private final CountDownLatch release = new CountDownLatch(1);

    private ElasticThreadPool pool;

    @AfterEach
    void shutDown() throws InterruptedException {
        this.release.countDown();
        if (this.pool != null) {
            this.pool.shutdownNow();
            assertThat(this.pool.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        }
    }

    private void blockUntilReleased() {
        try {
            this.release.await(60, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aTaskGoesToAnIdleThread() throws InterruptedException {
        this.pool = new ElasticThreadPool("test-", 8);
        Set<String> names = ConcurrentHashMap.newKeySet();
        for (int i = 0; i < 100; i++) {
            CountDownLatch ran = new CountDownLatch(1);
            this.pool.execute(() -> {
                names.add(Thread.currentThread().getName());
                ran.countDown();
            });
            assertThat(ran.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
            await().atMost(Duration.ofSeconds(WAIT_SECONDS)).until(() -> this.pool.idleThreadCount() == 1);
        }
        assertThat(names).hasSize(1);
        assertThat(this.pool.threadCount()).isOne();
    }

    @Test
    void aThreadPerBlockedTaskUpToTheBoundThenTheyWaitTheirTurn() throws InterruptedException {
        this.pool = new ElasticThreadPool("test-", 3);
        CountDownLatch entered = new CountDownLatch(3);
        for (int i = 0; i < 3; i++) {
            this.pool.execute(() -> {
                entered.countDown();
                blockUntilReleased();
            });
        }
        assertThat(entered.await(WAIT_SECONDS, TimeUnit.SECONDS)).as("three blocked tasks run at once").isTrue();
        CountDownLatch queued = new CountDownLatch(2);
        this.pool.execute(queued::countDown);
        this.pool.execute(queued::countDown);
        assertThat(this.pool.threadCount()).isEqualTo(3);
        assertThat(queued.getCount()).as("beyond the bound, tasks wait").isEqualTo(2);
        this.release.countDown();
        assertThat(queued.await(WAIT_SECONDS, TimeUnit.SECONDS)).as("and run when a thread is free").isTrue();
    }

    /**
     * Threads end after 1 ms idle, so a task often arrives as the idle thread is ending,
     * while the only other thread is blocked: the task must still run.
     */
    @Test
    void aTaskIsNeverStrandedWhileAnIdleThreadEnds() throws InterruptedException {
        this.pool = new ElasticThreadPool("test-", 8, Duration.ofMillis(1));
        CountDownLatch blocked = new CountDownLatch(1);
        this.pool.execute(() -> {
            blocked.countDown();
            blockUntilReleased();
        });
        assertThat(blocked.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        List<Integer> stranded = new CopyOnWriteArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        for (int round = 0; round < 500 && System.nanoTime() < deadline; round++) {
            CountDownLatch ran = new CountDownLatch(1);
            this.pool.execute(ran::countDown);
            if (!ran.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                stranded.add(round);
                break;
            }
            // vary when the next task comes: before, around and after the keep-alive ends
            long until = System.nanoTime() + ThreadLocalRandom.current().nextLong(2_000_000);
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
        }
        assertThat(stranded).as("rounds whose task was not run").isEmpty();
    }

    @Test
    void shutdownRunsWhatIsQueuedThenRefuses() throws InterruptedException {
        this.pool = new ElasticThreadPool("test-", 1);
        CountDownLatch entered = new CountDownLatch(1);
        this.pool.execute(() -> {
            entered.countDown();
            blockUntilReleased();
        });
        assertThat(entered.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        CountDownLatch queued = new CountDownLatch(1);
        this.pool.execute(queued::countDown);
        this.pool.shutdown();
        assertThatExceptionOfType(RejectedExecutionException.class).isThrownBy(() -> this.pool.execute(() -> {
        }));
        assertThat(this.pool.isTerminated()).isFalse();
        this.release.countDown();
        assertThat(this.pool.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(queued.getCount()).isZero();
        assertThat(this.pool.threadCount()).isZero();
    }

    @Test
    void shutdownNowInterruptsAndReturnsWhatWasNotRun() throws InterruptedException {
        this.pool = new ElasticThreadPool("test-", 1);
        CountDownLatch interrupted = new CountDownLatch(1);
        CountDownLatch entered = new CountDownLatch(1);
        this.pool.execute(() -> {
            entered.countDown();
            try {
                new CountDownLatch(1).await(60, TimeUnit.SECONDS);
            }
            catch (InterruptedException ex) {
                interrupted.countDown();
            }
        });
        assertThat(entered.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        Runnable queued = () -> {
        };
        this.pool.execute(queued);
        assertThat(this.pool.shutdownNow()).containsExactly(queued);
        assertThat(interrupted.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(this.pool.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void idleThreadsEndAfterTheKeepAlive() throws InterruptedException {
        this.pool = new ElasticThreadPool("test-", 4, Duration.ofMillis(50));
        CountDownLatch ran = new CountDownLatch(4);
        CountDownLatch allIn = new CountDownLatch(4);
        for (int i = 0; i < 4; i++) {
            this.pool.execute(() -> {
                allIn.countDown();
                try {
                    allIn.await(WAIT_SECONDS, TimeUnit.SECONDS);
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
                ran.countDown();
            });
        }
        assertThat(ran.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        await().atMost(Duration.ofSeconds(WAIT_SECONDS))
            .until(() -> this.pool.threadCount() == 0);
    }

}
