package io.github.reconnectingws.connection;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import io.github.reconnectingws.ConnectionSettings;
import io.github.reconnectingws.PositionExtractor;
import io.github.reconnectingws.ResumePositionStore;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;
import org.springframework.web.socket.WebSocketMessage;

/**
 * The last delivered position of one connection ({@code resume.position}): read from
 * each inbound message, compared with the last one to drop duplicates and notice gaps,
 * recorded once every listener has returned, kept in the store, and put into the next
 * handshake. Messages of one client are dispatched one at a time, so the positions are
 * written by one thread at a time; they are read by any.
 */
final class ResumeTracker {

    private static final Log logger = LogFactory.getLog(ResumeTracker.class);

    private final String key;

    private final PositionExtractor extractor;

    private final ResumePositionStore store;

    private final boolean deduplicate;

    private volatile @Nullable String delivered;

    /** Whether the store was read; the first read happens under {@code this}, once. */
    private volatile boolean loaded;

    /**
     * The tracker of a connection's resume settings, or {@code null} when it does not
     * resume: no extractor given and no {@code resume.position}.
     * @param extractor the application's extractor, else the settings' JSON pointer is used
     * @param store the application's store, else positions are kept in this JVM
     */
    static @Nullable ResumeTracker of(String key, ConnectionSettings.Resume settings,
            @Nullable PositionExtractor extractor, @Nullable ResumePositionStore store) {
        if (extractor == null && !settings.position().isEmpty()) {
            if (!ClassUtils.isPresent("tools.jackson.core.JsonParser", ResumeTracker.class.getClassLoader())) {
                throw new IllegalStateException("resume.position needs Jackson (tools.jackson.core:jackson-core) to "
                        + "read positions from JSON; add it, or give the builder a PositionExtractor");
            }
            extractor = new JsonPointerPositionExtractor(settings.position());
        }
        if (extractor == null) {
            return null;
        }
        return new ResumeTracker(key, extractor, (store != null) ? store : new InMemoryPositionStore(),
                settings.deduplicate());
    }

    ResumeTracker(String key, PositionExtractor extractor, ResumePositionStore store, boolean deduplicate) {
        this.key = key;
        this.extractor = extractor;
        this.store = store;
        this.deduplicate = deduplicate;
    }

    /** The last delivered position, loaded from the store the first time. May block once. */
    @Nullable String position() {
        if (!this.loaded) {
            synchronized (this) {
                if (!this.loaded) {
                    if (this.delivered == null) {
                        this.delivered = this.store.load(this.key);
                    }
                    this.loaded = true;
                }
            }
        }
        return this.delivered;
    }

    /** The last delivered position as known now, without asking the store. */
    @Nullable String lastDelivered() {
        return this.delivered;
    }

    /** The text for {@code {position}} in a URL: the position, URL-encoded, or empty. */
    String forUrl() {
        String position = position();
        return (position != null) ? URLEncoder.encode(position, StandardCharsets.UTF_8) : "";
    }

    /** The text for {@code {position}} in a header value: the position, or empty. */
    String forHeader() {
        String position = position();
        return (position != null) ? position : "";
    }

    /** The position of a message, or {@code null}. */
    @Nullable String positionOf(WebSocketMessage<?> message) {
        try {
            return this.extractor.extract(message);
        }
        catch (Exception ex) {
            if (logger.isDebugEnabled()) {
                logger.debug("No resume position in a message of '" + this.key + "': " + ex);
            }
            return null;
        }
    }

    /** Whether a message at this position was delivered already (numeric positions only). */
    boolean isDuplicate(String position) {
        if (!this.deduplicate) {
            return false;
        }
        long last = numeric(this.delivered);
        long current = numeric(position);
        return last != Long.MIN_VALUE && current != Long.MIN_VALUE && current <= last;
    }

    /**
     * Record a delivered position.
     * @return how many positions were skipped before it (numeric positions), or 0
     */
    long delivered(String position) {
        long last = numeric(this.delivered);
        this.delivered = position;
        this.loaded = true;
        this.store.save(this.key, position);
        long current = numeric(position);
        return (last != Long.MIN_VALUE && current != Long.MIN_VALUE && current > last + 1) ? current - last - 1 : 0;
    }

    /** Write the last delivered position now (stop, standby). */
    void flush(SecretMasker masker) {
        try {
            this.store.flush(this.key);
        }
        catch (RuntimeException ex) {
            logger.warn("Could not write the resume position of '" + this.key + "': " + masker.describe(ex));
        }
    }

    private static long numeric(@Nullable String position) {
        if (position == null || position.isEmpty() || position.length() > 18) {
            return Long.MIN_VALUE;
        }
        long value = 0;
        for (int i = 0; i < position.length(); i++) {
            char c = position.charAt(i);
            if (c < '0' || c > '9') {
                return Long.MIN_VALUE;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

}
