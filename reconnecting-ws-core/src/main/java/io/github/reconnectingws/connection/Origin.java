package io.github.reconnectingws.connection;

import java.net.URI;
import java.util.Locale;

/**
 * The origin of a WebSocket URI: scheme, host and port (the default port made explicit).
 * Nothing configured for a connection (header values, user-info, query values) is ever
 * sent to another origin.
 */
record Origin(String scheme, String host, int port) {

    static Origin of(URI uri) {
        String scheme = (uri.getScheme() != null) ? uri.getScheme().toLowerCase(Locale.ROOT) : "";
        String host = (uri.getHost() != null) ? uri.getHost().toLowerCase(Locale.ROOT) : "";
        int port = uri.getPort();
        if (port == -1) {
            port = ("wss".equals(scheme) || "https".equals(scheme)) ? 443 : 80;
        }
        return new Origin(scheme, host, port);
    }

    @Override
    public String toString() {
        return this.scheme + "://" + this.host + ":" + this.port;
    }

}
