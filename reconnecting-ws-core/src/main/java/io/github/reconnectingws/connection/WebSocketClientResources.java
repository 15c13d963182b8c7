package io.github.reconnectingws.connection;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.apache.tomcat.websocket.WsWebSocketContainer;
import org.jspecify.annotations.Nullable;

import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.core.task.support.TaskExecutorAdapter;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * The threads and Tomcat WebSocket containers that clients share, so that thousands of
 * clients need a bounded handful of threads: a scheduler (reconnect delays, heartbeats), a
 * small worker pool for the engine (state changes, pings; never application code), a
 * writer pool (Tomcat's writes block while the network is slow), a small pool for blocking
 * handshakes, and a callback pool for application code (connect hooks, lifecycle callbacks
 * and events, handshake customizers), which may block.
 * Pools shrink to zero threads when idle. Share one instance between clients; close it
 * after them.
 */
public final class WebSocketClientResources implements AutoCloseable {

    /** Default number of handshakes that may run at once. */
    public static final int DEFAULT_CONNECT_CONCURRENCY = 4;

    /**
     * Default number of threads that run application callbacks at once: this many
     * connections may have a blocking hook at the same time before the hooks of further
     * connections wait for a thread (their engines never do).
     */
    public static final int DEFAULT_CALLBACK_CONCURRENCY = 32;

    private final EngineTime time;

    private final Executor workers;

    private final Executor writers;

    private final Executor callbacks;

    private final AsyncTaskExecutor connectExecutor;

    private final RetryAfterProbes retryAfterProbes;

    private final EndpointWatch endpointWatch;

    private final HandshakeAdmission handshakeAdmission = new HandshakeAdmission();

    /** The same budget again, when the connect tasks start (see {@link HandshakeAdmission}). */
    private final HandshakeAdmission handshakeSending = new HandshakeAdmission();

    private final @Nullable ThreadPoolTaskScheduler ownedScheduler;

    /** The pools this instance created, shut down by {@link #close()}. */
    private final List<ExecutorService> ownedPools = new ArrayList<>();

    private final Map<List<Integer>, WsWebSocketContainer> containers = new ConcurrentHashMap<>();

    /**
     * Create resources with their own single-threaded scheduler.
     */
    public WebSocketClientResources() {
        this(null, DEFAULT_CONNECT_CONCURRENCY);
    }

    /**
     * Create resources.
     * @param scheduler the scheduler for delays and heartbeats (not shut down by
     * {@link #close()}), or {@code null} to create one
     * @param connectConcurrency how many handshakes may run at once
     */
    public WebSocketClientResources(@Nullable TaskScheduler scheduler, int connectConcurrency) {
        this(scheduler, connectConcurrency, DEFAULT_CALLBACK_CONCURRENCY);
    }

    /**
     * Create resources.
     * @param scheduler the scheduler for delays and heartbeats (not shut down by
     * {@link #close()}), or {@code null} to create one
     * @param connectConcurrency how many handshakes may run at once
     * @param callbackConcurrency how many threads may run application callbacks at once
     */
    public WebSocketClientResources(@Nullable TaskScheduler scheduler, int connectConcurrency,
            int callbackConcurrency) {
        this(scheduler, connectConcurrency, null, callbackConcurrency);
    }

    /**
     * Create resources whose application callbacks run on the given executor, e.g. one of
     * virtual threads (each connection's callbacks still run one at a time, in order).
     * @param scheduler the scheduler for delays and heartbeats (not shut down by
     * {@link #close()}), or {@code null} to create one
     * @param connectConcurrency how many handshakes may run at once
     * @param callbackExecutor runs application callbacks (not shut down by {@link #close()})
     */
    public WebSocketClientResources(@Nullable TaskScheduler scheduler, int connectConcurrency,
            Executor callbackExecutor) {
        this(scheduler, connectConcurrency, callbackExecutor, 0);
    }

    private WebSocketClientResources(@Nullable TaskScheduler scheduler, int connectConcurrency,
            @Nullable Executor callbackExecutor, int callbackConcurrency) {
        if (scheduler == null) {
            ThreadPoolTaskScheduler own = new ThreadPoolTaskScheduler();
            own.setPoolSize(1);
            own.setThreadNamePrefix("rws-scheduler-");
            own.setDaemon(true);
            own.setRemoveOnCancelPolicy(true);
            own.initialize();
            this.ownedScheduler = own;
            scheduler = own;
        }
        else {
            this.ownedScheduler = null;
        }
        this.time = EngineTime.on(scheduler);
        this.workers = own(pool("rws-worker-", Math.max(2, Runtime.getRuntime().availableProcessors())));
        this.writers = own(pool("rws-writer-", Math.max(4, 2 * Runtime.getRuntime().availableProcessors())));
        this.connectExecutor = new TaskExecutorAdapter(own(pool("rws-connect-", connectConcurrency)));
        this.callbacks = (callbackExecutor != null) ? callbackExecutor
                : own(new ElasticThreadPool("rws-callback-", callbackConcurrency));
        this.retryAfterProbes = new RetryAfterProbes(this.connectExecutor);
        this.endpointWatch = new EndpointWatch(this.time, this.connectExecutor, EndpointWatch::tcpListening);
    }

    /**
     * Resources for running the engine in virtual time: every task runs on the given
     * executor (writes on their own), every delay on the given time.
     */
    WebSocketClientResources(EngineTime time, Executor executor, Executor writers,
            Predicate<Origin> listening) {
        this.ownedScheduler = null;
        this.time = time;
        this.workers = executor;
        this.writers = writers;
        this.callbacks = executor;
        this.connectExecutor = new TaskExecutorAdapter(executor);
        this.retryAfterProbes = new RetryAfterProbes(executor);
        this.endpointWatch = new EndpointWatch(time, executor, listening);
    }

    private <T extends ExecutorService> T own(T pool) {
        this.ownedPools.add(pool);
        return pool;
    }

    private static ThreadPoolExecutor pool(String prefix, int size) {
        CustomizableThreadFactory threads = new CustomizableThreadFactory(prefix);
        threads.setDaemon(true);
        ThreadPoolExecutor pool = new ThreadPoolExecutor(size, size, 5, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                threads);
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /** The clock and timers for reconnect delays, heartbeats and timeouts. */
    EngineTime time() {
        return this.time;
    }

    /** Short non-blocking engine tasks: state changes, pings. Never application code. */
    Executor workers() {
        return this.workers;
    }

    /** Application callbacks, which may block. */
    Executor callbacks() {
        return this.callbacks;
    }

    /** Blocking writes, bounded by the send time limit. */
    Executor writers() {
        return this.writers;
    }

    /** Blocking handshakes. */
    AsyncTaskExecutor connectExecutor() {
        return this.connectExecutor;
    }

    /** Which endpoints that refused connections listen again. */
    EndpointWatch endpointWatch() {
        return this.endpointWatch;
    }

    /** The handshake budget of each endpoint. */
    HandshakeAdmission handshakeAdmission() {
        return this.handshakeAdmission;
    }

    /** Connect tasks to {@code origin} on {@code connectThreads}, started within the handshake budget. */
    Executor handshakesTo(Origin origin, Executor connectThreads) {
        return this.handshakeSending.atSend(connectThreads, origin, this.time);
    }

    /** A handshake to {@code origin} found nothing listening: it cost the server nothing. */
    void handshakeRefused(Origin origin) {
        long now = this.time.nanoTime();
        this.handshakeAdmission.refund(origin, now);
        this.handshakeSending.refund(origin, now);
    }

    /** What servers answered with {@code Retry-After}, per endpoint and outage. */
    RetryAfterProbes retryAfterProbes() {
        return this.retryAfterProbes;
    }

    /**
     * A Tomcat container with the given default message buffer sizes. Tomcat allocates
     * these buffers per connection, and its containers are heavyweight: one per size pair
     * is shared.
     */
    WsWebSocketContainer container(int maxTextMessageSize, int maxBinaryMessageSize) {
        return this.containers.computeIfAbsent(List.of(maxTextMessageSize, maxBinaryMessageSize), (sizes) -> {
            WsWebSocketContainer container = new WsWebSocketContainer();
            container.setDefaultMaxTextMessageBufferSize(maxTextMessageSize);
            container.setDefaultMaxBinaryMessageBufferSize(maxBinaryMessageSize);
            return container;
        });
    }

    /**
     * Stop the threads this instance created and release the Tomcat containers. Close the
     * clients first.
     */
    @Override
    public void close() {
        for (WsWebSocketContainer container : new ArrayList<>(this.containers.values())) {
            container.destroy();
        }
        this.containers.clear();
        this.ownedPools.forEach(ExecutorService::shutdown);
        if (this.ownedScheduler != null) {
            this.ownedScheduler.shutdown();
        }
        this.ownedPools.forEach(WebSocketClientResources::awaitTermination);
    }

    private static void awaitTermination(ExecutorService pool) {
        try {
            if (!pool.awaitTermination(5, TimeUnit.SECONDS)) {
                pool.shutdownNow();
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

}
