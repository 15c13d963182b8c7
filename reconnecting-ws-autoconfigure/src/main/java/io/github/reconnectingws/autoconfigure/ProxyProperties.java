package io.github.reconnectingws.autoconfigure;

import io.github.reconnectingws.ConnectionSettings;

/**
 * An HTTP proxy for this connection, reached with a CONNECT tunnel for ws:// and
 * wss:// alike (TLS stays end to end with the feed).
 * <p>
 * A group of {@link ConnectionProperties}, mapped onto
 * {@link ConnectionSettings} by {@code ConnectionSettingsMapper}.
 */
public class ProxyProperties {

    /**
     * URL of the HTTP proxy, http://host:port. Empty: the JVM's proxy settings apply
     * (http.proxyHost, https.proxyHost, http.nonProxyHosts), i.e. none by default.
     */
    private String url = "";

    /**
     * User name for Basic authentication at the proxy; empty: none.
     */
    private String username = "";

    /**
     * Password for Basic authentication at the proxy; a secret, masked like header
     * values and sent only to the proxy.
     */
    private String password = "";

    public String getUrl() {
        return this.url;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public String getUsername() {
        return this.username;
    }

    public void setUsername(String username) {
        this.username = username;
    }

    public String getPassword() {
        return this.password;
    }

    public void setPassword(String password) {
        this.password = password;
    }

}
