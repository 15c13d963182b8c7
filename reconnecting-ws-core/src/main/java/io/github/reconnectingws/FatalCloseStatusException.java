package io.github.reconnectingws;

import org.springframework.web.socket.CloseStatus;

/**
 * The server closed the connection with a code listed in {@code fatal-close-codes}: the
 * client does not reconnect, as after a fatal handshake status.
 */
public class FatalCloseStatusException extends ReconnectingWebSocketException {

    private final CloseStatus closeStatus;

    /**
     * Create an exception.
     * @param closeStatus the close status, its reason already free of secrets
     */
    public FatalCloseStatusException(CloseStatus closeStatus) {
        super("connection closed with " + closeStatus.getCode()
                + ((closeStatus.getReason() != null && !closeStatus.getReason().isEmpty())
                        ? " " + closeStatus.getReason() : "")
                + ", a fatal close code (fatal-close-codes)", null);
        this.closeStatus = closeStatus;
    }

    /**
     * The close status the server sent.
     * @return the status
     */
    public CloseStatus getCloseStatus() {
        return this.closeStatus;
    }

}
