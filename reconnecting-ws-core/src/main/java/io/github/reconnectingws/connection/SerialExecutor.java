package io.github.reconnectingws.connection;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Runs tasks one at a time, in submission order, on a shared executor. Each client owns
 * one: every state change happens on it, so the state machine needs no locks and
 * observers see transitions in order, without a thread per client.
 */
final class SerialExecutor implements Executor {

    private static final Log logger = LogFactory.getLog(SerialExecutor.class);

    private final Executor delegate;

    /** Tasks waiting their turn; guarded by itself, as is {@link #running}. */
    private final Queue<Runnable> tasks = new ArrayDeque<>();

    /** Whether a task of this executor is running or scheduled; guarded by {@link #tasks}. */
    private boolean running;

    SerialExecutor(Executor delegate) {
        this.delegate = delegate;
    }

    @Override
    public void execute(Runnable task) {
        synchronized (this.tasks) {
            this.tasks.add(task);
            if (this.running) {
                return;
            }
            this.running = true;
        }
        this.delegate.execute(this::runAll);
    }

    private void runAll() {
        for (;;) {
            Runnable task;
            synchronized (this.tasks) {
                task = this.tasks.poll();
                if (task == null) {
                    this.running = false;
                    return;
                }
            }
            try {
                task.run();
            }
            catch (Throwable ex) {
                logger.error("Unexpected error in connection task", ex);
            }
        }
    }

}
