package io.github.reconnectingws.testsupport;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy from a random port of {@code 127.0.0.1} to {@code 127.0.0.1:<targetPort>} that
 * can break the network the way real networks break: cut connections, go silent (half-open
 * connections) or refuse new connections.
 *
 * <p>Blocking sockets, two daemon threads per connection from a cached pool named
 * {@code fault-proxy-<port>-<n>}; {@link #close()} closes every socket and ends every thread.
 * The proxy is byte-transparent, so it carries {@code wss://} as well as {@code ws://}.
 */
public final class FaultProxy implements AutoCloseable {

    private static final String LOOPBACK = "127.0.0.1";

    private static final int BUFFER_SIZE = 16 * 1024;

    private static final int BACKLOG = 128;

    private static final int CONNECT_TIMEOUT_MS = 5_000;

    private static final long REBIND_TIMEOUT_MS = 5_000;

    private final int targetPort;

    private final int port;

    private final ExecutorService threads;

    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();

    private final AtomicInteger acceptedConnections = new AtomicInteger();

    private final AtomicLong bytesToTarget = new AtomicLong();

    private final AtomicLong bytesToClient = new AtomicLong();

    /** The listening socket, or {@code null} while refusing. Guarded by {@code this}. */
    private ServerSocket listener;

    /** Holds the port while refusing. Guarded by {@code this}. */
    private Socket placeholder;

    /** Guarded by {@code this}. */
    private boolean stalled;

    /** Guarded by {@code this}. */
    private boolean frozen;

    /** Guarded by {@code this}. */
    private boolean closed;

    private FaultProxy(int targetPort) {
        this.targetPort = targetPort;
        this.listener = bindBelowEphemeralPorts();
        this.port = this.listener.getLocalPort();
        this.threads = Executors.newCachedThreadPool(daemonThreads("fault-proxy-" + this.port + "-"));
        startAccepting(this.listener);
    }

    /**
     * Starts a proxy forwarding to {@code 127.0.0.1:<targetPort>}.
     *
     * @param targetPort the port to forward to
     * @return the running proxy
     */
    public static FaultProxy start(int targetPort) {
        return new FaultProxy(targetPort);
    }

    /**
     * Returns the port the proxy listens on; it stays the same across {@link #refuse()}.
     *
     * @return the proxy port
     */
    public int port() {
        return this.port;
    }

    /**
     * Returns {@code ws://127.0.0.1:<proxyPort><path>}.
     *
     * @param path the path (and query), e.g. {@code /ws}
     * @return the URI through the proxy
     */
    public URI wsUri(String path) {
        return uri("ws", path);
    }

    /**
     * Returns {@code target} with its port replaced by the proxy's, keeping scheme
     * ({@code ws} or {@code wss}), path and query.
     *
     * @param target a URI of the proxied server, e.g. {@link TestWebSocketServer#uri()}
     * @return the same URI through the proxy
     */
    public URI proxiedUri(URI target) {
        String query = target.getRawQuery();
        return uri(target.getScheme(), target.getRawPath() + (query != null ? "?" + query : ""));
    }

    /**
     * Returns the number of proxied connections currently open, stalled ones included.
     *
     * @return the active connection count
     */
    public int activeConnections() {
        return this.connections.size();
    }

    /**
     * Returns the number of client connections accepted since the proxy started.
     *
     * @return the accepted connection count
     */
    public int acceptedConnections() {
        return this.acceptedConnections.get();
    }

    /**
     * Returns the bytes passed on from clients to the target (the wire, handshakes included).
     *
     * @return the byte count since the proxy started
     */
    public long bytesToTarget() {
        return this.bytesToTarget.get();
    }

    /**
     * Returns the bytes passed on from the target to clients.
     *
     * @return the byte count since the proxy started
     */
    public long bytesToClient() {
        return this.bytesToClient.get();
    }

    /** Resets (TCP RST) every current connection on both sides; new ones are still accepted. */
    public void cutAll() {
        // the current ones alone: a client may reconnect while the resets go out
        List.copyOf(this.connections).forEach(Connection::abort);
    }

    /**
     * Stops forwarding: current and new connections stay open but every byte, and every
     * end-of-stream, is swallowed in both directions, as on a half-open connection.
     */
    public synchronized void stall() {
        this.stalled = true;
        this.connections.forEach(connection -> connection.stalled = true);
    }

    /**
     * Like {@link #stall()}, but the proxy also stops reading: the senders' socket buffers
     * fill up and their writes block, as when the peer's machine is gone. New connections
     * are frozen too, until {@link #resume()}.
     */
    public synchronized void freeze() {
        stall();
        this.frozen = true;
        this.connections.forEach(connection -> connection.frozen = true);
    }

    /**
     * Refuses new connections by closing the listening socket, so a TCP connect fails.
     * Existing connections are left alone. The port stays reserved meanwhile, by a socket
     * bound to it that does not listen (a connect to it is refused), so that no other
     * listener, of this JVM or another, can take it before {@link #resume()}.
     */
    public synchronized void refuse() {
        if (this.listener != null) {
            closeQuietly(this.listener);
            this.listener = null;
            try {
                Socket placeholder = new Socket();
                // connections of the closed listener may linger in TIME_WAIT on this port
                placeholder.setReuseAddress(true);
                placeholder.bind(new InetSocketAddress(LOOPBACK, this.port));
                this.placeholder = placeholder;
            }
            catch (IOException ex) {
                // not reserved: resume() may then find the port taken
            }
        }
    }

    /**
     * Returns to normal forwarding: closes the connections that were stalled (their byte
     * streams have holes) and, after {@link #refuse()}, listens again on the same port.
     */
    public synchronized void resume() {
        if (this.closed) {
            throw new IllegalStateException("Proxy is closed");
        }
        this.stalled = false;
        this.frozen = false;
        this.connections.stream().filter(connection -> connection.stalled).forEach(Connection::close);
        if (this.listener == null) {
            if (this.placeholder != null) {
                closeQuietly(this.placeholder);
                this.placeholder = null;
            }
            this.listener = rebind(this.port);
            startAccepting(this.listener);
        }
    }

    /**
     * Binds the port again; the kernel may hold it a moment longer after the placeholder
     * closed, so a refused bind is tried again, for at most {@link #REBIND_TIMEOUT_MS}.
     * Called with the lock held; waiting releases it.
     */
    private ServerSocket rebind(int port) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(REBIND_TIMEOUT_MS);
        while (true) {
            try {
                return bind(port);
            }
            catch (UncheckedIOException ex) {
                if (System.nanoTime() > deadline) {
                    throw ex;
                }
                try {
                    wait(20);
                }
                catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw ex;
                }
            }
        }
    }

    /** Closes the listening socket and every connection and stops all proxy threads. */
    @Override
    public void close() {
        synchronized (this) {
            if (this.closed) {
                return;
            }
            this.closed = true;
            refuse();
            if (this.placeholder != null) {
                closeQuietly(this.placeholder);
                this.placeholder = null;
            }
        }
        this.connections.forEach(Connection::close);
        this.threads.shutdownNow();
        try {
            // Pumps end as soon as their sockets are closed, so this is quick.
            this.threads.awaitTermination(5, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private URI uri(String scheme, String pathAndQuery) {
        return URI.create(scheme + "://" + LOOPBACK + ":" + this.port + pathAndQuery);
    }

    /**
     * Binds a free port below Linux's ephemeral range (32768 and up): resume() must bind
     * the same port again after refuse(), and an ephemeral port may meanwhile have become
     * the local port of some outgoing connection, which makes the bind fail.
     */
    private static ServerSocket bindBelowEphemeralPorts() {
        UncheckedIOException last = null;
        for (int i = 0; i < 200; i++) {
            try {
                return bind(20_000 + java.util.concurrent.ThreadLocalRandom.current().nextInt(12_000));
            }
            catch (UncheckedIOException ex) {
                last = ex;
            }
        }
        throw last;
    }

    private static ServerSocket bind(int port) {
        try {
            ServerSocket socket = new ServerSocket();
            // Lets resume() rebind the same port while old connections linger in TIME_WAIT.
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(LOOPBACK, port), BACKLOG);
            return socket;
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot listen on " + LOOPBACK + ":" + port, ex);
        }
    }

    /** Called with the lock held (or from the constructor), so it never races close(). */
    private void startAccepting(ServerSocket socket) {
        this.threads.execute(() -> acceptLoop(socket));
    }

    private void acceptLoop(ServerSocket socket) {
        while (true) {
            Socket client;
            try {
                client = socket.accept();
            }
            catch (IOException ex) {
                // Closed by refuse() or close().
                return;
            }
            this.acceptedConnections.incrementAndGet();
            forward(client);
        }
    }

    private void forward(Socket client) {
        Socket upstream = new Socket();
        try {
            client.setTcpNoDelay(true);
            upstream.setTcpNoDelay(true);
            upstream.connect(new InetSocketAddress(LOOPBACK, this.targetPort), CONNECT_TIMEOUT_MS);
        }
        catch (IOException ex) {
            // Target down: the client sees its connection accepted and then closed.
            closeQuietly(client);
            closeQuietly(upstream);
            return;
        }
        Connection connection = new Connection(client, upstream);
        synchronized (this) {
            if (this.closed) {
                connection.close();
                return;
            }
            connection.stalled = this.stalled;
            connection.frozen = this.frozen;
            this.connections.add(connection);
            this.threads.execute(() -> connection.pump(client, upstream));
            this.threads.execute(() -> connection.pump(upstream, client));
        }
    }

    private static ThreadFactory daemonThreads(String namePrefix) {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, namePrefix + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    private static void closeQuietly(Closeable closeable) {
        try {
            closeable.close();
        }
        catch (IOException ex) {
            // Nothing useful to do: it is being discarded.
        }
    }

    /** One client connection and its upstream connection to the target. */
    private final class Connection {

        private final Socket client;

        private final Socket upstream;

        /** Directions (client-to-target, target-to-client) still open. */
        private final AtomicInteger openDirections = new AtomicInteger(2);

        private volatile boolean stalled;

        /** Set by freeze(): the pumps stop reading. Guarded by {@code this} for wait/notify. */
        private volatile boolean frozen;

        private volatile boolean done;

        Connection(Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
        }

        /** Copies {@code from} to {@code to} until end of stream or an error. */
        void pump(Socket from, Socket to) {
            byte[] buffer = new byte[BUFFER_SIZE];
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                int read;
                while (awaitThaw() && (read = in.read(buffer)) != -1) {
                    // Keep reading while stalled so the sender never blocks, as on a real
                    // half-open connection whose peer is gone.
                    if (!this.stalled) {
                        out.write(buffer, 0, read);
                        ((to == this.client) ? FaultProxy.this.bytesToClient : FaultProxy.this.bytesToTarget)
                            .addAndGet(read);
                    }
                }
                if (!this.stalled) {
                    // Pass the half-close on: WebSocket closing handshakes rely on it.
                    to.shutdownOutput();
                }
                if (this.openDirections.decrementAndGet() == 0) {
                    close();
                }
            }
            catch (IOException ex) {
                close();
            }
        }

        void abort() {
            try {
                // Linger 0 makes close() send RST instead of FIN: an abrupt network failure.
                this.client.setSoLinger(true, 0);
                this.upstream.setSoLinger(true, 0);
            }
            catch (IOException ex) {
                // Already closed; close() below is then a no-op.
            }
            close();
        }

        /** Blocks while frozen; false once the connection is closed. */
        private synchronized boolean awaitThaw() throws IOException {
            try {
                while (this.frozen && !this.done) {
                    wait();
                }
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", ex);
            }
            return !this.done;
        }

        void close() {
            synchronized (this) {
                this.done = true;
                notifyAll();
            }
            closeQuietly(this.client);
            closeQuietly(this.upstream);
            connections.remove(this);
        }

    }

}
