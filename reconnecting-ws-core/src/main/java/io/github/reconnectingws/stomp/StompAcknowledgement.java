package io.github.reconnectingws.stomp;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import io.github.reconnectingws.ReconnectingWebSocketClient;

import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.web.socket.WebSocketSession;

/**
 * The ACK or NACK of one MESSAGE of a {@code client-individual} subscription. The first
 * call counts; later ones do nothing. One made after the STOMP session the message came on
 * has ended sends nothing: the broker delivers an unacknowledged message again on the next
 * session, and would refuse an acknowledgement of the old one. One made after its
 * subscription ended is sent: a broker keeps what a cancelled subscription had not
 * acknowledged until it is acknowledged, or the session ends.
 */
public final class StompAcknowledgement {

    private final ReconnectingWebSocketClient client;

    private final WebSocketSession session;

    private final String ackId;

    private final BooleanSupplier sameSession;

    private final AtomicBoolean done = new AtomicBoolean();

    StompAcknowledgement(ReconnectingWebSocketClient client, WebSocketSession session, String ackId,
            BooleanSupplier sameSession) {
        this.client = client;
        this.session = session;
        this.ackId = ackId;
        this.sameSession = sameSession;
    }

    /** The message was taken: the broker forgets it. */
    public void ack() {
        if (this.done.compareAndSet(false, true) && this.sameSession.getAsBoolean()) {
            this.client.send(StompFrames.ack(StompCommand.ACK, this.ackId), this.session);
        }
    }

    /** The message was not taken: the broker may deliver it again. */
    public void nack() {
        if (this.done.compareAndSet(false, true) && this.sameSession.getAsBoolean()) {
            this.client.send(StompFrames.ack(StompCommand.NACK, this.ackId), this.session);
        }
    }

}
