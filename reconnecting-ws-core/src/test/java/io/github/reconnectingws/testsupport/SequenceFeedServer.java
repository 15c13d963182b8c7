package io.github.reconnectingws.testsupport;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.websocket.CloseReason;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardServer;
import org.apache.catalina.startup.Tomcat;
import org.apache.coyote.http11.Http11NioProtocol;
import org.apache.tomcat.websocket.server.WsSci;

/**
 * A feed that keeps its history and resumes a client after the position it names: each
 * message is {@code {"seq":N,...}}, and a client that connects with {@code ?since=K}
 * first gets every message after K, then the live ones, in order. Runs on 127.0.0.1, a
 * free port, path {@value #PATH}.
 */
public final class SequenceFeedServer implements AutoCloseable {

    /** The path of the feed. */
    public static final String PATH = "/feed";

    private final Object lock = new Object();

    /** Guarded by {@link #lock}. */
    private final List<String> history = new ArrayList<>();

    private final Set<Session> sessions = ConcurrentHashMap.newKeySet();

    private final List<String> queries = new CopyOnWriteArrayList<>();

    private final List<List<String>> headers = new CopyOnWriteArrayList<>();

    private final List<String> received = new CopyOnWriteArrayList<>();

    private final ScheduledExecutorService publisher = Executors.newSingleThreadScheduledExecutor();

    private final Tomcat tomcat;

    private final Path baseDir;

    private final int port;

    /** Guarded by {@link #lock}. */
    private long seq;

    /** Guarded by {@link #lock}. */
    private int replayOverlap;

    private SequenceFeedServer() throws IOException {
        this.baseDir = Files.createTempDirectory("sequence-feed");
        this.tomcat = new OwnDirectoryTomcat();
        this.tomcat.setBaseDir(this.baseDir.toString());
        ((StandardServer) this.tomcat.getServer()).setUtilityThreadsAsDaemon(true);
        Connector connector = new Connector(Http11NioProtocol.class.getName());
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        this.tomcat.getService().addConnector(connector);
        this.tomcat.setConnector(connector);
        Context context = this.tomcat.addContext("", this.baseDir.toString());
        // the upgrade happens in a filter, and filters run only for requests mapped to a servlet
        Tomcat.addServlet(context, "none", new jakarta.servlet.http.HttpServlet() {
        });
        context.addServletMappingDecoded("/", "none");
        context.addServletContainerInitializer(new WsSci(), null);
        context.addServletContainerInitializer((classes, servletContext) -> {
            ServerContainer container = (ServerContainer) servletContext.getAttribute(ServerContainer.class.getName());
            try {
                container.addEndpoint(ServerEndpointConfig.Builder.create(FeedEndpoint.class, PATH)
                    .configurator(new ServerEndpointConfig.Configurator() {
                        @Override
                        public <T> T getEndpointInstance(Class<T> endpointClass) {
                            return endpointClass.cast(new FeedEndpoint());
                        }

                        @Override
                        public void modifyHandshake(ServerEndpointConfig config,
                                jakarta.websocket.server.HandshakeRequest request,
                                jakarta.websocket.HandshakeResponse response) {
                            List<String> resume = request.getHeaders().get("X-Resume");
                            SequenceFeedServer.this.headers.add((resume != null) ? List.copyOf(resume) : List.of());
                        }
                    })
                    .build());
            }
            catch (DeploymentException ex) {
                throw new IllegalStateException(ex);
            }
        }, null);
        try {
            this.tomcat.start();
        }
        catch (LifecycleException ex) {
            throw new IllegalStateException("Cannot start the feed", ex);
        }
        this.port = connector.getLocalPort();
    }

