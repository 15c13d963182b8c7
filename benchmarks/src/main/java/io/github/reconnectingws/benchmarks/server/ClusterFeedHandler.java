package io.github.reconnectingws.benchmarks.server;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.TextWebSocketHandler;

/**
 * The feed of the cluster benchmark ({@code /cluster?c=<connection>}): learns each
 * session's instance from its first message {@code instance:<id>}, and counts every
 * time a session announces itself while another announced session of the same
 * connection is open (two holders at once); ticks {@code {"seq":n}} every 50 ms on the connections
 * {@code c0} to {@code c9}. {@link #stats()} is what {@code GET /cluster-stats} answers.
 */
final class ClusterFeedHandler extends TextWebSocketHandler {

    private static final int TICKED = 10;

    private final Map<String, Set<WebSocketSession>> open = new ConcurrentHashMap<>();

    private final AtomicInteger overlaps = new AtomicInteger();

    private final AtomicLong seq = new AtomicLong();

    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor((task) -> {
        Thread thread = new Thread(task, "cluster-ticker");
        thread.setDaemon(true);
        return thread;
    });

    ClusterFeedHandler() {
        this.ticker.scheduleAtFixedRate(this::tick, 50, 50, TimeUnit.MILLISECONDS);
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession session) {
        Set<WebSocketSession> sessions = this.open.computeIfAbsent(key(session), (key) -> ConcurrentHashMap.newKeySet());
        synchronized (sessions) {
            sessions.add(session);
        }
    }

    /**
     * A session's announcement makes it a holder: counted as a second holder when another
     * announced session of the connection is still open. (A session the server opened
     * for a handshake the client gave up on is never announced: not a holder.)
     */
    @Override
    protected void handleTextMessage(WebSocketSession session, TextMessage message) {
        String text = message.getPayload();
        if (text.startsWith("instance:")) {
            Set<WebSocketSession> sessions = this.open.get(key(session));
            synchronized (sessions) {
                session.getAttributes().put("instance", text.substring("instance:".length()));
                long holders = sessions.stream()
                    .filter((open) -> open.isOpen() && open.getAttributes().containsKey("instance"))
                    .count();
                if (holders > 1) {
                    this.overlaps.incrementAndGet();
                }
            }
        }
    }

    @Override
    public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
        Set<WebSocketSession> sessions = this.open.get(key(session));
        if (sessions != null) {
            synchronized (sessions) {
                sessions.remove(session);
            }
        }
    }

    private void tick() {
        String text = "{\"seq\":" + this.seq.incrementAndGet() + "}";
        for (int i = 0; i < TICKED; i++) {
            Set<WebSocketSession> sessions = this.open.get("c" + i);
            if (sessions != null) {
                for (WebSocketSession session : sessions.toArray(WebSocketSession[]::new)) {
                    try {
                        synchronized (session) {
                            session.sendMessage(new TextMessage(text));
                        }
                    }
                    catch (Exception ex) {
                        // closed meanwhile
                    }
                }
            }
        }
    }

    /**
     * @return {@code held=<connections with an announced session> overlaps=<n>
     * instances=<id>:<sessions>,...}
     */
    String stats() {
        Map<String, Integer> perInstance = new TreeMap<>();
        int held = 0;
        for (Set<WebSocketSession> sessions : this.open.values()) {
            boolean announced = false;
            synchronized (sessions) {
                for (WebSocketSession session : sessions) {
                    Object instance = session.getAttributes().get("instance");
                    if (instance != null) {
                        perInstance.merge((String) instance, 1, Integer::sum);
                        announced = true;
                    }
                }
            }
            held += announced ? 1 : 0;
        }
        StringBuilder instances = new StringBuilder();
        perInstance.forEach((id, count) -> instances.append(instances.isEmpty() ? "" : ",").append(id).append(':')
            .append(count));
        return "held=" + held + " overlaps=" + this.overlaps.get() + " instances=" + instances;
    }

    private static String key(WebSocketSession session) {
        String query = (session.getUri() != null) ? session.getUri().getQuery() : null;
        return (query != null && query.startsWith("c=")) ? query.substring(2) : "";
    }

}
