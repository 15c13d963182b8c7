package io.github.reconnectingws.benchmarks;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * A throw-away Redis on 127.0.0.1 for the cluster benchmark: the machine's
 * {@code redis-server} (Debian's package), no persistence, on a free port; stopped with
 * SIGKILL on {@link #close()} (it holds nothing worth keeping).
 */
final class BenchRedis implements AutoCloseable {

    private static final Path SERVER = Path.of("/usr/bin/redis-server");

    private final Process process;

    private final int port;

    private BenchRedis(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Why Redis cannot be started here, or {@code null} when it can be tried. */
    static @Nullable String unavailableReason() {
        return Files.isExecutable(SERVER) ? null : "no " + SERVER + " (apt-get install -y redis-server)";
    }

    static BenchRedis start() throws IOException, InterruptedException {
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Process process = new ProcessBuilder(List.of(SERVER.toString(), "--port", Integer.toString(port), "--bind",
                "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "no"))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                return new BenchRedis(process, port);
            }
            catch (IOException ex) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("redis-server exited with " + process.exitValue());
                }
                process.waitFor(20, TimeUnit.MILLISECONDS);
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("redis-server did not listen on " + port + " within 30 s");
    }

    int port() {
        return this.port;
    }

    @Override
    public void close() {
        this.process.destroyForcibly();
    }

}
