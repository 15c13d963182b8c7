package io.github.reconnectingws;

/**
 * A protocol spoken over the connection refused it (a STOMP ERROR frame in answer to
 * CONNECT, for one). Fatal when retrying cannot help, such as refused credentials.
 */
public class ProtocolHandshakeException extends ReconnectingWebSocketException {

    private final boolean fatal;

    /**
     * Create an exception.
     * @param message what the server said (never carries secrets)
     * @param fatal whether retrying cannot help
     */
    public ProtocolHandshakeException(String message, boolean fatal) {
        super(message, null);
        this.fatal = fatal;
    }

    /**
     * Whether retrying cannot help: the client fails instead of reconnecting.
     * @return whether the refusal is fatal
     */
    public boolean isFatal() {
        return this.fatal;
    }

}
