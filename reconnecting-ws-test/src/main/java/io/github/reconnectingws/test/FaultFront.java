package io.github.reconnectingws.test;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.jspecify.annotations.Nullable;

/**
 * The server's public port: a TCP relay to Tomcat that breaks the network on request. It
 * drops connections (RST, no close frame), stalls them (half-open: bytes swallowed in both
 * directions, sockets kept), throttles them, and refuses new connections while the port is
 * kept reserved, so it can listen again on the same port.
 *
 * <p>Blocking sockets, two daemon threads per connection; {@link #close()} ends them all.
 */
final class FaultFront implements Closeable {

    private static final String LOOPBACK = "127.0.0.1";

    private static final int BUFFER_SIZE = 16 * 1024;

    private static final int BACKLOG = 128;

    private static final int CONNECT_TIMEOUT_MS = 5_000;

    private static final long REBIND_TIMEOUT_MS = 5_000;

    private final int targetPort;

    private final int port;

    private final ExecutorService threads;

    private final Set<Relay> relays = ConcurrentHashMap.newKeySet();

    /** Bytes per second per direction and connection; 0: unlimited. Read by the pumps. */
    private volatile int bytesPerSecond;

    /** The listening socket, or {@code null} while refusing. Guarded by {@code this}. */
    private @Nullable ServerSocket listener;

    /** Holds the port while refusing. Guarded by {@code this}. */
    private @Nullable Socket placeholder;

    /** Guarded by {@code this}; new relays take it over. */
    private boolean stalled;

    /** Guarded by {@code this}. */
    private boolean closed;

    FaultFront(int targetPort) {
        this.targetPort = targetPort;
        ServerSocket socket = bindBelowEphemeralPorts();
        this.listener = socket;
        this.port = socket.getLocalPort();
        this.threads = Executors.newCachedThreadPool(daemonThreads("mock-websocket-server-" + this.port + "-"));
        startAccepting(socket);
    }

    int port() {
        return this.port;
    }

    /** Resets every current connection (TCP RST on both sides); new ones are accepted. */
    void dropAll() {
        // the current ones alone: a client may reconnect while the resets go out
        List.copyOf(this.relays).forEach(Relay::abort);
    }

    /** Swallows every byte, and every end of stream, of current and new connections. */
    synchronized void stall() {
        this.stalled = true;
        this.relays.forEach((relay) -> relay.stalled = true);
    }

    void throttle(int bytesPerSecond) {
        this.bytesPerSecond = Math.max(bytesPerSecond, 0);
    }

    /**
     * Closes the listening socket, so a TCP connect is refused, and keeps the port reserved
     * by a bound socket that does not listen, so nothing else takes it before {@link #listen()}.
     */
    synchronized void refuse() {
        if (this.listener != null) {
            closeQuietly(this.listener);
            this.listener = null;
            try {
                Socket reservation = new Socket();
                reservation.setReuseAddress(true);
                reservation.bind(new InetSocketAddress(LOOPBACK, this.port));
                this.placeholder = reservation;
            }
            catch (IOException ex) {
                // not reserved: listen() may then find the port taken, and says so
            }
        }
    }

    boolean isRefusing() {
        synchronized (this) {
            return this.listener == null;
        }
    }

    /**
     * Ends every fault: closes the stalled connections (their byte streams have holes), full
     * speed, and listens again on the same port after {@link #refuse()}.
     */
    synchronized void heal() {
        this.stalled = false;
        this.bytesPerSecond = 0;
        this.relays.stream().filter((relay) -> relay.stalled).forEach(Relay::close);
        listen();
    }

    /** Listens again on the same port after {@link #refuse()}. */
    synchronized void listen() {
        if (this.closed) {
            throw new IllegalStateException("The server is closed");
        }
        if (this.listener == null) {
            if (this.placeholder != null) {
                closeQuietly(this.placeholder);
                this.placeholder = null;
            }
            ServerSocket socket = rebind(this.port);
            this.listener = socket;
            startAccepting(socket);
        }
    }

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
        this.relays.forEach(Relay::close);
        this.threads.shutdownNow();
        try {
            // pumps end as soon as their sockets are closed
            this.threads.awaitTermination(5, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /** The kernel may hold the port a moment after the placeholder closed: retry, bounded. */
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

    /**
     * A port below Linux's ephemeral range (32768 and up): the same port is bound again after
     * an outage, and an ephemeral port may meanwhile be the local port of an outgoing connection.
     */
    private static ServerSocket bindBelowEphemeralPorts() {
        UncheckedIOException last = null;
        for (int i = 0; i < 200; i++) {
            try {
                return bind(20_000 + ThreadLocalRandom.current().nextInt(12_000));
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
            // rebinds the port while the connections of the last run linger in TIME_WAIT
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
                // closed by refuse() or close()
                return;
            }
            relay(client);
        }
    }

    private void relay(Socket client) {
        Socket upstream = new Socket();
        try {
            client.setTcpNoDelay(true);
            upstream.setTcpNoDelay(true);
            upstream.connect(new InetSocketAddress(LOOPBACK, this.targetPort), CONNECT_TIMEOUT_MS);
        }
        catch (IOException ex) {
            closeQuietly(client);
            closeQuietly(upstream);
            return;
        }
        Relay relay = new Relay(client, upstream);
        synchronized (this) {
            if (this.closed) {
                relay.close();
                return;
            }
            relay.stalled = this.stalled;
            this.relays.add(relay);
            this.threads.execute(() -> relay.pump(client, upstream));
            this.threads.execute(() -> relay.pump(upstream, client));
        }
    }

    private static java.util.concurrent.ThreadFactory daemonThreads(String namePrefix) {
        AtomicInteger counter = new AtomicInteger();
        return (runnable) -> {
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
            // it is being discarded
        }
    }

    /** One client connection and its connection to Tomcat. */
    private final class Relay {

        private final Socket client;

        private final Socket upstream;

        /** Directions still open. */
        private final AtomicInteger openDirections = new AtomicInteger(2);

        private volatile boolean stalled;

        Relay(Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
        }

        void pump(Socket from, Socket to) {
            byte[] buffer = new byte[BUFFER_SIZE];
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                int read;
                while ((read = in.read(buffer, 0, chunkSize())) != -1) {
                    // keep reading while stalled, so the sender never blocks, as when the peer is gone
                    if (!this.stalled) {
                        out.write(buffer, 0, read);
                        pace(read);
                    }
                }
                if (!this.stalled) {
                    // pass the half-close on: the WebSocket closing handshake relies on it
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

        /** Small reads while throttled, so the pace is even. */
        private int chunkSize() {
            int rate = FaultFront.this.bytesPerSecond;
            return (rate > 0) ? Math.max(1, Math.min(BUFFER_SIZE, rate / 20)) : BUFFER_SIZE;
        }

        /** Throttling: the time {@code bytes} take at the configured rate. */
        private void pace(int bytes) {
            int rate = FaultFront.this.bytesPerSecond;
            if (rate > 0) {
                LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(bytes) / rate);
            }
        }

        void abort() {
            try {
                // linger 0: close() sends RST instead of FIN, an abrupt network failure
                this.client.setSoLinger(true, 0);
                this.upstream.setSoLinger(true, 0);
            }
            catch (IOException ex) {
                // already closed
            }
            close();
        }

        void close() {
            closeQuietly(this.client);
            closeQuietly(this.upstream);
            FaultFront.this.relays.remove(this);
        }

    }

}
