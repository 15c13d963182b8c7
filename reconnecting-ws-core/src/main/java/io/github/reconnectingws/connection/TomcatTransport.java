package io.github.reconnectingws.connection;

import java.net.URI;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;

import io.github.reconnectingws.ConnectionSettings;
import io.github.reconnectingws.HandshakeRedirectedException;
import io.github.reconnectingws.HandshakeRejectedException;
import io.github.reconnectingws.HandshakeRequest;
import io.github.reconnectingws.ProxyRejectedException;
import io.github.reconnectingws.ReconnectingWebSocketClient;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.core.task.support.TaskExecutorAdapter;
import org.springframework.web.socket.WebSocketExtension;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;

/**
 * The transport over Spring's {@link StandardWebSocketClient} on Tomcat's JSR-356 client,
 * and everything the engine needs to know about Tomcat:
 * <ul>
 * <li>the handshake timeout ({@code IO_TIMEOUT_MS}, a String) and the blocking-send
 * timeout ({@code BLOCKING_SEND_TIMEOUT}, a Long);</li>
 * <li>message buffers: Tomcat allocates them per connection, up front, at the largest
 * message size; this transport has it read with {@link #READ_BUFFER_SIZE} buffers at most
 * and assembles larger messages as they arrive ({@link MessageAssembler});</li>
 * <li>redirects: Tomcat follows them to any host with the same headers, so its limit is
 * 0 and this class follows same-origin redirects itself, when allowed;</li>
 * <li>the status of a rejected handshake, which Tomcat reports only in an exception
 * message, e.g. "The HTTP response from the server [403] did not permit the HTTP upgrade
 * to WebSocket", and the target of a refused redirect: "Cyclic Location header
 * [ws://host:port/path] detected / reached max number of redirects [1] of max [0]";</li>
 * <li>{@code Retry-After}, whose header Tomcat discards: after a 429 or 503 one probe
 * request reads it, at most once per endpoint per outage, shared by every connection to
 * the endpoint (see {@link RetryAfterProbes}); never through a proxy, where the probe
 * would go around it;</li>
 * <li>permessage-deflate: offered through the handshake's extensions; Tomcat inflates into
 * its read buffers, so an inflated message arrives in parts like any large one and is
 * held to the size limits by {@link MessageAssembler};</li>
 * <li>an HTTP proxy per connection: Tomcat asks only the JVM-wide {@code ProxySelector},
 * so connect tasks run through {@link ConnectProxySelector}, with the proxy's Basic
 * credentials sent up front in the {@code CONNECT} only; the proxy's status comes in an
 * exception message too, e.g. "Failed to connect to the configured Proxy [..]. The HTTP
 * response code was [407]".</li>
 * </ul>
 */
final class TomcatTransport implements Transport {

    private static final Log logger = LogFactory.getLog(ReconnectingWebSocketClient.class);

    /** Tomcat's handshake timeout user property; must be a String. */
    static final String IO_TIMEOUT_PROPERTY = "org.apache.tomcat.websocket.IO_TIMEOUT_MS";

    /** Tomcat's timeout for blocking sends, read from the session; must be a Long. */
    static final String BLOCKING_SEND_TIMEOUT_PROPERTY = "org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT";

    /** Tomcat's redirect limit; must be a String. */
    static final String MAX_REDIRECTIONS_PROPERTY = "org.apache.tomcat.websocket.MAX_REDIRECTIONS";

    /**
     * Tomcat's per-connection read buffers at most: larger messages arrive in parts and are
     * assembled, up to the configured message sizes.
     */
    static final int READ_BUFFER_SIZE = 8 * 1024;

    /** Most same-origin redirects followed within one attempt. */
    static final int MAX_REDIRECTS = 5;

    private static final Pattern STATUS_IN_MESSAGE = Pattern.compile("(?i)HTTP response.*?\\[(\\d{3})\\]");

    /** Tomcat's user property with the {@code Proxy-Authorization} value of the CONNECT request. */
    static final String PROXY_AUTHORIZATION_PROPERTY = "Proxy-Authorization";

    static final WebSocketExtension PERMESSAGE_DEFLATE = new WebSocketExtension("permessage-deflate");

    private static final Pattern PROXY_IN_MESSAGE = Pattern
        .compile("(?i)configured Proxy|\\[Proxy-Authorization\\]|\\[Proxy-Authenticate\\]");

    private static final Pattern REDIRECT_TARGET = Pattern.compile("Location header \\[([^\\]]+)\\]");

    private final String connectionName;

    private final StandardWebSocketClient client;

    private final boolean applicationClient;

    private final ConnectionSettings settings;

