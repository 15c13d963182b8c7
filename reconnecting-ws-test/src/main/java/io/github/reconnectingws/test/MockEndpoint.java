package io.github.reconnectingws.test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.websocket.CloseReason;
import jakarta.websocket.CloseReason.CloseCodes;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Extension;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.Session;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;

import org.jspecify.annotations.Nullable;

/**
 * What the {@link MockWebSocketServer} does inside Tomcat: the handshake gate (records every
 * upgrade request, rejects while a {@link HandshakeRejection} applies), the endpoint (records
 * every connection and message, runs the script: messages on open, replies, echo, STOMP),
 * and the server-side actions on open sessions (send, close).
 */
final class MockEndpoint {

    private static final String UPGRADE = Upgrade.class.getName();

    /** How long a server-side action waits for upgrades answered with 101 to open. */
    private static final long OPEN_WAIT_MS = 5_000;

    private static final List<String> STOMP_SUBPROTOCOLS = List.of("v12.stomp", "v11.stomp", "v10.stomp");

    /** Open sessions and their records. */
    private final Map<Session, Live> sessions = new ConcurrentHashMap<>();

    private final List<Handshake> handshakes = new CopyOnWriteArrayList<>();

    private final List<RecordedConnection> connections = new CopyOnWriteArrayList<>();

    private final AtomicInteger connectionNumbers = new AtomicInteger();

    /** Messages sent to every connection when it opens. */
    private final List<String> onOpen = new CopyOnWriteArrayList<>();

    private final List<Reply> replies = new CopyOnWriteArrayList<>();

    /** Upgrades answered with 101, and of those the sessions opened since. Guarded by {@code this}. */
    private long upgrades;

    /** Guarded by {@code this}. */
    private long opened;

    private volatile boolean echo;

    private volatile boolean compression = true;

    private volatile @Nullable ActiveRejection rejection;

    private volatile @Nullable StompBroker stomp;

    // ---- script and settings

    void sendOnOpen(List<String> messages) {
        this.onOpen.addAll(messages);
    }

    void reply(Predicate<String> when, Function<String, List<String>> answer) {
        this.replies.add(new Reply(when, answer));
    }

    void echo(boolean echo) {
        this.echo = echo;
    }

    void compression(boolean compression) {
        this.compression = compression;
    }

    void stomp(StompBroker broker) {
        this.stomp = broker;
    }

    @Nullable StompBroker stomp() {
        return this.stomp;
    }

    void reject(@Nullable HandshakeRejection rejection) {
        this.rejection = (rejection != null) ? new ActiveRejection(rejection) : null;
    }

    // ---- records

    List<Handshake> handshakes() {
        return List.copyOf(this.handshakes);
    }

    List<RecordedConnection> connections() {
        return List.copyOf(this.connections);
    }

    int openSessions() {
        return this.sessions.size();
    }

    /** Forgets closed connections, handshakes and the messages of open connections. */
    void forgetRecords() {
        this.handshakes.clear();
        this.connections.removeIf((connection) -> !connection.isOpen());
        this.connections.forEach(RecordedConnection::forgetMessages);
        StompBroker broker = this.stomp;
        if (broker != null) {
            broker.forgetSends();
        }
    }

    // ---- server-side actions

    int sendToAll(String text) {
        return sendToAll((remote) -> remote.sendText(text));
    }

