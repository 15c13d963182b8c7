package io.github.reconnectingws.connection;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

import org.jspecify.annotations.Nullable;

import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;

/**
 * Lets Tomcat read with small per-connection buffers and still accept messages up to the
 * configured sizes. Tomcat allocates its read buffers per connection, up front, at the
 * largest message size; with this handler it uses {@link TomcatTransport#READ_BUFFER_SIZE}
 * buffers and hands over larger messages in parts, which are assembled here, memory
 * being taken only while such a message arrives. A message over its limit closes the
 * session with 1009, as Tomcat would, and nothing more of that session is handed on: the
 * parts Tomcat had already read (or inflated) of the rejected message would otherwise
 * arrive as a message of their own. Parts of one session arrive one at a time, on its
 * reading thread.
 */
final class MessageAssembler implements WebSocketHandler {

    private final WebSocketHandler delegate;

    private final int maxTextChars;

    private final int maxBinaryBytes;

    private @Nullable StringBuilder text;

    private @Nullable ByteArrayOutputStream binary;

    /** Set once a message was too big: the session is closing, and nothing more is read. */
    private boolean rejected;

    MessageAssembler(WebSocketHandler delegate, int maxTextChars, int maxBinaryBytes) {
        this.delegate = delegate;
        this.maxTextChars = maxTextChars;
        this.maxBinaryBytes = maxBinaryBytes;
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession session) throws Exception {
        this.delegate.afterConnectionEstablished(session);
    }

    @Override
    public void handleMessage(WebSocketSession session, WebSocketMessage<?> message) throws Exception {
        if (this.rejected) {
            return;
        }
        if (message instanceof TextMessage part) {
            handleText(session, part);
        }
        else if (message instanceof BinaryMessage part) {
            handleBinary(session, part);
        }
        else {
            this.delegate.handleMessage(session, message);
        }
    }

    private void handleText(WebSocketSession session, TextMessage part) throws Exception {
        StringBuilder assembled = this.text;
        if (assembled == null && part.isLast()) {
            this.delegate.handleMessage(session, part);
            return;
        }
        if (assembled == null) {
            assembled = new StringBuilder(part.getPayloadLength() * 2);
            this.text = assembled;
        }
        assembled.append(part.getPayload());
        if (assembled.length() > this.maxTextChars) {
            tooBig(session, "text message over max-text-message-size (" + this.maxTextChars + " characters)");
            return;
        }
        if (part.isLast()) {
            this.text = null;
            this.delegate.handleMessage(session, new TextMessage(assembled));
        }
    }

    private void handleBinary(WebSocketSession session, BinaryMessage part) throws Exception {
        ByteArrayOutputStream assembled = this.binary;
        if (assembled == null && part.isLast()) {
            this.delegate.handleMessage(session, part);
            return;
        }
        if (assembled == null) {
            assembled = new ByteArrayOutputStream(part.getPayloadLength() * 2);
            this.binary = assembled;
        }
        ByteBuffer payload = part.getPayload();
        byte[] bytes = new byte[payload.remaining()];
        payload.get(bytes);
        assembled.write(bytes);
        if (assembled.size() > this.maxBinaryBytes) {
            tooBig(session, "binary message over max-binary-message-size (" + this.maxBinaryBytes + " bytes)");
            return;
        }
        if (part.isLast()) {
            this.binary = null;
            this.delegate.handleMessage(session, new BinaryMessage(assembled.toByteArray()));
        }
    }

    /** The reason names the limit, so that the disconnect's log line and event say which. */
    private void tooBig(WebSocketSession session, String reason) throws Exception {
        this.rejected = true;
        this.text = null;
        this.binary = null;
        session.close(CloseStatus.TOO_BIG_TO_PROCESS.withReason(reason));
    }

    @Override
    public void handleTransportError(WebSocketSession session, Throwable exception) throws Exception {
        this.delegate.handleTransportError(session, exception);
    }

    @Override
    public void afterConnectionClosed(WebSocketSession session, CloseStatus closeStatus) throws Exception {
        this.text = null;
        this.binary = null;
        this.delegate.afterConnectionClosed(session, closeStatus);
    }

    @Override
    public boolean supportsPartialMessages() {
        return true;
    }

}
