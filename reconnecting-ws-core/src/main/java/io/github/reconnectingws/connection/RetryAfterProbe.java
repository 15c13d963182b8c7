package io.github.reconnectingws.connection;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;

/**
 * Reads {@code Retry-After} from a server that rejected a handshake with 429 or 503.
 * Tomcat's client discards the headers of a rejected handshake, so the probe sends the
 * same upgrade request once more over a plain socket, reads only the status line and
 * headers, and closes. It runs only after a 429/503, bounded by the connect timeout.
 */
final class RetryAfterProbe {

    /** Upper bound on a delay a server may impose, against nonsense values. */
    static final Duration MAX_RETRY_AFTER = Duration.ofHours(1);

    private RetryAfterProbe() {
    }

    /**
     * @return the delay asked for, or {@code null} when the response has none (or the
     * probe failed)
     */
    static @Nullable Duration probe(URI uri, HttpHeaders headers, @Nullable SSLContext sslContext, Duration timeout) {
        boolean secure = "wss".equals(uri.getScheme());
        int port = (uri.getPort() != -1) ? uri.getPort() : (secure ? 443 : 80);
        try (Socket socket = connect(uri.getHost(), port, secure, sslContext, timeout)) {
            socket.setSoTimeout((int) timeout.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(request(uri, port, headers).getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            BufferedReader reader = new BufferedReader(
                    new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
            String statusLine = reader.readLine();
            if (statusLine == null || !statusLine.startsWith("HTTP/")) {
                return null;
            }
            for (String line = reader.readLine(); line != null && !line.isEmpty(); line = reader.readLine()) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(HttpHeaders.RETRY_AFTER)) {
                    return parse(line.substring(colon + 1).trim());
                }
            }
            return null;
        }
        catch (IOException | RuntimeException ex) {
            return null;
        }
    }

    /** Parse delay-seconds or an HTTP-date (RFC 9110 section 10.2.3). */
    static @Nullable Duration parse(String value) {
        Duration delay;
        try {
            delay = Duration.ofSeconds(Long.parseLong(value));
        }
        catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
                delay = Duration.between(ZonedDateTime.now(at.getZone()), at);
            }
            catch (DateTimeParseException notDate) {
                return null;
            }
        }
        if (delay.isNegative()) {
            return Duration.ZERO;
        }
        return (delay.compareTo(MAX_RETRY_AFTER) > 0) ? MAX_RETRY_AFTER : delay;
    }

    private static Socket connect(String host, int port, boolean secure, @Nullable SSLContext sslContext,
            Duration timeout) throws IOException {
        Socket plain = new Socket();
        plain.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
        if (!secure) {
            return plain;
        }
        try {
            SSLContext context = (sslContext != null) ? sslContext : SSLContext.getDefault();
            SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, host, port, true);
            tls.startHandshake();
            return tls;
        }
        catch (IOException | java.security.GeneralSecurityException ex) {
            plain.close();
            throw new IOException(ex);
        }
    }

    private static String request(URI uri, int port, HttpHeaders headers) {
        byte[] key = new byte[16];
        ThreadLocalRandom.current().nextBytes(key);
        String target = (uri.getRawPath() == null || uri.getRawPath().isEmpty()) ? "/" : uri.getRawPath();
        if (uri.getRawQuery() != null) {
            target += "?" + uri.getRawQuery();
        }
        StringBuilder request = new StringBuilder();
        request.append("GET ").append(target).append(" HTTP/1.1\r\n");
        request.append("Host: ").append(uri.getHost()).append(':').append(port).append("\r\n");
        request.append("Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n");
        request.append("Sec-WebSocket-Key: ").append(Base64.getEncoder().encodeToString(key)).append("\r\n");
        headers.forEach((name, values) -> values
            .forEach((value) -> request.append(name).append(": ").append(value).append("\r\n")));
        request.append("\r\n");
        return request.toString();
    }

}
