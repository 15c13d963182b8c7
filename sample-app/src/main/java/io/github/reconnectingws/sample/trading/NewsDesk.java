package io.github.reconnectingws.sample.trading;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.github.reconnectingws.WebSocketListener;

import org.springframework.stereotype.Component;

/**
 * Reads the news over STOMP: the {@code news} connection subscribes to
 * {@code /topic/news} on every (re)connect, so headlines keep coming after a drop.
 */
@Component
public class NewsDesk {

    private static final int KEPT = 8;

    private final Deque<Headline> latest = new ArrayDeque<>();

    private final AtomicLong received = new AtomicLong();

    @WebSocketListener(connection = "news", destination = "/topic/news")
    void onNews(Headline headline) {
        this.received.incrementAndGet();
        synchronized (this.latest) {
            this.latest.addFirst(headline);
            while (this.latest.size() > KEPT) {
                this.latest.removeLast();
            }
        }
    }

    /** The latest headlines, newest first. */
    public List<Headline> getLatest() {
        synchronized (this.latest) {
            return List.copyOf(this.latest);
        }
    }

    /** Headlines received in all. */
    public long getReceivedCount() {
        return this.received.get();
    }

    /**
     * A headline, as the wire sends it (JSON).
     * @param seq its number
     * @param headline the text
     */
    public record Headline(long seq, String headline) {
    }

}
