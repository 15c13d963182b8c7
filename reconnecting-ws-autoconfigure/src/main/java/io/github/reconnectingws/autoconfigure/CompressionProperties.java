package io.github.reconnectingws.autoconfigure;

import io.github.reconnectingws.ConnectionSettings;

/**
 * permessage-deflate (RFC 7692): offered on every handshake, used when the server
 * accepts it. Message size limits apply to the inflated message.
 * <p>
 * A group of {@link ConnectionProperties}, mapped onto
 * {@link ConnectionSettings} by {@code ConnectionSettingsMapper}.
 */
public class CompressionProperties {

    /**
     * Whether to offer permessage-deflate on every handshake; plain frames are used
     * when the server does not accept it.
     */
    private boolean enabled = true;

    public boolean isEnabled() {
        return this.enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

}
