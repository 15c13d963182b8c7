package io.github.reconnectingws.quickstart;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;

import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.core.StandardServer;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.websocket.server.WsSci;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.github.reconnectingws.quickstart.ThrowawayProjects.describe;
import static io.github.reconnectingws.quickstart.ThrowawayProjects.newProject;
import static io.github.reconnectingws.quickstart.ThrowawayProjects.pom;
import static io.github.reconnectingws.quickstart.ThrowawayProjects.property;
import static io.github.reconnectingws.quickstart.ThrowawayProjects.runWrapper;
import static io.github.reconnectingws.quickstart.ThrowawayProjects.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Does the README's quick start work? Takes the dependency snippet from the "Quick start"
 * section as it is, puts it into a new Spring Boot application, and builds and tests that
 * application with the Maven wrapper, offline, against the starter this build packaged
 * (installed into {@code target/local-repo} before this test runs; everything else comes
 * from the ordinary local repository). The application's test connects to a WebSocket
 * server started here and waits for the message it sends.
 */
class QuickStartIT {

    private static final String MESSAGE = "hello from the quick-start feed";

    private static final String MARKER = "QUICKSTART-OK";

    /** Tomcat's start and stop lines; held strongly, JUL forgets the level of a collected logger. */
    private static final Logger TOMCAT_LOGGER = quiet(Logger.getLogger("org.apache"));

    @TempDir
    Path serverDir;

    @Test
    void readmeDependencySnippetBuildsAnApplicationThatReceivesMessages() throws Exception {
        String snippet = quickStartSnippet(Path.of(property("quickstart.readme")));
        Path project = Path.of(property("quickstart.project"));
        Path repository = Path.of(property("quickstart.repository"));
        Path log = project.resolve("build.log");

        try (FeedServer server = FeedServer.start(this.serverDir)) {
            writeProject(project, snippet, "ws://127.0.0.1:" + server.port() + "/feed");
            int exitCode = runWrapper(project, repository, log, "The quick-start application's build");
            String output = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(exitCode)
                .withFailMessage("The quick-start application's build failed (exit code %d). %s",
                        exitCode, describe(project, log, output))
                .isZero();

            Optional<String> marker = output.lines().filter((line) -> line.startsWith(MARKER)).findFirst();
            assertThat(marker)
                .withFailMessage("The build passed but never printed %s. %s", MARKER, describe(project, log, output))
                .isPresent();

            // The starter on the application's class path is the jar this build packaged,
            // taken from the isolated repository (not one installed into ~/.m2 earlier).
            Path used = Path.of(URI.create(marker.get().substring(MARKER.length()).trim()));
            String version = property("quickstart.version");
            Path installed = repository
                .resolve("io/github/reconnectingws/reconnecting-ws-starter/" + version)
                .resolve("reconnecting-ws-starter-" + version + ".jar");
            Path packaged = Path.of(property("quickstart.starter.jar"));
            assertThat(used.toRealPath()).isEqualTo(installed.toRealPath());
            assertThat(packaged).as("the starter jar packaged by this build").isRegularFile();
            assertThat(Files.mismatch(installed, packaged))
                .as("%s differs from %s", installed, packaged)
                .isEqualTo(-1L);
        }
    }

    /** The first {@code ```xml} block of the README's "## Quick start" section. */
    static String quickStartSnippet(Path readme) throws IOException {
        String text = Files.readString(readme, StandardCharsets.UTF_8).replace("\r\n", "\n");
        Matcher section = Pattern.compile("(?ms)^## Quick start\\s*$(.*?)(?=^## |\\z)").matcher(text);
        if (!section.find()) {
            fail("No \"## Quick start\" section in " + readme);
        }
        Matcher block = Pattern.compile("(?ms)^```xml\\s*$(.*?)^```").matcher(section.group(1));
        if (!block.find()) {
            fail("No ```xml block in the \"## Quick start\" section of " + readme);
        }
        String snippet = block.group(1).strip();
        assertThat(snippet)
            .withFailMessage("The first ```xml block of the quick start is not the starter dependency:%n%s", snippet)
            .contains("<artifactId>reconnecting-ws-starter</artifactId>");
        return snippet;
    }

