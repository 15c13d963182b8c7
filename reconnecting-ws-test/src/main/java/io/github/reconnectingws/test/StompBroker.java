package io.github.reconnectingws.test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.websocket.Session;

import org.jspecify.annotations.Nullable;

/**
 * A minimal STOMP 1.2 broker for the {@link MockWebSocketServer}: CONNECT is answered with
 * CONNECTED (no heart-beats), SUBSCRIBE and UNSUBSCRIBE keep each session's subscriptions,
 * SEND is recorded and delivered to the subscribers of its destination, a {@code receipt}
 * header is answered with RECEIPT, and the test publishes MESSAGE frames. Subscriptions end
 * with their session, as with a real broker that restarts.
 */
final class StompBroker {

    /** Sends a text message on a session; false if the session is gone. */
    @FunctionalInterface
    interface Sender {

        boolean send(Session session, String text);

    }

    private final Sender sender;

    /** Per open session: subscription id to destination. */
    private final Map<Session, Map<String, String>> subscriptions = new ConcurrentHashMap<>();

    /** Every SEND: destination and body, in arrival order. */
    private final List<Map.Entry<String, String>> sends = new CopyOnWriteArrayList<>();

    private final AtomicLong messageIds = new AtomicLong();

    private volatile @Nullable String connectError;

    StompBroker(Sender sender) {
        this.sender = sender;
    }

    /** Answers every following CONNECT with an ERROR frame carrying {@code message}, or not ({@code null}). */
    void refuseConnect(@Nullable String message) {
        this.connectError = message;
    }

    void onText(Session session, String text) {
        Frame frame = Frame.parse(text);
        if (frame == null) {
            // a heart-beat (an end of line) or nothing
            return;
        }
        switch (frame.command()) {
            case "CONNECT", "STOMP" -> connect(session, frame);
            case "SUBSCRIBE" -> {
                this.subscriptions.computeIfAbsent(session, (key) -> new ConcurrentHashMap<>())
                    .put(String.valueOf(frame.header("id")), String.valueOf(frame.header("destination")));
                receipt(session, frame);
            }
            case "UNSUBSCRIBE" -> {
                Map<String, String> mine = this.subscriptions.get(session);
                if (mine != null) {
                    mine.remove(String.valueOf(frame.header("id")));
                }
                receipt(session, frame);
            }
            case "SEND" -> {
                String destination = String.valueOf(frame.header("destination"));
                this.sends.add(Map.entry(destination, frame.body()));
                String contentType = frame.header("content-type");
                publish(destination, frame.body(), (contentType != null) ? contentType : "text/plain");
                receipt(session, frame);
            }
            default -> receipt(session, frame);
        }
    }

    private void connect(Session session, Frame frame) {
        String error = this.connectError;
        if (error != null) {
            this.sender.send(session, Frame.encode("ERROR", Map.of("message", error, "content-type", "text/plain"),
                    error));
            return;
        }
        this.subscriptions.putIfAbsent(session, new ConcurrentHashMap<>());
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("version", "1.2");
        headers.put("heart-beat", "0,0");
        headers.put("server", "MockWebSocketServer");
        this.sender.send(session, Frame.encode("CONNECTED", headers, ""));
    }

    private void receipt(Session session, Frame frame) {
        String receipt = frame.header("receipt");
        if (receipt != null) {
            this.sender.send(session, Frame.encode("RECEIPT", Map.of("receipt-id", receipt), ""));
        }
    }

    /** Delivers a MESSAGE to every subscription to {@code destination}; returns how many. */
    int publish(String destination, String body, String contentType) {
        int delivered = 0;
        for (Map.Entry<Session, Map<String, String>> entry : this.subscriptions.entrySet()) {
            for (Map.Entry<String, String> subscription : entry.getValue().entrySet()) {
                if (!subscription.getValue().equals(destination)) {
                    continue;
                }
                Map<String, String> headers = new LinkedHashMap<>();
                headers.put("destination", destination);
                headers.put("subscription", subscription.getKey());
                headers.put("message-id", Long.toString(this.messageIds.incrementAndGet()));
                headers.put("content-type", contentType);
                if (this.sender.send(entry.getKey(), Frame.encode("MESSAGE", headers, body))) {
                    delivered++;
                }
            }
        }
        return delivered;
    }

