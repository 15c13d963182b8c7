package io.github.reconnectingws.benchmarks;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

/**
 * A throw-away PostgreSQL on 127.0.0.1 for the resume benchmark: the machine's own
 * server binaries ({@code /usr/lib/postgresql/<version>/bin}), a fresh data directory,
 * trust authentication, user {@code postgres}, fsync off. As root it runs as the
 * {@code postgres} user through {@code runuser} (PostgreSQL refuses root). The minimum of
 * the autoconfigure module's test helper {@code PostgresServer}, whose test classes are
 * not on this module's classpath.
 */
final class BenchPostgres implements AutoCloseable {

    private static final long TIMEOUT_SECONDS = 60;

    private final Path bin;

    private final List<String> runAs;

    private final Path baseDir;

    private final int port;

    private @Nullable Thread shutdownHook;

    private boolean closed;

    private BenchPostgres(Path bin, List<String> runAs, Path baseDir, int port) {
        this.bin = bin;
        this.runAs = runAs;
        this.baseDir = baseDir;
        this.port = port;
    }

    /** Why PostgreSQL cannot be started here, or {@code null} when it can be tried. */
    static @Nullable String unavailableReason() {
        if (binDir() == null) {
            return "PostgreSQL server binaries (initdb, pg_ctl) not found in /usr/lib/postgresql/*/bin "
                    + "(apt-get install -y postgresql)";
        }
        if (isRoot() && !succeeds("id", "-u", "postgres")) {
            return "running as root and there is no 'postgres' user to run PostgreSQL as";
        }
        return null;
    }

    /** Create a cluster in a temporary directory and start it on a free port. */
    static BenchPostgres start() throws IOException, InterruptedException {
        Path bin = binDir();
        if (bin == null) {
            throw new IllegalStateException(unavailableReason());
        }
        List<String> runAs = isRoot() ? List.of("runuser", "-u", "postgres", "--") : List.of();
        Path baseDir = Files.createTempDirectory("rws-bench-pg-");
        Path data = baseDir.resolve("data");
        Files.createDirectories(baseDir.resolve("sock"));
        if (!runAs.isEmpty()) {
            run(List.of("chown", "-R", "postgres:postgres", baseDir.toString()), baseDir.resolve("chown.out"));
        }
        run(command(runAs, bin.resolve("initdb").toString(), "-D", data.toString(), "-A", "trust", "-U", "postgres",
                "-E", "UTF8", "--locale=C", "--no-sync"), baseDir.resolve("initdb.out"));
        int port = freePort();
        String options = "-p " + port + " -k " + baseDir.resolve("sock") + " -c listen_addresses=127.0.0.1"
                + " -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
        BenchPostgres server = new BenchPostgres(bin, runAs, baseDir, port);
        try {
            run(command(runAs, bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l",
                    baseDir.resolve("server.log").toString(), "-o", options, "-w", "-t", "50", "start"),
                    baseDir.resolve("pg_ctl-start.out"));
        }
        catch (IOException | RuntimeException ex) {
            server.close();
            throw ex;
        }
        // also when the harness is ended (SIGTERM, e.g. by timeout): never leave a postmaster behind
        server.shutdownHook = new Thread(server::close, "bench-postgres-stop");
        Runtime.getRuntime().addShutdownHook(server.shutdownHook);
        return server;
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + this.port + "/postgres";
    }

    /** {@code pg_ctl stop -m immediate}, then the directory is deleted. */
    @Override
    public synchronized void close() {
        if (this.closed) {
            return;
        }
        this.closed = true;
        if (this.shutdownHook != null && Thread.currentThread() != this.shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(this.shutdownHook);
            }
            catch (IllegalStateException ex) {
                // shutting down already
            }
        }
        try {
            run(command(this.runAs, this.bin.resolve("pg_ctl").toString(), "-D",
                    this.baseDir.resolve("data").toString(), "-m", "immediate", "-w", "-t", "20", "stop"),
                    this.baseDir.resolve("pg_ctl-stop.out"));
        }
        catch (Exception ex) {
            System.out.println("could not stop PostgreSQL in " + this.baseDir + ": " + ex.getMessage());
            return;
        }
        try (Stream<Path> paths = Files.walk(this.baseDir)) {
            paths.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
        }
        catch (IOException ex) {
            // a temporary directory
        }
    }

    private static @Nullable Path binDir() {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return null;
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.filter((dir) -> dir.getFileName().toString().matches("\\d+"))
                .sorted(Comparator.comparingInt((Path dir) -> Integer.parseInt(dir.getFileName().toString()))
                    .reversed())
                .map((dir) -> dir.resolve("bin"))
                .filter((dir) -> Files.isExecutable(dir.resolve("initdb")) && Files.isExecutable(dir.resolve("pg_ctl")))
                .findFirst()
                .orElse(null);
        }
        catch (IOException ex) {
            return null;
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static boolean succeeds(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
            return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
        }
        catch (IOException ex) {
            return false;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static List<String> command(List<String> runAs, String... command) {
        List<String> result = new ArrayList<>(runAs);
        result.addAll(Arrays.asList(command));
        return result;
    }

    /** Output to a file, never a pipe: the postmaster keeps its parent's descriptors. */
    private static void run(List<String> command, Path output) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(command + " did not finish within " + TIMEOUT_SECONDS + " s");
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException(command + " failed (" + process.exitValue() + "):\n"
                    + (Files.isRegularFile(output) ? Files.readString(output, StandardCharsets.UTF_8) : ""));
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

}
