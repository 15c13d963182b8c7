package io.github.reconnectingws;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.web.socket.CloseStatus;

/**
 * Publishes a client's state changes as {@link WebSocketConnectionEvent}s: connected,
 * disconnected, reconnecting, resume gap, failed. The auto-configuration adds one to every
 * client, publishing to the application context; any {@link ApplicationEventPublisher}
 * (a lambda) may receive them. Events are published
 * synchronously in the client's callback lane (in order, off the engine's threads):
 * messages that a {@link WebSocketConnectedEvent} listener sends go out before the queued
 * backlog, and a listener that blocks delays only its own connection.
 */
public final class ApplicationEventPublishingObserver implements ConnectionObserver {

    private final ApplicationEventPublisher publisher;

    /**
     * Create an observer.
     * @param publisher receives the events
     */
    public ApplicationEventPublishingObserver(ApplicationEventPublisher publisher) {
        this.publisher = publisher;
    }

    @Override
    public void onConnected(ReconnectingWebSocketClient client, boolean reconnect, boolean rotation) {
        this.publisher.publishEvent(new WebSocketConnectedEvent(client, reconnect, rotation));
    }

    @Override
    public void onDisconnected(ReconnectingWebSocketClient client, @Nullable CloseStatus status,
            @Nullable Throwable cause) {
        this.publisher.publishEvent(new WebSocketDisconnectedEvent(client, status, cause));
    }

    @Override
    public void onReconnecting(ReconnectingWebSocketClient client, int attempt, Duration delay,
            @Nullable Throwable cause) {
        this.publisher.publishEvent(new WebSocketReconnectingEvent(client, attempt, delay, cause));
    }

    @Override
    public void onResumeGap(ReconnectingWebSocketClient client, String position, long missed) {
        this.publisher.publishEvent(new WebSocketResumeGapEvent(client, position, missed));
    }

    @Override
    public void onFailed(ReconnectingWebSocketClient client, Throwable cause) {
        this.publisher.publishEvent(new WebSocketConnectionFailedEvent(client, cause));
    }

}
