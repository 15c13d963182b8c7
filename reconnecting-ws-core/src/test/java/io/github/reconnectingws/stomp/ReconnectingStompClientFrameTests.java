package io.github.reconnectingws.stomp;

import java.lang.reflect.Type;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import io.github.reconnectingws.ConnectionObserver;
import io.github.reconnectingws.ConnectionSettings;
import io.github.reconnectingws.ConnectionState;
import io.github.reconnectingws.ProtocolHandshakeException;
import io.github.reconnectingws.ReconnectingWebSocketClient;
import io.github.reconnectingws.connection.ReconnectingWebSocketClientBuilder;
import io.github.reconnectingws.connection.WebSocketClientResources;
import io.github.reconnectingws.testsupport.ScriptedSession;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.messaging.converter.StringMessageConverter;
import org.springframework.messaging.simp.stomp.StompFrameHandler;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.client.WebSocketClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The STOMP client's frame handling without a broker: the test plays the broker over a
 * scripted transport, frame by frame (CONNECT and its answers, SUBSCRIBE after every
 * CONNECTED, frames split over WebSocket messages, ERROR before and after CONNECTED, a
 * session's state not leaking into the next).
 */
class ReconnectingStompClientFrameTests {

    private final ScriptedBroker broker = new ScriptedBroker();

    private final WebSocketClientResources resources = new WebSocketClientResources();

    private final List<String> received = new CopyOnWriteArrayList<>();

    private @Nullable ReconnectingWebSocketClient client;

    @AfterEach
    void close() {
        if (this.client != null) {
            this.client.close();
        }
        this.resources.close();
    }

    private static ConditionFactory eventually() {
        return Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5));
    }

    private ReconnectingStompClient stomp() {
        return stomp(false);
    }

    private ReconnectingStompClient stomp(boolean receipts) {
        return stomp(receipts, new ConnectionObserver() {
        });
    }

    /** With an observer of the connection told before the STOMP client's own. */
    private ReconnectingStompClient stomp(boolean receipts, ConnectionObserver first) {
        ConnectionSettings.Stomp settings = new ConnectionSettings.Stomp(true, "guest", "s3cret-passcode", "/vhost",
                receipts);
        ReconnectingWebSocketClientBuilder builder = ReconnectingWebSocketClientBuilder.forUrl("ws://broker.test/ws")
            .backoff(Duration.ofMillis(10), 2.0, 0.0, Duration.ofMillis(50), Duration.ZERO)
            .heartbeat(Duration.ZERO, Duration.ofSeconds(10))
            .resources(this.resources)
            .observer(first)
            .transport(this.broker);
        ReconnectingStompClient stomp = ReconnectingStompClient.build(builder, settings, Duration.ofSeconds(20),
                new StringMessageConverter());
        this.client = stomp.getClient();
        stomp.subscribe("/topic/prices", new StompFrameHandler() {

            @Override
            public Type getPayloadType(StompHeaders headers) {
                return String.class;
            }

            @Override
            public void handleFrame(StompHeaders headers, @Nullable Object payload) {
                ReconnectingStompClientFrameTests.this.received.add(String.valueOf(payload));
            }

        });
        return stomp;
    }

    @Test
    void connectsSubscribesAfterConnectedAndAssemblesFramesSplitOverMessages() throws Exception {
        ReconnectingStompClient stomp = stomp();
        stomp.getClient().start();
        ScriptedSession session = this.broker.awaitSession(0);
        String connect = awaitFrame(session, 0);
        assertThat(connect).startsWith("CONNECT\n")
            .contains("accept-version:1.2", "host:/vhost", "login:guest", "passcode:s3cret-passcode",
                    "heart-beat:0,20000");
        assertThat(session.sent()).hasSize(1);
        session.receive("CONNECTED\nversion:1.2\n\n\0");
        String subscribe = awaitFrame(session, 1);
        assertThat(subscribe).startsWith("SUBSCRIBE\n").contains("destination:/topic/prices");
        String id = header(subscribe, "id");
        // one MESSAGE frame in two WebSocket messages
        String frame = "MESSAGE\ndestination:/topic/prices\nsubscription:" + id
                + "\nmessage-id:1\ncontent-type:text/plain\n\nACME 12.5\0";
        session.receive(frame.substring(0, 20));
        session.receive(frame.substring(20));
        eventually().until(() -> this.received.equals(List.of("ACME 12.5")));
    }

    @Test
    void aSubscribeWhileTheConnectHooksResubscribeGoesOutOnce() throws Exception {
        AtomicReference<ReconnectingStompClient> built = new AtomicReference<>();
        ReconnectingStompClient stomp = stomp(false, new ConnectionObserver() {
            @Override
            public void onConnected(ReconnectingWebSocketClient client, boolean reconnect, boolean rotation) {
                // connected, and the client's own re-subscribe has not run yet
                built.get().subscribe("/topic/news", ignoring());
            }
        });
        built.set(stomp);
        stomp.getClient().start();
        ScriptedSession session = connectedSession(0);
        List<String> subscribes = subscribesOnceOut(stomp, session);
        assertThat(subscribes).hasSize(2);
        assertThat(subscribes).filteredOn((frame) -> frame.contains("destination:/topic/news")).hasSize(1);
    }

    @Test
    void aSubscribeQueuedWhenItsSessionDropsGoesOutOnceOnTheNext() throws Exception {
        ReconnectingStompClient stomp = stomp();
        stomp.getClient().start();
        ScriptedSession first = connectedSession(0);
        awaitFrame(first, 1);
        // while a SEND is on the wire, a new subscription's SUBSCRIBE queues behind it, and the
        // broker drops the session before either is written
        first.duringNextSend(() -> {
            stomp.subscribe("/topic/news", ignoring());
            try {
                first.closeFromServer(new CloseStatus(1011, "restarting"));
            }
            catch (Exception ex) {
                throw new IllegalStateException(ex);
            }
        });
        stomp.send("/app/orders", "on the wire");
        ScriptedSession second = connectedSession(1);
        // re-subscribed by the connect hooks; the one queued for the first session is not
        // written again (a broker closes a session that subscribes twice with one id)
        List<String> subscribes = subscribesOnceOut(stomp, second);
        assertThat(subscribes).filteredOn((frame) -> frame.contains("destination:/topic/news")).hasSize(1);
        assertThat(subscribes).filteredOn((frame) -> frame.contains("destination:/topic/prices")).hasSize(1);
        assertThat(second.sent()).filteredOn((frame) -> frame.endsWith("on the wire\0")).hasSize(1);
        assertThat(first.sent()).noneMatch((frame) -> frame.contains("/topic/news"));
    }

    @Test
    void anErrorInAnswerToConnectIsFatalWhateverItSays() throws Exception {
        ReconnectingStompClient stomp = stomp();
        stomp.getClient().start();
        ScriptedSession session = this.broker.awaitSession(0);
        awaitFrame(session, 0);
        session.receive("ERROR\nmessage:go away\n\nno reason given\0");
        eventually().until(() -> stomp.getClient().getState() == ConnectionState.FAILED);
        assertThat(stomp.getClient().getLastError()).contains(ProtocolHandshakeException.class.getSimpleName())
            .contains("go away")
            .doesNotContain("s3cret-passcode");
        assertThat(this.broker.sessions).hasSize(1);
    }

    @Test
    void anErrorAfterConnectedReconnectsAndTheNextSessionStartsClean() throws Exception {
        ReconnectingStompClient stomp = stomp();
        stomp.getClient().start();
        ScriptedSession first = connectedSession(0);
        String id = header(awaitFrame(first, 1), "id");
        // an ERROR after CONNECTED, half a frame, then the broker closes the session
        first.receive("ERROR\nmessage:too slow\n\n\0");
        first.receive("MESSAGE\ndestination:/topic/prices\nsubscr");
        first.closeFromServer(new CloseStatus(1011, "error"));
        ScriptedSession second = this.broker.awaitSession(1);
        assertThat(awaitFrame(second, 0)).startsWith("CONNECT\n");
        second.receive("CONNECTED\nversion:1.2\n\n\0");
        assertThat(awaitFrame(second, 1)).startsWith("SUBSCRIBE\n").contains("id:" + id);
        second.receive("MESSAGE\ndestination:/topic/prices\nsubscription:" + id
                + "\nmessage-id:2\ncontent-type:text/plain\n\nafter\0");
        eventually().until(() -> this.received.equals(List.of("after")));
        assertThat(stomp.getClient().getState()).isEqualTo(ConnectionState.CONNECTED);
    }

    @Test
    void withReceiptsASendIsRepeatedAfterAReconnectOnlyIfItWentOutBefore() throws Exception {
        ReconnectingStompClient stomp = stomp(true);
        stomp.getClient().start();
        ScriptedSession first = connectedSession(0);
        awaitFrame(first, 1);
        CompletableFuture<Void> written = stomp.send("/app/orders", "written, no receipt yet");
        assertThat(awaitFrame(first, 2)).startsWith("SEND\n").endsWith("written, no receipt yet\0");
        first.closeFromServer(new CloseStatus(1011, "restarting"));
        ScriptedSession second = this.broker.awaitSession(1);
        awaitFrame(second, 0);
        // queued while the new session waits for CONNECTED: it goes out with the backlog
        CompletableFuture<Void> queued = stomp.send("/app/orders", "queued meanwhile");
        second.receive("CONNECTED\nversion:1.2\n\n\0");
        eventually().until(() -> second.sent().size() >= 4);
        List<String> sends = second.sent().stream().filter((frame) -> frame.startsWith("SEND\n")).toList();
        assertThat(sends).hasSize(2);
        assertThat(sends.get(0)).endsWith("written, no receipt yet\0");
        assertThat(sends.get(1)).endsWith("queued meanwhile\0");
        second.receive("RECEIPT\nreceipt-id:" + header(sends.get(0), "receipt") + "\n\n\0");
        second.receive("RECEIPT\nreceipt-id:" + header(sends.get(1), "receipt") + "\n\n\0");
        assertThat(written).succeedsWithin(Duration.ofSeconds(10));
        assertThat(queued).succeedsWithin(Duration.ofSeconds(10));
        assertThat(second.sent().stream().filter((frame) -> frame.startsWith("SEND\n"))).hasSize(2);
    }

    /**
     * The SUBSCRIBE frames written on a session once what was queued before is out: a SEND
     * after the connect hooks and the backlog tells when.
     */
    private static List<String> subscribesOnceOut(ReconnectingStompClient stomp, ScriptedSession session) {
        stomp.send("/app/marker", "after the hooks");
        eventually().until(() -> session.sent().stream().anyMatch((frame) -> frame.endsWith("after the hooks\0")));
        return session.sent().stream().filter((frame) -> frame.startsWith("SUBSCRIBE\n")).toList();
    }

    /** A handler of String payloads that keeps nothing. */
    private static StompFrameHandler ignoring() {
        return new StompFrameHandler() {

            @Override
            public Type getPayloadType(StompHeaders headers) {
                return String.class;
            }

            @Override
            public void handleFrame(StompHeaders headers, @Nullable Object payload) {
            }

        };
    }

    private static String header(String frame, String name) {
        return frame.lines()
            .filter((line) -> line.startsWith(name + ":"))
            .map((line) -> line.substring(name.length() + 1))
            .findFirst()
            .orElseThrow();
    }

    /** Accepts every handshake with a session the test drives. */
    static final class ScriptedBroker implements WebSocketClient {

        final List<ScriptedSession> sessions = new CopyOnWriteArrayList<>();

        @Override
        public CompletableFuture<WebSocketSession> execute(WebSocketHandler handler, String uriTemplate,
                @Nullable Object... uriVariables) {
            return execute(handler, null, URI.create(uriTemplate));
        }

        @Override
        public CompletableFuture<WebSocketSession> execute(WebSocketHandler handler,
                @Nullable WebSocketHttpHeaders headers, URI uri) {
            ScriptedSession session = new ScriptedSession(handler, uri, "v12.stomp");
            this.sessions.add(session);
            try {
                handler.afterConnectionEstablished(session);
            }
            catch (Exception ex) {
                return CompletableFuture.failedFuture(ex);
            }
            return CompletableFuture.completedFuture(session);
        }

        ScriptedSession awaitSession(int index) {
            eventually().until(() -> this.sessions.size() > index);
            return this.sessions.get(index);
        }

    }

    /** The frame the client wrote at {@code index} on a session, once it did. */
    /** The broker's session number {@code index}, its CONNECT answered with CONNECTED. */
    private ScriptedSession connectedSession(int index) throws Exception {
        ScriptedSession session = this.broker.awaitSession(index);
        awaitFrame(session, 0);
        session.receive("CONNECTED\nversion:1.2\n\n\0");
        return session;
    }

    private static String awaitFrame(ScriptedSession session, int index) {
        eventually().until(() -> session.sent().size() > index);
        return session.sent().get(index);
    }

}
