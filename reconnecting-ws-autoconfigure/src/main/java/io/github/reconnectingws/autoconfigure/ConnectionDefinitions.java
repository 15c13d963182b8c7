package io.github.reconnectingws.autoconfigure;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.reconnectingws.ConnectionSettings;
import io.github.reconnectingws.InvalidConnectionSettingException;
import io.github.reconnectingws.ReconnectingWebSocketClient;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.ssl.SslBundles;

/**
 * The configured connections by name, default connection first, each validated once at
 * startup. A named connection is bound onto a copy of the top level, so it inherits every
 * setting it leaves unset without a merge written per setting; only its headers replace
 * the inherited ones as a whole, so that a token meant for one feed is not sent to
 * another.
 * <p>
 * Credentials stay with their origin: when a top-level {@code url} is set, the top-level
 * headers and STOMP login and passcode are inherited only by named connections of the same
 * origin (scheme, host, port). Without a top-level {@code url} the top level holds defaults
 * of every connection, and they are inherited by all. Proxy settings are inherited as a
 * whole, whatever the feed: they go to the proxy.
 */
final class ConnectionDefinitions {

    private static final Log logger = LogFactory.getLog(ConnectionDefinitions.class);

    static final String PREFIX = ReconnectingWebSocketProperties.PREFIX;

    private final Map<String, ConnectionProperties> connections;

    ConnectionDefinitions(ReconnectingWebSocketProperties properties, Binder binder, @Nullable SslBundles sslBundles) {
        Map<String, ConnectionProperties> connections = new LinkedHashMap<>();
        ConnectionProperties top = topLevel(binder);
        validate(top, PREFIX, sslBundles);
        if (top.getUrl() != null) {
            connections.put(ReconnectingWebSocketClient.DEFAULT_NAME, top);
        }
        for (String name : properties.getConnections().keySet()) {
            String prefix = PREFIX + ".connections." + name;
            if (ReconnectingWebSocketClient.DEFAULT_NAME.equals(name)) {
                throw new InvalidConnectionPropertyException(prefix, null,
                        "the name '" + name + "' is reserved for the top-level connection",
                        "any other connection name; configure the default connection with reconnecting.websocket.url");
            }
            ConnectionProperties named = binder.bindOrCreate(prefix, Bindable.ofInstance(topLevel(binder)));
            boolean ownHeaders = binder.bind(prefix + ".headers", Bindable.mapOf(String.class, String.class))
                .map((own) -> {
                    named.setHeaders(new LinkedHashMap<>(own));
                    return true;
                })
                .orElse(false);
            if (named.getUrl() == null) {
                throw new InvalidConnectionPropertyException(prefix + ".url", null,
                        "no URL for connection '" + name + "' (and none inherited from " + PREFIX + ".url)",
                        "a ws:// or wss:// URL with a host, e.g. wss://example.org/feed");
            }
            validate(named, prefix, sslBundles);
            if (top.getUrl() != null && !top.origin().equals(named.origin())) {
                keepCredentialsAtTheirOrigin(top, named, prefix, ownHeaders, binder);
            }
            connections.put(name, named);
        }
        this.connections = Collections.unmodifiableMap(connections);
    }

    /**
     * A named connection of another origin than the top-level URL: drop the credentials it
     * would inherit, and say so, naming the properties (never the values).
     */
    private static void keepCredentialsAtTheirOrigin(ConnectionProperties top, ConnectionProperties named,
            String prefix, boolean ownHeaders, Binder binder) {
        if (!ownHeaders && !named.getHeaders().isEmpty()) {
            logger.warn(prefix + ".url is another origin (" + named.origin() + ") than " + PREFIX + ".url ("
                    + top.origin() + "), so the top-level headers " + named.getHeaders().keySet()
                    + " are not sent to it; set " + prefix + ".headers to send headers to this connection");
            named.setHeaders(new LinkedHashMap<>());
        }
        ConnectionSettings.Stomp stomp = named.getStomp();
        boolean ownLogin = binder.bind(prefix + ".stomp.login", String.class).isBound();
        boolean ownPasscode = binder.bind(prefix + ".stomp.passcode", String.class).isBound();
        if ((!ownLogin && stomp.getLogin() != null) || (!ownPasscode && stomp.getPasscode() != null)) {
            logger.warn(prefix + ".url is another origin (" + named.origin() + ") than " + PREFIX + ".url ("
                    + top.origin() + "), so the top-level stomp.login and stomp.passcode are not sent to it; set "
                    + prefix + ".stomp.login and " + prefix + ".stomp.passcode for this connection");
            if (!ownLogin) {
                stomp.setLogin(null);
            }
            if (!ownPasscode) {
                stomp.setPasscode(null);
            }
        }
    }

    private static ConnectionProperties topLevel(Binder binder) {
        return binder.bindOrCreate(PREFIX, Bindable.ofInstance(new ConnectionProperties()));
    }

    /**
     * The checks of {@link io.github.reconnectingws.ConnectionSettings}, reported with the
     * full property name, plus the one that needs the application context.
     */
    private static void validate(ConnectionProperties properties, String prefix, @Nullable SslBundles sslBundles) {
        try {
            properties.validate();
        }
        catch (InvalidConnectionSettingException ex) {
            throw new InvalidConnectionPropertyException(prefix + "." + ex.getSetting(), ex.getValue(), ex.getReason(),
                    ex.getAcceptedValues());
        }
        ConnectionProperties.Cluster cluster = properties.getCluster();
        if (cluster.getHeartbeat().isNegative() || cluster.getHeartbeat().isZero()) {
            throw new InvalidConnectionPropertyException(prefix + ".cluster.heartbeat", cluster.getHeartbeat().toString(),
                    "must be positive", "a positive duration, e.g. 500ms");
        }
        if (cluster.getLockTtl().compareTo(cluster.getHeartbeat()) <= 0) {
            throw new InvalidConnectionPropertyException(prefix + ".cluster.lock-ttl", cluster.getLockTtl().toString(),
                    "must be longer than cluster.heartbeat (" + cluster.getHeartbeat() + "): the holder would lose "
                            + "its lock between two renewals",
                    "a duration several times cluster.heartbeat, e.g. 10s");
        }
        if (properties.getSslBundle() != null) {
            List<String> known = (sslBundles != null) ? sslBundles.getBundleNames() : List.of();
            if (!known.contains(properties.getSslBundle())) {
                throw new InvalidConnectionPropertyException(prefix + ".ssl-bundle", properties.getSslBundle(),
                        "no SSL bundle named '" + properties.getSslBundle() + "'",
                        known.isEmpty()
                                ? "the name of a bundle configured under spring.ssl.bundle (none is configured)"
                                : "one of the configured SSL bundles " + known);
            }
        }
    }

    /**
     * The connection names, default connection first.
     */
    Set<String> names() {
        return this.connections.keySet();
    }

    /**
     * The settings of a connection.
     */
    ConnectionProperties get(String name) {
        ConnectionProperties connection = this.connections.get(name);
        if (connection == null) {
            throw new IllegalArgumentException("No WebSocket connection named '" + name + "'");
        }
        return connection;
    }

}
