package io.github.reconnectingws.connection;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import io.github.reconnectingws.ConnectionObserver;
import io.github.reconnectingws.ReconnectingWebSocketClient;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.web.socket.WebSocketMessage;

/**
 * The observers of one client; an observer that throws is logged and does not stop the
 * others.
 */
final class Observers {

    private static final Log logger = LogFactory.getLog(Observers.class);

    private final List<ConnectionObserver> observers = new CopyOnWriteArrayList<>();

    void add(ConnectionObserver observer) {
        this.observers.add(observer);
    }

    void remove(ConnectionObserver observer) {
        this.observers.remove(observer);
    }

    /** {@link ConnectionObserver#onMessageSent}, once per written message: no callback object. */
    void messageSent(ReconnectingWebSocketClient client, WebSocketMessage<?> message) {
        for (ConnectionObserver observer : this.observers) {
            try {
                observer.onMessageSent(client, message);
            }
            catch (Throwable ex) {
                failed(observer, ex);
            }
        }
    }

    /** {@link ConnectionObserver#onMessageReceived}, once per delivered message: no callback object. */
    void messageReceived(ReconnectingWebSocketClient client, WebSocketMessage<?> message) {
        for (ConnectionObserver observer : this.observers) {
            try {
                observer.onMessageReceived(client, message);
            }
            catch (Throwable ex) {
                failed(observer, ex);
            }
        }
    }

    void notify(Consumer<ConnectionObserver> callback) {
        for (ConnectionObserver observer : this.observers) {
            try {
                callback.accept(observer);
            }
            catch (Throwable ex) {
                failed(observer, ex);
            }
        }
    }

    private static void failed(ConnectionObserver observer, Throwable ex) {
        logger.warn("Connection observer " + observer.getClass().getName() + " failed", ex);
    }

}
