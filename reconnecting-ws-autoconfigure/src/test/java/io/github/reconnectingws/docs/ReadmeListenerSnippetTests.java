package io.github.reconnectingws.docs;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.github.reconnectingws.test.MockWebSocketServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.io.DefaultResourceLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * README's listener snippets do what their text says, compiled from README.md and run
 * as written. The quick start's {@code Prices} subscribes on connect and prints the price
 * the feed sends; the acknowledgement of the subscription reaches no listener and is only
 * counted. The {@code Market} of "Listening to messages" takes prices, answers pings and
 * takes trades routed by type, and nothing of a multiplexed feed is a listener error.
 */
@ExtendWith(OutputCaptureExtension.class)
class ReadmeListenerSnippetTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    /** One feed per test: each scripts its own. */
    @RegisterExtension
    final MockWebSocketServer feed = MockWebSocketServer.create();

    @TempDir
    Path classes;

    @Test
    void theQuickStartPrintsThePriceAndOnlyCountsTheAcknowledgement(CapturedOutput output) throws Exception {
        Class<?> prices = component("Prices");
        String subscribe = "{\"op\":\"subscribe\",\"symbols\":[\"ACME\"]}";
        // the feed acknowledges by echoing the request, as many do, then publishes
        this.feed.reply(subscribe, subscribe, "{\"type\":\"price\",\"symbol\":\"ACME\",\"price\":12.5}");
        try (ConfigurableApplicationContext context = run(prices, "reconnecting.websocket.url=" + this.feed.url())) {
            await().atMost(TIMEOUT).until(() -> output.getOut().contains("Price[symbol=ACME, price=12.5]"));
            MeterRegistry meters = context.getBean(MeterRegistry.class);
            await().atMost(TIMEOUT).until(() -> count(meters, "reconnecting.websocket.messages.unhandled") == 1);
            assertThat(count(meters, "reconnecting.websocket.listener.errors")).isZero();
        }
        assertThat(output.getAll()).doesNotContain(" WARN ").doesNotContain(" ERROR ");
    }

    @Test
    void theMarketOfListeningToMessagesTakesEachMessageTypeAtItsListener(CapturedOutput output) throws Exception {
        Class<?> market = component("Market");
        this.feed.sendOnOpen("{\"type\":\"price\",\"symbol\":\"ACME\",\"price\":12.5}", "{\"type\":\"ping\",\"id\":7}",
                "{\"e\":\"trade\",\"symbol\":\"ACME\",\"price\":12.5,\"size\":3}",
                "{\"e\":\"quote\",\"symbol\":\"ACME\",\"bid\":12.4,\"ask\":12.6}");
        try (ConfigurableApplicationContext context = run(market, "reconnecting.websocket.url=" + this.feed.url(),
                "reconnecting.websocket.connections.trades.url=" + this.feed.url())) {
            // the ping is answered: onPing took it, and nothing else did
            assertThat(this.feed.awaitReceived((text) -> text.contains("\"pong\""), TIMEOUT))
                .isEqualTo("{\"type\":\"pong\",\"id\":7}");
            MeterRegistry meters = context.getBean(MeterRegistry.class);
            // default connection: the trade and the quote are no price or ping; on "trades", onText takes all four
            await().atMost(TIMEOUT).until(() -> count(meters, "reconnecting.websocket.messages.unhandled") == 2);
            assertThat(count(meters, "reconnecting.websocket.listener.errors")).isZero();
        }
        assertThat(output.getAll()).doesNotContain(" WARN ").doesNotContain(" ERROR ");
    }

    /** The component class of README's Java snippet that declares it, compiled and loaded. */
    private Class<?> component(String name) throws Exception {
        Map.Entry<Integer, String> snippet = ReadmeTests.blocks("java")
            .entrySet()
            .stream()
            .filter((block) -> block.getValue().contains("class " + name + " {"))
            .findFirst()
            .orElseThrow();
        return SnippetCompiler.load("README.md line " + snippet.getKey(), snippet.getValue(), this.classes)
            .loadClass(name);
    }

    @SuppressWarnings({ "unchecked", "rawtypes" })
    private static ConfigurableApplicationContext run(Class component, String... properties) {
        return new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
            .resourceLoader(new DefaultResourceLoader(component.getClassLoader()))
            .initializers((initialized) -> ((GenericApplicationContext) initialized).registerBean(component))
            .properties(properties)
            .run();
    }

    private static double count(MeterRegistry meters, String name) {
        return meters.find(name).counters().stream().mapToDouble(Counter::count).sum();
    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {

    }

}
