package io.github.reconnectingws.resume;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import io.github.reconnectingws.ResumePositionStore;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * Resume positions in a database table, one row per connection. A delivered position is
 * kept in memory and written every {@code flushInterval} (only the latest), and at once
 * when the connection stops or goes on standby: the hot path never waits for the
 * database. A crash loses at most the last interval of positions, whose messages the feed
 * then delivers again: never a gap.
 */
public class JdbcResumePositionStore implements ResumePositionStore, AutoCloseable {

    /** The table, for PostgreSQL and most databases. */
    public static final String DDL = "CREATE TABLE IF NOT EXISTS RWS_RESUME_POSITION ("
            + "POSITION_KEY VARCHAR(255) NOT NULL PRIMARY KEY, POSITION VARCHAR(1024) NOT NULL, "
            + "UPDATED_AT TIMESTAMP NOT NULL)";

    private static final Log logger = LogFactory.getLog(JdbcResumePositionStore.class);

    private final JdbcTemplate jdbc;

    private final String keyPrefix;

    private final Map<String, String> pending = new ConcurrentHashMap<>();

    private final ScheduledExecutorService flusher;

    /**
     * Create a store.
     * @param dataSource the database
     * @param keyPrefix put before each connection's key, e.g. the application name and a
     * colon, so that applications sharing the table keep their positions apart
     * @param flushInterval how often positions are written
     */
    public JdbcResumePositionStore(DataSource dataSource, String keyPrefix, Duration flushInterval) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.keyPrefix = keyPrefix;
        CustomizableThreadFactory threads = new CustomizableThreadFactory("rws-resume-flush-");
        threads.setDaemon(true);
        this.flusher = Executors.newSingleThreadScheduledExecutor(threads);
        long millis = flushInterval.toMillis();
        this.flusher.scheduleWithFixedDelay(this::flushAll, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Create the table if it does not exist. */
    public void createTable() {
        this.jdbc.execute(DDL);
    }

    @Override
    public @Nullable String load(String key) {
        List<String> found = this.jdbc.queryForList("SELECT POSITION FROM RWS_RESUME_POSITION WHERE POSITION_KEY = ?",
                String.class, this.keyPrefix + key);
        return found.isEmpty() ? null : found.get(0);
    }

    @Override
    public void save(String key, String position) {
        this.pending.put(key, position);
    }

    @Override
    public void flush(String key) {
        write(key);
    }

    private void flushAll() {
        for (String key : this.pending.keySet()) {
            try {
                write(key);
            }
            catch (DataAccessException ex) {
                logger.warn("Could not write the resume position of '" + key + "' (retried): " + ex.getMessage());
            }
        }
    }

    /** One writer at a time, so that an older position never overwrites a newer one. */
    private synchronized void write(String key) {
        String position = this.pending.remove(key);
        if (position == null) {
            return;
        }
        try {
            upsert(this.keyPrefix + key, position);
        }
        catch (DataAccessException ex) {
            // kept for the next round, unless a newer one came meanwhile
            this.pending.putIfAbsent(key, position);
            throw ex;
        }
    }

    private void upsert(String key, String position) {
        Timestamp now = Timestamp.from(Instant.now());
        int updated = this.jdbc.update(
                "UPDATE RWS_RESUME_POSITION SET POSITION = ?, UPDATED_AT = ? WHERE POSITION_KEY = ?", position, now,
                key);
        if (updated == 0) {
            try {
                this.jdbc.update("INSERT INTO RWS_RESUME_POSITION (POSITION_KEY, POSITION, UPDATED_AT) VALUES (?, ?, ?)",
                        key, position, now);
            }
            catch (DuplicateKeyException ex) {
                this.jdbc.update("UPDATE RWS_RESUME_POSITION SET POSITION = ?, UPDATED_AT = ? WHERE POSITION_KEY = ?",
                        position, now, key);
            }
        }
    }

    /** Write what is pending and stop the writer thread. */
    @Override
    public void close() {
        this.flusher.shutdown();
        try {
            flushAll();
        }
        finally {
            try {
                this.flusher.awaitTermination(5, TimeUnit.SECONDS);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
    }

}
