package io.github.reconnectingws.benchmarks;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.github.reconnectingws.benchmarks.server.BenchServerApplication;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * The benchmark server, on 127.0.0.1 and a free port: in this JVM, or (the default for
 * full runs) a child JVM, so that the client's CPU, threads, descriptors and memory are
 * measured alone. {@link #kill()} ends a child with SIGKILL (a crash: the kernel closes
 * its sockets); {@link #start()} brings it back on the same port. Only processes started
 * here are ever killed, by their handle.
 */
public final class BenchServer implements AutoCloseable {

    private final boolean forked;

    private final int port;

    private final List<String> jvmArgs;

    private Process process;

    private ConfigurableApplicationContext context;

    private BenchServer(boolean forked, List<String> jvmArgs) {
        this.forked = forked;
        this.jvmArgs = jvmArgs;
        this.port = freePort();
    }

    public static BenchServer create(boolean forked, String... jvmArgs) {
        BenchServer server = new BenchServer(forked, List.of(jvmArgs));
        server.start();
        return server;
    }

    public int port() {
        return this.port;
    }

    public String url(String path) {
        return "ws://127.0.0.1:" + this.port + path;
    }

    public boolean isForked() {
        return this.forked;
    }

    /** Start (or restart) the server on its port; returns when it accepts connections. */
    public synchronized void start() {
        if (!this.forked) {
            this.context = BenchServerApplication.start(this.port);
            return;
        }
        List<String> command = javaCommand();
        command.addAll(this.jvmArgs);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(BenchServerApplication.class.getName());
        command.add(String.valueOf(this.port));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        try {
            this.process = builder.start();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        Process started = this.process;
        Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly));
        CompletableFuture<Void> ready = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(started.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.startsWith(BenchServerApplication.READY)) {
                        ready.complete(null);
                    }
                    else if (!line.isBlank()) {
                        System.err.println("[server] " + line);
                    }
                }
            }
            catch (IOException ex) {
                // process gone
            }
            ready.completeExceptionally(new IllegalStateException("server process ended before it was ready"));
        }, "bench-server-output");
        reader.setDaemon(true);
        reader.start();
        try {
            ready.get(120, TimeUnit.SECONDS);
        }
        catch (Exception ex) {
            started.destroyForcibly();
            throw new IllegalStateException("benchmark server did not start", ex);
        }
    }

    /** Crash the server: SIGKILL for a child, an immediate context close in-process. */
    public synchronized void kill() {
        if (!this.forked) {
            if (this.context != null) {
                this.context.close();
                this.context = null;
            }
            return;
        }
        if (this.process != null) {
            this.process.destroyForcibly();
            try {
                this.process.waitFor(30, TimeUnit.SECONDS);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            this.process = null;
        }
    }

    /** The child's pid, or -1. */
    public synchronized long pid() {
        return (this.process != null) ? this.process.pid() : -1;
    }

    @Override
    public synchronized void close() {
        if (this.process != null) {
            try (PrintWriter in = new PrintWriter(this.process.getOutputStream())) {
                in.flush();
            }
            try {
                if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
                    this.process.destroyForcibly();
                }
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                this.process.destroyForcibly();
            }
            this.process = null;
        }
        kill();
    }

    /**
     * The java command for a child JVM: this JVM's binary, and under the build's smoke tests
     * the build's options for short-lived test JVMs (none in a measured run).
     */
    static List<String> javaCommand() {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command()
            .orElse(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java"));
        for (String option : System.getProperty("test.jvm-options", "").split("\\s+")) {
            if (!option.isEmpty()) {
                command.add(option);
            }
        }
        return command;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

}