    int sendToAll(byte[] data) {
        return sendToAll((remote) -> remote.sendBinary(ByteBuffer.wrap(data)));
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

    boolean sendText(Session session, String text) {
        return send(session, (remote) -> remote.sendText(text));
    }

    void closeAll(int code, String reason) {
        awaitUpgradesOpened();
        CloseReason closeReason = new CloseReason(CloseCodes.getCloseCode(code), reason);
        for (Map.Entry<Session, Live> entry : this.sessions.entrySet()) {
            entry.getValue().record.markServerClose();
            try {
                entry.getKey().close(closeReason);
            }
            catch (IOException ex) {
                // already gone, which is what the caller wanted
            }
        }
    }

    /**
     * Before the front drops every connection: their 1006 is the server's doing. Every open
     * record, also of an upgrade whose session Tomcat has not opened yet.
     */
    void markAllServerClosed() {
        this.connections.forEach(RecordedConnection::markServerClose);
    }

    /**
     * A client counts itself connected once it reads the 101, which Tomcat writes before it
     * opens the server session; until then a server-side action would miss that session.
     */
    private void awaitUpgradesOpened() {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(OPEN_WAIT_MS);
        synchronized (this) {
            long left;
            while (this.opened < this.upgrades && (left = deadline - System.nanoTime()) > 0) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            // an upgrade whose connection died before Tomcat opened it never opens: forget it
            this.upgrades = this.opened;
        }
    }

    private synchronized void upgraded() {
        this.upgrades++;
    }

    private synchronized void sessionOpened() {
        this.opened++;
        notifyAll();
    }

    private boolean send(Session session, RemoteSend send) {
        Live live = this.sessions.get(session);
        if (live == null) {
            return false;
        }
        // a basic remote endpoint throws on concurrent sends; replies, ticks and sendToAll overlap
        synchronized (live) {
            try {
                send.sendWith(session.getBasicRemote());
                return true;
            }
            catch (IOException | IllegalStateException ex) {
                // the session is closing
                return false;
            }
        }
    }

    // ---- Tomcat parts

    ServerEndpointConfig config(String path) {
        JsrEndpoint endpoint = new JsrEndpoint();
        return ServerEndpointConfig.Builder.create(JsrEndpoint.class, path).configurator(new Configurator(endpoint))
            .build();
    }

    HttpFilter gate() {
        return new HandshakeGate();
    }

    /** Records each session's messages and close, and runs the script. */
    private final class JsrEndpoint extends Endpoint {

        @Override
        public void onOpen(Session session, EndpointConfig config) {
            Upgrade upgrade = (Upgrade) config.getUserProperties().get(UPGRADE);
            RecordedConnection record = (upgrade != null) ? upgrade.record : null;
            if (record == null) {
                // not through the gate: cannot happen with the filter mapped to every path
                record = new RecordedConnection(connectionNumbers.incrementAndGet(),
                        new Handshake(session.getRequestURI().getPath(), session.getQueryString(), Map.of(), 101),
                        null, List.of());
                connections.add(record);
            }
            RecordedConnection opened = record;
            sessions.put(session, new Live(opened));
            session.addMessageHandler(String.class, (text) -> onText(session, opened, text));
            session.addMessageHandler(byte[].class, (data) -> {
                opened.addBinary(data);
                if (echo) {
                    send(session, (remote) -> remote.sendBinary(ByteBuffer.wrap(data)));
                }
            });
            sessionOpened();
            for (String message : onOpen) {
                sendText(session, message);
            }
        }

        private void onText(Session session, RecordedConnection record, String text) {
            record.addText(text);
            StompBroker broker = stomp;
            if (broker != null) {
                broker.onText(session, text);
                return;
            }
            for (Reply reply : replies) {
                if (reply.when().test(text)) {
                    reply.answer().apply(text).forEach((answer) -> sendText(session, answer));
                    return;
                }
            }
            if (echo) {
                sendText(session, text);
            }
        }

        @Override
        public void onClose(Session session, CloseReason closeReason) {
            Live live = sessions.remove(session);
            if (live != null) {
                live.record.closed(closeReason.getCloseCode().getCode());
            }
            StompBroker broker = stomp;
            if (broker != null) {
                broker.sessionClosed(session);
            }
        }

    }

    /** Passes the handshake record to the session, and switches compression and subprotocols. */
    private final class Configurator extends ServerEndpointConfig.Configurator {

        private final JsrEndpoint endpoint;

        Configurator(JsrEndpoint endpoint) {
            this.endpoint = endpoint;
        }

        @Override
        public <T> T getEndpointInstance(Class<T> endpointClass) {
            return endpointClass.cast(this.endpoint);
        }

        @Override
        public void modifyHandshake(ServerEndpointConfig config, HandshakeRequest request,
                HandshakeResponse response) {
            // Tomcat passes a per-session copy of the config here and to onOpen
            Upgrade upgrade = HandshakeGate.CURRENT.get();
            if (upgrade != null) {
                config.getUserProperties().put(UPGRADE, upgrade);
            }
        }

        @Override
        public List<Extension> getNegotiatedExtensions(List<Extension> installed, List<Extension> requested) {
            return compression ? super.getNegotiatedExtensions(installed, requested) : List.of();
        }

        @Override
        public String getNegotiatedSubprotocol(List<String> supported, List<String> requested) {
            if (stomp != null) {
                return requested.stream().filter(STOMP_SUBPROTOCOLS::contains).findFirst().orElse("");
            }
            return "";
        }

    }

    /** Records every upgrade request and rejects it while a rejection applies. */
    private final class HandshakeGate extends HttpFilter {

        /** Tomcat upgrades on the thread that runs the filter chain: the configurator reads it. */
        static final ThreadLocal<Upgrade> CURRENT = new ThreadLocal<>();

        @Override
        protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            if (!"websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
                chain.doFilter(request, response);
                return;
            }
            Map<String, List<String>> headers = headersOf(request);
            String requestPath = request.getRequestURI();
            String query = request.getQueryString();
            ActiveRejection current = rejection;
            if (current != null && current.tryConsume()) {
                handshakes.add(new Handshake(requestPath, query, headers, current.rejection().statusCode()));
                current.applyTo(response);
                return;
            }
            Upgrade upgrade = new Upgrade();
            CURRENT.set(upgrade);
            try {
                chain.doFilter(request, response);
            }
            finally {
                CURRENT.remove();
            }
            Handshake handshake = new Handshake(requestPath, query, headers, response.getStatus());
            handshakes.add(handshake);
            // Tomcat commits the 101 and opens the session only after the filter returns: the
            // record exists before the client can count itself connected
            if (response.getStatus() == HttpServletResponse.SC_SWITCHING_PROTOCOLS) {
                String subprotocol = response.getHeader("Sec-WebSocket-Protocol");
                upgrade.record = new RecordedConnection(connectionNumbers.incrementAndGet(), handshake,
                        (subprotocol == null || subprotocol.isEmpty()) ? null : subprotocol,
                        extensionNames(response.getHeader("Sec-WebSocket-Extensions")));
                connections.add(upgrade.record);
                upgraded();
            }
        }

        private static List<String> extensionNames(@Nullable String header) {
            if (header == null || header.isBlank()) {
                return List.of();
            }
            return Arrays.stream(header.split(",")).map((extension) -> extension.split(";")[0].strip()).toList();
        }

        private static Map<String, List<String>> headersOf(HttpServletRequest request) {
            Map<String, List<String>> headers = new LinkedHashMap<>();
            for (String name : Collections.list(request.getHeaderNames())) {
                headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), (key) -> new ArrayList<>())
                    .addAll(Collections.list(request.getHeaders(name)));
            }
            headers.replaceAll((name, values) -> List.copyOf(values));
            return headers;
        }

    }

    /** Hands the record of an answered upgrade from the gate to the session Tomcat opens. */
    private static final class Upgrade {

        private volatile @Nullable RecordedConnection record;

    }

    /** An open session's record; the instance is also the lock that serialises its sends. */
    private static final class Live {

        private final RecordedConnection record;

        Live(RecordedConnection record) {
            this.record = record;
        }

    }

    private record Reply(Predicate<String> when, Function<String, List<String>> answer) {
    }

    /** One send on a session's basic remote endpoint. */
    @FunctionalInterface
    private interface RemoteSend {

        void sendWith(RemoteEndpoint.Basic remote) throws IOException;

    }

}