    /** The destinations subscribed on open sessions, one entry per subscription. */
    List<String> subscriptions() {
        List<String> destinations = new ArrayList<>();
        this.subscriptions.values().forEach((mine) -> destinations.addAll(mine.values()));
        return destinations;
    }

    List<String> sentTo(String destination) {
        return this.sends.stream().filter((send) -> send.getKey().equals(destination)).map(Map.Entry::getValue)
            .toList();
    }

    void forgetSends() {
        this.sends.clear();
    }

    void sessionClosed(Session session) {
        this.subscriptions.remove(session);
    }

    /** A STOMP frame: command, headers (the first of repeated ones), body. */
    record Frame(String command, Map<String, String> headers, String body) {

        @Nullable String header(String name) {
            return this.headers.get(name);
        }

        /** Parses one frame; {@code null} for a heart-beat. */
        static @Nullable Frame parse(String text) {
            int start = 0;
            while (start < text.length() && (text.charAt(start) == '\n' || text.charAt(start) == '\r')) {
                start++;
            }
            if (start == text.length()) {
                return null;
            }
            int headerEnd = text.indexOf("\n\n", start);
            int bodyStart = headerEnd + 2;
            if (headerEnd < 0) {
                headerEnd = text.indexOf("\r\n\r\n", start);
                bodyStart = headerEnd + 4;
            }
            if (headerEnd < 0) {
                headerEnd = text.length();
                bodyStart = text.length();
            }
            String[] lines = text.substring(start, headerEnd).split("\r?\n");
            String command = lines[0].strip();
            boolean escaped = !command.equals("CONNECT") && !command.equals("CONNECTED");
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    String name = lines[i].substring(0, colon);
                    String value = lines[i].substring(colon + 1);
                    headers.putIfAbsent(escaped ? unescape(name) : name, escaped ? unescape(value) : value);
                }
            }
            String body = (bodyStart <= text.length()) ? text.substring(bodyStart) : "";
            String length = headers.get("content-length");
            if (length != null) {
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                int n = Math.min(Integer.parseInt(length.strip()), bytes.length);
                body = new String(bytes, 0, n, StandardCharsets.UTF_8);
            }
            else {
                int nul = body.indexOf('\0');
                if (nul >= 0) {
                    body = body.substring(0, nul);
                }
            }
            return new Frame(command, headers, body);
        }

        static String encode(String command, Map<String, String> headers, String body) {
            StringBuilder frame = new StringBuilder(command).append('\n');
            boolean escape = !command.equals("CONNECTED");
            headers.forEach((name, value) -> frame.append(escape ? escape(name) : name)
                .append(':')
                .append(escape ? escape(value) : value)
                .append('\n'));
            if (!body.isEmpty()) {
                frame.append("content-length:").append(body.getBytes(StandardCharsets.UTF_8).length).append('\n');
            }
            return frame.append('\n').append(body).append('\0').toString();
        }

        private static String escape(String value) {
            return value.replace("\\", "\\\\").replace("\r", "\\r").replace("\n", "\\n").replace(":", "\\c");
        }

        private static String unescape(String value) {
            if (value.indexOf('\\') < 0) {
                return value;
            }
            StringBuilder out = new StringBuilder(value.length());
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c == '\\' && i + 1 < value.length()) {
                    char next = value.charAt(++i);
                    out.append(switch (next) {
                        case 'n' -> '\n';
                        case 'r' -> '\r';
                        case 'c' -> ':';
                        default -> next;
                    });
                }
                else {
                    out.append(c);
                }
            }
            return out.toString();
        }

    }

}