    private static void writeProject(Path project, String snippet, String url) throws IOException {
        newProject(project);
        write(project.resolve("pom.xml"), pom("quickstart", snippet));

        Path main = project.resolve("src/main/java/com/example/quickstart");
        write(main.resolve("QuickstartApplication.java"), """
                package com.example.quickstart;

                import org.springframework.boot.SpringApplication;
                import org.springframework.boot.autoconfigure.SpringBootApplication;

                @SpringBootApplication
                public class QuickstartApplication {

                    public static void main(String[] args) {
                        SpringApplication.run(QuickstartApplication.class, args);
                    }

                }
                """);
        write(main.resolve("Feed.java"), """
                package com.example.quickstart;

                import java.util.concurrent.CompletableFuture;

                import io.github.reconnectingws.WebSocketListener;

                import org.springframework.stereotype.Component;

                @Component
                public class Feed {

                    private final CompletableFuture<String> first = new CompletableFuture<>();

                    @WebSocketListener
                    void onMessage(String text) {
                        this.first.complete(text);
                    }

                    public CompletableFuture<String> first() {
                        return this.first;
                    }

                }
                """);
        write(project.resolve("src/main/resources/application.properties"),
                "reconnecting.websocket.url=" + url + "\n");
        write(project.resolve("src/test/java/com/example/quickstart/QuickstartApplicationTests.java"), """
                package com.example.quickstart;

                import java.net.URL;
                import java.util.Collections;
                import java.util.List;
                import java.util.concurrent.TimeUnit;

                import org.junit.jupiter.api.Test;

                import org.springframework.beans.factory.annotation.Autowired;
                import org.springframework.boot.test.context.SpringBootTest;

                import static org.assertj.core.api.Assertions.assertThat;

                @SpringBootTest
                class QuickstartApplicationTests {

                    @Autowired
                    Feed feed;

                    @Test
                    void receivesTheFeed() throws Exception {
                        assertThat(this.feed.first().get(60, TimeUnit.SECONDS)).isEqualTo("%s");
                        List<String> starters = Collections.list(getClass().getClassLoader()
                                .getResources("META-INF/MANIFEST.MF")).stream()
                            .map(URL::toString)
                            .filter((url) -> url.contains("/reconnecting-ws-starter-"))
                            .toList();
                        assertThat(starters).as("reconnecting-ws-starter jars on the class path").hasSize(1);
                        String jar = starters.get(0);
                        System.out.println("%s " + jar.substring("jar:".length(), jar.indexOf("!/")));
                    }

                }
                """.formatted(MESSAGE, MARKER));
    }

    private static Logger quiet(Logger logger) {
        logger.setLevel(Level.WARNING);
        return logger;
    }

    /** An embedded Tomcat on 127.0.0.1 whose endpoint at /feed sends {@link #MESSAGE} to every client. */
    private static final class FeedServer implements AutoCloseable {

        private final Tomcat tomcat;

        private final int port;

        private FeedServer(Tomcat tomcat, int port) {
            this.tomcat = tomcat;
            this.port = port;
        }

        static FeedServer start(Path baseDir) throws LifecycleException {
            Tomcat tomcat = new Tomcat();
            tomcat.setBaseDir(baseDir.toString());
            ((StandardServer) tomcat.getServer()).setUtilityThreadsAsDaemon(true);
            Connector connector = new Connector();
            connector.setPort(0);
            connector.setProperty("address", "127.0.0.1");
            tomcat.getService().addConnector(connector);
            tomcat.setConnector(connector);
            Context context = tomcat.addContext("", baseDir.toString());
            // Leak checks that need --add-opens and only warn about it when Tomcat stops.
            ((StandardContext) context).setClearReferencesThreadLocals(false);
            ((StandardContext) context).setClearReferencesRmiTargets(false);
            // WsFilter, which does the upgrade, only runs for requests mapped to a servlet.
            Tomcat.addServlet(context, "notFound", new NotFoundServlet());
            context.addServletMappingDecoded("/", "notFound");
            context.addServletContainerInitializer(new WsSci(), null);
            context.addServletContainerInitializer((classes, servletContext) -> {
                ServerContainer container = (ServerContainer) servletContext
                    .getAttribute(ServerContainer.class.getName());
                try {
                    container.addEndpoint(ServerEndpointConfig.Builder.create(FeedEndpoint.class, "/feed").build());
                }
                catch (DeploymentException ex) {
                    throw new ServletException(ex);
                }
            }, null);
            tomcat.start();
            int port = connector.getLocalPort();
            if (port <= 0) {
                tomcat.stop();
                tomcat.destroy();
                throw new IllegalStateException("Tomcat did not bind 127.0.0.1");
            }
            return new FeedServer(tomcat, port);
        }

        int port() {
            return this.port;
        }

        @Override
        public void close() throws LifecycleException {
            this.tomcat.stop();
            this.tomcat.destroy();
        }

    }

    public static final class FeedEndpoint extends Endpoint {

        @Override
        public void onOpen(Session session, EndpointConfig config) {
            session.getAsyncRemote().sendText(MESSAGE);
        }

    }

    private static final class NotFoundServlet extends HttpServlet {

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
        }

    }

}
