package io.github.reconnectingws.autoconfigure;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

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
 * The configured connections by name, default connection first: the one place that knows
 * which connections there are, what each inherits, and where its properties live. The
 * registrar and the conditions ask it before any bean exists ({@link #bind}); the bean is
 * the checked definitions ({@link #load}). A named connection is bound onto a copy of the top level, so it inherits every
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

    /** Why credentials were not inherited, by property, said once at startup. */
    private final List<String> notInherited;

    /** Whether a named connection took the reserved name; reported by {@link #load}. */
    private final boolean reservedNameTaken;

    private ConnectionDefinitions(Map<String, ConnectionProperties> connections, List<String> notInherited,
            boolean reservedNameTaken) {
        this.connections = Collections.unmodifiableMap(connections);
        this.notInherited = List.copyOf(notInherited);
        this.reservedNameTaken = reservedNameTaken;
    }

    /**
     * The connections as configured, bound with their inheritance but not checked: what
     * the registrar and the conditions ask before any bean exists.
     * @param binder the binder of the environment
     * @return the definitions
     */
    static ConnectionDefinitions bind(Binder binder) {
        Map<String, ConnectionProperties> connections = new LinkedHashMap<>();
        List<String> notInherited = new ArrayList<>();
        boolean reservedNameTaken = false;
        ConnectionProperties top = topLevel(binder);
        if (top.getUrl() != null) {
            connections.put(ReconnectingWebSocketClient.DEFAULT_NAME, top);
        }
        for (String name : binder.bind(PREFIX + ".connections", Bindable.mapOf(String.class, Object.class))
            .orElseGet(Map::of)
            .keySet()) {
            if (ReconnectingWebSocketClient.DEFAULT_NAME.equals(name)) {
                reservedNameTaken = true;
                continue;
            }
            String prefix = prefix(name);
            ConnectionProperties named = binder.bindOrCreate(prefix, Bindable.ofInstance(topLevel(binder)));
            boolean ownHeaders = binder.bind(prefix + ".headers", Bindable.mapOf(String.class, String.class))
                .map((own) -> {
                    named.setHeaders(new LinkedHashMap<>(own));
                    return true;
                })
                .orElse(false);
            if (top.getUrl() != null && named.getUrl() != null && !sameOrigin(top, named)) {
                keepCredentialsAtTheirOrigin(top, named, prefix, ownHeaders, binder, notInherited);
            }
            connections.put(name, named);
        }
        return new ConnectionDefinitions(connections, notInherited, reservedNameTaken);
    }

    /**
     * The connections, checked: every setting by the rules of the settings, plus those
     * that need the application context; credentials that are not inherited are logged.
     * @param binder the binder of the environment
     * @param sslBundles the SSL bundles, if any
     * @return the definitions
     * @throws InvalidConnectionPropertyException for the first invalid setting
     */
    static ConnectionDefinitions load(Binder binder, @Nullable SslBundles sslBundles) {
        ConnectionDefinitions definitions = bind(binder);
        ConnectionProperties top = topLevel(binder);
        validate(top, PREFIX, sslBundles);
        if (definitions.reservedNameTaken) {
            throw new InvalidConnectionPropertyException(PREFIX + ".connections." + ReconnectingWebSocketClient.DEFAULT_NAME,
                    null, "the name '" + ReconnectingWebSocketClient.DEFAULT_NAME
                            + "' is reserved for the top-level connection",
                    "any other connection name; configure the default connection with reconnecting.websocket.url");
        }
        definitions.connections.forEach((name, connection) -> {
            if (!ReconnectingWebSocketClient.DEFAULT_NAME.equals(name)) {
                validateNamed(name, connection, top, sslBundles);
            }
        });
        definitions.notInherited.forEach(logger::warn);
        return definitions;
    }

    /**
     * Where a connection's properties live.
     * @param name the connection name
     * @return {@code reconnecting.websocket} for the default connection, else
     * {@code reconnecting.websocket.connections.<name>}
     */
    static String prefix(String name) {
        return ReconnectingWebSocketClient.DEFAULT_NAME.equals(name) ? PREFIX : PREFIX + ".connections." + name;
    }

    /**
     * The full name of one of a connection's properties.
     * @param name the connection name
     * @param setting the setting, e.g. {@code cluster.enabled}
     * @return e.g. {@code reconnecting.websocket.connections.prices.cluster.enabled}
     */
    static String property(String name, String setting) {
        return prefix(name) + "." + setting;
    }

    /**
     * The first connection that matches.
     * @param condition what to look for
     * @return its name, if any
     */
    Optional<String> find(Predicate<ConnectionProperties> condition) {
        return this.connections.entrySet()
            .stream()
            .filter((connection) -> condition.test(connection.getValue()))
            .map(Map.Entry::getKey)
            .findFirst();
    }

    private static void validateNamed(String name, ConnectionProperties named, ConnectionProperties top,
            @Nullable SslBundles sslBundles) {
        String prefix = prefix(name);
        // one check-in per instance serves every connection: its timing is the application's
        if (!named.getCluster().getHeartbeat().equals(top.getCluster().getHeartbeat())) {
            throw new InvalidConnectionPropertyException(prefix + ".cluster.heartbeat",
                    named.getCluster().getHeartbeat().toString(), "the cluster's heartbeat is set for all connections",
                    "nothing here; set " + PREFIX + ".cluster.heartbeat");
        }
        if (!named.getCluster().getLockTtl().equals(top.getCluster().getLockTtl())) {
            throw new InvalidConnectionPropertyException(prefix + ".cluster.lock-ttl",
                    named.getCluster().getLockTtl().toString(), "the cluster's lease is set for all connections",
                    "nothing here; set " + PREFIX + ".cluster.lock-ttl");
        }
        if (named.getUrl() == null) {
            throw new InvalidConnectionPropertyException(prefix + ".url", null,
                    "no URL for connection '" + name + "' (and none inherited from " + PREFIX + ".url)",
                    "a ws:// or wss:// URL with a host, e.g. wss://example.org/feed");
        }
        validate(named, prefix, sslBundles);
    }

    private static boolean sameOrigin(ConnectionProperties top, ConnectionProperties named) {
        try {
            return origin(top).equals(origin(named));
        }
        catch (InvalidConnectionSettingException ex) {
            // an invalid URL is reported by validation, naming its property
            return true;
        }
    }

    /**
     * A named connection of another origin than the top-level URL: drop the credentials it
     * would inherit, and say why, naming the properties (never the values).
     */
    private static void keepCredentialsAtTheirOrigin(ConnectionProperties top, ConnectionProperties named,
            String prefix, boolean ownHeaders, Binder binder, List<String> notInherited) {
        String why = prefix + ".url is another origin (" + origin(named) + ") than " + PREFIX + ".url ("
                + origin(top) + "), so ";
        if (!ownHeaders && !named.getHeaders().isEmpty()) {
            notInherited.add(why + "the top-level headers " + named.getHeaders().keySet()
                    + " are not sent to it; set " + prefix + ".headers to send headers to this connection");
            named.setHeaders(new LinkedHashMap<>());
        }
        StompProperties stomp = named.getStomp();
        boolean ownLogin = binder.bind(prefix + ".stomp.login", String.class).isBound();
        boolean ownPasscode = binder.bind(prefix + ".stomp.passcode", String.class).isBound();
        if ((!ownLogin && stomp.getLogin() != null) || (!ownPasscode && stomp.getPasscode() != null)) {
            notInherited.add(why + "the top-level stomp.login and stomp.passcode are not sent to it; set "
                    + prefix + ".stomp.login and " + prefix + ".stomp.passcode for this connection");
            if (!ownLogin) {
                stomp.setLogin(null);
            }
            if (!ownPasscode) {
                stomp.setPasscode(null);
            }
        }
    }

    private static String origin(ConnectionProperties connection) {
        return ConnectionSettingsMapper.map(connection).origin();
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
            ConnectionSettingsMapper.map(properties);
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
        if (cluster.getLockTtl().compareTo(cluster.getHeartbeat().multipliedBy(2)) <= 0) {
            throw new InvalidConnectionPropertyException(prefix + ".cluster.lock-ttl", cluster.getLockTtl().toString(),
                    "must be more than twice cluster.heartbeat (" + cluster.getHeartbeat() + "): the holder's lease "
                            + "would lapse between two check-ins",
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
     * The client settings of a connection, mapped from its properties.
     */
    ConnectionSettings settings(String name) {
        return ConnectionSettingsMapper.map(get(name));
    }

    /**
     * The properties of a connection.
     */
    ConnectionProperties get(String name) {
        ConnectionProperties connection = this.connections.get(name);
        if (connection == null) {
            throw new IllegalArgumentException("No WebSocket connection named '" + name + "'");
        }
        return connection;
    }

}
