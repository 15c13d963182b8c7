package io.github.reconnectingws.testsupport;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * A throw-away Redis on {@code 127.0.0.1} (free port, no persistence, no password),
 * started from the machine's {@code redis-server} as a child process of the test JVM.
 *
 * <p>When {@code redis-server} is missing, {@link #start()} aborts the calling test with the
 * reason and how to install it, so the test is reported as skipped; any other failure fails
 * the test with the server's output.
 *
 * <p>Nothing is registered globally: close the server (try-with-resources or
 * {@code @AfterAll}); {@link #close()} ends the process it started and deletes its
 * temporary directory.
 */
public final class RedisServer implements AutoCloseable {

    private static final String HOST = "127.0.0.1";

    private static final String INSTALL_HINT = "install it with `apt-get install -y redis-server` "
            + "(Debian/Ubuntu), then rerun";

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(10);

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

    private static final int START_ATTEMPTS = 3;

    private final Process process;

    private final Path dir;

    private final int port;

    private boolean closed;

    private RedisServer(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    /**
     * Starts {@code redis-server} on a free loopback port and waits (at most 10 s) until it
     * answers {@code PING} with {@code +PONG}.
     * @return the running server
     * @throws org.opentest4j.TestAbortedException if {@code redis-server} is not installed
     * @throws IllegalStateException if it does not start or answer, with its output
     */
    public static RedisServer start() {
        Path executable = findExecutable();
        Path dir;
        try {
            dir = Files.createTempDirectory("reconnecting-ws-redis-");
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Could not create a temporary directory for Redis", ex);
        }
        Process process = null;
        try {
            for (int attempt = 1;; attempt++) {
                int port = freePort();
                Path log = dir.resolve("redis-" + attempt + ".log");
                List<String> command = List.of(executable.toString(), "--port", Integer.toString(port), "--bind", HOST,
                        "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", dir.toString());
                process = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .start();
                String failure = awaitPong(process, port);
                if (failure == null) {
                    return new RedisServer(process, dir, port);
                }
                stop(process);
                String output = ServerProcesses.readQuietly(log);
                if (!output.contains("Address already in use") || attempt >= START_ATTEMPTS) {
                    throw new IllegalStateException("redis-server did not start: " + failure + "\nCommand: " + command
                            + "\nOutput:\n" + output);
                }
                // another process took the port between our probe and the bind: try another one
            }
        }
        catch (IOException ex) {
            stopQuietly(process);
            ServerProcesses.deleteRecursively(dir);
            throw new IllegalStateException("Could not start " + executable, ex);
        }
        catch (RuntimeException | Error ex) {
            stopQuietly(process);
            ServerProcesses.deleteRecursively(dir);
            throw ex;
        }
    }

    public String host() {
        return HOST;
    }

    public int port() {
        return this.port;
    }

    /** Freeze the server with SIGSTOP: connections stay open, commands hang, as with a stalled host. */
    public void freeze() {
        signal("-STOP");
    }

    /** Let a frozen server go on with SIGCONT. */
    public void thaw() {
        signal("-CONT");
    }

    private void signal(String signal) {
        try {
            Process kill = new ProcessBuilder("kill", signal, Long.toString(this.process.pid())).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill " + signal + " of redis-server failed");
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    /** Ends the process (SIGTERM, then SIGKILL after 5 s) and deletes its directory. Idempotent. */
    @Override
    public void close() {
        if (this.closed) {
            return;
        }
        this.closed = true;
        try {
            stop(this.process);
        }
        finally {
            ServerProcesses.deleteRecursively(this.dir);
        }
    }

    @Override
    public String toString() {
        return "RedisServer[" + HOST + ":" + this.port + ", pid " + this.process.pid() + "]";
    }

    private static Path findExecutable() {
        List<Path> candidates = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            for (String entry : path.split(File.pathSeparator)) {
                if (!entry.isEmpty()) {
                    candidates.add(Path.of(entry, "redis-server"));
                }
            }
        }
        candidates.add(Path.of("/usr/bin/redis-server"));
        for (Path candidate : candidates) {
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return Assumptions.abort("redis-server not found on PATH nor at /usr/bin/redis-server, so the tests that "
                + "need a real Redis are skipped: " + INSTALL_HINT);
    }

    /**
     * Polls with a raw {@code PING} until {@code +PONG}, the process exits, or the timeout
     * passes; the pause between tries is a bounded wait on the process itself.
     * @return {@code null} when ready, otherwise why not
     */
    private static String awaitPong(Process process, int port) {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        String last = "no answer yet";
        try {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    return "the process exited with code " + process.exitValue();
                }
                try {
                    if (ping(port)) {
                        return null;
                    }
                    last = "unexpected answer to PING";
                }
                catch (IOException ex) {
                    last = ex.toString();
                }
                if (process.waitFor(25, TimeUnit.MILLISECONDS)) {
                    return "the process exited with code " + process.exitValue();
                }
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return "interrupted while waiting for it";
        }
        return "no +PONG within " + READY_TIMEOUT + " (last: " + last + ")";
    }

    private static boolean ping(int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, port), 500);
            socket.setSoTimeout(1000);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c != -1 && c != '\n' && line.length() < 256; c = in.read()) {
                line.append((char) c);
            }
            return line.toString().trim().equals("+PONG");
        }
    }

    private static void stopQuietly(Process process) {
        if (process != null) {
            stop(process);
        }
    }

    private static void stop(Process process) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
        catch (InterruptedException ex) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

}
