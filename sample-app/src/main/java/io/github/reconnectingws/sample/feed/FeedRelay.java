package io.github.reconnectingws.sample.feed;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * A TCP relay in front of the application's own WebSocket feed: the clients connect to
 * the relay, which forwards bytes to the web server. It exists to make the network
 * misbehave on demand, which a WebSocket server cannot do by itself:
 * <ul>
 * <li>{@link #stall()}: stop moving bytes in both directions while keeping every socket
 * open, a half-open connection as a dead NAT entry or a frozen peer leaves behind. A
 * servlet container cannot simulate this: Tomcat answers pings by itself, and the
 * servlet API has no way to stop reading one connection.</li>
 * <li>{@link #cut()}: reset every relayed connection (TCP RST, no close frame).</li>
 * </ul>
 * Bounded: at most {@value #MAX_CONNECTIONS} relayed connections, two daemon threads
 * each; it listens on loopback only.
 */
public final class FeedRelay implements Closeable {

    static final int MAX_CONNECTIONS = 64;

    private static final Log logger = LogFactory.getLog(FeedRelay.class);

    private final ServerSocket listener;

    private final ExecutorService threads;

    private final Set<Pipe> pipes = ConcurrentHashMap.newKeySet();

    private final ReentrantLock lock = new ReentrantLock();

    private final Condition flowing = this.lock.newCondition();

    private volatile boolean stalled;

    private volatile int targetPort = -1;

    private volatile boolean closed;

    /**
     * Bind the relay now, so that its port is known before anything connects.
     * @param address the address to listen on (loopback)
     * @param port the port, 0 for any free one
     * @throws IOException if the port cannot be bound
     */
    public FeedRelay(InetAddress address, int port) throws IOException {
        this.listener = new ServerSocket();
        this.listener.setReuseAddress(true);
        this.listener.bind(new InetSocketAddress(address, port), 50);
        AtomicInteger count = new AtomicInteger();
        this.threads = Executors.newCachedThreadPool((task) -> {
            Thread thread = new Thread(task, "feed-relay-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.threads.execute(this::acceptLoop);
    }

    /** The port the relay listens on. */
    public int getPort() {
        return this.listener.getLocalPort();
    }

    /**
     * Where to forward to: the web server's port, known once it has started. Until then
     * connections are accepted and closed at once, like a server still booting.
     * @param port the web server's port on the relay's address
     */
    public void setTargetPort(int port) {
        this.targetPort = port;
    }

    /** Stop moving bytes; keep every connection open. New connections stall too. */
    public void stall() {
        this.stalled = true;
    }

    /** Move bytes again: stalled connections resume where they stopped. */
    public void resume() {
        this.lock.lock();
        try {
            this.stalled = false;
            this.flowing.signalAll();
        }
        finally {
            this.lock.unlock();
        }
    }

    /** Whether the relay is stalled. */
    public boolean isStalled() {
        return this.stalled;
    }

    /** The number of relayed connections open now. */
    public int getConnectionCount() {
        return this.pipes.size();
    }

    /**
     * Reset every relayed connection (RST, no close frame).
     * @return the number of connections reset
     */
    public int cut() {
        int count = 0;
        for (Pipe pipe : this.pipes) {
            pipe.close(true);
            count++;
        }
        return count;
    }

    @Override
    public void close() {
        this.closed = true;
        closeQuietly(this.listener);
        cut();
        resume();
        this.threads.shutdownNow();
        try {
            this.threads.awaitTermination(2, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private void acceptLoop() {
        while (!this.closed) {
            Socket client;
            try {
                client = this.listener.accept();
            }
            catch (IOException ex) {
                if (!this.closed) {
                    logger.warn("Feed relay stopped accepting: " + ex.getMessage());
                }
                return;
            }
            try {
                open(client);
            }
            catch (IOException | RuntimeException ex) {
                closeQuietly(client);
            }
        }
    }

    private void open(Socket client) throws IOException {
        int port = this.targetPort;
        if (port < 0 || this.pipes.size() >= MAX_CONNECTIONS) {
            client.close();
            return;
        }
        Socket upstream = new Socket();
        try {
            upstream.connect(new InetSocketAddress(this.listener.getInetAddress(), port), 2000);
        }
        catch (IOException ex) {
            closeQuietly(upstream);
            throw ex;
        }
        client.setTcpNoDelay(true);
        upstream.setTcpNoDelay(true);
        Pipe pipe = new Pipe(client, upstream);
        this.pipes.add(pipe);
        this.threads.execute(() -> pipe.pump(client, upstream));
        this.threads.execute(() -> pipe.pump(upstream, client));
    }

    /** Waits while stalled; returns false if the pipe closed meanwhile. */
    private boolean awaitFlowing(Pipe pipe) throws InterruptedException {
        if (!this.stalled) {
            return true;
        }
        this.lock.lock();
        try {
            while (this.stalled && !pipe.closed && !this.closed) {
                this.flowing.await(200, TimeUnit.MILLISECONDS);
            }
        }
        finally {
            this.lock.unlock();
        }
        return !pipe.closed;
    }

    private static void closeQuietly(Closeable closeable) {
        try {
            closeable.close();
        }
        catch (IOException ex) {
            // closing anyway
        }
    }

    /** One relayed connection: the client's socket and the one to the web server. */
    private final class Pipe {

        private final Socket client;

        private final Socket upstream;

        private volatile boolean closed;

        Pipe(Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
        }

        void pump(Socket from, Socket to) {
            byte[] buffer = new byte[8192];
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                int read;
                while ((read = in.read(buffer)) != -1) {
                    if (!awaitFlowing(this)) {
                        return;
                    }
                    out.write(buffer, 0, read);
                    out.flush();
                }
            }
            catch (IOException ex) {
                // the other side closed or reset: end the pipe
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            finally {
                close(false);
            }
        }

        void close(boolean reset) {
            if (this.closed) {
                return;
            }
            this.closed = true;
            FeedRelay.this.pipes.remove(this);
            if (reset) {
                try {
                    this.client.setSoLinger(true, 0);
                    this.upstream.setSoLinger(true, 0);
                }
                catch (SocketException ex) {
                    // already closed
                }
            }
            closeQuietly(this.client);
            closeQuietly(this.upstream);
        }

    }

}
