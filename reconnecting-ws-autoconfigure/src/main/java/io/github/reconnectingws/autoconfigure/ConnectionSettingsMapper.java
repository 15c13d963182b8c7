package io.github.reconnectingws.autoconfigure;

import java.util.ArrayList;
import java.util.LinkedHashMap;

import io.github.reconnectingws.ConnectionSettings;

import org.springframework.boot.context.properties.PropertyMapper;

/**
 * Maps the properties of a connection onto the client's {@link ConnectionSettings}, the
 * way Spring Boot maps its properties onto a library's types: the properties are the
 * binding, the settings hold the checks. A property left unset ({@code null}) keeps the
 * setting's default.
 */
final class ConnectionSettingsMapper {

    private ConnectionSettingsMapper() {
    }

    static ConnectionSettings map(ConnectionProperties properties) {
        ConnectionSettings settings = new ConnectionSettings();
        PropertyMapper map = PropertyMapper.get();
        map.from(properties::getUrl).to(settings::setUrl);
        map.from(properties::getHeaders).as(LinkedHashMap::new).to(settings::setHeaders);
        map.from(properties::getSubprotocols).as(ArrayList::new).to(settings::setSubprotocols);
        map.from(properties::getConnectTimeout).to(settings::setConnectTimeout);
        map.from(properties::isFollowRedirects).to(settings::setFollowRedirects);
        map.from(properties::getMaxTextMessageSize).to(settings::setMaxTextMessageSize);
        map.from(properties::getMaxBinaryMessageSize).to(settings::setMaxBinaryMessageSize);
        map.from(properties::getMaxReconnects).to(settings::setMaxReconnects);
        map.from(properties::getMaxReconnectsWindow).to(settings::setMaxReconnectsWindow);
        map.from(properties::getShutdownTimeout).to(settings::setShutdownTimeout);
        map.from(properties::getFatalCloseCodes).as(ArrayList::new).to(settings::setFatalCloseCodes);
        map.from(properties::getMaxConnectionAge).to(settings::setMaxConnectionAge);
        mapBackoff(properties.getBackoff(), settings.getBackoff(), map);
        map.from(properties.getHeartbeat()::getInterval).to(settings.getHeartbeat()::setInterval);
        map.from(properties.getHeartbeat()::getTimeout).to(settings.getHeartbeat()::setTimeout);
        mapOutbound(properties.getOutbound(), settings.getOutbound(), map);
        mapResume(properties.getResume(), settings.getResume(), map);
        mapStomp(properties.getStomp(), settings.getStomp(), map);
        map.from(properties.getCompression()::isEnabled).to(settings.getCompression()::setEnabled);
        map.from(properties.getProxy()::getUrl).to(settings.getProxy()::setUrl);
        map.from(properties.getProxy()::getUsername).to(settings.getProxy()::setUsername);
        map.from(properties.getProxy()::getPassword).to(settings.getProxy()::setPassword);
        return settings;
    }

    private static void mapBackoff(BackoffProperties properties, ConnectionSettings.Backoff backoff,
            PropertyMapper map) {
        map.from(properties::getInitialInterval).to(backoff::setInitialInterval);
        map.from(properties::getMultiplier).to(backoff::setMultiplier);
        map.from(properties::getRandomizationFactor).to(backoff::setRandomizationFactor);
        map.from(properties::getMaxInterval).to(backoff::setMaxInterval);
        map.from(properties::getMaxElapsedTime).to(backoff::setMaxElapsedTime);
        map.from(properties::getStableAfter).to(backoff::setStableAfter);
    }

    private static void mapOutbound(OutboundProperties properties, ConnectionSettings.Outbound outbound,
            PropertyMapper map) {
        map.from(properties::getBufferSize).to(outbound::setBufferSize);
        map.from(properties::getOverflow).to(outbound::setOverflow);
        map.from(properties::getSendTimeLimit).to(outbound::setSendTimeLimit);
        map.from(properties::isWriteInline).to(outbound::setWriteInline);
        map.from(properties::getRateLimit).to(outbound::setRateLimit);
    }

    private static void mapResume(ResumeProperties properties, ConnectionSettings.Resume resume, PropertyMapper map) {
        map.from(properties::getPosition).to(resume::setPosition);
        map.from(properties::getStore).to(resume::setStore);
        map.from(properties::isDeduplicate).to(resume::setDeduplicate);
        map.from(properties::getFlushInterval).to(resume::setFlushInterval);
    }

    private static void mapStomp(StompProperties properties, ConnectionSettings.Stomp stomp, PropertyMapper map) {
        map.from(properties::isEnabled).to(stomp::setEnabled);
        map.from(properties::getLogin).to(stomp::setLogin);
        map.from(properties::getPasscode).to(stomp::setPasscode);
        map.from(properties::getHost).to(stomp::setHost);
        map.from(properties::isReceipts).to(stomp::setReceipts);
    }

}
