package io.github.reconnectingws.connection;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SSLContext;

import org.jspecify.annotations.Nullable;

/**
 * Everything that configures one connection, validated once by the builder.
 */
record ConnectionSettings(String name, URI uri, Map<String, List<String>> headers, List<String> subprotocols,
        Duration connectTimeout, boolean followRedirects, int maxTextMessageSize, int maxBinaryMessageSize, Duration initialInterval,
        double multiplier, double randomizationFactor, Duration maxInterval, Duration maxElapsedTime,
        Duration stableAfter, int maxReconnects, Duration maxReconnectsWindow, Duration heartbeatInterval,
        Duration heartbeatTimeout, int bufferSize, OutboundOverflow overflow, boolean writeInline, Duration sendTimeLimit,
        Duration shutdownTimeout, @Nullable SSLContext sslContext) {
}
