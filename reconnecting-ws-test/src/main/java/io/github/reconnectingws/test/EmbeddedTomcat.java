package io.github.reconnectingws.test;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerContainer;

import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardServer;
import org.apache.catalina.startup.Tomcat;
import org.apache.coyote.http11.Http11NioProtocol;
import org.apache.tomcat.websocket.server.WsSci;

/**
 * Tomcat on a random port of {@code 127.0.0.1}, behind the {@link FaultFront}, serving one
 * {@link MockEndpoint}. It runs from start to {@link #close()}: outages are the front's job.
 */
final class EmbeddedTomcat implements AutoCloseable {

    private static final String LOOPBACK = "127.0.0.1";

    /** Held strongly: JUL references loggers weakly, and a collected logger forgets its level. */
    private static final List<Logger> QUIETED_LOGGERS = quietTomcatLogging();

    private final Tomcat tomcat;

    private final Path baseDir;

    private final int port;

    EmbeddedTomcat(MockEndpoint endpoint, String path, int maxMessageBytes) {
        try {
            this.baseDir = Files.createTempDirectory("mock-websocket-server");
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        Tomcat server = new OwnDirectoryTomcat();
        server.setBaseDir(this.baseDir.toString());
        // Tomcat's utility threads are not daemons by default; they must not keep a JVM alive
        ((StandardServer) server.getServer()).setUtilityThreadsAsDaemon(true);
        Connector connector = new Connector(Http11NioProtocol.class.getName());
        connector.setPort(0);
        connector.setProperty("address", LOOPBACK);
        server.getService().addConnector(connector);
        server.setConnector(connector);
        Context context = server.addContext("", this.baseDir.toString());
        context.setParentClassLoader(EmbeddedTomcat.class.getClassLoader());
        // filters only run for requests mapped to a servlet, so map one to everything
        Tomcat.addServlet(context, "notFound", new NotFoundServlet());
        context.addServletMappingDecoded("/", "notFound");
        context.addServletContainerInitializer(new WsSci(), null);
        context.addServletContainerInitializer((classes, servletContext) -> deploy(servletContext, endpoint,
                path, maxMessageBytes), null);
        try {
            server.start();
        }
        catch (LifecycleException ex) {
            stopQuietly(server);
            deleteRecursively(this.baseDir);
            throw new IllegalStateException("Cannot start Tomcat", ex);
        }
        // Tomcat logs a failed bind instead of throwing it
        if (connector.getState() != LifecycleState.STARTED) {
            stopQuietly(server);
            deleteRecursively(this.baseDir);
            throw new IllegalStateException("Cannot bind a port of " + LOOPBACK);
        }
        this.tomcat = server;
        this.port = connector.getLocalPort();
    }

    int port() {
        return this.port;
    }

    @Override
    public void close() {
        stopQuietly(this.tomcat);
        deleteRecursively(this.baseDir);
    }

    /** Runs after {@link WsSci}, which has created the {@link ServerContainer} by then. */
    private static void deploy(ServletContext servletContext, MockEndpoint endpoint, String path,
            int maxMessageBytes)
            throws ServletException {
        ServerContainer container = (ServerContainer) servletContext.getAttribute(ServerContainer.class.getName());
        container.setDefaultMaxTextMessageBufferSize(maxMessageBytes);
        container.setDefaultMaxBinaryMessageBufferSize(maxMessageBytes);
        try {
            container.addEndpoint(endpoint.config(path));
        }
        catch (DeploymentException ex) {
            throw new ServletException(ex);
        }
        // isMatchAfter=false puts the gate before Tomcat's WsFilter, which performs the upgrade
        servletContext.addFilter("handshakeGate", endpoint.gate()).addMappingForUrlPatterns(null, false, "/*");
    }

    /** Keeps Tomcat's start and stop INFO lines out of the test output. */
    private static List<Logger> quietTomcatLogging() {
        Map<String, Level> levels = Map.of("org.apache.catalina", Level.WARNING, "org.apache.coyote", Level.WARNING,
                "org.apache.tomcat.util", Level.WARNING, "org.apache.catalina.loader", Level.SEVERE);
        return levels.entrySet().stream().map((entry) -> {
            Logger logger = Logger.getLogger(entry.getKey());
            logger.setLevel(entry.getValue());
            return logger;
        }).toList();
    }

    private static void stopQuietly(Tomcat server) {
        try {
            server.stop();
            server.destroy();
        }
        catch (LifecycleException ex) {
            // closing: nothing useful to do
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
        }
        catch (IOException ex) {
            // best effort: a temporary directory
        }
    }

    /**
     * Tomcat with its base directory as its home too, and without the JVM-wide
     * {@code catalina.base} and {@code catalina.home} that {@link Tomcat} sets: the first
     * server of a JVM would otherwise become the home of every later Tomcat in it (the
     * application's own included), which creates that directory again after it was deleted.
     */
    private static final class OwnDirectoryTomcat extends Tomcat {

        @Override
        protected void initBaseDir() {
            File dir = new File(this.basedir);
            this.server.setCatalinaBase(dir);
            this.server.setCatalinaHome(dir);
        }

    }

    /** Answers every request that is not an upgrade with 404. */
    private static final class NotFoundServlet extends HttpServlet {

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
        }

    }

}
