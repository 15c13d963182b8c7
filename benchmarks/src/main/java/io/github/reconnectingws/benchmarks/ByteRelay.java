package io.github.reconnectingws.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP relay on 127.0.0.1 that counts the bytes it forwards: each lane listens on its own
 * port and forwards every connection it accepts to the target port, counting the bytes of
 * the TCP stream in each direction (WebSocket frames with their headers and masks; not IP
 * or TCP headers). One lane per client under test keeps their counts apart.
 * <p>
 * Run in-process ({@link #start(boolean, int, int)} with {@code fork} false), or as a
 * child JVM ({@link #main}) so that its copying does not count as the client's CPU time:
 * the child prints {@code RELAY READY port...}, answers each {@code COUNT} line on its
 * standard input with {@code COUNT toServer toClient ...} (two figures per lane) and exits
 * when its standard input closes.
 */
public final class ByteRelay {

    static final String READY = "RELAY READY";

    static final String COUNT = "COUNT";

    /** Connections accepted per lane at most (a client under test needs one, a few if it reconnects). */
    static final int MAX_CONNECTIONS = 64;

    /** The counts of a relay, in this JVM or in a child. */
    public interface Counter extends AutoCloseable {

        /** The port clients connect to for this lane. */
        int port(int lane);

        /** Bytes forwarded so far, {@code [lane 0 to server, lane 0 to client, lane 1 to server, ...]}. */
        long[] counts();

        @Override
        void close();

    }

    private ByteRelay() {
    }

    /**
     * @param fork in a child JVM (otherwise in this one)
     * @param targetPort the server's port on 127.0.0.1
     * @param lanes how many listening ports, each counted on its own
     */
    public static Counter start(boolean fork, int targetPort, int lanes) {
        try {
            return fork ? new Child(targetPort, lanes) : new Local(targetPort, lanes);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** The relay in this JVM. */
    static final class Local implements Counter {

        private final InetAddress loopback;

        private final int targetPort;

        private final List<ServerSocket> listeners = new ArrayList<>();

        private final AtomicLong[] counts;

        private final List<Socket> sockets = new CopyOnWriteArrayList<>();

        private volatile boolean closed;

        Local(int targetPort, int lanes) throws IOException {
            this.loopback = InetAddress.getByName("127.0.0.1");
            this.targetPort = targetPort;
            this.counts = new AtomicLong[lanes * 2];
            for (int i = 0; i < this.counts.length; i++) {
                this.counts[i] = new AtomicLong();
            }
            for (int lane = 0; lane < lanes; lane++) {
                ServerSocket listener = new ServerSocket(0, 16, this.loopback);
                this.listeners.add(listener);
                int index = lane;
                daemon(() -> accept(listener, index), "relay-accept-" + lane).start();
            }
        }

        @Override
        public int port(int lane) {
            return this.listeners.get(lane).getLocalPort();
        }

        @Override
        public long[] counts() {
            long[] values = new long[this.counts.length];
            for (int i = 0; i < values.length; i++) {
                values[i] = this.counts[i].get();
            }
            return values;
        }

        @Override
        public void close() {
            this.closed = true;
            for (ServerSocket listener : this.listeners) {
                closeQuietly(listener);
            }
            for (Socket socket : this.sockets) {
                closeQuietly(socket);
            }
        }

        /** Ends when the listener is closed, or after MAX_CONNECTIONS. */
        private void accept(ServerSocket listener, int lane) {
            for (int accepted = 0; accepted < MAX_CONNECTIONS && !this.closed && !listener.isClosed(); accepted++) {
                Socket client;
                try {
                    client = listener.accept();
                }
                catch (IOException ex) {
                    return;
                }
                Socket server = new Socket();
                try {
                    server.connect(new InetSocketAddress(this.loopback, this.targetPort), 10_000);
                    client.setTcpNoDelay(true);
                    server.setTcpNoDelay(true);
                }
                catch (IOException ex) {
                    closeQuietly(client);
                    closeQuietly(server);
                    continue;
                }
                this.sockets.add(client);
                this.sockets.add(server);
                daemon(() -> pump(client, server, this.counts[lane * 2]), "relay-up-" + lane).start();
                daemon(() -> pump(server, client, this.counts[lane * 2 + 1]), "relay-down-" + lane).start();
            }
        }

        /** Copies until end of stream or an error; ends with the connection (sockets are closed by close()). */
        private void pump(Socket from, Socket to, AtomicLong count) {
            byte[] buffer = new byte[64 * 1024];
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                int read;
                while ((read = in.read(buffer)) != -1) {
                    // counted before it is written: once the far side has it, it is counted
                    count.addAndGet(read);
                    out.write(buffer, 0, read);
                }
                to.shutdownOutput();
            }
            catch (IOException ex) {
                closeQuietly(from);
                closeQuietly(to);
            }
        }

    }

    private static Thread daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        }
        catch (Exception ex) {
            // closing anyway
        }
    }

    /** Child mode: {@code ByteRelay <targetPort> <lanes>}; exits when standard input closes. */
    public static void main(String[] args) throws IOException {
        Local relay = new Local(Integer.parseInt(args[0]), Integer.parseInt(args[1]));
        StringBuilder ready = new StringBuilder(READY);
        for (int lane = 0; lane < relay.listeners.size(); lane++) {
            ready.append(' ').append(relay.port(lane));
        }
        System.out.println(ready);
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            if (line.equals(COUNT)) {
                StringBuilder answer = new StringBuilder(COUNT);
                for (long value : relay.counts()) {
                    answer.append(' ').append(value);
                }
                System.out.println(answer);
                System.out.flush();
            }
        }
        relay.close();
        System.exit(0);
    }

    /** The relay in a child JVM, ended by its own process handle. */
    static final class Child implements Counter {

        private final Process process;

        private final PrintWriter commands;

        private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();

        private final int[] ports;

        Child(int targetPort, int lanes) throws IOException {
            List<String> command = BenchServer.javaCommand();
            command.addAll(List.of("-Xmx256m", "-cp", System.getProperty("java.class.path"),
                    ByteRelay.class.getName(), String.valueOf(targetPort), String.valueOf(lanes)));
            this.process = new ProcessBuilder(command).redirectErrorStream(true).start();
            Process started = this.process;
            Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly));
            this.commands = new PrintWriter(this.process.getOutputStream(), true, StandardCharsets.UTF_8);
            daemon(() -> {
                try (BufferedReader out = new BufferedReader(
                        new InputStreamReader(started.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = out.readLine()) != null) {
                        if (line.startsWith(READY) || line.startsWith(COUNT)) {
                            this.answers.add(line);
                        }
                        else if (!line.isBlank()) {
                            System.err.println("[relay] " + line);
                        }
                    }
                }
                catch (IOException ex) {
                    // process gone
                }
            }, "relay-output").start();
            String ready = answer(READY, 60);
            String[] parts = ready.substring(READY.length()).trim().split(" ");
            this.ports = new int[parts.length];
            for (int i = 0; i < parts.length; i++) {
                this.ports[i] = Integer.parseInt(parts[i]);
            }
        }

        private String answer(String prefix, int timeoutSeconds) {
            try {
                String line = this.answers.poll(timeoutSeconds, TimeUnit.SECONDS);
                if (line == null || !line.startsWith(prefix)) {
                    this.process.destroyForcibly();
                    throw new IllegalStateException("relay process: expected " + prefix + ", got " + line);
                }
                return line;
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", ex);
            }
        }

        @Override
        public int port(int lane) {
            return this.ports[lane];
        }

        @Override
        public synchronized long[] counts() {
            this.commands.println(COUNT);
            String[] parts = answer(COUNT, 30).substring(COUNT.length()).trim().split(" ");
            long[] values = new long[parts.length];
            for (int i = 0; i < parts.length; i++) {
                values[i] = Long.parseLong(parts[i]);
            }
            return values;
        }

        @Override
        public void close() {
            this.commands.close();
            try {
                if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
                    this.process.destroyForcibly();
                }
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                this.process.destroyForcibly();
            }
        }

    }

}
