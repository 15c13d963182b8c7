package io.github.reconnectingws.autoconfigure;

import io.github.reconnectingws.ConnectionSettings;
import org.jspecify.annotations.Nullable;

/**
 * The settings of one WebSocket connection: those of the client itself
 * ({@link ConnectionSettings}) plus those of its place in the application. At the top
 * level of {@code reconnecting.websocket} they configure the default connection and are
 * the defaults of the named connections under
 * {@code reconnecting.websocket.connections.<name>}, which inherit every setting they
 * leave unset.
 */
public class ConnectionProperties extends ConnectionSettings {

    /**
     * Whether to connect when the application context starts.
     */
    private boolean autoStartup = true;

    /**
     * Whether a first connect that fails fatally (rejected handshake, TLS trust failure)
     * fails the application's startup.
     */
    private boolean failFast = false;

    /**
     * Name of the Spring Boot SSL bundle that supplies trust material and keys for wss://.
     */
    private @Nullable String sslBundle;

    public boolean isAutoStartup() {
        return this.autoStartup;
    }

    public void setAutoStartup(boolean autoStartup) {
        this.autoStartup = autoStartup;
    }

    public boolean isFailFast() {
        return this.failFast;
    }

    public void setFailFast(boolean failFast) {
        this.failFast = failFast;
    }

    public @Nullable String getSslBundle() {
        return this.sslBundle;
    }

    public void setSslBundle(@Nullable String sslBundle) {
        this.sslBundle = sslBundle;
    }

}
