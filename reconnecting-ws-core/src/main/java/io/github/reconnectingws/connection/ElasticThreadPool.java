package io.github.reconnectingws.connection;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * A pool for work that may block: it starts a thread only when every thread it has is
 * busy, up to a bound, and queues beyond it. A plain {@link ThreadPoolExecutor} either
 * starts a core thread per task until the core size is reached, busy or not, or adds
 * threads beyond the core size only once its queue is full.
 */
final class ElasticThreadPool extends ThreadPoolExecutor {

    private final AtomicInteger submitted = new AtomicInteger();

    ElasticThreadPool(String threadNamePrefix, int maxThreads) {
        super(0, maxThreads, 5, TimeUnit.SECONDS, new HandOffQueue(), daemonThreads(threadNamePrefix),
                ElasticThreadPool::queueWhenSaturated);
        ((HandOffQueue) getQueue()).pool = this;
    }

    private static CustomizableThreadFactory daemonThreads(String prefix) {
        CustomizableThreadFactory threads = new CustomizableThreadFactory(prefix);
        threads.setDaemon(true);
        return threads;
    }

    private static void queueWhenSaturated(Runnable task, ThreadPoolExecutor pool) {
        if (pool.isShutdown()) {
            throw new RejectedExecutionException("pool is shut down");
        }
        ((HandOffQueue) pool.getQueue()).enqueue(task);
    }

    @Override
    public void execute(Runnable task) {
        this.submitted.incrementAndGet();
        try {
            super.execute(task);
        }
        catch (RejectedExecutionException ex) {
            this.submitted.decrementAndGet();
            throw ex;
        }
    }

    @Override
    protected void afterExecute(Runnable task, Throwable failure) {
        this.submitted.decrementAndGet();
    }

    /** Refuses a task (so the pool starts a thread) while no thread is idle and more may start. */
    private static final class HandOffQueue extends LinkedBlockingQueue<Runnable> {

        private ElasticThreadPool pool;

        @Override
        public boolean offer(Runnable task) {
            if (this.pool.submitted.get() <= this.pool.getPoolSize()
                    || this.pool.getPoolSize() >= this.pool.getMaximumPoolSize()) {
                return super.offer(task);
            }
            return false;
        }

        void enqueue(Runnable task) {
            super.offer(task);
        }

    }

}
