package io.github.reconnectingws.testsupport;

import static io.github.reconnectingws.testsupport.ServerProcesses.SHORT_TIMEOUT;
import static io.github.reconnectingws.testsupport.ServerProcesses.commandSucceeds;
import static io.github.reconnectingws.testsupport.ServerProcesses.deleteRecursively;
import static io.github.reconnectingws.testsupport.ServerProcesses.isRoot;
import static io.github.reconnectingws.testsupport.ServerProcesses.readQuietly;
import static io.github.reconnectingws.testsupport.ServerProcesses.run;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;

/**
 * A throw-away RabbitMQ broker with the Web STOMP plugin on {@code 127.0.0.1}: STOMP 1.2
 * over WebSocket at {@link #stompUri()} (subprotocol {@code v12.stomp}), login
 * {@code guest}/{@code guest}, virtual host {@code /}. It is started from the machine's
 * {@code rabbitmq-server} (Debian package {@code rabbitmq-server}) as a child process of
 * the test JVM, with every file it writes in a fresh temporary directory, free loopback
 * ports for AMQP, Web STOMP, Erlang distribution and its own {@code epmd}, and the plain
 * STOMP listener (61613 by default) switched off.
 *
 * <p>When the tests run as root, Debian's {@code rabbitmq-server} wrapper switches to the
 * {@code rabbitmq} user (through {@code su}, which also resets {@code HOME} to
 * {@code /var/lib/rabbitmq}), so the directory is handed to that user. Otherwise the real
 * start script behind the wrapper is run as the current user, since the wrapper refuses
 * other users.
 *
 * <p>{@link #stop()} ends the broker but keeps its data directory and ports, so
 * {@link #restart()} brings the same node back on the same ports (a broker outage for
 * reconnect tests).
 *
 * <p>When {@code rabbitmq-server} (or, as root, the {@code rabbitmq} user) is missing,
 * {@link #start()} aborts the calling test with the reason and how to install it, so the
 * test is reported as skipped; any other failure fails the test with the tail of the
 * broker's output and log.
 *
 * <p>Nothing is registered globally: close the server (try-with-resources or
 * {@code @AfterAll}); {@link #close()} ends the broker and the {@code epmd} it started and
 * deletes the temporary directory.
 */
public final class RabbitMqServer implements AutoCloseable {

    private static final String HOST = "127.0.0.1";

