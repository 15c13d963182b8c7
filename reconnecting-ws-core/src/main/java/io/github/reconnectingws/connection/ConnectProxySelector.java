package io.github.reconnectingws.connection;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.Executor;

import io.github.reconnectingws.ReconnectingWebSocketClient;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.core.task.support.TaskExecutorAdapter;

/**
 * Gives one connection its own HTTP proxy although Tomcat's client asks only the JVM-wide
 * {@link ProxySelector#getDefault()}, and only on the thread that opens the connection.
 * <p>
 * The first connection with a {@code proxy.url} wraps the JVM's selector once with this
 * one. It answers with a connection's proxy only on a connect thread that is opening that
 * connection (a thread-local set around the connect task); on every other thread, and for
 * every connection without {@code proxy.url}, it answers exactly what the wrapped selector
 * answers, so no other client of the application sees a difference. If the application
 * replaces the JVM's selector later, the next proxied connect wraps the new one the same
 * way, so a connection never bypasses its proxy. Once the last client with a
 * {@code proxy.url} is closed, the JVM's selector is put back as it was (unless the
 * application replaced the wrapper meanwhile): nothing of this stays behind a context
 * that is closed.
 */
final class ConnectProxySelector extends ProxySelector {

    private static final Log logger = LogFactory.getLog(ReconnectingWebSocketClient.class);

    /** The proxy of the connection being opened on this thread; set only around a connect task. */
    private static final ThreadLocal<@Nullable Proxy> CURRENT = new ThreadLocal<>();

    /** Guards {@link #installed} and {@link #users}. */
    private static final Object LOCK = new Object();

    private static @Nullable ConnectProxySelector installed;

    /** Clients with a proxy that are not closed: the wrapper stays while there are any. */
    private static int users;

    private final @Nullable ProxySelector wrapped;

    private ConnectProxySelector(@Nullable ProxySelector wrapped) {
        this.wrapped = wrapped;
    }

    /**
     * A task executor that opens connections through {@code proxyUri}; its client calls
     * {@link #release()} once when it is closed.
     * @param connectExecutor the shared connect threads
     * @param proxyUri the proxy, {@code http://host:port}
     * @return the executor for one connection's connect tasks
     */
    static AsyncTaskExecutor through(Executor connectExecutor, URI proxyUri) {
        Proxy proxy = new Proxy(Proxy.Type.HTTP,
                InetSocketAddress.createUnresolved(proxyUri.getHost(), proxyUri.getPort()));
        synchronized (LOCK) {
            users++;
            install();
        }
        return new TaskExecutorAdapter((task) -> connectExecutor.execute(() -> run(proxy, task)));
    }

    /** A client with a proxy is closed: the last one puts the JVM's selector back. */
    static void release() {
        synchronized (LOCK) {
            if (--users > 0 || installed == null) {
                return;
            }
            ConnectProxySelector selector = installed;
            installed = null;
            if (ProxySelector.getDefault() == selector) {
                ProxySelector.setDefault(selector.wrapped);
                logger.info("Restored the JVM's ProxySelector: no WebSocket connection with a proxy.url is left");
            }
        }
    }

    private static ConnectProxySelector install() {
        synchronized (LOCK) {
            ConnectProxySelector selector = installed;
            if (selector == null || ProxySelector.getDefault() != selector) {
                selector = new ConnectProxySelector(ProxySelector.getDefault());
                ProxySelector.setDefault(selector);
                installed = selector;
                logger.info("Wrapped the JVM's ProxySelector: HTTP proxies of WebSocket connections (proxy.url) apply to their own connect threads; "
                        + "every other connection goes through the JVM's proxy settings, as before");
            }
            return selector;
        }
    }

    private static void run(Proxy proxy, Runnable task) {
        install();
        CURRENT.set(proxy);
        try {
            task.run();
        }
        finally {
            CURRENT.remove();
        }
    }

    @Override
    public List<Proxy> select(URI uri) {
        Proxy proxy = CURRENT.get();
        if (proxy != null) {
            return List.of(proxy);
        }
        return (this.wrapped != null) ? this.wrapped.select(uri) : List.of(Proxy.NO_PROXY);
    }

    @Override
    public void connectFailed(URI uri, SocketAddress address, IOException failure) {
        if (CURRENT.get() == null && this.wrapped != null) {
            this.wrapped.connectFailed(uri, address, failure);
        }
    }

}
