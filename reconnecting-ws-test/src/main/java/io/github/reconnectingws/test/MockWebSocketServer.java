package io.github.reconnectingws.test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongFunction;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A real WebSocket server on a random port of {@code 127.0.0.1} for testing code that uses
 * a reconnecting WebSocket client: it plays a scripted feed, records everything the clients
 * send, and breaks on request the way real servers and networks break.
 *
 * <p>As a JUnit 5 extension (a {@code static} field starts it once for the test class and
 * heals its faults before each test; an instance field gives each test its own server):
 * <pre>{@code
 * @RegisterExtension
 * static MockWebSocketServer server = MockWebSocketServer.create()
 *         .sendOnOpen("{\"type\":\"welcome\"}")
 *         .reply("ping", "pong");
 * }</pre>
 * In plain code: {@code try (MockWebSocketServer server = MockWebSocketServer.create().start()) { ... }}.
 * In a Spring Boot test, {@link #registerUrl(DynamicPropertyRegistry)} points
 * {@code reconnecting.websocket.url} at it, and {@link ConnectionStates} waits for the
 * client's state.
 *
 * <p><strong>Faults</strong>, each one call and each ended by {@link #heal()}:
 * {@link #dropAll()} (connections lost without a close frame), {@link #closeAll(int)},
 * {@link #goDown(Duration)} (port closed, then open again on the same port),
 * {@link #rejectHandshakes(HandshakeRejection)} (a status, {@code Retry-After}, a redirect;
 * for some requests or some time), {@link #halfOpen()} (sockets kept, nothing answered,
 * not even pings), {@link #slow(int)}; and {@link #compression(boolean)} switches
 * permessage-deflate. The port stays the same for the server's life.
 *
 * <p>How it works: clients connect to a TCP relay on the public port, which forwards to an
 * embedded Tomcat; network faults happen in the relay, HTTP and WebSocket behaviour in
 * Tomcat. Two daemon threads per connection. The JUnit callbacks need
 * {@code junit-jupiter-api} on the class path, {@code registerUrl} needs
 * {@code spring-test}; the rest needs neither. Thread-safe.
 */
public final class MockWebSocketServer
        implements AutoCloseable, BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

    /** The default path of the WebSocket endpoint. */
    public static final String DEFAULT_PATH = "/ws";

    /** How long the {@code await} methods without a timeout wait: 10 seconds. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private static final String LOOPBACK = "127.0.0.1";

    private final MockEndpoint endpoint = new MockEndpoint();

    /** Ends scheduled faults that a later call replaced. */
    private final AtomicLong outages = new AtomicLong();

    private final AtomicLong ticks = new AtomicLong();

    private final ServerTimer timer = new ServerTimer();

    /** Guarded by {@code this}. */
    private String path = DEFAULT_PATH;

    /** Guarded by {@code this}. */
    private int maxMessageSize = 256 * 1024;

    /** Guarded by {@code this}; {@code null} until started. */
    private @Nullable ServerStack stack;

    /** Guarded by {@code this}. */
    private boolean closed;

    /** Guarded by {@code this}: started by a JUnit beforeEach, so closed after the test. */
    private boolean perTest;

    private MockWebSocketServer() {
    }

    /**
     * Creates a server, not started yet: configure it, then {@link #start()} it or register
     * it as a JUnit extension. {@link #url()} and {@link #port()} start it too.
     *
     * @return a new server
     */
    public static MockWebSocketServer create() {
        return new MockWebSocketServer();
    }

    // ---------------------------------------------------------------- life cycle

    /**
     * Sets the path of the WebSocket endpoint; upgrade requests to other paths get 404.
     *
     * @param path the path, e.g. {@code /prices}; {@value #DEFAULT_PATH} by default
     * @return this server
     * @throws IllegalStateException if the server has started
     */
    public synchronized MockWebSocketServer path(String path) {
        requireNotStarted("path");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("The path must start with '/': " + path);
        }
        this.path = path;
        return this;
    }

    /**
     * Sets the largest text or binary message the server accepts; a larger one closes the
     * connection with 1009. Tomcat allocates buffers of this size per connection.
     *
     * @param bytes the limit in bytes (characters for text); 256 KiB by default
     * @return this server
     * @throws IllegalStateException if the server has started
     */
    public synchronized MockWebSocketServer maxMessageSize(int bytes) {
        requireNotStarted("maxMessageSize");
        this.maxMessageSize = bytes;
        return this;
    }

    /**
     * Starts the server on a free port of {@code 127.0.0.1}; does nothing if it runs.
     *
     * @return this server
     * @throws IllegalStateException if it was closed or cannot start
     */
    public synchronized MockWebSocketServer start() {
        if (this.closed) {
            throw new IllegalStateException("The server is closed");
        }
        if (this.stack == null) {
            this.stack = new ServerStack(this.endpoint, this.path, this.maxMessageSize);
        }
        return this;
    }

    /**
     * Returns the WebSocket URL, {@code ws://127.0.0.1:<port><path>}; starts the server if
     * it has not started.
     *
     * @return the URL clients connect to
     */
    public String url() {
        return "ws://" + LOOPBACK + ":" + port() + currentPath();
    }

    /**
     * Returns {@link #url()} as a URI.
     *
     * @return the URI clients connect to
     */
    public URI uri() {
        return URI.create(url());
    }

    /**
     * Returns the port; it stays the same for the server's life, outages included. Starts
     * the server if it has not started.
     *
     * @return the TCP port
     */
    public int port() {
        return started().port();
    }

    /**
     * Stops the server: closes every connection and releases the port and all threads.
     * Does nothing if it is already closed.
     */
    @Override
    public void close() {
        ServerStack running;
        synchronized (this) {
            if (this.closed) {
                return;
            }
            this.closed = true;
            running = this.stack;
        }
        this.timer.shutdown();
        this.endpoint.markAllServerClosed();
        if (running != null) {
            running.close();
        }
    }

    // ---------------------------------------------------------------- Spring Boot tests

    /**
     * Sets {@code reconnecting.websocket.url} (the default connection) to this server's URL,
     * in a {@code @DynamicPropertySource} method:
     * <pre>{@code
     * @DynamicPropertySource
     * static void feed(DynamicPropertyRegistry registry) {
     *     server.registerUrl(registry);
     * }
     * }</pre>
     *
     * @param registry the registry of the test's dynamic properties
     */
    public void registerUrl(DynamicPropertyRegistry registry) {
        registry.add("reconnecting.websocket.url", this::url);
    }

    /**
     * Sets {@code reconnecting.websocket.connections.<connection>.url} to this server's URL;
     * for {@code default}, {@code reconnecting.websocket.url}.
     *
     * @param registry the registry of the test's dynamic properties
     * @param connection the connection's name, e.g. {@code prices}
     */
    public void registerUrl(DynamicPropertyRegistry registry, String connection) {
        String property = "default".equals(connection) ? "reconnecting.websocket.url"
                : "reconnecting.websocket.connections." + connection + ".url";
        registry.add(property, this::url);
    }

    // ---------------------------------------------------------------- script

    /**
     * Sends these text messages, in order, on every connection as soon as it opens (a
     * welcome message, a snapshot). Adds to the messages set before.
     *
     * @param messages the messages
     * @return this server
     */
    public MockWebSocketServer sendOnOpen(String... messages) {
        this.endpoint.sendOnOpen(Arrays.asList(messages));
        return this;
    }

    /**
     * Sends every text and binary message back to the connection that sent it, unless a
     * {@link #reply} rule answers it.
     *
     * @return this server
     */
    public MockWebSocketServer echo() {
        this.endpoint.echo(true);
        return this;
    }

    /**
     * Answers a text message equal to {@code message} with {@code replies}, in order, on the
     * connection that sent it. Rules are tried in the order they were added; the first that
     * matches answers.
     *
     * @param message the message to answer
     * @param replies the answers
     * @return this server
     */
    public MockWebSocketServer reply(String message, String... replies) {
        List<String> answers = List.of(replies);
        this.endpoint.reply(message::equals, (text) -> answers);
        return this;
    }

    /**
     * Answers every text message that {@code when} accepts with the message {@code reply}
     * makes of it.
     *
     * @param when which messages to answer, e.g. {@code text -> text.contains("\"subscribe\"")}
     * @param reply the answer to a message
     * @return this server
     */
    public MockWebSocketServer reply(Predicate<String> when, Function<String, String> reply) {
        this.endpoint.reply(when, (text) -> List.of(reply.apply(text)));
        return this;
    }

    /**
     * Sends {@code message.apply(n)} to every open connection every {@code interval}, with
     * {@code n} = 1, 2, 3, ... counted over the server's life, as a ticker feed does. Ticks
     * start one interval after this call; a tick with no connection open is skipped and does
     * not count.
     *
     * @param interval the period, at least 1 ms
     * @param message the message of tick {@code n}
     * @return this server
     */
    public synchronized MockWebSocketServer tick(Duration interval, LongFunction<String> message) {
        this.timer.repeat(interval, () -> {
            if (this.endpoint.openSessions() > 0) {
                this.endpoint.sendToAll(message.apply(this.ticks.incrementAndGet()));
            }
        });
        return this;
    }

    /**
     * Stops every ticker set with {@link #tick}.
     *
     * @return this server
     */
    public synchronized MockWebSocketServer stopTicking() {
        this.timer.stopRepeating();
        return this;
    }

    /**
     * Sends a text message to every open connection now.
     *
     * @param text the message
     * @return how many connections it was sent to
     */
    public int sendToAll(String text) {
        started();
        return this.endpoint.sendToAll(text);
    }

    /**
     * Sends a binary message to every open connection now.
     *
     * @param data the message
     * @return how many connections it was sent to
     */
    public int sendToAll(byte[] data) {
        started();
        return this.endpoint.sendToAll(data);
    }

    // ---------------------------------------------------------------- STOMP

    /**
     * Makes the server a minimal STOMP 1.2 broker: the subprotocol {@code v12.stomp} is
     * agreed, CONNECT is answered with CONNECTED (without heart-beats), subscriptions are
     * kept per connection and lost with it (as when a broker restarts), a SEND is recorded
     * ({@link #stompSent(String)}) and delivered to the subscribers of its destination,
     * {@code receipt} headers are answered, and {@link #publish} sends MESSAGE frames.
     * The text messages of a STOMP connection are frames: {@link #reply} and {@link #echo()}
     * do not apply to them.
     *
     * @return this server
     */
    public MockWebSocketServer stomp() {
        if (this.endpoint.stomp() == null) {
            this.endpoint.stomp(new StompBroker(this.endpoint::sendText));
        }
        return this;
    }

    /**
     * Sends a JSON body as a MESSAGE frame to every subscription to {@code destination}.
     *
     * @param destination the destination, e.g. {@code /topic/prices}
     * @param json the body, with content type {@code application/json}
     * @return how many subscriptions it was delivered to
     * @throws IllegalStateException without {@link #stomp()}
     */
    public int publish(String destination, String json) {
        return publish(destination, json, "application/json");
    }

    /**
     * Sends a MESSAGE frame to every subscription to {@code destination}.
     *
     * @param destination the destination, e.g. {@code /topic/prices}
     * @param body the body
     * @param contentType its content type, e.g. {@code text/plain}
     * @return how many subscriptions it was delivered to
     * @throws IllegalStateException without {@link #stomp()}
     */
    public int publish(String destination, String body, String contentType) {
        started();
        return requireStomp().publish(destination, body, contentType);
    }

    /**
     * Returns the destinations subscribed to on the open connections, one entry per
     * subscription. The subscriptions of a connection dropped by a fault
     * ({@link #dropAll()}, {@link #goDown()}) leave this list once the server has noticed
     * the drop, which may be a moment after the client has: wait for them to be gone
     * rather than expecting it at once.
     *
     * @return e.g. {@code [/topic/prices, /topic/orders]}
     * @throws IllegalStateException without {@link #stomp()}
     */
    public List<String> stompSubscriptions() {
        return requireStomp().subscriptions();
    }

    /**
     * Returns the bodies of the SEND frames to {@code destination}, from every connection, in
     * the order they arrived.
     *
     * @param destination the destination
     * @return a snapshot of the bodies
     * @throws IllegalStateException without {@link #stomp()}
     */
    public List<String> stompSent(String destination) {
        return requireStomp().sentTo(destination);
    }

    /**
     * Answers every following CONNECT with an ERROR frame, as a broker that refuses the
     * credentials does; {@code null} accepts CONNECT again ({@link #heal()} does too).
     *
     * @param message the ERROR frame's {@code message} header and body, or {@code null}
     * @return this server
     * @throws IllegalStateException without {@link #stomp()}
     */
    public MockWebSocketServer refuseStompConnect(@Nullable String message) {
        requireStomp().refuseConnect(message);
        return this;
    }

    // ---------------------------------------------------------------- faults

    /**
     * Drops every open connection without a close frame (TCP reset), as when the network
     * fails or the server process dies. New connections are accepted.
     */
    public void dropAll() {
        FaultFront relay = started();
        this.endpoint.markAllServerClosed();
        relay.dropAll();
    }

    /**
     * Closes every open connection from the server side with a close frame.
     *
     * @param code the close code, e.g. 1001 (going away), 1011, 1012 (restart) or 4000-4999
     */
    public void closeAll(int code) {
        closeAll(code, "");
    }

    /**
     * Closes every open connection from the server side with a close frame.
     *
     * @param code the close code
     * @param reason the reason phrase (at most 123 bytes)
     */
    public void closeAll(int code, String reason) {
        started();
        this.endpoint.closeAll(code, reason);
    }

    /**
     * Goes down until {@link #comeBack()} or {@link #heal()}: drops every connection without a
     * close frame and closes the port, so connecting is refused. The port stays reserved.
     */
    public void goDown() {
        this.outages.incrementAndGet();
        FaultFront relay = started();
        relay.refuse();
        this.endpoint.markAllServerClosed();
        relay.dropAll();
    }

    /**
     * Goes down as {@link #goDown()} does, and comes back on the same port after
     * {@code duration} (unless another fault call came in between).
     *
     * @param duration how long the port stays closed
     */
    public void goDown(Duration duration) {
        goDown();
        long outage = this.outages.get();
        this.timer.schedule(duration, () -> {
            if (this.outages.get() == outage) {
                comeBack();
            }
        });
    }

    /** Listens again on the same port after {@link #goDown()}. */
    public void comeBack() {
        this.outages.incrementAndGet();
        started().listen();
    }

    /**
     * Returns whether the port is open (the server is not down).
     *
     * @return {@code false} between {@link #goDown()} and {@link #comeBack()}
     */
    public boolean isUp() {
        return !started().isRefusing();
    }

    /**
     * Answers every following upgrade request with {@code status} instead of upgrading, until
     * {@link #acceptHandshakes()} or {@link #heal()}.
     *
     * @param status the HTTP status, e.g. 401, 403, 429 or 503
     */
    public void rejectHandshakes(int status) {
        rejectHandshakes(HandshakeRejection.status(status));
    }

    /**
     * Answers upgrade requests as {@code rejection} says (status, headers such as
     * {@code Retry-After} or {@code Location}, for how many requests or how long), replacing
     * any rejection before.
     *
     * @param rejection the rejection
     */
    public void rejectHandshakes(HandshakeRejection rejection) {
        this.endpoint.reject(rejection);
    }

    /** Upgrades every following request again. */
    public void acceptHandshakes() {
        this.endpoint.reject(null);
    }

    /**
     * Makes every connection, current and new, half-open: the sockets stay open but nothing
     * is answered and every byte is swallowed in both directions: no messages, no pongs, no
     * close frames, and new handshakes get no response. Only a client heartbeat finds out.
     * {@link #heal()} closes these connections.
     */
    public void halfOpen() {
        started().stall();
    }

    /**
     * Throttles every connection, current and new, to {@code bytesPerSecond} in each
     * direction (handshakes included); 0 is full speed again.
     *
     * @param bytesPerSecond the rate per connection and direction
     */
    public void slow(int bytesPerSecond) {
        started().throttle(bytesPerSecond);
    }

    /**
     * Agrees to permessage-deflate when a client offers it ({@code true}, the default, as
     * Tomcat does) or never. Applies to connections opened after the call.
     *
     * @param enabled whether to accept permessage-deflate
     * @return this server
     */
    public MockWebSocketServer compression(boolean enabled) {
        this.endpoint.compression(enabled);
        return this;
    }

    /**
     * Ends every fault: comes back up on the same port, accepts handshakes (and STOMP
     * CONNECTs), runs at full speed, and closes the half-open connections (their byte
     * streams have holes). The script and {@link #compression(boolean)} stay as they are.
     */
    public void heal() {
        this.outages.incrementAndGet();
        this.endpoint.reject(null);
        StompBroker broker = this.endpoint.stomp();
        if (broker != null) {
            broker.refuseConnect(null);
        }
        ServerStack running;
        synchronized (this) {
            running = this.stack;
        }
        if (running != null) {
            running.front().heal();
        }
    }

    // ---------------------------------------------------------------- records

    /**
     * Returns every upgrade request received, rejected ones included, in order.
     *
     * @return a snapshot of the handshakes
     */
    public List<Handshake> handshakes() {
        return this.endpoint.handshakes();
    }

    /**
     * Returns every connection accepted, open and closed, in the order they opened.
     *
     * @return a snapshot of the connections
     */
    public List<RecordedConnection> connections() {
        return this.endpoint.connections();
    }

    /**
     * Returns the connections that are open.
     *
     * @return a snapshot of the open connections, in the order they opened
     */
    public List<RecordedConnection> openConnections() {
        return connections().stream().filter(RecordedConnection::isOpen).toList();
    }

    /**
     * Returns the text messages received on every connection, connection by connection in the
     * order they opened, each connection's in arrival order.
     *
     * @return a snapshot of the text messages
     */
    public List<String> receivedTexts() {
        List<String> texts = new ArrayList<>();
        connections().forEach((connection) -> texts.addAll(connection.texts()));
        return texts;
    }

    /**
     * Forgets the handshakes, the closed connections and every message received so far (and
     * the STOMP SENDs); open connections stay recorded.
     */
    public void clearRecords() {
        this.endpoint.forgetRecords();
    }

    /**
     * Waits until at least {@code count} connections have been accepted since the server
     * started (or since {@link #clearRecords()}), for {@link #DEFAULT_TIMEOUT}.
     *
     * @param count the number of connections
     * @return the connection number {@code count}, in opening order
     * @throws AssertionError if it does not happen in time
     */
    public RecordedConnection awaitConnections(int count) {
        return awaitConnections(count, DEFAULT_TIMEOUT);
    }

    /**
     * Waits until at least {@code count} connections have been accepted since the server
     * started (or since {@link #clearRecords()}).
     *
     * @param count the number of connections
     * @param timeout how long to wait
     * @return the connection number {@code count}, in opening order
     * @throws AssertionError if it does not happen in time
     */
    public RecordedConnection awaitConnections(int count, Duration timeout) {
        Polling.await(() -> connections().size() >= count, timeout,
                () -> "Expected " + count + " connections, got " + connections());
        return connections().get(count - 1);
    }

    /**
     * Waits until a text message that {@code matching} accepts has been received, for
     * {@link #DEFAULT_TIMEOUT}.
     *
     * @param matching the message wanted, e.g. {@code text -> text.contains("\"order\"")}
     * @return the first such message
     * @throws AssertionError if none arrives in time
     */
    public String awaitReceived(Predicate<String> matching) {
        return awaitReceived(matching, DEFAULT_TIMEOUT);
    }

    /**
     * Waits until a text message that {@code matching} accepts has been received.
     *
     * @param matching the message wanted
     * @param timeout how long to wait
     * @return the first such message
     * @throws AssertionError if none arrives in time
     */
    public String awaitReceived(Predicate<String> matching, Duration timeout) {
        Polling.await(() -> receivedTexts().stream().anyMatch(matching), timeout,
                () -> "No matching text message received; received " + receivedTexts());
        return receivedTexts().stream().filter(matching).findFirst().orElseThrow();
    }

    // ---------------------------------------------------------------- JUnit 5

    /**
     * Starts the server before the tests of a class (a {@code static} extension field).
     *
     * @param context the JUnit context
     */
    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    /**
     * Starts the server for this test (an instance field), or ends the faults of the last
     * test ({@link #heal()}) of a server that runs for the class. Records are kept: a client
     * may have connected before the first test; use {@link #clearRecords()} if needed.
     *
     * @param context the JUnit context
     */
    @Override
    public void beforeEach(ExtensionContext context) {
        synchronized (this) {
            if (this.stack == null) {
                this.perTest = true;
            }
        }
        start();
        heal();
    }

    /**
     * Closes a server that was started for this test.
     *
     * @param context the JUnit context
     */
    @Override
    public void afterEach(ExtensionContext context) {
        boolean closeNow;
        synchronized (this) {
            closeNow = this.perTest;
        }
        if (closeNow) {
            close();
        }
    }

    /**
     * Closes the server after the tests of a class.
     *
     * @param context the JUnit context
     */
    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    @Override
    public String toString() {
        ServerStack running;
        synchronized (this) {
            running = this.stack;
        }
        return "MockWebSocketServer["
                + ((running != null) ? "ws://" + LOOPBACK + ":" + running.front().port() + currentPath() : "not started")
                + ", " + connections().size() + " connections]";
    }

    // ---------------------------------------------------------------- internals

    private synchronized FaultFront started() {
        start();
        return this.stack.front();
    }

    private synchronized String currentPath() {
        return this.path;
    }

    private void requireNotStarted(String setting) {
        if (this.stack != null || this.closed) {
            throw new IllegalStateException(setting + " must be set before the server starts");
        }
    }

    private StompBroker requireStomp() {
        StompBroker broker = this.endpoint.stomp();
        if (broker == null) {
            throw new IllegalStateException("The server is not in STOMP mode: call stomp() first");
        }
        return broker;
    }

}
