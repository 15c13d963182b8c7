package io.github.reconnectingws.testsupport;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Assumptions;

/**
 * A real authenticating HTTP proxy: Debian's {@code tinyproxy}, as a child process of the
 * test JVM on {@code 127.0.0.1} (free port, kept across {@link #restart()}), with Basic
 * authentication and {@code CONNECT} allowed to the given ports only. Its log (level
 * {@code Connect}) records every request line it handled.
 *
 * <p>When {@code tinyproxy} is missing, {@link #start} aborts the calling test with the
 * reason and how to install it, so the test is reported as skipped. {@link #close()} ends
 * the process it started and deletes its temporary directory.
 */
public final class TinyProxyServer implements AutoCloseable {

    private static final String HOST = "127.0.0.1";

    private static final Path EXECUTABLE = Path.of("/usr/bin/tinyproxy");

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(10);

    private final Path dir;

    private final int port;

    private final String username;

    private final String password;

    private final int[] connectPorts;

    private Process process;

    private TinyProxyServer(Path dir, int port, String username, String password, int[] connectPorts) {
        this.dir = dir;
        this.port = port;
        this.username = username;
        this.password = password;
        this.connectPorts = connectPorts;
    }

    /**
     * Starts a proxy that wants {@code username}/{@code password} and tunnels to the given
     * loopback ports.
     * @param username the Basic user name
     * @param password the Basic password
     * @param connectPorts the ports {@code CONNECT} may reach
     * @return the running proxy
     * @throws org.opentest4j.TestAbortedException if {@code tinyproxy} is not installed
     */
    public static TinyProxyServer start(String username, String password, int... connectPorts) {
        if (!Files.isExecutable(EXECUTABLE)) {
            Assumptions.abort("tinyproxy not found at " + EXECUTABLE + ", so the tests against a real HTTP proxy "
                    + "are skipped: install it with `apt-get install -y tinyproxy` (Debian/Ubuntu), then rerun");
        }
        Path dir;
        try {
            dir = Files.createTempDirectory("reconnecting-ws-tinyproxy-");
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Could not create a temporary directory for tinyproxy", ex);
        }
        TinyProxyServer server = new TinyProxyServer(dir, freePort(), username, password, connectPorts);
        try {
            server.startProcess();
        }
        catch (RuntimeException ex) {
            server.close();
            throw ex;
        }
        return server;
    }

    /** {@code http://127.0.0.1:<port>}. */
    public URI uri() {
        return URI.create("http://" + HOST + ":" + this.port);
    }

    public int port() {
        return this.port;
    }

    /** What the proxy logged so far. */
    public String log() {
        return ServerProcesses.readQuietly(this.dir.resolve("tinyproxy.log"));
    }

    /** Ends the process; the port is free until {@link #restart()}. */
    public synchronized void stop() {
        if (this.process != null) {
            stop(this.process);
            this.process = null;
        }
    }

    /** Starts the process again on the same port. */
    public synchronized void restart() {
        stop();
        startProcess();
    }

    private synchronized void startProcess() {
        Path config = this.dir.resolve("tinyproxy.conf");
        String connectPorts = IntStream.of(this.connectPorts)
            .mapToObj((p) -> "ConnectPort " + p)
            .collect(Collectors.joining("\n"));
        String text = String.join("\n", "Port " + this.port, "Listen " + HOST, "Allow " + HOST,
                "BasicAuth " + this.username + " " + this.password, connectPorts, "LogLevel Connect",
                "LogFile \"" + this.dir.resolve("tinyproxy.log") + "\"", "Timeout 600", "MaxClients 200", "");
        try {
            Files.writeString(config, text, StandardCharsets.UTF_8);
            this.process = new ProcessBuilder(EXECUTABLE.toString(), "-d", "-c", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(this.dir.resolve("tinyproxy.out").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        }
        catch (IOException ex) {
            throw new IllegalStateException("Could not start " + EXECUTABLE, ex);
        }
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!this.process.isAlive()) {
                break;
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(HOST, this.port), 200);
                return;
            }
            catch (IOException ex) {
                try {
                    this.process.waitFor(25, TimeUnit.MILLISECONDS);
                }
                catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        String output = ServerProcesses.readQuietly(this.dir.resolve("tinyproxy.out"));
        stop(this.process);
        throw new IllegalStateException("tinyproxy did not listen on " + HOST + ":" + this.port + " within "
                + READY_TIMEOUT + "\nOutput:\n" + output);
    }

    @Override
    public void close() {
        try {
            stop();
        }
        finally {
            ServerProcesses.deleteRecursively(this.dir);
        }
    }

    private static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        }
        catch (InterruptedException ex) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    @Override
    public String toString() {
        return "TinyProxyServer[" + HOST + ":" + this.port + "]";
    }

    /** Lists the proxy's log lines that mention {@code text}. */
    public List<String> logLinesWith(String text) {
        return log().lines().filter((line) -> line.contains(text)).toList();
    }

}
