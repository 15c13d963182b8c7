package io.github.reconnectingws.it;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import io.github.reconnectingws.ReconnectingWebSocketClient;
import io.github.reconnectingws.autoconfigure.ReconnectingWebSocketClientCustomizer;
import io.github.reconnectingws.listener.ListenerExecutionFailedException;
import io.github.reconnectingws.test.MockWebSocketServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code @WebSocketListener} methods against a real WebSocket server: every argument
 * type, frame routing, replies, ordering, failing listeners and poison payloads.
 */
@SpringBootTest(classes = WebSocketListenerIntegrationTests.App.class,
        webEnvironment = SpringBootTest.WebEnvironment.NONE)
@DirtiesContext
class WebSocketListenerIntegrationTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @RegisterExtension
    static final MockWebSocketServer server = MockWebSocketServer.create();

    @DynamicPropertySource
    static void connection(DynamicPropertyRegistry registry) {
        server.registerUrl(registry);
    }

    @Autowired
    ReconnectingWebSocketClient client;

    @Autowired
    ListenerRecorder recorder;

    @BeforeEach
    void connected() {
        await().atMost(TIMEOUT).until(this.client::isConnected);
        server.awaitConnections(1);
        assertThat(server.openConnections()).hasSize(1);
        server.clearRecords();
        this.recorder.clear();
    }

    @Test
    void textFrameReachesTextAndBothFrameListenersOnly() {
        server.sendToAll("{\"symbol\":\"ACME\",\"value\":12.5}");
        await().atMost(TIMEOUT).until(() -> this.recorder.calls.size() >= 4);
        await().atMost(TIMEOUT)
            .untilAsserted(() -> assertThat(this.recorder.calls).containsExactlyInAnyOrder(
                    "text:{\"symbol\":\"ACME\",\"value\":12.5}", "pojo:ACME=12.5", "raw:text", "context:default:true"));
    }

    @Test
    void binaryFrameReachesBinaryAndBothFrameListenersOnly() {
        server.sendToAll("bin".getBytes(StandardCharsets.UTF_8));
        await().atMost(TIMEOUT)
            .untilAsserted(() -> assertThat(this.recorder.calls).containsExactlyInAnyOrder("bytes:bin", "buffer:bin",
                    "raw:binary"));
    }

    @Test
    void nonVoidReturnValueIsSentBack() {
        server.sendToAll("ping:42");
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(server.receivedTexts()).containsExactly("pong:42"));
        server.clearRecords();
        server.sendToAll("quote:ACME");
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(server.receivedTexts())
            .containsExactly("{\"symbol\":\"ACME\",\"value\":1.0}"));
    }

    @Test
    void messagesReachListenersInArrivalOrder() {
        List<String> sent = IntStream.range(0, 300).mapToObj((i) -> "seq-" + i).toList();
        sent.forEach(server::sendToAll);
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(this.recorder.ordered).containsExactlyElementsOf(sent));
    }

    @Test
    void throwingListenerIsReportedAndLaterMessagesStillArrive() {
        server.sendToAll("boom");
        server.sendToAll("after");
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(this.recorder.callsOf("text")).contains("text:after"));
        // the POJO listener cannot take "boom" or "after" either: those are conversion failures
        assertThat(this.recorder.listenerErrors).filteredOn(WebSocketListenerIntegrationTests::thrownByListener)
            .singleElement()
            .isInstanceOfSatisfying(ListenerExecutionFailedException.class, (error) -> {
                assertThat(error).hasMessageContaining("ListenerRecorder.text(String)");
                assertThat(error).hasRootCauseMessage("listener failed on purpose");
            });
        assertThat(this.client.isConnected()).isTrue();
    }

    @Test
    void poisonPayloadIsReportedWithoutThePayloadAndLaterMessagesStillArrive() {
        server.sendToAll("{\"symbol\": secret-poison");
        server.sendToAll("{\"symbol\":\"OK\",\"value\":1.0}");
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(this.recorder.callsOf("pojo")).containsExactly(
                "pojo:OK=1.0"));
        assertThat(this.recorder.listenerErrors).singleElement()
            .isInstanceOfSatisfying(ListenerExecutionFailedException.class, (error) -> {
                assertThat(error.isConversionFailure()).isTrue();
                assertThat(error).hasMessageContaining("ListenerRecorder.pojo(Price)").hasNoCause();
                assertThat(error.getMessage()).doesNotContain("secret-poison");
            });
        assertThat(this.recorder.callsOf("text")).hasSize(2);
        assertThat(this.client.isConnected()).isTrue();
    }

    @Test
    void sendObjectWritesJson() {
        this.client.send(new ListenerRecorder.Price("XYZ", 3.0)).join();
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(server.receivedTexts())
            .containsExactly("{\"symbol\":\"XYZ\",\"value\":3.0}"));
    }

    private static boolean thrownByListener(Throwable error) {
        return error instanceof ListenerExecutionFailedException failure && !failure.isConversionFailure();
    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {

        @Bean
        ListenerRecorder listenerRecorder() {
            return new ListenerRecorder();
        }

        @Bean
        ReconnectingWebSocketClientCustomizer recordListenerErrors(ListenerRecorder recorder) {
            return (name, builder) -> builder.observer(recorder);
        }

    }

}
