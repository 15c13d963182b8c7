package io.github.reconnectingws.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.reconnectingws.HandshakeRejectedException;
import io.github.reconnectingws.ReconnectingWebSocketClient;
import io.github.reconnectingws.WebSocketListener;
import io.github.reconnectingws.test.MockWebSocketServer;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.exporter.FinishedSpan;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.test.simple.SimpleSpan;
import io.micrometer.tracing.test.simple.SimpleTracer;
import io.micrometer.tracing.test.simple.SpansAssert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The observations of connect attempts and listener invocations as spans: an
 * {@link ObservationRegistry} with a {@link DefaultTracingObservationHandler} over
 * micrometer-tracing-test's {@link SimpleTracer}, the real auto-configuration and a real
 * WebSocket server. Span tags must stay low-cardinality: no URL, query secret or payload.
 */
class ReconnectingWebSocketObservationTracingTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private static final String SECRET = "s3cr3t-token";

    private static final String PAYLOAD_SECRET = "payload-only-9f2c";

    private static final String LISTENER = "ReconnectingWebSocketObservationTracingTests.Listener.onText";

    private static final Set<String> LOW_CARDINALITY_KEYS = Set.of("connection", "outcome", "listener");

    private final MockWebSocketServer server = MockWebSocketServer.create().start();

    private final SimpleTracer tracer = new SimpleTracer();

    private final ObservationRegistry registry = ObservationRegistry.create();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ReconnectingWebSocketObservationAutoConfiguration.class,
                ReconnectingWebSocketAutoConfiguration.class, SslAutoConfiguration.class,
                PropertyPlaceholderAutoConfiguration.class))
        // a secret in the URL's query must not end up in any span
        .withPropertyValues("reconnecting.websocket.url=" + this.server.uri() + "?access_token=" + SECRET)
        .withBean(ObservationRegistry.class, () -> this.registry)
        .withBean(Listener.class);

    ReconnectingWebSocketObservationTracingTests() {
        this.registry.observationConfig().observationHandler(new DefaultTracingObservationHandler(this.tracer));
    }

    @AfterEach
    void stopServer() {
        this.server.close();
    }

    @Test
    void connectAttemptAndEveryListenerInvocationAreFinishedSpansWithLowCardinalityTags() {
        this.runner.run((context) -> {
            ReconnectingWebSocketClient client = context.getBean(ReconnectingWebSocketClient.class);
            await().atMost(TIMEOUT).until(client::isConnected);
            this.server.awaitConnections(1);
            assertThat(this.server.connections().get(0).handshake().query()).contains(SECRET);
            this.server.sendToAll("hello " + PAYLOAD_SECRET);
            this.server.sendToAll("second " + PAYLOAD_SECRET);
            this.server.sendToAll("boom");
            await().atMost(TIMEOUT).until(() -> context.getBean(Listener.class).calls == 3);
            // one listener span per delivered message, and the successful attempt's span
            await().atMost(TIMEOUT).untilAsserted(() -> SpansAssert.assertThat(finishedSpans())
                .hasNumberOfSpansWithNameEqualTo("reconnecting.websocket.listener", 3)
                .hasASpanWithATag("outcome", "success"));
            SpansAssert.assertThat(finishedSpans())
                .forAllSpansWithNameEqualTo("reconnecting.websocket.connect",
                        (span) -> span.hasTag("connection", "default").hasTagWithKey("outcome").isEnded())
                .filteredOn((span) -> "success".equals(span.getTags().get("outcome")))
                .singleElement()
                .satisfies((span) -> assertThat(span.getName()).isEqualTo("reconnecting.websocket.connect"));
            SpansAssert.assertThat(finishedSpans())
                .forAllSpansWithNameEqualTo("reconnecting.websocket.listener",
                        (span) -> span.hasTag("connection", "default").hasTag("listener", LISTENER).isEnded());
            // the listener's exception is the error of its span, and of that span only
            assertThat(finishedSpans()).filteredOn((span) -> span.getError() != null)
                .singleElement()
                .satisfies((span) -> {
                    assertThat(span.getName()).isEqualTo("reconnecting.websocket.listener");
                    assertThat(span.getError()).isInstanceOf(IllegalStateException.class).hasMessage("boom");
                });
            assertLowCardinalityTagsOnly();
        });
    }

    @Test
    void aRejectedHandshakeIsAFinishedConnectSpanWithOutcomeFailure() {
        this.server.rejectHandshakes(503);
        this.runner.run((context) -> {
            await().atMost(TIMEOUT).untilAsserted(() -> SpansAssert.assertThat(finishedSpans())
                .assertThatASpanWithNameEqualTo("reconnecting.websocket.connect")
                .hasTag("connection", "default")
                .hasTag("outcome", "failure")
                .isEnded());
            assertThat(context.getBean(ReconnectingWebSocketClient.class).isConnected()).isFalse();
            assertThat(finishedSpans()).noneMatch((span) -> "success".equals(span.getTags().get("outcome")));
            // the cause is the span's error, masked like everything the client hands out
            assertThat(finishedSpans()).filteredOn((span) -> "failure".equals(span.getTags().get("outcome")))
                .allSatisfy((span) -> assertThat(span.getError()).isInstanceOf(HandshakeRejectedException.class)
                    .satisfies((error) -> assertThat(error.getMessage()).contains("503").doesNotContain(SECRET)));
            assertLowCardinalityTagsOnly();
        });
    }

    private List<FinishedSpan> finishedSpans() {
        return this.tracer.getSpans()
            .stream()
            .filter((span) -> span.getEndTimestamp().toEpochMilli() != 0)
            .map(FinishedSpan.class::cast)
            .toList();
    }

    /** Every span of this tracer, finished or not, has only the documented keys. */
    private void assertLowCardinalityTagsOnly() {
        assertThat(this.tracer.getSpans()).isNotEmpty().allSatisfy((SimpleSpan span) -> {
            Map<String, String> tags = span.getTags();
            assertThat(LOW_CARDINALITY_KEYS).containsAll(tags.keySet());
            assertThat(tags.values()).allSatisfy((value) -> assertThat(value).doesNotContain(SECRET)
                .doesNotContain(PAYLOAD_SECRET)
                .doesNotContain("boom")
                .doesNotContain("127.0.0.1")
                .doesNotContain("ws://"));
        });
    }

    static class Listener {

        volatile int calls;

        @WebSocketListener
        void onText(String text) {
            this.calls++;
            if ("boom".equals(text)) {
                throw new IllegalStateException("boom");
            }
        }

    }

}
