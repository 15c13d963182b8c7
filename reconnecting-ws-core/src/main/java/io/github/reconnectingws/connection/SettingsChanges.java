package io.github.reconnectingws.connection;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import io.github.reconnectingws.ConnectionSettings;
import io.github.reconnectingws.OutboundOverflow;
import org.jspecify.annotations.Nullable;

import org.springframework.util.unit.DataSize;

/**
 * The changes the {@link ReconnectingWebSocketClientBuilder} makes to its settings, one per
 * group of {@link ConnectionSettings} (handshake, limits, outbound, backoff, proxy): a
 * {@code null} keeps the current value. Applied to the settings so far by the builder; the
 * settings check the values they are made with, so an invalid change throws there.
 */
final class SettingsChanges {

    private SettingsChanges() {
    }

    static UnaryOperator<ConnectionSettings> handshake(@Nullable Map<String, String> headers,
            @Nullable List<String> subprotocols, @Nullable Duration connectTimeout, @Nullable Boolean followRedirects) {
        return (s) -> s.withHandshake(orElse(headers, s.headers()), orElse(subprotocols, s.subprotocols()),
                orElse(connectTimeout, s.connectTimeout()), orElse(followRedirects, s.followRedirects()));
    }

    /** A header added to the current ones, replacing an earlier value. */
    static UnaryOperator<ConnectionSettings> header(String name, String value) {
        return (s) -> {
            Map<String, String> headers = new LinkedHashMap<>(s.headers());
            headers.put(name, value);
            return handshake(headers, null, null, null).apply(s);
        };
    }

    /** Headers added to the current ones, replacing earlier values. */
    static UnaryOperator<ConnectionSettings> headers(Map<String, String> added) {
        return (s) -> {
            Map<String, String> merged = new LinkedHashMap<>(s.headers());
            merged.putAll(added);
            return handshake(merged, null, null, null).apply(s);
        };
    }

    /** Subprotocols offered after the current ones. */
    static UnaryOperator<ConnectionSettings> subprotocols(List<String> added) {
        return (s) -> {
            List<String> all = new ArrayList<>(s.subprotocols());
            all.addAll(added);
            return handshake(null, all, null, null).apply(s);
        };
    }

    static UnaryOperator<ConnectionSettings> limits(@Nullable DataSize maxText, @Nullable DataSize maxBinary,
            @Nullable Integer maxReconnects, @Nullable Duration window, @Nullable Duration shutdownTimeout,
            @Nullable List<String> fatalCloseCodes, @Nullable Duration maxConnectionAge) {
        return (s) -> s.withLimits(orElse(maxText, s.maxTextMessageSize()),
                orElse(maxBinary, s.maxBinaryMessageSize()), orElse(maxReconnects, s.maxReconnects()),
                orElse(window, s.maxReconnectsWindow()), orElse(shutdownTimeout, s.shutdownTimeout()),
                orElse(fatalCloseCodes, s.fatalCloseCodes()), orElse(maxConnectionAge, s.maxConnectionAge()));
    }

    /** Fatal close codes and ranges added to the current ones. */
    static UnaryOperator<ConnectionSettings> fatalCloseCodes(List<String> added) {
        return (s) -> {
            List<String> all = new ArrayList<>(s.fatalCloseCodes());
            all.addAll(added);
            return limits(null, null, null, null, null, all, null).apply(s);
        };
    }

    static UnaryOperator<ConnectionSettings> outbound(@Nullable Integer bufferSize,
            @Nullable OutboundOverflow overflow, @Nullable Duration sendTimeLimit, @Nullable Boolean writeInline,
            @Nullable Integer rateLimit) {
        return (s) -> {
            ConnectionSettings.Outbound o = s.outbound();
            return s.withOutbound(new ConnectionSettings.Outbound(orElse(bufferSize, o.bufferSize()),
                    orElse(overflow, o.overflow()), orElse(sendTimeLimit, o.sendTimeLimit()),
                    orElse(writeInline, o.writeInline()), orElse(rateLimit, o.rateLimit())));
        };
    }

    static UnaryOperator<ConnectionSettings> stableAfter(Duration stableAfter) {
        return (s) -> {
            ConnectionSettings.Backoff b = s.backoff();
            return s.withBackoff(new ConnectionSettings.Backoff(b.initialInterval(), b.multiplier(),
                    b.randomizationFactor(), b.maxInterval(), b.maxElapsedTime(), stableAfter));
        };
    }

    /** A proxy; without a user name or password, none. */
    static UnaryOperator<ConnectionSettings> proxy(String url, @Nullable String username, @Nullable String password) {
        return (s) -> s.withProxy(new ConnectionSettings.Proxy(url, orElse(username, ""), orElse(password, "")));
    }

    private static <T> T orElse(@Nullable T value, T current) {
        return (value != null) ? value : current;
    }

}