    /** Start a feed with an empty history. */
    public static SequenceFeedServer start() {
        try {
            return new SequenceFeedServer();
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    public URI uri() {
        return URI.create("ws://127.0.0.1:" + this.port + PATH);
    }

    /** Publish {@code perSecond} messages a second (in batches every millisecond), until {@link #stopPublishing()}. */
    public void startPublishing(int perSecond) {
        int perTick = Math.max(1, perSecond / 1000);
        this.publisher.scheduleAtFixedRate(() -> {
            for (int i = 0; i < perTick; i++) {
                publish();
            }
        }, 1, 1, TimeUnit.MILLISECONDS);
    }

    /** Stop publishing; returns once no message is being published. */
    public long stopPublishing() {
        this.publisher.shutdown();
        try {
            this.publisher.awaitTermination(10, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        return lastSeq();
    }

    /** Publish the next message to the history and to every open session. */
    public void publish() {
        synchronized (this.lock) {
            this.seq++;
            String message = "{\"seq\":" + this.seq + ",\"price\":" + (100 + this.seq % 7) + "}";
            this.history.add(message);
            for (Session session : this.sessions) {
                send(session, message);
            }
        }
    }

    /** Let {@code count} positions pass unpublished: clients see a gap. */
    public void skip(int count) {
        synchronized (this.lock) {
            this.seq += count;
        }
    }

    /** Replay that many messages before the asked-for position too, as some feeds do. */
    public void replayOverlap(int count) {
        synchronized (this.lock) {
            this.replayOverlap = count;
        }
    }

    public long lastSeq() {
        synchronized (this.lock) {
            return this.seq;
        }
    }

    /** The query of every handshake, in order. */
    public List<String> queries() {
        return List.copyOf(this.queries);
    }

    /** The text messages clients sent, in order. */
    public List<String> receivedTexts() {
        return List.copyOf(this.received);
    }

    /** The {@code X-Resume} header values of every handshake, in order. */
    public List<List<String>> resumeHeaders() {
        return List.copyOf(this.headers);
    }

    public int openSessions() {
        return this.sessions.size();
    }

    /** Close every session with the code. */
    public void closeAll(int code) {
        for (Session session : this.sessions) {
            try {
                session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(code), "drop"));
            }
            catch (IOException ex) {
                // gone already
            }
        }
    }

    @Override
    public void close() {
        this.publisher.shutdownNow();
        try {
            this.tomcat.stop();
            this.tomcat.destroy();
        }
        catch (LifecycleException ex) {
            // stopping anyway
        }
        try (var paths = Files.walk(this.baseDir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
        }
        catch (IOException ex) {
            // a temporary directory
        }
    }

    private static void send(Session session, String message) {
        try {
            session.getBasicRemote().sendText(message);
        }
        catch (IOException | IllegalStateException ex) {
            // closing
        }
    }

    private final class FeedEndpoint extends Endpoint {

        @Override
        public void onOpen(Session session, EndpointConfig config) {
            session.addMessageHandler(String.class,
                    (jakarta.websocket.MessageHandler.Whole<String>) SequenceFeedServer.this.received::add);
            String query = session.getQueryString();
            SequenceFeedServer.this.queries.add((query != null) ? query : "");
            long since = since(query);
            synchronized (SequenceFeedServer.this.lock) {
                for (String message : SequenceFeedServer.this.history) {
                    if (seqOf(message) > since - SequenceFeedServer.this.replayOverlap) {
                        send(session, message);
                    }
                }
                SequenceFeedServer.this.sessions.add(session);
            }
        }

        @Override
        public void onClose(Session session, CloseReason closeReason) {
            SequenceFeedServer.this.sessions.remove(session);
        }

        @Override
        public void onError(Session session, Throwable failure) {
            SequenceFeedServer.this.sessions.remove(session);
        }

        private static long since(String query) {
            if (query != null) {
                for (String pair : query.split("&")) {
                    if (pair.startsWith("since=") && pair.length() > "since=".length()) {
                        return Long.parseLong(pair.substring("since=".length()));
                    }
                }
            }
            return Long.MAX_VALUE;
        }

        private static long seqOf(String message) {
            int start = message.indexOf(':') + 1;
            return Long.parseLong(message.substring(start, message.indexOf(',')));
        }

    }

}
