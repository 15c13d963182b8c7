package io.github.reconnectingws.aot;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.reconnectingws.ReconnectingWebSocketClient;
import io.github.reconnectingws.WebSocketListener;
import io.github.reconnectingws.autoconfigure.ReconnectingWebSocketAutoConfiguration;
import io.github.reconnectingws.autoconfigure.ReconnectingWebSocketProperties;
import io.github.reconnectingws.test.MockWebSocketServer;
import org.apache.catalina.webresources.TomcatURLStreamHandlerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.aot.generate.GeneratedFiles.Kind;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.aot.test.generate.TestGenerationContext;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.test.tools.CompileWithForkedClassLoader;
import org.springframework.core.test.tools.TestCompiler;
import org.springframework.javapoet.ClassName;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An application with the starter, processed ahead of time in the test: the generated
 * code is compiled and run in a fresh context (as with {@code -Dspring.aot.enabled=true}),
 * which connects to a real server and delivers its JSON to a POJO listener.
 */
@CompileWithForkedClassLoader
class AotProcessedApplicationTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private MockWebSocketServer server;

    @BeforeEach
    void startServer() {
        // this class runs in a forked class loader (so that the generated code may use
        // package-private types) with its own copy of Tomcat: the JVM-wide URL stream
        // handler factory may already be the one of the Tomcat of the parent loader
        TomcatURLStreamHandlerFactory.disable();
        this.server = MockWebSocketServer.create().start();
    }

    @AfterEach
    void stopServer() {
        if (this.server != null) {
            this.server.close();
        }
    }

    @Test
    void aotProcessedApplicationConnectsAndDeliversJsonToPojoListener() throws IOException {
        TestGenerationContext generationContext = new TestGenerationContext();
        ClassName initializerName;
        try (AnnotationConfigApplicationContext buildTime = new AnnotationConfigApplicationContext()) {
            properties().applyTo(buildTime);
            buildTime.register(App.class);
            initializerName = new ApplicationContextAotGenerator().processAheadOfTime(buildTime, generationContext);
        }
        generationContext.writeGeneratedContent();
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(QuoteListener.class, "onQuote"))
            .accepts(generationContext.getRuntimeHints());
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Quote.class, "symbol"))
            .accepts(generationContext.getRuntimeHints());
        // the registrar's client definition became a direct call on the factory bean
        assertThat(generationContext.getGeneratedFiles()
            .getGeneratedFileContent(Kind.SOURCE,
                    "io/github/reconnectingws/autoconfigure/ReconnectingWebSocketClientFactory__BeanDefinitions.java"))
            .contains(".createClient(args.get(0))");
        TestCompiler.forSystem().with(generationContext).compile((compiled) -> {
            try (GenericApplicationContext runtime = new GenericApplicationContext()) {
                properties().applyTo(runtime);
                @SuppressWarnings("unchecked")
                ApplicationContextInitializer<GenericApplicationContext> initializer = compiled
                    .getInstance(ApplicationContextInitializer.class, initializerName.toString());
                initializer.initialize(runtime);
                runtime.refresh();

                // configuration properties were bound in the AOT-processed context
                assertThat(runtime.getBean(ReconnectingWebSocketProperties.class).getUrl())
                    .isEqualTo(this.server.uri().toString());
                ReconnectingWebSocketClient client = runtime.getBean(ReconnectingWebSocketClient.class);
                await().atMost(TIMEOUT).until(client::isConnected);
                this.server.awaitConnections(1);

                this.server.sendToAll("{\"symbol\":\"ACME\",\"value\":12.5}");
                QuoteListener listener = runtime.getBean(QuoteListener.class);
                await().atMost(TIMEOUT)
                    .untilAsserted(() -> assertThat(listener.quotes).containsExactly(new Quote("ACME", 12.5)));
            }
        });
    }

    private TestPropertyValues properties() {
        return TestPropertyValues.of("reconnecting.websocket.url=" + this.server.uri());
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(ReconnectingWebSocketAutoConfiguration.class)
    static class App {

        @Bean
        QuoteListener quoteListener() {
            return new QuoteListener();
        }

    }

    record Quote(String symbol, double value) {
    }

    static class QuoteListener {

        final List<Quote> quotes = new CopyOnWriteArrayList<>();

        @WebSocketListener
        void onQuote(Quote quote) {
            this.quotes.add(quote);
        }

    }

}
