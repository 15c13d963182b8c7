package io.github.reconnectingws.autoconfigure;

import io.github.reconnectingws.ConnectionSettings;

/**
 * Maps the properties of a connection onto the client's {@link ConnectionSettings}, the
 * way Spring Boot maps its properties onto a library's types: the properties are the
 * binding, the settings are an immutable value that holds the checks, so an invalid
 * property fails here, named by the setting.
 */
final class ConnectionSettingsMapper {

    private ConnectionSettingsMapper() {
    }

    static ConnectionSettings map(ConnectionProperties properties) {
        return new ConnectionSettings(properties.getUrl(), properties.getHeaders(), properties.getSubprotocols(),
                properties.getConnectTimeout(), properties.isFollowRedirects(), properties.getMaxTextMessageSize(),
                properties.getMaxBinaryMessageSize(), properties.getMaxReconnects(),
                properties.getMaxReconnectsWindow(), properties.getShutdownTimeout(), properties.getFatalCloseCodes(),
                properties.getMaxConnectionAge(), backoff(properties.getBackoff()),
                new ConnectionSettings.Heartbeat(properties.getHeartbeat().getInterval(),
                        properties.getHeartbeat().getTimeout()),
                outbound(properties.getOutbound()), resume(properties.getResume()), stomp(properties.getStomp()),
                new ConnectionSettings.Compression(properties.getCompression().isEnabled()),
                new ConnectionSettings.Proxy(properties.getProxy().getUrl(), properties.getProxy().getUsername(),
                        properties.getProxy().getPassword()));
    }

    private static ConnectionSettings.Backoff backoff(BackoffProperties backoff) {
        return new ConnectionSettings.Backoff(backoff.getInitialInterval(), backoff.getMultiplier(),
                backoff.getRandomizationFactor(), backoff.getMaxInterval(), backoff.getMaxElapsedTime(),
                backoff.getStableAfter());
    }

    private static ConnectionSettings.Outbound outbound(OutboundProperties outbound) {
        return new ConnectionSettings.Outbound(outbound.getBufferSize(), outbound.getOverflow(),
                outbound.getSendTimeLimit(), outbound.isWriteInline(), outbound.getRateLimit());
    }

    private static ConnectionSettings.Resume resume(ResumeProperties resume) {
        return new ConnectionSettings.Resume(resume.getPosition(), resume.getStore(), resume.isDeduplicate(),
                resume.getFlushInterval());
    }

    private static ConnectionSettings.Stomp stomp(StompProperties stomp) {
        return new ConnectionSettings.Stomp(stomp.isEnabled(), stomp.getLogin(), stomp.getPasscode(), stomp.getHost(),
                stomp.isReceipts());
    }

}
