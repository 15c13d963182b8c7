package io.github.reconnectingws.sample;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample application as users run it in Spring AOT mode: processed ahead of time by
 * {@code spring-boot:process-aot} in this module's build, then started in a child JVM
 * with {@code -Dspring.aot.enabled=true} on the runtime classpath. Every connection must
 * come up and prices must reach {@code PriceBoard}'s {@code @WebSocketListener}, which
 * takes the {@code Price} record. The application's output is in
 * {@code target/sample-aot-mode.log}.
 */
class SampleAotModeIT {

    private Process process;

    private Path output;

    @AfterEach
    void stop() throws InterruptedException {
        if (this.process != null) {
            this.process.destroy();
            if (!this.process.waitFor(20, TimeUnit.SECONDS)) {
                this.process.destroyForcibly();
                this.process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void runsAotProcessedConnectsAndDeliversToListeners() throws Exception {
        Path classes = Paths.get(System.getProperty("sample.classes", "target/classes"));
        Path classpathFile = Paths.get(System.getProperty("sample.classpath-file", "target/classpath.txt"));
        assertThat(classes.resolve("io/github/reconnectingws/sample/SampleApplication__ApplicationContextInitializer.class"))
            .as("spring-boot:process-aot output in " + classes)
            .isRegularFile();
        assertThat(classpathFile).isRegularFile();
        String classpath = classes + File.pathSeparator + Files.readString(classpathFile).strip();

        int port = freePort();
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        // the build's options for short-lived test JVMs
        for (String option : System.getProperty("test.jvm-options", "").split("\\s+")) {
            if (!option.isEmpty()) {
                command.add(option);
            }
        }
        command.add("-Dspring.aot.enabled=true");
        command.add("-cp");
        command.add(classpath);
        command.add("io.github.reconnectingws.sample.SampleApplication");
        command.add("--server.port=" + port);
        command.add("--server.address=127.0.0.1");
        command.add("--sample.feed.tick-interval=50ms");
        this.output = classes.resolveSibling("sample-aot-mode.log");
        this.process = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(this.output.toFile())
            .start();

        SampleHttp http = new SampleHttp(port);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).ignoreExceptions().untilAsserted(() -> {
            assertThat(this.process.isAlive()).as("the application exited:%n%s", log()).isTrue();
            JsonNode status = http.get("/api/status");
            JsonNode connections = status.path("connections");
            assertThat(connections).hasSize(3);
            List<String> states = new ArrayList<>();
            connections.forEach((connection) -> states.add(connection.path("name").asString() + "="
                    + connection.path("state").asString()));
            assertThat(states).containsExactlyInAnyOrder("default=CONNECTED", "echo=CONNECTED", "news=CONNECTED");
            assertThat(status.path("pricesReceived").asLong()).isPositive();
            JsonNode acme = status.path("prices").path("ACME");
            assertThat(acme.path("symbol").asString()).isEqualTo("ACME");
            assertThat(acme.path("price").isNumber()).as("prices.ACME.price: %s", acme).isTrue();
            assertThat(acme.path("price").decimalValue()).isPositive();
        });

        String log = log();
        assertThat(log).contains("Starting AOT-processed SampleApplication");
        assertThat(log).doesNotContain("APPLICATION FAILED TO START");
        assertThat(log.lines().filter((line) -> line.contains(" ERROR ") || line.contains("Exception")))
            .as("errors in the application's output:%n%s", log)
            .isEmpty();
    }

    private String log() throws IOException {
        return Files.readString(this.output);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

}
