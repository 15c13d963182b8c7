package io.github.reconnectingws.test;

import java.time.Duration;
import java.util.List;

import io.github.reconnectingws.ConnectionState;
import io.github.reconnectingws.ReconnectingWebSocketClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.github.reconnectingws.test.TestClients.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The scripting, recording and settings of {@link MockWebSocketServer}, against the real
 * reconnecting client. The server is an instance extension: each test gets its own.
 * {@link MockWebSocketServerFaultTests} covers the faults.
 */
class MockWebSocketServerTests {

    @RegisterExtension
    MockWebSocketServer server = MockWebSocketServer.create();

    @RegisterExtension
    TestClients clients = new TestClients();

    @Test
    void sendsOnOpenRepliesEchoesAndRecordsHandshakeMessagesAndCloseCode() {
        this.server.sendOnOpen("welcome", "snapshot")
            .reply("ping", "pong")
            .reply((text) -> text.startsWith("sub:"), (text) -> "subscribed " + text.substring(4))
            .echo();
        ReconnectingWebSocketClient client = this.clients.connect(this.clients.builder(this.server.url()).header("X-Token", "t-1"));
        client.send("ping");
        client.send("sub:prices");
        client.send("hello");
        eventually().until(() -> this.clients.received().size() == 5);
        assertThat(this.clients.received()).containsExactly("welcome", "snapshot", "pong", "subscribed prices", "hello");

        RecordedConnection connection = this.server.awaitConnections(1);
        assertThat(connection.handshake().header("x-token")).isEqualTo("t-1");
        assertThat(connection.handshake().path()).isEqualTo("/ws");
        assertThat(connection.texts()).containsExactly("ping", "sub:prices", "hello");
        assertThat(this.server.receivedTexts()).containsExactly("ping", "sub:prices", "hello");

        client.close();
        eventually().until(() -> !connection.isOpen());
        assertThat(connection.closeCode()).hasValue(1001);
        assertThat(connection.closedByServer()).isFalse();
    }

    @Test
    void ticksToEveryOpenConnection() {
        this.server.tick(Duration.ofMillis(20), (n) -> "tick " + n);
        this.clients.connect(this.clients.builder(this.server.url()));
        eventually().until(() -> this.clients.received().size() >= 3);
        List<String> ticks = List.copyOf(this.clients.received());
        long first = Long.parseLong(ticks.get(0).substring(5));
        for (int i = 0; i < ticks.size(); i++) {
            assertThat(ticks.get(i)).isEqualTo("tick " + (first + i));
        }
        this.server.stopTicking();
    }

    @Test
    void sendToAllReachesEveryConnection() {
        this.clients.connect(this.clients.builder(this.server.url()));
        this.clients.connect(this.clients.builder(this.server.url()));
        this.server.awaitConnections(2);
        assertThat(this.server.sendToAll("news")).isEqualTo(2);
        eventually().until(() -> this.clients.received().size() == 2);
        assertThat(this.clients.received()).containsOnly("news");
    }

    @Test
    void compressionOnAndOff() {
        ReconnectingWebSocketClient client = this.clients.connect(this.clients.builder(this.server.url()).compression(true));
        assertThat(client.getExtensions()).contains("permessage-deflate");
        assertThat(this.server.connections().get(0).extensions()).containsExactly("permessage-deflate");

        this.server.compression(false);
        this.server.dropAll();
        this.server.awaitConnections(2);
        ConnectionStates.await(client, ConnectionState.CONNECTED);
        assertThat(client.getExtensions()).isEmpty();
        assertThat(this.server.connections().get(1).extensions()).isEmpty();
    }

    @Test
    void clearRecordsForgetsClosedConnectionsAndMessages() {
        ReconnectingWebSocketClient client = this.clients.connect(this.clients.builder(this.server.url()));
        client.send("before");
        this.server.awaitReceived("before"::equals);
        this.server.dropAll();
        this.server.awaitConnections(2);
        this.server.clearRecords();
        assertThat(this.server.connections()).singleElement().satisfies((open) -> {
            assertThat(open.isOpen()).isTrue();
            assertThat(open.texts()).isEmpty();
        });
        assertThat(this.server.handshakes()).isEmpty();
    }

    @Test
    void awaitingAStateThatDoesNotComeFailsWithTheClientsState() {
        ReconnectingWebSocketClient client = this.clients.connect(this.clients.builder(this.server.url()));
        assertThatThrownBy(() -> ConnectionStates.await(client, ConnectionState.FAILED, Duration.ofMillis(100)))
            .isInstanceOf(AssertionError.class)
            .hasMessageContaining("did not reach FAILED")
            .hasMessageContaining("it is CONNECTED");
        assertThatThrownBy(() -> this.server.awaitConnections(2, Duration.ofMillis(100)))
            .isInstanceOf(AssertionError.class)
            .hasMessageContaining("Expected 2 connections");
    }

    @Test
    void settingsThatOnlyApplyBeforeStart() {
        this.server.start();
        assertThatThrownBy(() -> this.server.path("/other")).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("path must be set before the server starts");
        assertThatThrownBy(() -> HandshakeRejection.status(200)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> this.server.publish("/topic/x", "{}")).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("stomp()");
    }

    @Test
    void servesAnotherPath() {
        try (MockWebSocketServer prices = MockWebSocketServer.create().path("/prices").sendOnOpen("hi").start()) {
            assertThat(prices.url()).endsWith("/prices");
            this.clients.connect(this.clients.builder(prices.url() + "?from=42"));
            eventually().until(() -> this.clients.received().contains("hi"));
            assertThat(prices.connections().get(0).handshake().query()).isEqualTo("from=42");
        }
    }

    @Test
    void startingAServerLeavesTheJvmWideTomcatDirectoriesAlone() {
        // Tomcat would make the first server's directory the home of every later Tomcat of the
        // JVM (the application's own included) and create it again after it was deleted
        String home = System.getProperty("catalina.home");
        String base = System.getProperty("catalina.base");
        try (MockWebSocketServer other = MockWebSocketServer.create().start()) {
            this.clients.connect(this.clients.builder(other.url()));
            assertThat(System.getProperty("catalina.home")).isEqualTo(home);
            assertThat(System.getProperty("catalina.base")).isEqualTo(base);
        }
    }

}
