package io.github.reconnectingws.testsupport;

import static io.github.reconnectingws.testsupport.ServerProcesses.SHORT_TIMEOUT;
import static io.github.reconnectingws.testsupport.ServerProcesses.commandSucceeds;
import static io.github.reconnectingws.testsupport.ServerProcesses.deleteRecursively;
import static io.github.reconnectingws.testsupport.ServerProcesses.isRoot;
import static io.github.reconnectingws.testsupport.ServerProcesses.readQuietly;
import static io.github.reconnectingws.testsupport.ServerProcesses.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Assumptions;

import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * A throw-away PostgreSQL server on {@code 127.0.0.1} (free port, trust authentication,
 * user {@code postgres} without password), started from the machine's own server binaries
 * ({@code initdb}, {@code pg_ctl}) in a fresh temporary data directory. {@code initdb} runs
 * once per JVM, into a template that each server's data directory is copied from: every
 * server is a new cluster, without the second of CPU that {@code initdb} spends on each.
 *
 * <p>PostgreSQL refuses to run as root, so when the tests run as root the data directory
 * is handed to the {@code postgres} user and the binaries run through {@code runuser -u
 * postgres --}; otherwise they run as the current user.
 *
 * <p>When the binaries (or, as root, the {@code postgres} user) are missing, {@link #start()}
 * aborts the calling test with the reason and how to install them, so the test is reported
 * as skipped; any other failure fails the test with the command's output.
 *
 * <p>Close the server (try-with-resources or {@code @AfterAll}); {@link #close()} stops
 * PostgreSQL and deletes the directories. The template alone outlives it, until the JVM
 * exits.
 */
public final class PostgresServer implements AutoCloseable {

    private static final String INSTALL_HINT = "install the PostgreSQL server with "
            + "`apt-get install -y postgresql` (Debian/Ubuntu; its binaries land in "
            + "/usr/lib/postgresql/<version>/bin, which is searched), then rerun";

    private static final Duration INITDB_TIMEOUT = Duration.ofSeconds(60);

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private static final int START_ATTEMPTS = 3;

    private static Path template;

    private final Path binDir;

    private final List<String> runAs;

    private final Path baseDir;

    private final Path dataDir;

    private final int port;

    private HikariDataSource dataSource;

    private boolean closed;

    private PostgresServer(Path binDir, List<String> runAs, Path baseDir, Path dataDir, int port) {
        this.binDir = binDir;
        this.runAs = runAs;
        this.baseDir = baseDir;
        this.dataDir = dataDir;
        this.port = port;
    }

    /**
     * Creates a new cluster in a temporary directory and starts it on a free loopback port.
     * @return the running server
     * @throws org.opentest4j.TestAbortedException if PostgreSQL is not installed (or, when
     * running as root, the {@code postgres} user or {@code runuser} is missing)
     * @throws IllegalStateException if {@code initdb} or {@code pg_ctl start} fails, with
     * the command's output
     */
    public static PostgresServer start() {
        Path binDir = findBinDir();
        List<String> runAs = runAsPrefix();
        Path baseDir;
        try {
            baseDir = Files.createTempDirectory("reconnecting-ws-pg-");
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Could not create a temporary directory for PostgreSQL", ex);
        }
        Path dataDir = baseDir.resolve("data");
        Path socketDir = baseDir.resolve("sock");
        try {
            Files.createDirectories(socketDir);
            if (!runAs.isEmpty()) {
                run(List.of("chown", "-R", "postgres:postgres", baseDir.toString()), baseDir.resolve("chown.out"),
                        SHORT_TIMEOUT, "chown");
            }
            run(command(runAs, "cp", "-a", template(binDir, runAs).toString(), dataDir.toString()),
                    baseDir.resolve("cp.out"), SHORT_TIMEOUT, "cp");
            for (int attempt = 1;; attempt++) {
                int port = freePort();
                Path serverLog = baseDir.resolve("server-" + attempt + ".log");
                String options = "-p " + port + " -k " + socketDir + " -c listen_addresses=127.0.0.1"
                        + " -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
                try {
                    run(command(runAs, binDir.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-l",
                            serverLog.toString(), "-o", options, "-w", "-t", Long.toString(START_TIMEOUT.toSeconds()),
                            "start"), baseDir.resolve("pg_ctl-start-" + attempt + ".out"),
                            START_TIMEOUT.plusSeconds(10), "pg_ctl start");
                    return new PostgresServer(binDir, runAs, baseDir, dataDir, port);
                }
                catch (IllegalStateException ex) {
                    String log = readQuietly(serverLog);
                    boolean portTaken = log.contains("could not bind") || log.contains("Address already in use");
                    if (!portTaken || attempt >= START_ATTEMPTS) {
                        throw new IllegalStateException(ex.getMessage() + "\nServer log " + serverLog + ":\n" + log,
                                ex);
                    }
                    // another process took the port between our probe and the bind: try another one
                }
            }
        }
        catch (RuntimeException | Error ex) {
            killFromPidFile(dataDir);
            deleteRecursively(baseDir);
            throw ex;
        }
        catch (IOException ex) {
            deleteRecursively(baseDir);
            throw new UncheckedIOException(ex);
        }
    }

    /** The data directory every server of this JVM starts from, made by {@code initdb} on first use. */
    private static synchronized Path template(Path binDir, List<String> runAs) throws IOException {
        if (template == null) {
            Path dir = Files.createTempDirectory("reconnecting-ws-pg-template-");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteRecursively(dir)));
            if (!runAs.isEmpty()) {
                run(List.of("chown", "postgres:postgres", dir.toString()), dir.resolve("chown.out"), SHORT_TIMEOUT,
                        "chown");
            }
            Path data = dir.resolve("data");
            run(command(runAs, binDir.resolve("initdb").toString(), "-D", data.toString(), "-A", "trust", "-U",
                    "postgres", "-E", "UTF8", "--locale=C", "--no-sync"), dir.resolve("initdb.out"), INITDB_TIMEOUT,
                    "initdb");
            template = data;
        }
        return template;
    }

    /** {@code jdbc:postgresql://127.0.0.1:PORT/postgres}. */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + this.port + "/postgres";
    }

    /** Always {@code postgres}. */
    public String username() {
        return "postgres";
    }

    /** Always empty: the cluster uses trust authentication. */
    public String password() {
        return "";
    }

    public int port() {
        return this.port;
    }

    /**
     * A pooled {@link DataSource} for this server, as a Spring Boot application's would be
     * (HikariCP, a few connections): a store that runs a statement every few milliseconds
     * does not open a connection, and so start a server process, for each. Closed with the
     * server, and not closeable otherwise, so that contexts that have it as a bean share it.
     * @return the same pool on every call
     */
    public synchronized DataSource dataSource() {
        if (this.dataSource == null) {
            this.dataSource = pool(jdbcUrl());
        }
        return new DelegatingDataSource(this.dataSource);
    }

    /**
     * A small HikariCP pool for a server of this class, from any JVM.
     * @param jdbcUrl the server's {@link #jdbcUrl()}
     * @return the pool, to be closed by the caller
     */
    public static HikariDataSource pool(String jdbcUrl) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername("postgres");
        config.setPassword("");
        config.setMaximumPoolSize(4);
        config.setMinimumIdle(1);
        return new HikariDataSource(config);
    }

    /**
     * Runs one SQL statement (or several separated by semicolons, without parameters) in
     * its own connection, with auto-commit.
     * @param sql the SQL to run
     */
    public void execute(String sql) {
        Properties properties = new Properties();
        properties.setProperty("user", username());
        properties.setProperty("password", password());
        properties.setProperty("connectTimeout", "10");
        properties.setProperty("socketTimeout", "60");
        try (Connection connection = DriverManager.getConnection(jdbcUrl(), properties);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
        catch (SQLException ex) {
            throw new IllegalStateException("Could not execute on " + jdbcUrl() + ": " + sql, ex);
        }
    }

    /**
     * Stops the server with {@code pg_ctl -m immediate stop} (bounded; if that fails the
     * postmaster recorded in {@code postmaster.pid} is killed) and deletes the temporary
     * directories. Idempotent.
     */
    @Override
    public void close() {
        if (this.closed) {
            return;
        }
        this.closed = true;
        synchronized (this) {
            if (this.dataSource != null) {
                this.dataSource.close();
            }
        }
        try {
            run(command(this.runAs, this.binDir.resolve("pg_ctl").toString(), "-D", this.dataDir.toString(), "-m",
                    "immediate", "-w", "-t", Long.toString(STOP_TIMEOUT.toSeconds()), "stop"),
                    this.baseDir.resolve("pg_ctl-stop.out"), STOP_TIMEOUT.plusSeconds(10), "pg_ctl stop");
        }
        catch (RuntimeException ex) {
            killFromPidFile(this.dataDir);
        }
        finally {
            deleteRecursively(this.baseDir);
        }
    }

    @Override
    public String toString() {
        return "PostgresServer[" + jdbcUrl() + ", data " + this.dataDir + "]";
    }

    // ---- finding and running the binaries ----

    private static Path findBinDir() {
        List<Path> candidates = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            for (String entry : path.split(java.io.File.pathSeparator)) {
                if (!entry.isEmpty()) {
                    candidates.add(Path.of(entry));
                }
            }
        }
        candidates.addAll(debianBinDirsNewestFirst());
        for (Path dir : candidates) {
            if (Files.isExecutable(dir.resolve("initdb")) && Files.isExecutable(dir.resolve("pg_ctl"))) {
                return dir;
            }
        }
        return Assumptions.abort("PostgreSQL server binaries (initdb, pg_ctl) not found on PATH nor in "
                + "/usr/lib/postgresql/*/bin, so the tests that need a real PostgreSQL are skipped: " + INSTALL_HINT);
    }

    /** {@code /usr/lib/postgresql/<version>/bin}, highest version first (16 before 15 before 9.6). */
    private static List<Path> debianBinDirsNewestFirst() {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.filter((dir) -> dir.getFileName().toString().matches("\\d+(\\.\\d+)*"))
                    .sorted(Comparator.comparing((Path dir) -> versionKey(dir.getFileName().toString()),
                            PostgresServer::compareVersions).reversed())
                    .map((dir) -> dir.resolve("bin"))
                    .toList();
        }
        catch (IOException ex) {
            return List.of();
        }
    }

    private static int[] versionKey(String version) {
        return Arrays.stream(version.split("\\.")).mapToInt(Integer::parseInt).toArray();
    }

    private static int compareVersions(int[] a, int[] b) {
        return Arrays.compare(a, b);
    }

    /** Empty when not root; {@code runuser -u postgres --} when root (aborts if that cannot work). */
    private static List<String> runAsPrefix() {
        if (!isRoot()) {
            return List.of();
        }
        if (!commandSucceeds("id", "-u", "postgres")) {
            return Assumptions.abort("Running as root, and PostgreSQL refuses to run as root, but there is no "
                    + "'postgres' user to run it as, so the tests that need a real PostgreSQL are skipped: "
                    + INSTALL_HINT + " (the package creates that user)");
        }
        String runuser = Stream.of("/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser", "/bin/runuser")
                .filter((candidate) -> Files.isExecutable(Path.of(candidate)))
                .findFirst()
                .orElse(null);
        if (runuser == null) {
            return Assumptions.abort("Running as root, and PostgreSQL refuses to run as root, but 'runuser' "
                    + "(util-linux) is missing to run it as 'postgres', so the tests that need a real PostgreSQL are "
                    + "skipped: install it with `apt-get install -y util-linux`, or run the tests as a non-root user");
        }
        return List.of(runuser, "-u", "postgres", "--");
    }

    private static List<String> command(List<String> runAs, String... command) {
        List<String> result = new ArrayList<>(runAs);
        result.addAll(Arrays.asList(command));
        return result;
    }

    /** Last resort: SIGKILL the postmaster recorded in {@code postmaster.pid}, if it is still alive. */
    private static void killFromPidFile(Path dataDir) {
        Path pidFile = dataDir.resolve("postmaster.pid");
        try {
            if (!Files.isRegularFile(pidFile)) {
                return;
            }
            List<String> lines = Files.readAllLines(pidFile);
            if (lines.isEmpty()) {
                return;
            }
            long pid = Long.parseLong(lines.get(0).trim());
            ProcessHandle.of(pid).ifPresent((postmaster) -> {
                postmaster.destroyForcibly();
                postmaster.onExit().orTimeout(SHORT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                        .exceptionally((ex) -> null)
                        .join();
            });
        }
        catch (IOException | RuntimeException ex) {
            // best effort
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

}
