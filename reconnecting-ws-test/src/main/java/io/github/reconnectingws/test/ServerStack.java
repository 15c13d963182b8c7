package io.github.reconnectingws.test;

/**
 * What a started {@link MockWebSocketServer} runs: an {@link EmbeddedTomcat} serving its
 * {@link MockEndpoint}, behind the {@link FaultFront} on the public port. Both start
 * together (neither is left running when the other cannot start) and close together, the
 * front first. Immutable; the parts are thread-safe.
 */
final class ServerStack implements AutoCloseable {

    private final EmbeddedTomcat tomcat;

    private final FaultFront front;

    ServerStack(MockEndpoint endpoint, String path, int maxMessageSize) {
        EmbeddedTomcat server = new EmbeddedTomcat(endpoint, path, maxMessageSize);
        try {
            this.front = new FaultFront(server.port());
        }
        catch (RuntimeException ex) {
            server.close();
            throw ex;
        }
        this.tomcat = server;
    }

    /** The public port's relay, where the network faults happen. */
    FaultFront front() {
        return this.front;
    }

    @Override
    public void close() {
        this.front.close();
        this.tomcat.close();
    }

}
