package io.github.reconnectingws.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.websocket.CloseReason;
import jakarta.websocket.CloseReason.CloseCodes;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;

import javax.net.ssl.SSLContext;

import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardServer;
import org.apache.catalina.startup.Tomcat;
import org.apache.coyote.http11.Http11NioProtocol;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;
import org.apache.tomcat.websocket.server.WsSci;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * An embedded Tomcat on {@code 127.0.0.1} (random free port) with a JSR-356 endpoint at
 * {@value #PATH} that records what it receives and lets a test inject server-side faults:
 * rejected handshakes, server-initiated closes, stop and restart on the same port, TLS.
 *
 * <p>All accessors are thread-safe and return snapshots. Tomcat's own threads are daemons
 * named after the connector ({@code http-nio-127.0.0.1-...}); {@link #close()} stops them
 * and deletes the server's temporary directory. Loading this class turns Tomcat's INFO
 * logging (java.util.logging) down to WARNING.
 */
public final class TestWebSocketServer implements AutoCloseable {

    /** The path of the WebSocket endpoint. */
    public static final String PATH = "/ws";

    /** Default max size of a text or binary message the server accepts: 1 MiB. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 1024 * 1024;

    private static final String LOOPBACK = "127.0.0.1";

    /** Held strongly: JUL references loggers weakly, and a collected logger forgets its level. */
    private static final List<Logger> QUIETED_LOGGERS = quietTomcatLogging();

    private final boolean echo;

    private final int maxMessageBytes;

    private final Path baseDir;

    private final SelfSignedCertificate certificate;

    /** Open sessions and what this class tracks about each. */
    private final Map<Session, SessionState> sessions = new ConcurrentHashMap<>();

    private final List<String> receivedTexts = Collections.synchronizedList(new ArrayList<>());

    private final List<byte[]> receivedBinaries = Collections.synchronizedList(new ArrayList<>());

    /** When each text message arrived ({@link System#nanoTime()}), in arrival order; guarded by {@link #receivedTexts}. */
    private final List<Long> receivedTextTimes = new ArrayList<>();

    private final List<Integer> clientCloseCodes = Collections.synchronizedList(new ArrayList<>());

    private final AtomicInteger handshakeCount = new AtomicInteger();

    /** Upgrades answered with 101, and of those the sessions Tomcat has opened since. */
    private final AtomicInteger upgrades = new AtomicInteger();

    private final AtomicInteger opened = new AtomicInteger();

    private volatile Map<String, List<String>> lastHandshakeHeaders = Map.of();

    private volatile String lastHandshakeQuery;

    private volatile Rejection rejection;

    /** The running Tomcat, or {@code null} while stopped. Guarded by {@code this}. */
    private Tomcat tomcat;

    /** Set while Tomcat stops, so the closes it makes are not taken for client closes. */
    private volatile boolean stopping;

    private volatile int port;

    private TestWebSocketServer(Builder builder) {
        this.echo = builder.echo;
        this.maxMessageBytes = builder.maxMessageBytes;
        try {
            this.baseDir = Files.createTempDirectory("test-ws-server");
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        this.certificate = builder.tls ? SelfSignedCertificate.shared() : null;
    }

    /**
     * Starts a plain {@code ws://} server without echo.
     *
     * @return the running server
     */
    public static TestWebSocketServer start() {
        return builder().start();
    }

    /**
     * Returns a builder for a server with echo, TLS or a different message size limit.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the endpoint URI, {@code ws://127.0.0.1:<port>/ws} or {@code wss://...} with TLS.
     *
     * @return the endpoint URI
     */
    public URI uri() {
        return URI.create((isTls() ? "wss" : "ws") + "://" + LOOPBACK + ":" + this.port + PATH);
    }

    /**
     * Returns the port; it stays the same across {@link #stop()} and {@link #restart()}.
     *
     * @return the TCP port
     */
    public int port() {
        return this.port;
    }

    /**
     * Returns every text message received, across all sessions, in arrival order.
     *
     * @return a snapshot of the received text messages
     */
    public List<String> receivedTexts() {
        return snapshot(this.receivedTexts);
    }

    /**
     * Returns when each text message was received ({@link System#nanoTime()}), in
     * arrival order: the server's own count of what arrived when.
     *
     * @return a snapshot of the arrival times
     */
    public List<Long> receivedTextTimes() {
        synchronized (this.receivedTexts) {
            return List.copyOf(this.receivedTextTimes);
        }
    }

    /**
     * Returns every binary message received, across all sessions, in arrival order.
     *
     * @return a snapshot of the received binary messages
     */
    public List<byte[]> receivedBinaries() {
        return snapshot(this.receivedBinaries);
    }

    /** Forgets the text and binary messages received so far. */
    public void clearReceived() {
        synchronized (this.receivedTexts) {
            this.receivedTexts.clear();
            this.receivedTextTimes.clear();
        }
        this.receivedBinaries.clear();
    }

    /**
     * Returns the number of currently open WebSocket sessions. A client's connect returns
     * when it has the 101 response, which can be before the server has opened its session.
     *
     * @return the open session count
     * @see #awaitOpenSessions(int)
     */
    public int openSessions() {
        return this.sessions.size();
    }

    /**
     * Waits up to 5 s until exactly {@code count} sessions are open. Call it after a client
     * connected and before server-side actions such as {@link #closeAll} or {@link #sendToAll},
     * which only reach sessions the server has opened.
     *
     * @param count the expected number of open sessions
     * @throws org.awaitility.core.ConditionTimeoutException if the count is not reached in time
     */
    public void awaitOpenSessions(int count) {
        Awaitility.await("open sessions == " + count).atMost(Duration.ofSeconds(5))
                .until(this::openSessions, open -> open == count);
    }

    /**
     * Returns how many WebSocket upgrade requests reached the server, rejected ones included.
     *
     * @return the handshake count
     */
    public int handshakeCount() {
        return this.handshakeCount.get();
    }

    /**
     * Returns the request headers of the most recent upgrade request.
     *
     * @return the headers by lower-cased name, empty before the first handshake
     */
    public Map<String, List<String>> lastHandshakeHeaders() {
        return this.lastHandshakeHeaders;
    }

    /**
     * Returns the query string of the most recent upgrade request.
     *
     * @return the raw query string, or {@code null} if it had none
     */
    public String lastHandshakeQuery() {
        return this.lastHandshakeQuery;
    }

    /**
     * Returns the close codes of closes the server did not initiate, in order: normally the
     * codes in the clients' close frames. Connections lost without a close frame (1006) are
     * left out; a close Tomcat itself decides on (such as 1009 for a too big message) cannot
     * be told apart from a client's and is included.
     *
     * @return a snapshot of the client close codes
     */
    public List<Integer> clientCloseCodes() {
        return snapshot(this.clientCloseCodes);
    }

    /**
     * Sends a text message to every open session.
     *
     * @param text the message
     * @return the number of sessions it was sent to; sessions failing to send are skipped
     */
    public int sendToAll(String text) {
        return sendToAll(remote -> remote.sendText(text));
    }

    /**
     * Sends a binary message to every open session.
     *
     * @param data the message
     * @return the number of sessions it was sent to; sessions failing to send are skipped
     */
    public int sendToAll(byte[] data) {
        return sendToAll(remote -> remote.sendBinary(ByteBuffer.wrap(data)));
    }

    /**
     * Closes every open session from the server side with the given close code.
     *
     * @param closeCode the close code, e.g. 1001 or an application code 4000-4999
     * @param reason the close reason phrase
     */
    public void closeAll(int closeCode, String reason) {
        awaitUpgradesOpened();
        CloseReason closeReason = new CloseReason(CloseCodes.getCloseCode(closeCode), reason);
        for (Map.Entry<Session, SessionState> entry : this.sessions.entrySet()) {
            entry.getValue().serverInitiatedClose = true;
            Session session = entry.getKey();
            try {
                session.close(closeReason);
            }
            catch (IOException ex) {
                // The connection is already gone, which is what the caller wanted.
            }
        }
    }

    /**
     * Answers every following upgrade request with {@code status} instead of upgrading.
     *
     * @param status the HTTP status, e.g. 401, 403, 429 or 503
     */
    public void rejectHandshakes(int status) {
        rejectHandshakes(status, Map.of());
    }

    /**
     * Answers every following upgrade request with {@code status} and {@code responseHeaders}
     * instead of upgrading.
     *
     * @param status the HTTP status, e.g. 503
     * @param responseHeaders headers to add to the response, e.g. {@code Retry-After: 2}
     */
    public void rejectHandshakes(int status, Map<String, String> responseHeaders) {
        this.rejection = new Rejection(status, Map.copyOf(responseHeaders), null);
    }

    /**
     * Rejects only the next {@code count} upgrade requests, then accepts again.
     *
     * @param count how many upgrade requests to reject
     * @param status the HTTP status
     * @param responseHeaders headers to add to the rejecting responses
     */
    public void rejectNextHandshakes(int count, int status, Map<String, String> responseHeaders) {
        this.rejection = new Rejection(status, Map.copyOf(responseHeaders), new AtomicInteger(count));
    }

    /** Accepts upgrade requests again after {@code rejectHandshakes}. */
    public void acceptHandshakes() {
        this.rejection = null;
    }

    /**
     * Stops Tomcat and releases the port. Tomcat closes open sessions with 1001 ("The web
     * application is stopping") as it stops; a connection still in its upgrade when this is
     * called may drop without a close frame instead. Neither counts as a client close.
     */
    public synchronized void stop() {
        if (this.tomcat == null) {
            return;
        }
        this.stopping = true;
        try {
            this.tomcat.stop();
            this.tomcat.destroy();
        }
        catch (LifecycleException ex) {
            throw new IllegalStateException("Cannot stop Tomcat", ex);
        }
        finally {
            this.tomcat = null;
            this.sessions.clear();
            // an upgrade Tomcat stopped before it opened a session never will
            this.upgrades.set(this.opened.get());
            this.stopping = false;
        }
    }

    /** Stops the server if running and starts it again on the same port. */
    public synchronized void restart() {
        stop();
        startTomcat(this.port);
    }

    /**
     * Returns whether this server serves {@code wss://}.
     *
     * @return {@code true} with TLS
     */
    public boolean isTls() {
        return this.certificate != null;
    }

    /**
     * Returns the server certificate as a PEM file, for trust stores and SSL bundles.
     *
     * @return the PEM file
     * @throws IllegalStateException if the server was built without TLS
     */
    public Path certificatePem() {
        return requireCertificate().certificatePem();
    }

    /**
     * Returns a client TLS context trusting the server certificate.
     *
     * @return a new SSL context
     * @throws IllegalStateException if the server was built without TLS
     */
    public SSLContext trustingSslContext() {
        return requireCertificate().trustingSslContext();
    }

    /** Stops the server and deletes its temporary directory. */
    @Override
    public void close() {
        stop();
        deleteRecursively(this.baseDir);
    }

    private synchronized void startTomcat(int requestedPort) {
        Tomcat server = new OwnDirectoryTomcat();
        server.setBaseDir(this.baseDir.toString());
        // Tomcat's utility threads are not daemons by default; they must not keep a JVM alive.
        ((StandardServer) server.getServer()).setUtilityThreadsAsDaemon(true);
        Connector connector = createConnector(requestedPort);
        server.getService().addConnector(connector);
        server.setConnector(connector);
        Context context = server.addContext("", this.baseDir.toString());
        // the web application sees the classes of the loader of this class (the same as the
        // system one, except for tests that run in a forked class loader)
        context.setParentClassLoader(TestWebSocketServer.class.getClassLoader());
        // Filters only run for requests mapped to a servlet, so map one to everything.
        Tomcat.addServlet(context, "notFound", new NotFoundServlet());
        context.addServletMappingDecoded("/", "notFound");
        context.addServletContainerInitializer(new WsSci(), null);
        context.addServletContainerInitializer((classes, servletContext) -> deploy(servletContext), null);
        try {
            server.start();
        }
        catch (LifecycleException ex) {
            stopQuietly(server);
            throw new IllegalStateException("Cannot start Tomcat", ex);
        }
        // Tomcat logs a failed bind instead of throwing it.
        if (connector.getState() != LifecycleState.STARTED) {
            stopQuietly(server);
            throw new IllegalStateException("Cannot bind " + LOOPBACK + ":" + requestedPort);
        }
        this.tomcat = server;
        this.port = connector.getLocalPort();
    }

    private Connector createConnector(int requestedPort) {
        Connector connector = new Connector(Http11NioProtocol.class.getName());
        connector.setPort(requestedPort);
        connector.setProperty("address", LOOPBACK);
        // Bind in start() and unbind in stop(), so the port is free as soon as stop() returns,
        // and rebind it while the connections of the previous run linger in TIME_WAIT.
        connector.setProperty("bindOnInit", "false");
        connector.setProperty("socket.soReuseAddress", "true");
        if (this.certificate != null) {
            connector.setScheme("https");
            connector.setSecure(true);
            connector.setProperty("SSLEnabled", "true");
            SSLHostConfig sslHostConfig = new SSLHostConfig();
            SSLHostConfigCertificate hostCertificate = new SSLHostConfigCertificate(sslHostConfig,
                    SSLHostConfigCertificate.Type.UNDEFINED);
            hostCertificate.setCertificateKeystoreFile(this.certificate.keyStore().toString());
            hostCertificate.setCertificateKeystorePassword(this.certificate.keyStorePassword());
            hostCertificate.setCertificateKeystoreType("PKCS12");
            sslHostConfig.addCertificate(hostCertificate);
            connector.addSslHostConfig(sslHostConfig);
        }
        return connector;
    }

    /** Runs after {@link WsSci}, which has created the {@link ServerContainer} by then. */
    private void deploy(ServletContext servletContext) throws ServletException {
        ServerContainer container = (ServerContainer) servletContext
                .getAttribute(ServerContainer.class.getName());
        container.setDefaultMaxTextMessageBufferSize(this.maxMessageBytes);
        container.setDefaultMaxBinaryMessageBufferSize(this.maxMessageBytes);
        RecordingEndpoint endpoint = new RecordingEndpoint();
        try {
            container.addEndpoint(ServerEndpointConfig.Builder.create(RecordingEndpoint.class, PATH)
                    .configurator(new ServerEndpointConfig.Configurator() {
                        @Override
                        public <T> T getEndpointInstance(Class<T> endpointClass) {
                            return endpointClass.cast(endpoint);
                        }
                    })
                    .build());
        }
        catch (DeploymentException ex) {
            throw new ServletException(ex);
        }
        // isMatchAfter=false puts the gate before Tomcat's WsFilter, which performs the upgrade.
        servletContext.addFilter("handshakeGate", new HandshakeGate())
                .addMappingForUrlPatterns(null, false, "/*");
    }

    private int sendToAll(RemoteSend send) {
        awaitUpgradesOpened();
        int sent = 0;
        for (Session session : this.sessions.keySet()) {
            if (send(session, send)) {
                sent++;
            }
        }
        return sent;
    }

    /**
     * A client counts itself connected once it reads the 101, which Tomcat writes before it
     * opens the server session; until then a server-side action would miss that session.
     */
    private void awaitUpgradesOpened() {
        if (this.opened.get() >= this.upgrades.get()) {
            // the usual case, without Awaitility's first poll delay (100 ms a send)
            return;
        }
        try {
            Awaitility.await("upgraded sessions opened").atMost(Duration.ofSeconds(5))
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(2))
                .until(() -> this.opened.get() >= this.upgrades.get());
        }
        catch (ConditionTimeoutException ex) {
            // an upgrade whose connection died before Tomcat opened it: act on the open ones
        }
    }

    private boolean send(Session session, RemoteSend send) {
        SessionState state = this.sessions.get(session);
        if (state == null) {
            return false;
        }
        // A basic remote endpoint throws on concurrent sends; echo and sendToAll may overlap.
        synchronized (state) {
            try {
                send.sendWith(session.getBasicRemote());
                return true;
            }
            catch (IOException | IllegalStateException ex) {
                // The session is closing; skip it as documented.
                return false;
            }
        }
    }

    private SelfSignedCertificate requireCertificate() {
        if (this.certificate == null) {
            throw new IllegalStateException("Server was built without tls()");
        }
        return this.certificate;
    }

    /**
     * Keeps Tomcat's start/stop INFO lines and its class loader leak checks (which cannot
     * work without {@code --add-opens} and make no sense for a test server) out of test output.
     */
    private static List<Logger> quietTomcatLogging() {
        Map<String, Level> levels = Map.of("org.apache.catalina", Level.WARNING,
                "org.apache.coyote", Level.WARNING, "org.apache.tomcat.util", Level.WARNING,
                "org.apache.catalina.loader", Level.SEVERE);
        return levels.entrySet().stream().map(entry -> {
            Logger logger = Logger.getLogger(entry.getKey());
            logger.setLevel(entry.getValue());
            return logger;
        }).toList();
    }

    private static <T> List<T> snapshot(List<T> synchronizedList) {
        synchronized (synchronizedList) {
            return List.copyOf(synchronizedList);
        }
    }

    private static void stopQuietly(Tomcat server) {
        try {
            server.stop();
            server.destroy();
        }
        catch (LifecycleException ex) {
            // Already failing with a more useful exception.
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        catch (IOException ex) {
            // Best effort: it is a temporary directory.
        }
    }

    /** Builds a {@link TestWebSocketServer}. */
    public static final class Builder {

        private boolean echo;

        private boolean tls;

        private int maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES;

        private Builder() {
        }

        /**
         * Echoes every text and binary message back to the session that sent it.
         *
         * @return this builder
         */
        public Builder echo() {
            this.echo = true;
            return this;
        }

        /**
         * Serves {@code wss://} with the self-signed certificate for 127.0.0.1 that all TLS
         * test servers of this JVM share ({@link SelfSignedCertificate#shared()}).
         *
         * @return this builder
         */
        public Builder tls() {
            this.tls = true;
            return this;
        }

        /**
         * Sets the max size of text and binary messages. Tomcat allocates these buffers per
         * session up front (text as chars, i.e. twice the bytes), so keep it modest in tests
         * with many connections.
         *
         * @param maxMessageBytes the limit in bytes (characters for text)
         * @return this builder
         */
        public Builder maxMessageBytes(int maxMessageBytes) {
            this.maxMessageBytes = maxMessageBytes;
            return this;
        }

        /**
         * Starts the server on a random free port of 127.0.0.1.
         *
         * @return the running server
         */
        public TestWebSocketServer start() {
            TestWebSocketServer server = new TestWebSocketServer(this);
            try {
                server.startTomcat(0);
            }
            catch (RuntimeException ex) {
                server.close();
                throw ex;
            }
            return server;
        }

    }

    /** Records each session's messages and close code; echoes if configured. */
    private final class RecordingEndpoint extends Endpoint {

        @Override
        public void onOpen(Session session, EndpointConfig config) {
            sessions.put(session, new SessionState());
            opened.incrementAndGet();
            session.addMessageHandler(String.class, text -> {
                synchronized (receivedTexts) {
                    receivedTexts.add(text);
                    receivedTextTimes.add(System.nanoTime());
                }
                if (echo) {
                    send(session, remote -> remote.sendText(text));
                }
            });
            session.addMessageHandler(byte[].class, data -> {
                receivedBinaries.add(data);
                if (echo) {
                    send(session, remote -> remote.sendBinary(ByteBuffer.wrap(data)));
                }
            });
        }

        @Override
        public void onClose(Session session, CloseReason closeReason) {
            // Not the session's user properties: Tomcat forbids them once the session closes.
            SessionState state = sessions.remove(session);
            int code = closeReason.getCloseCode().getCode();
            // No state: stop() has already forgotten the session, so the server closed it.
            boolean serverInitiated = stopping || state == null || state.serverInitiatedClose;
            if (!serverInitiated && code != CloseCodes.CLOSED_ABNORMALLY.getCode()) {
                clientCloseCodes.add(code);
            }
        }

    }

    /** Records every upgrade request and rejects it while a {@link Rejection} applies. */
    private final class HandshakeGate extends HttpFilter {

        @Override
        protected void doFilter(HttpServletRequest request, HttpServletResponse response,
                FilterChain chain) throws IOException, ServletException {
            if (!"websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
                chain.doFilter(request, response);
                return;
            }
            // Headers before the count, so a test that awaits the count sees these headers.
            lastHandshakeHeaders = headersOf(request);
            lastHandshakeQuery = request.getQueryString();
            handshakeCount.incrementAndGet();
            Rejection current = rejection;
            if (current != null && current.tryConsume()) {
                current.applyTo(response);
                return;
            }
            chain.doFilter(request, response);
            // Tomcat commits the 101 and opens the session only after the filter returns
            if (response.getStatus() == HttpServletResponse.SC_SWITCHING_PROTOCOLS) {
                upgrades.incrementAndGet();
            }
        }

        private Map<String, List<String>> headersOf(HttpServletRequest request) {
            Map<String, List<String>> headers = new LinkedHashMap<>();
            for (String name : Collections.list(request.getHeaderNames())) {
                headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), key -> new ArrayList<>())
                        .addAll(Collections.list(request.getHeaders(name)));
            }
            headers.replaceAll((name, values) -> List.copyOf(values));
            return Collections.unmodifiableMap(headers);
        }

    }

    /** Answers every non-upgrade request mapped to it with 404. */
    private static final class NotFoundServlet extends HttpServlet {

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response)
                throws IOException {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
        }

    }

    /**
     * How to answer upgrade requests instead of upgrading.
     *
     * @param remaining how many more to reject, or {@code null} for all
     */
    private record Rejection(int status, Map<String, String> headers, AtomicInteger remaining) {

        boolean tryConsume() {
            return this.remaining == null || this.remaining.getAndUpdate(n -> Math.max(n - 1, 0)) > 0;
        }

        void applyTo(HttpServletResponse response) {
            response.setStatus(this.status);
            this.headers.forEach(response::setHeader);
            response.setContentLength(0);
        }

    }

    /** Per-session state; the instance is also the lock that serialises the session's sends. */
    private static final class SessionState {

        private volatile boolean serverInitiatedClose;

    }

    /** One send on a session's basic remote endpoint. */
    @FunctionalInterface
    private interface RemoteSend {

        void sendWith(RemoteEndpoint.Basic remote) throws IOException;

    }

}
