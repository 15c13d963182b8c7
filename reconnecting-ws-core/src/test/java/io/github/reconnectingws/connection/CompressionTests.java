package io.github.reconnectingws.connection;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.reconnectingws.ReconnectingWebSocketClient;
import io.github.reconnectingws.testsupport.FaultProxy;
import io.github.reconnectingws.testsupport.TestWebSocketServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * permessage-deflate against Tomcat's server endpoint, which accepts it: offered by
 * default, switched off per connection, bytes counted on the wire by a proxy in between,
 * and size limits held on the inflated message.
 */
class CompressionTests extends ClientTestSupport {

    private static final int MESSAGES = 200;

    private final List<String> received = new CopyOnWriteArrayList<>();

    private final List<FaultProxy> wires = new CopyOnWriteArrayList<>();

    @Override
    TestWebSocketServer startServer() {
        return TestWebSocketServer.builder().maxMessageBytes(64 * 1024 * 1024).start();
    }

    @AfterEach
    void closeWires() {
        this.wires.forEach(FaultProxy::close);
    }

    /** A ticker message of about 1 KiB of JSON, as feeds send them. */
    static String ticker(int seq) {
        StringBuilder json = new StringBuilder("{\"type\":\"ticker\",\"seq\":").append(seq).append(",\"levels\":[");
        for (int i = 0; i < 20; i++) {
            json.append((i > 0) ? "," : "")
                .append("{\"symbol\":\"BTC-USD\",\"price\":")
                .append(43_000 + (seq * 7 + i * 13) % 1000)
                .append(".25,\"size\":0.")
                .append(100 + i)
                .append("}");
        }
        return json.append("]}").toString();
    }

    private FaultProxy wire() {
        FaultProxy wire = FaultProxy.start(server().port());
        this.wires.add(wire);
        return wire;
    }

    private ReconnectingWebSocketClient client(FaultProxy wire, boolean compression) {
        return started(builder(wire.wsUri(TestWebSocketServer.PATH)).compression(compression)
            .messageHandler((client, session, message) -> {
                if (message instanceof TextMessage text) {
                    this.received.add(text.getPayload());
                }
            }));
    }

    /** Bytes on the wire for 200 ticker messages each way, with or without compression. */
    private long[] exchange(boolean compression) {
        FaultProxy wire = wire();
        ReconnectingWebSocketClient client = client(wire, compression);
        assertThat(client.getExtensions().contains("permessage-deflate")).isEqualTo(compression);
        server().awaitOpenSessions(1);
        long outBefore = wire.bytesToTarget();
        long inBefore = wire.bytesToClient();
        for (int i = 0; i < MESSAGES; i++) {
            client.send(ticker(i));
        }
        eventually().until(() -> server().receivedTexts().size() == MESSAGES);
        for (int i = 0; i < MESSAGES; i++) {
            server().sendToAll(ticker(i));
        }
        eventually().until(() -> this.received.size() == MESSAGES);
        assertThat(server().receivedTexts()).containsExactlyElementsOf(
                java.util.stream.IntStream.range(0, MESSAGES).mapToObj(CompressionTests::ticker).toList());
        assertThat(this.received).isEqualTo(server().receivedTexts());
        long[] bytes = { wire.bytesToTarget() - outBefore, wire.bytesToClient() - inBefore };
        client.close();
        server().clearReceived();
        this.received.clear();
        eventually().until(() -> server().openSessions() == 0);
        return bytes;
    }

    @Test
    void compressionIsOfferedByDefaultAndCutsTheBytesOnTheWireBothWays() {
        long[] plain = exchange(false);
        long[] compressed = exchange(true);
        // 200 messages of about 1 KiB: some 210 KB plain each way
        assertThat(plain[0]).isGreaterThan(MESSAGES * 1000L);
        assertThat(plain[1]).isGreaterThan(MESSAGES * 1000L);
        assertThat(compressed[0]).as("outbound bytes compressed vs plain %s", plain[0]).isLessThan(plain[0] / 3);
        assertThat(compressed[1]).as("inbound bytes compressed vs plain %s", plain[1]).isLessThan(plain[1] / 3);
    }

    @Test
    void compressionIsOnUnlessSwitchedOff() {
        ReconnectingWebSocketClient defaults = started(builder(server().uri()));
        assertThat(defaults.getExtensions()).containsExactly("permessage-deflate");
        ReconnectingWebSocketClient off = started(builder(server().uri()).compression(false));
        assertThat(off.getExtensions()).isEmpty();
    }

    @Test
    void aCompressedMessageThatInflatesPastTheLimitClosesWith1009AndNothingOfItIsDelivered() {
        FaultProxy wire = wire();
        Recorder recorder = new Recorder();
        ReconnectingWebSocketClient client = started(builder(wire.wsUri(TestWebSocketServer.PATH))
            .maxMessageSizes(16 * 1024, 16 * 1024)
            .observer(recorder)
            .messageHandler((c, session, message) -> this.received.add(String.valueOf(message.getPayload()))));
        assertThat(client.getExtensions()).containsExactly("permessage-deflate");
        server().awaitOpenSessions(1);
        long before = wire.bytesToClient();
        // 32 MiB of one letter: a few hundred KiB on the wire
        server().sendToAll("b".repeat(32 * 1024 * 1024));
        eventually().until(() -> client.getReconnectCount() == 1 && client.isConnected());
        assertThat(recorder.disconnects).first().isEqualTo(CloseStatus.TOO_BIG_TO_PROCESS
            .withReason("text message over max-text-message-size (16384 characters)"));
        assertThat(wire.bytesToClient() - before).isLessThan(1024 * 1024);
        server().awaitOpenSessions(1);
        server().sendToAll("after");
        eventually().until(() -> this.received.size() == 1);
        assertThat(this.received).containsExactly("after");
    }

}
