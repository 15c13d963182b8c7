package io.github.reconnectingws.autoconfigure;

import java.time.Duration;
import java.util.List;

import io.github.reconnectingws.connection.ReconnectingWebSocketClientBuilder;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.ssl.SslBundles;
import org.springframework.util.unit.DataSize;

/**
 * Checks the connection settings that are set (unset ones are inherited and checked
 * where they are set), reporting the first invalid one as an
 * {@link InvalidConnectionPropertyException} that names the property.
 */
final class ConnectionPropertiesValidator {

    private static final String URL_ACCEPTED = "a ws:// or wss:// URL with a host, e.g. wss://example.org/feed";

    private static final String POSITIVE_DURATION = "a positive duration, e.g. 10s or 500ms";

    private static final String NON_NEGATIVE_DURATION = "a duration of 0 or more, e.g. 0s or 5s";

    private ConnectionPropertiesValidator() {
    }

    /**
     * Validate the settings that are set.
     * @param properties the settings
     * @param prefix the property prefix they are bound from
     * @param sslBundles the application's SSL bundles, if any
     */
    static void validate(ConnectionProperties properties, String prefix, @Nullable SslBundles sslBundles) {
        if (properties.getUrl() != null) {
            validateUrl(properties.getUrl(), prefix + ".url");
        }
        positive(properties.getConnectTimeout(), prefix + ".connect-timeout");
        messageSize(properties.getMaxTextMessageSize(), prefix + ".max-text-message-size");
        messageSize(properties.getMaxBinaryMessageSize(), prefix + ".max-binary-message-size");
        if (properties.getMaxReconnects() != null && properties.getMaxReconnects() < 0) {
            throw new InvalidConnectionPropertyException(prefix + ".max-reconnects",
                    String.valueOf(properties.getMaxReconnects()), "must not be negative",
                    "0 (unlimited) or a positive number of reconnects");
        }
        positive(properties.getMaxReconnectsWindow(), prefix + ".max-reconnects-window");
        notNegative(properties.getShutdownTimeout(), prefix + ".shutdown-timeout");
        if (properties.getSslBundle() != null) {
            validateSslBundle(properties.getSslBundle(), prefix + ".ssl-bundle", sslBundles);
        }
        validateBackoff(properties.getBackoff(), prefix + ".backoff");
        notNegative(properties.getHeartbeat().getInterval(), prefix + ".heartbeat.interval");
        positive(properties.getHeartbeat().getTimeout(), prefix + ".heartbeat.timeout");
        ConnectionProperties.Outbound outbound = properties.getOutbound();
        if (outbound.getBufferSize() != null && outbound.getBufferSize() <= 0) {
            throw new InvalidConnectionPropertyException(prefix + ".outbound.buffer-size",
                    String.valueOf(outbound.getBufferSize()), "must be positive", "a number of messages of 1 or more");
        }
        positive(outbound.getSendTimeLimit(), prefix + ".outbound.send-time-limit");
    }

    /**
     * Check that a URL is one the client can connect to.
     * @param url the URL
     * @param property the full property name
     */
    static void validateUrl(String url, String property) {
        try {
            ReconnectingWebSocketClientBuilder.forUrl(url);
        }
        catch (IllegalArgumentException ex) {
            // the builder's message never repeats the URL, which may carry credentials
            throw new InvalidConnectionPropertyException(property, null, ex.getMessage(), URL_ACCEPTED);
        }
    }

    private static void validateSslBundle(String name, String property, @Nullable SslBundles sslBundles) {
        List<String> known = (sslBundles != null) ? sslBundles.getBundleNames() : List.of();
        if (!known.contains(name)) {
            throw new InvalidConnectionPropertyException(property, name, "no SSL bundle named '" + name + "'",
                    known.isEmpty() ? "the name of a bundle configured under spring.ssl.bundle (none is configured)"
                            : "one of the configured SSL bundles " + known);
        }
    }

    private static void validateBackoff(ConnectionProperties.Backoff backoff, String prefix) {
        positive(backoff.getInitialInterval(), prefix + ".initial-interval");
        if (backoff.getMultiplier() != null && !(backoff.getMultiplier() >= 1.0)) {
            throw new InvalidConnectionPropertyException(prefix + ".multiplier", String.valueOf(backoff.getMultiplier()),
                    "must be at least 1", "a number of 1.0 or more, e.g. 2.0");
        }
        Double factor = backoff.getRandomizationFactor();
        if (factor != null && !(factor >= 0.0 && factor <= 1.0)) {
            throw new InvalidConnectionPropertyException(prefix + ".randomization-factor", String.valueOf(factor),
                    "must be between 0 and 1", "a number from 0.0 (no jitter) to 1.0, e.g. 0.5");
        }
        positive(backoff.getMaxInterval(), prefix + ".max-interval");
        notNegative(backoff.getMaxElapsedTime(), prefix + ".max-elapsed-time");
        notNegative(backoff.getStableAfter(), prefix + ".stable-after");
    }

    private static void positive(@Nullable Duration duration, String property) {
        if (duration != null && (duration.isNegative() || duration.isZero())) {
            throw new InvalidConnectionPropertyException(property, duration.toString(), "must be positive",
                    POSITIVE_DURATION);
        }
    }

    private static void notNegative(@Nullable Duration duration, String property) {
        if (duration != null && duration.isNegative()) {
            throw new InvalidConnectionPropertyException(property, duration.toString(), "must not be negative",
                    NON_NEGATIVE_DURATION);
        }
    }

    private static void messageSize(@Nullable DataSize size, String property) {
        if (size != null && (size.toBytes() <= 0 || size.toBytes() > Integer.MAX_VALUE)) {
            throw new InvalidConnectionPropertyException(property, size.toString(),
                    "must be positive and below 2GB", "a data size such as 64KB or 1MB");
        }
    }

}
