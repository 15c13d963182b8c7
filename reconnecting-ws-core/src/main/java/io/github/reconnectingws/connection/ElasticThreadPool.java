package io.github.reconnectingws.connection;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * A pool for work that may block: it starts a thread only when no thread is idle, up to a
 * bound, and queues beyond it; a thread idle for the keep-alive ends. A plain
 * {@link java.util.concurrent.ThreadPoolExecutor} either starts a core thread per task
 * until the core size is reached, busy or not, or adds threads beyond the core size only
 * once its queue is full.
 *
 * <p>Every decision (queue, wake an idle thread, start one, let one end) is taken under one
 * lock, and a thread ends only when the queue is empty: a task is never left queued while a
 * thread that could run it goes away.
 */
final class ElasticThreadPool extends AbstractExecutorService {

    private static final Log logger = LogFactory.getLog(ElasticThreadPool.class);

    private final ThreadFactory threadFactory;

    private final int maxThreads;

    private final long keepAliveNanos;

    private final ReentrantLock lock = new ReentrantLock();

    /** Signalled when a task is queued for an idle thread, and on shutdown. */
    private final Condition taskQueued = this.lock.newCondition();

    private final Condition threadsEnded = this.lock.newCondition();

    // guarded by lock
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();

    private final Set<Thread> threads = new HashSet<>();

    private int idle;

    private boolean shutdown;

    ElasticThreadPool(String threadNamePrefix, int maxThreads) {
        this(threadNamePrefix, maxThreads, Duration.ofSeconds(5));
    }

    ElasticThreadPool(String threadNamePrefix, int maxThreads, Duration keepAlive) {
        CustomizableThreadFactory threadFactory = new CustomizableThreadFactory(threadNamePrefix);
        threadFactory.setDaemon(true);
        this.threadFactory = threadFactory;
        this.maxThreads = maxThreads;
        this.keepAliveNanos = keepAlive.toNanos();
    }

    @Override
    public void execute(Runnable task) {
        this.lock.lock();
        try {
            if (this.shutdown) {
                throw new RejectedExecutionException("pool is shut down");
            }
            this.tasks.add(task);
            if (this.idle >= this.tasks.size()) {
                this.taskQueued.signal();
            }
            else if (this.threads.size() < this.maxThreads) {
                Thread thread = this.threadFactory.newThread(this::work);
                thread.start(); // it waits for this lock, then takes the task
                this.threads.add(thread);
            }
            // else every thread is busy and the bound is reached: the first to finish takes it
        }
        finally {
            this.lock.unlock();
        }
    }

    /** A thread's life: tasks while there are any, then the keep-alive, then its end. */
    private void work() {
        Thread self = Thread.currentThread();
        this.lock.lock();
        try {
            for (;;) {
                long idleNanos = this.keepAliveNanos;
                while (this.tasks.isEmpty() && !this.shutdown && idleNanos > 0) {
                    this.idle++;
                    try {
                        idleNanos = this.taskQueued.awaitNanos(idleNanos);
                    }
                    catch (InterruptedException ex) {
                        // shutdownNow: the loop looks at the shutdown flag
                    }
                    finally {
                        this.idle--;
                    }
                }
                Runnable task = this.tasks.poll();
                if (task == null) {
                    return;
                }
                this.lock.unlock();
                try {
                    task.run();
                }
                catch (Throwable ex) {
                    logger.error("Unexpected error in a pooled task", ex);
                }
                finally {
                    this.lock.lock();
                }
            }
        }
        finally {
            this.threads.remove(self);
            if (terminated()) {
                this.threadsEnded.signalAll();
            }
            this.lock.unlock();
        }
    }

    @Override
    public void shutdown() {
        this.lock.lock();
        try {
            this.shutdown = true;
            this.taskQueued.signalAll();
            if (this.threads.isEmpty()) {
                this.threadsEnded.signalAll();
            }
        }
        finally {
            this.lock.unlock();
        }
    }

    @Override
    public List<Runnable> shutdownNow() {
        this.lock.lock();
        try {
            shutdown();
            List<Runnable> notRun = new ArrayList<>(this.tasks);
            this.tasks.clear();
            this.threads.forEach(Thread::interrupt);
            return notRun;
        }
        finally {
            this.lock.unlock();
        }
    }

    @Override
    public boolean isShutdown() {
        return read(() -> this.shutdown);
    }

    @Override
    public boolean isTerminated() {
        return read(this::terminated);
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = unit.toNanos(timeout);
        this.lock.lock();
        try {
            while (!terminated()) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = this.threadsEnded.awaitNanos(nanos);
            }
            return true;
        }
        finally {
            this.lock.unlock();
        }
    }

    /** Threads waiting for a task now. */
    int idleThreadCount() {
        return read(() -> this.idle);
    }

    /** Threads the pool has now, busy or idle. */
    int threadCount() {
        return read(this.threads::size);
    }

    /** Called with the lock held. */
    private boolean terminated() {
        return this.shutdown && this.threads.isEmpty();
    }

    private <T> T read(Supplier<T> state) {
        this.lock.lock();
        try {
            return state.get();
        }
        finally {
            this.lock.unlock();
        }
    }

}
