package io.github.reconnectingws.autoconfigure;

import io.github.reconnectingws.ConnectionSettings;
import org.jspecify.annotations.Nullable;

/**
 * STOMP 1.2 over the connection: CONNECT on every connection, subscriptions restored
 * after every reconnect.
 * <p>
 * A group of {@link ConnectionProperties}, mapped onto
 * {@link ConnectionSettings} by {@code ConnectionSettingsMapper}.
 */
public class StompProperties {

    /**
     * Whether to speak STOMP 1.2 over this connection.
     */
    private boolean enabled = false;

    /**
     * The login of the CONNECT frame.
     */
    private @Nullable String login;

    /**
     * The passcode of the CONNECT frame; a secret, masked like header values.
     */
    private @Nullable String passcode;

    /**
     * The virtual host of the CONNECT frame.
     */
    private String host = "/";

    /**
     * Whether each SEND asks for a RECEIPT: its future completes when the broker has
     * it, and a SEND without a receipt is sent again after a reconnect (at least once).
     */
    private boolean receipts = false;

    public boolean isEnabled() {
        return this.enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public @Nullable String getLogin() {
        return this.login;
    }

    public void setLogin(@Nullable String login) {
        this.login = login;
    }

    public @Nullable String getPasscode() {
        return this.passcode;
    }

    public void setPasscode(@Nullable String passcode) {
        this.passcode = passcode;
    }

    public String getHost() {
        return this.host;
    }

    public void setHost(String host) {
        this.host = host;
    }

    public boolean isReceipts() {
        return this.receipts;
    }

    public void setReceipts(boolean receipts) {
        this.receipts = receipts;
    }

}
