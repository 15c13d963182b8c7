package io.github.reconnectingws;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.util.unit.DataSize;

/**
 * The checks that {@link ConnectionSettings} applies to its values, each written once,
 * each failing with the setting's name as spelled in configuration.
 */
final class SettingChecks {

    private static final String POSITIVE_DURATION = "a positive duration, e.g. 10s or 500ms";

    private static final String NON_NEGATIVE_DURATION = "a duration of 0 or more, e.g. 0s or 5s";

    private SettingChecks() {
    }

    static URI uri(@Nullable String url, String position) {
        if (url == null || url.isBlank()) {
            throw invalidUrl("no URL is set");
        }
        URI uri;
        try {
            uri = new URI(url.trim().replace(ConnectionSettings.POSITION_PLACEHOLDER, position));
        }
        catch (URISyntaxException ex) {
            throw invalidUrl("not a valid URI (at index " + ex.getIndex() + ")");
        }
        String scheme = uri.getScheme();
        if (!"ws".equalsIgnoreCase(scheme) && !"wss".equalsIgnoreCase(scheme)) {
            throw invalidUrl("must start with ws:// or wss://, not " + scheme + "://");
        }
        if (uri.getHost() == null) {
            throw invalidUrl("has no host");
        }
        return uri;
    }

    private static InvalidConnectionSettingException invalidUrl(String reason) {
        return new InvalidConnectionSettingException("url", null, reason,
                "a ws:// or wss:// URL with a host, e.g. wss://example.org/feed");
    }

    static <T> T required(String setting, @Nullable T value) {
        if (value == null) {
            throw new InvalidConnectionSettingException(setting, null, "must be set", "any value but an empty one");
        }
        return value;
    }

    static void positive(String setting, @Nullable Duration duration) {
        required(setting, duration);
        if (duration.isNegative() || duration.isZero()) {
            throw new InvalidConnectionSettingException(setting, duration.toString(), "must be positive",
                    POSITIVE_DURATION);
        }
    }

    static void notNegative(String setting, @Nullable Duration duration) {
        required(setting, duration);
        if (duration.isNegative()) {
            throw new InvalidConnectionSettingException(setting, duration.toString(), "must not be negative",
                    NON_NEGATIVE_DURATION);
        }
    }

    static void messageSize(String setting, @Nullable DataSize size) {
        required(setting, size);
        if (size.toBytes() <= 0 || size.toBytes() > Integer.MAX_VALUE) {
            throw new InvalidConnectionSettingException(setting, size.toString(), "must be positive and below 2GB",
                    "a data size such as 64KB or 1MB");
        }
    }

    static @Nullable URI proxyUri(String url) {
        if (url.isBlank()) {
            return null;
        }
        URI uri;
        try {
            uri = new URI(url.trim());
        }
        catch (URISyntaxException ex) {
            throw invalidProxyUrl("not a valid URI (at index " + ex.getIndex() + ")");
        }
        if (!"http".equalsIgnoreCase(uri.getScheme())) {
            throw invalidProxyUrl("must start with http://, not " + uri.getScheme() + "://");
        }
        if (uri.getHost() == null || uri.getPort() == -1) {
            throw invalidProxyUrl("needs a host and a port");
        }
        if (uri.getRawUserInfo() != null) {
            throw invalidProxyUrl("must not carry credentials: set proxy.username and proxy.password");
        }
        return uri;
    }

    private static InvalidConnectionSettingException invalidProxyUrl(String reason) {
        return new InvalidConnectionSettingException("proxy.url", null, reason,
                "an http:// URL with a host and a port, e.g. http://proxy.example.org:3128, or empty");
    }

}