    private final @Nullable SSLContext sslContext;

    private final WebSocketClientResources resources;

    private final @Nullable URI proxy;

    /**
     * @param applicationClient the application's own client, used as it is (but for its
     * redirect limit, unless the application chose one), or {@code null} for one set up
     * from the settings
     */
    TomcatTransport(String connectionName, ConnectionSettings settings, @Nullable SSLContext sslContext,
            WebSocketClientResources resources, @Nullable StandardWebSocketClient applicationClient) {
        this.connectionName = connectionName;
        this.settings = settings;
        this.sslContext = sslContext;
        this.resources = resources;
        this.proxy = settings.proxy().uri();
        this.applicationClient = (applicationClient != null);
        if (applicationClient != null) {
            applicationClient.getUserProperties().putIfAbsent(MAX_REDIRECTIONS_PROPERTY, "0");
            this.client = applicationClient;
        }
        else {
            this.client = configuredClient();
        }
    }

    private StandardWebSocketClient configuredClient() {
        StandardWebSocketClient client = new StandardWebSocketClient(
                this.resources.container(Math.min(maxTextSize(), READ_BUFFER_SIZE),
                        Math.min(maxBinarySize(), READ_BUFFER_SIZE)));
        Executor connectThreads = (this.proxy != null)
                ? ConnectProxySelector.through(this.resources.connectExecutor(), this.proxy)
                : this.resources.connectExecutor();
        // redirects are followed within the origin only, so one origin is every handshake's
        client.setTaskExecutor(new TaskExecutorAdapter(
                this.resources.handshakesTo(Origin.of(this.settings.uri()), connectThreads)));
        Map<String, Object> properties = new HashMap<>();
        ConnectionSettings.Proxy proxy = this.settings.proxy();
        if (this.proxy != null && !proxy.username().isEmpty()) {
            String credentials = proxy.username() + ":" + proxy.password();
            properties.put(PROXY_AUTHORIZATION_PROPERTY,
                    "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        }
        properties.put(IO_TIMEOUT_PROPERTY, String.valueOf(this.settings.connectTimeout().toMillis()));
        properties.put(BLOCKING_SEND_TIMEOUT_PROPERTY, this.settings.outbound().sendTimeLimit().toMillis());
        properties.put(MAX_REDIRECTIONS_PROPERTY, "0");
        client.setUserProperties(properties);
        if (this.sslContext != null) {
            client.setSslContext(this.sslContext);
        }
        return client;
    }

    @Override
    public void release() {
        if (this.proxy != null && !this.applicationClient) {
            ConnectProxySelector.release();
        }
    }

    private int maxTextSize() {
        return Math.toIntExact(this.settings.maxTextMessageSize().toBytes());
    }

    private int maxBinarySize() {
        return Math.toIntExact(this.settings.maxBinaryMessageSize().toBytes());
    }

    @Override
    public CompletableFuture<WebSocketSession> connect(WebSocketHandler handler, HandshakeRequest request) {
        WebSocketHandler reading = this.applicationClient ? handler
                : new MessageAssembler(handler, maxTextSize(), maxBinarySize());
        if (this.settings.compression().enabled() && request.getHeaders().getSecWebSocketExtensions().isEmpty()) {
            request.getHeaders().setSecWebSocketExtensions(List.of(PERMESSAGE_DEFLATE));
        }
        return handshake(reading, request, request.getUri(), 0);
    }

    private CompletableFuture<WebSocketSession> handshake(WebSocketHandler handler, HandshakeRequest request, URI uri,
            int redirects) {
        CompletableFuture<WebSocketSession> handshake;
        try {
            handshake = this.client.execute(handler, request.getHeaders(), uri);
        }
        catch (Throwable ex) {
            return CompletableFuture.failedFuture(ex);
        }
        if (this.applicationClient) {
            // its own timeout setting is the application's: enforce ours on top
            handshake = withTimeout(handshake, this.settings.connectTimeout());
        }
        return handshake.handle((session, failure) -> {
            if (failure == null) {
                this.resources.retryAfterProbes().outageOver(uri);
                return CompletableFuture.completedFuture(session);
            }
            URI target = redirectTarget(failure);
            if (target != null) {
                return redirected(handler, request, uri, target, redirects);
            }
            int status = handshakeStatus(failure);
            if (status == -1 && isMissingCredentials(failure)) {
                // Tomcat met a challenge it has no user name for: the proxy's, when it has
                // none configured, else the feed's
                Throwable cause = FailureClassifier.unwrap(failure);
                return CompletableFuture.<WebSocketSession>failedFuture(
                        (this.proxy != null && this.settings.proxy().username().isEmpty())
                                ? new ProxyRejectedException(407, cause) : new HandshakeRejectedException(401, null, cause));
            }
            if (status == -1) {
                return CompletableFuture.<WebSocketSession>failedFuture(failure);
            }
            Throwable cause = FailureClassifier.unwrap(failure);
            if (deploymentMessage(failure, PROXY_IN_MESSAGE) != null) {
                return CompletableFuture.<WebSocketSession>failedFuture(new ProxyRejectedException(status, cause));
            }
            if (!FailureClassifier.mayCarryRetryAfter(status) || this.proxy != null) {
                return CompletableFuture.<WebSocketSession>failedFuture(new HandshakeRejectedException(status, null, cause));
            }
            return this.resources.retryAfterProbes()
                .retryAfter(uri, () -> RetryAfterProbe.probe(uri, request.getHeaders(), this.sslContext,
                        this.settings.connectTimeout()))
                .<WebSocketSession>thenCompose((retryAfter) -> CompletableFuture
                    .failedFuture(new HandshakeRejectedException(status, retryAfter.orElse(null), cause)));
        }).thenCompose((next) -> next);
    }

    /**
     * The server redirected the handshake. Follow it only when allowed, to the same
     * origin, a bounded number of times; otherwise fail without contacting the target.
     * Tomcat's message carries the full target (query included): it is not passed on.
     */
    private CompletableFuture<WebSocketSession> redirected(WebSocketHandler handler, HandshakeRequest request, URI from,
            URI target, int redirects) {
        Origin origin = Origin.of(target);
        String refusal;
        if (!this.settings.followRedirects()) {
            refusal = "follow-redirects is off";
        }
        else if (!origin.equals(Origin.of(from))) {
            refusal = "another origin than " + Origin.of(from) + " (credentials are never sent to another origin)";
        }
        else if (redirects >= MAX_REDIRECTS) {
            refusal = "more than " + MAX_REDIRECTS + " redirects";
        }
        else {
            logger.info("WebSocket '" + this.connectionName + "' following a redirect to " + SecretMasker.maskUri(target));
            return handshake(handler, request, target, redirects + 1);
        }
        return CompletableFuture.failedFuture(new HandshakeRedirectedException(
                "WebSocket handshake redirected (HTTP 3xx) to " + origin + ", not followed: " + refusal,
                origin.toString(), null));
    }

    private CompletableFuture<WebSocketSession> withTimeout(CompletableFuture<WebSocketSession> handshake,
            Duration timeout) {
        EngineTime.Timer timer = this.resources.time().schedule(timeout, () -> handshake.completeExceptionally(
                new TimeoutException("handshake did not complete within " + timeout.toMillis() + " ms")));
        handshake.whenComplete((session, failure) -> timer.cancel());
        return handshake;
    }

    /**
     * The HTTP status of a rejected handshake, from Tomcat's message.
     * @return the status, or -1 if the failure is not a rejected handshake
     */
    static int handshakeStatus(Throwable failure) {
        Matcher matcher = deploymentMessage(failure, STATUS_IN_MESSAGE);
        return (matcher != null) ? Integer.parseInt(matcher.group(1)) : -1;
    }

    /**
     * The target of a redirect that Tomcat did not follow.
     * @return the absolute target, or {@code null} if the failure is not such a redirect
     */
    static @Nullable URI redirectTarget(Throwable failure) {
        Matcher matcher = deploymentMessage(failure, REDIRECT_TARGET);
        if (matcher == null) {
            return null;
        }
        try {
            URI target = URI.create(matcher.group(1));
            return (target.isAbsolute() && target.getHost() != null) ? target : null;
        }
        catch (IllegalArgumentException ex) {
            return null;
        }
    }

    /** Whether Tomcat answered an authentication challenge without a user name to answer with. */
    private static boolean isMissingCredentials(Throwable failure) {
        for (Throwable current = failure; current != null; current = current.getCause()) {
            if (current instanceof org.apache.tomcat.websocket.AuthenticationException) {
                return true;
            }
            if (current.getCause() == current) {
                break;
            }
        }
        return false;
    }

    private static @Nullable Matcher deploymentMessage(Throwable failure, Pattern pattern) {
        for (Throwable current = failure; current != null; current = current.getCause()) {
            if (current instanceof jakarta.websocket.DeploymentException && current.getMessage() != null) {
                Matcher matcher = pattern.matcher(current.getMessage());
                if (matcher.find()) {
                    return matcher;
                }
            }
            if (current.getCause() == current) {
                break;
            }
        }
        return null;
    }

}
