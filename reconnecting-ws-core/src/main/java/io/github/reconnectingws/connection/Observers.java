package io.github.reconnectingws.connection;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import io.github.reconnectingws.ConnectionObserver;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

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

    void notify(Consumer<ConnectionObserver> callback) {
        for (ConnectionObserver observer : this.observers) {
            try {
                callback.accept(observer);
            }
            catch (Throwable ex) {
                logger.warn("Connection observer " + observer.getClass().getName() + " failed", ex);
            }
        }
    }

}
