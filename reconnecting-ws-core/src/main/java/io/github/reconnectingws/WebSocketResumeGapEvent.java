package io.github.reconnectingws;

/**
 * A numeric resume position jumped by more than 1 ({@code resume.position}): messages
 * between the last delivered one and this one never arrived (the feed did not replay
 * them). Published on the thread that reads the connection, before the next message is
 * delivered: keep listeners short.
 */
public class WebSocketResumeGapEvent extends WebSocketConnectionEvent {

    private final String position;

    private final long missed;

    /**
     * Create an event.
     * @param client the client
     * @param position the position that arrived
     * @param missed how many positions before it are missing
     */
    public WebSocketResumeGapEvent(ReconnectingWebSocketClient client, String position, long missed) {
        super(client);
        this.position = position;
        this.missed = missed;
    }

    /**
     * The position that arrived after the gap.
     * @return the position
     */
    public String getPosition() {
        return this.position;
    }

    /**
     * How many positions are missing before {@link #getPosition()}.
     * @return the size of the gap
     */
    public long getMissed() {
        return this.missed;
    }

    @Override
    String describe() {
        return ", position=" + this.position + ", missed=" + this.missed;
    }

}