    private static final String INSTALL_HINT = "install it with `apt-get install -y rabbitmq-server` "
            + "(Debian/Ubuntu; it lands in /usr/sbin, which is searched), then rerun";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);

    private static final int START_ATTEMPTS = 3;

    private static final int LOG_TAIL_LINES = 60;

    private final Path executable;

    private final Path epmdExecutable;

    private final Path baseDir;

    private final String nodeName;

    private final int amqpPort;

    private final int stompPort;

    private final int distPort;

    private final int epmdPort;

    private Process epmd;

    private Process broker;

    private int launches;

    private Duration lastStartDuration = Duration.ZERO;

    private boolean closed;

    private RabbitMqServer(Path executable, Path epmdExecutable, Path baseDir, String nodeName, int[] ports) {
        this.executable = executable;
        this.epmdExecutable = epmdExecutable;
        this.baseDir = baseDir;
        this.nodeName = nodeName;
        this.amqpPort = ports[0];
        this.stompPort = ports[1];
        this.distPort = ports[2];
        this.epmdPort = ports[3];
    }

    /**
     * Creates a fresh broker directory, starts {@code epmd} and {@code rabbitmq-server} on
     * free loopback ports and waits (at most 60 s) until a STOMP {@code CONNECT} over
     * WebSocket is answered with {@code CONNECTED}.
     * @return the running broker
     * @throws org.opentest4j.TestAbortedException if {@code rabbitmq-server} is not
     * installed (or, when running as root, there is no {@code rabbitmq} user)
     * @throws IllegalStateException if the broker does not start or answer, with the tail
     * of its output and log
     */
    public static RabbitMqServer start() {
        boolean root = isRoot();
        Path executable = findExecutable(root);
        if (root && !commandSucceeds("id", "-u", "rabbitmq")) {
            return Assumptions.abort("Running as root, and Debian's rabbitmq-server switches to the 'rabbitmq' user, "
                    + "but there is no such user, so the tests that need a real RabbitMQ are skipped: " + INSTALL_HINT
                    + " (the package creates that user)");
        }
        Path epmdExecutable = findEpmd();
        for (int attempt = 1;; attempt++) {
            Path baseDir;
            try {
                baseDir = Files.createTempDirectory("reconnecting-ws-rabbitmq-");
            }
            catch (IOException ex) {
                throw new UncheckedIOException("Could not create a temporary directory for RabbitMQ", ex);
            }
            RabbitMqServer server = null;
            try {
                String nodeName = "rws-" + UUID.randomUUID().toString().substring(0, 8) + "@localhost";
                server = new RabbitMqServer(executable, epmdExecutable, baseDir, nodeName, freePorts(4));
                server.prepareDirectory(root);
                server.startEpmd();
                server.launch();
                return server;
            }
            catch (IllegalStateException ex) {
                if (server != null) {
                    server.close();
                }
                deleteRecursively(baseDir);
                boolean portTaken = ex.getMessage() != null && ex.getMessage().contains("eaddrinuse");
                if (!portTaken || attempt >= START_ATTEMPTS) {
                    throw ex;
                }
                // another process took one of the ports between our probe and the bind: try others
            }
            catch (IOException ex) {
                if (server != null) {
                    server.close();
                }
                deleteRecursively(baseDir);
                throw new UncheckedIOException("Could not prepare " + baseDir + " for RabbitMQ", ex);
            }
            catch (RuntimeException | Error ex) {
                if (server != null) {
                    server.close();
                }
                deleteRecursively(baseDir);
                throw ex;
            }
        }
    }

    /** {@code ws://127.0.0.1:PORT/ws}: STOMP 1.2 over WebSocket (subprotocol {@code v12.stomp}). */
    public URI stompUri() {
        return URI.create("ws://" + HOST + ":" + this.stompPort + "/ws");
    }

    /** Always {@code guest} (allowed from loopback only). */
    public String login() {
        return "guest";
    }

    /** Always {@code guest}. */
    public String passcode() {
        return "guest";
    }

    /** Always {@code /}: the STOMP {@code host} header. */
    public String virtualHost() {
        return "/";
    }

    public int stompPort() {
        return this.stompPort;
    }

    public int amqpPort() {
        return this.amqpPort;
    }

    /** Whether the broker process is running (it may still be booting). */
    public synchronized boolean isRunning() {
        return this.broker != null && this.broker.isAlive();
    }

    /** How long the last {@link #start()} or {@link #restart()} took until STOMP answered. */
    public synchronized Duration lastStartDuration() {
        return this.lastStartDuration;
    }

    /**
     * Stops the broker gracefully (SIGTERM to its Erlang VM, SIGKILL to whatever is left
     * after 30 s), keeping its data directory, ports and {@code epmd}, so
     * {@link #restart()} can bring it back. Does nothing when it is not running.
     */
    public synchronized void stop() {
        Process process = this.broker;
        this.broker = null;
        if (process == null) {
            return;
        }
        List<ProcessHandle> descendants = process.descendants().toList();
        List<ProcessHandle> vms = descendants.stream().filter((handle) -> commandName(handle).equals("beam.smp"))
                .toList();
        if (vms.isEmpty()) {
            process.destroy();
        }
        else {
            vms.forEach(ProcessHandle::destroy);
        }
        long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
        try {
            for (ProcessHandle vm : vms) {
                awaitExit(vm, deadline);
            }
            if (!process.waitFor(remainingMillis(deadline), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        finally {
            // whatever is left of the process tree (the wrapper shells, su, port programs)
            descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            descendants.forEach((handle) -> awaitExit(handle, System.nanoTime() + SHORT_TIMEOUT.toNanos()));
            awaitExit(process.toHandle(), System.nanoTime() + SHORT_TIMEOUT.toNanos());
        }
    }

    /**
     * Starts the broker again on the same ports with the same data directory and waits (at
     * most 60 s) until STOMP answers; stops it first if it is still running.
     * @throws IllegalStateException if it does not come back, with the tail of its output
     * and log
     */
    public synchronized void restart() {
        if (this.closed) {
            throw new IllegalStateException(this + " is closed");
        }
        stop();
        launch();
    }

    /**
     * Stops the broker, ends the {@code epmd} started for it and deletes the temporary
     * directory. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (this.closed) {
            return;
        }
        this.closed = true;
        try {
            stop();
        }
        finally {
            try {
                stopEpmd();
            }
            finally {
                deleteRecursively(this.baseDir);
            }
        }
    }

    @Override
    public String toString() {
        return "RabbitMqServer[" + stompUri() + ", amqp " + HOST + ":" + this.amqpPort + ", node " + this.nodeName
                + ", dir " + this.baseDir + "]";
    }

    // ---- the broker's directory and processes ----

    private void prepareDirectory(boolean root) throws IOException {
        Files.createDirectories(this.baseDir.resolve("mnesia"));
        Files.createDirectories(this.baseDir.resolve("log"));
        Files.createDirectories(this.baseDir.resolve("home"));
        Files.writeString(this.baseDir.resolve("enabled_plugins"), "[rabbitmq_web_stomp].\n");
        Files.writeString(this.baseDir.resolve("rabbitmq.conf"), String.join("\n",
                "listeners.tcp.default = " + HOST + ":" + this.amqpPort,
                "web_stomp.tcp.port = " + this.stompPort,
                "web_stomp.tcp.ip = " + HOST,
                // rabbitmq_web_stomp pulls in rabbitmq_stomp, whose plain listener would take
                // 61613 on every interface
                "stomp.listeners.tcp = none",
                "loopback_users.guest = true",
                "log.console = true",
                "log.console.level = info",
                "log.file.level = info",
                ""));
        if (root) {
            Path chownOut = Files.createTempFile("reconnecting-ws-rabbitmq-chown-", ".out");
            try {
                run(List.of("chown", "-R", "rabbitmq:rabbitmq", this.baseDir.toString()), chownOut, SHORT_TIMEOUT, "chown");
            }
            finally {
                Files.deleteIfExists(chownOut);
            }
        }
    }

    private Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        Path mnesiaBase = this.baseDir.resolve("mnesia");
        env.put("RABBITMQ_MNESIA_BASE", mnesiaBase.toString());
        env.put("RABBITMQ_MNESIA_DIR", mnesiaBase.resolve(this.nodeName).toString());
        env.put("RABBITMQ_FEATURE_FLAGS_FILE", this.baseDir.resolve("feature_flags").toString());
        env.put("RABBITMQ_LOG_BASE", this.baseDir.resolve("log").toString());
        env.put("RABBITMQ_ENABLED_PLUGINS_FILE", this.baseDir.resolve("enabled_plugins").toString());
        env.put("RABBITMQ_CONFIG_FILE", this.baseDir.resolve("rabbitmq").toString());
        env.put("RABBITMQ_PID_FILE", this.baseDir.resolve("broker.pid").toString());
        env.put("RABBITMQ_NODENAME", this.nodeName);
        env.put("RABBITMQ_DIST_PORT", Integer.toString(this.distPort));
        // distribution on loopback only (it binds every interface by default)
        env.put("RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS", "-kernel inet_dist_use_interface {127,0,0,1}"
                // schedulers that do not spin while idle leave the CPU to the tests
                + " +sbwt none +sbwtdcpu none +sbwtdio none");
        env.put("ERL_EPMD_PORT", Integer.toString(this.epmdPort));
        env.put("ERL_EPMD_ADDRESS", HOST);
        env.put("HOME", this.baseDir.resolve("home").toString());
        return env;
    }

    /**
     * Starts {@code epmd} on its own port as a child of this JVM, so the broker registers
     * with it instead of daemonizing one that outlives the test.
     */
    private void startEpmd() throws IOException {
        if (this.epmdExecutable == null) {
            return; // the broker starts its own on ERL_EPMD_PORT; close() finds it by that port
        }
        Path output = this.baseDir.resolve("epmd.out");
        ProcessBuilder builder = new ProcessBuilder(this.epmdExecutable.toString(), "-port",
                Integer.toString(this.epmdPort), "-address", HOST).redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().put("ERL_EPMD_PORT", Integer.toString(this.epmdPort));
        this.epmd = builder.start();
        long deadline = System.nanoTime() + SHORT_TIMEOUT.toNanos();
        String last = "no connection yet";
        try {
            while (System.nanoTime() < deadline) {
                if (!this.epmd.isAlive()) {
                    throw new IllegalStateException("epmd exited with code " + this.epmd.exitValue() + " on port "
                            + this.epmdPort + ":\n" + readQuietly(output));
                }
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(HOST, this.epmdPort), 500);
                    return;
                }
                catch (IOException ex) {
                    last = ex.toString();
                }
                this.epmd.waitFor(25, TimeUnit.MILLISECONDS);
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while starting epmd", ex);
        }
        throw new IllegalStateException("epmd did not listen on " + HOST + ":" + this.epmdPort + " within "
                + SHORT_TIMEOUT + " (last: " + last + "):\n" + readQuietly(output));
    }

    private void stopEpmd() {
        if (this.epmd != null) {
            this.epmd.destroy();
            awaitExit(this.epmd.toHandle(), System.nanoTime() + SHORT_TIMEOUT.toNanos());
            if (this.epmd.isAlive()) {
                this.epmd.destroyForcibly();
                awaitExit(this.epmd.toHandle(), System.nanoTime() + SHORT_TIMEOUT.toNanos());
            }
        }
        // an epmd the broker daemonized itself (only when ours was missing or died): it
        // carries our ERL_EPMD_PORT in its environment
        String marker = "ERL_EPMD_PORT=" + this.epmdPort;
        ProcessHandle.allProcesses()
                .filter((handle) -> commandName(handle).equals("epmd"))
                .filter((handle) -> environmentContains(handle, marker))
                .forEach((handle) -> {
                    handle.destroy();
                    awaitExit(handle, System.nanoTime() + SHORT_TIMEOUT.toNanos());
                    if (handle.isAlive()) {
                        handle.destroyForcibly();
                    }
                });
    }

    /** Starts the broker process and waits until STOMP answers; fails with the log tail otherwise. */
    private void launch() {
        this.launches++;
        Path output = this.baseDir.resolve("broker-" + this.launches + ".out");
        long startedAt = System.nanoTime();
        ProcessBuilder builder = new ProcessBuilder(this.executable.toString()).redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .directory(this.baseDir.toFile());
        builder.environment().remove("NOTIFY_SOCKET");
        builder.environment().putAll(environment());
        try {
            this.broker = builder.start();
        }
        catch (IOException ex) {
            throw new IllegalStateException("Could not run " + this.executable, ex);
        }
        String failure = awaitStomp(this.broker);
        if (failure != null) {
            String message = "RabbitMQ did not start (" + this + "): " + failure + "\n" + logTail(output);
            stop();
            throw new IllegalStateException(message);
        }
        this.lastStartDuration = Duration.ofNanos(System.nanoTime() - startedAt);
    }

    /**
     * Polls with a STOMP {@code CONNECT} over WebSocket until {@code CONNECTED}, the process
     * exits, or the timeout passes; the pause between tries is a bounded wait on the process.
     * @return {@code null} when ready, otherwise why not
     */
    private String awaitStomp(Process process) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        String last = "no answer yet";
        try {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    return "the process exited with code " + process.exitValue();
                }
                if (portOpen(this.stompPort)) {
                    last = stompConnect(client);
                    if (last == null) {
                        return null;
                    }
                }
                else {
                    last = "nothing listens on " + HOST + ":" + this.stompPort;
                }
                if (process.waitFor(200, TimeUnit.MILLISECONDS)) {
                    return "the process exited with code " + process.exitValue();
                }
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return "interrupted while waiting for it";
        }
        return "no STOMP CONNECTED within " + START_TIMEOUT + " (last: " + last + ")";
    }

    private static boolean portOpen(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, port), 500);
            return true;
        }
        catch (IOException ex) {
            return false;
        }
    }

    /** One STOMP 1.2 {@code CONNECT} over WebSocket; {@code null} when answered with {@code CONNECTED}. */
    private String stompConnect(HttpClient client) {
        CompletableFuture<String> firstFrame = new CompletableFuture<>();
        WebSocket.Listener listener = new WebSocket.Listener() {

            private final StringBuilder text = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                this.text.append(data);
                if (last) {
                    firstFrame.complete(this.text.toString());
                }
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
                this.text.append(StandardCharsets.UTF_8.decode(data));
                if (last) {
                    firstFrame.complete(this.text.toString());
                }
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                firstFrame.completeExceptionally(new IOException("closed with " + statusCode + " " + reason));
                return null;
            }

            @Override
            public void onError(WebSocket webSocket, Throwable error) {
                firstFrame.completeExceptionally(error);
            }

        };
        WebSocket webSocket = null;
        try {
            webSocket = client.newWebSocketBuilder()
                    .subprotocols("v12.stomp")
                    .connectTimeout(Duration.ofSeconds(2))
                    .buildAsync(stompUri(), listener)
                    .get(PROBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            webSocket.sendText("CONNECT\naccept-version:1.2\nhost:" + virtualHost() + "\nlogin:" + login()
                    + "\npasscode:" + passcode() + "\nheart-beat:0,0\n\n\0", true)
                    .get(PROBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            String frame = firstFrame.get(PROBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (frame.startsWith("CONNECTED")) {
                webSocket.sendText("DISCONNECT\n\n\0", true);
                return null;
            }
            return "answered " + frame.replace('\0', ' ').trim();
        }
        catch (ExecutionException ex) {
            return String.valueOf(ex.getCause());
        }
        catch (TimeoutException ex) {
            return "no answer within " + PROBE_TIMEOUT;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
        finally {
            if (webSocket != null) {
                webSocket.abort();
            }
        }
    }

    private String logTail(Path output) {
        StringBuilder tail = new StringBuilder();
        tail.append("Output ").append(output).append(":\n").append(lastLines(output));
        Path log = this.baseDir.resolve("log").resolve(this.nodeName + ".log");
        tail.append("\nLog ").append(log).append(":\n").append(lastLines(log));
        return tail.toString();
    }

    private static String lastLines(Path file) {
        String text = readQuietly(file);
        List<String> lines = Arrays.asList(text.split("\n"));
        return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
    }

    // ---- finding and running the binaries ----

    private static Path findExecutable(boolean root) {
        List<Path> candidates = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            for (String entry : path.split(File.pathSeparator)) {
                if (!entry.isEmpty()) {
                    candidates.add(Path.of(entry, "rabbitmq-server"));
                }
            }
        }
        candidates.add(Path.of("/usr/sbin/rabbitmq-server"));
        for (Path candidate : candidates) {
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return root ? candidate : behindDebianWrapper(candidate);
            }
        }
        return Assumptions.abort("rabbitmq-server not found on PATH nor at /usr/sbin/rabbitmq-server, so the tests "
                + "that need a real RabbitMQ are skipped: " + INSTALL_HINT);
    }

    /**
     * Debian's wrapper only lets root (which it switches to {@code rabbitmq}) or the
     * {@code rabbitmq} user (whose output it sends to /var/log/rabbitmq) start the broker;
     * any other user runs the start script behind it directly.
     */
    private static Path behindDebianWrapper(Path candidate) {
        try {
            Path real = candidate.toRealPath();
            if (real.getFileName().toString().equals("rabbitmq-script-wrapper")) {
                Path script = real.resolveSibling("rabbitmq-server");
                if (Files.isExecutable(script)) {
                    return script;
                }
            }
        }
        catch (IOException ex) {
            // use the candidate as it is
        }
        return candidate;
    }

    /** {@code epmd} from PATH, /usr/bin or the newest /usr/lib/erlang/erts-x/bin; {@code null} if none. */
    private static Path findEpmd() {
        List<Path> candidates = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            for (String entry : path.split(File.pathSeparator)) {
                if (!entry.isEmpty()) {
                    candidates.add(Path.of(entry, "epmd"));
                }
            }
        }
        candidates.add(Path.of("/usr/bin/epmd"));
        candidates.add(Path.of("/usr/lib/erlang/bin/epmd"));
        Path erlang = Path.of("/usr/lib/erlang");
        if (Files.isDirectory(erlang)) {
            try (Stream<Path> dirs = Files.list(erlang)) {
                dirs.filter((dir) -> dir.getFileName().toString().startsWith("erts-"))
                        .sorted(Comparator.comparing((Path dir) -> dir.getFileName().toString()).reversed())
                        .forEach((dir) -> candidates.add(dir.resolve("bin").resolve("epmd")));
            }
            catch (IOException ex) {
                // not there
            }
        }
        return candidates.stream().filter((candidate) -> Files.isRegularFile(candidate) && Files.isExecutable(candidate))
                .findFirst()
                .orElse(null);
    }

    private static String commandName(ProcessHandle handle) {
        return handle.info().command().map((command) -> Path.of(command).getFileName().toString()).orElse("");
    }

    private static boolean environmentContains(ProcessHandle handle, String entry) {
        try {
            byte[] environ = Files.readAllBytes(Path.of("/proc", Long.toString(handle.pid()), "environ"));
            return Arrays.asList(new String(environ, StandardCharsets.UTF_8).split("\0")).contains(entry);
        }
        catch (IOException | RuntimeException ex) {
            return false;
        }
    }

    private static void awaitExit(ProcessHandle handle, long deadlineNanos) {
        try {
            handle.onExit().get(Math.max(1, remainingMillis(deadlineNanos)), TimeUnit.MILLISECONDS);
        }
        catch (ExecutionException | TimeoutException ex) {
            // still running: the caller escalates
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private static long remainingMillis(long deadlineNanos) {
        return Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
    }

    /** Distinct free loopback ports: all sockets are held open together while probing. */
    private static int[] freePorts(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                sockets.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        }
        finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }

}
