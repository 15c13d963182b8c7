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

import org.springframework.core.NestedExceptionUtils;
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
            + "UPDATED_AT TIMESTAMP NOT NULL, EPOCH BIGINT DEFAULT 0 NOT NULL)";

    /** Adds the fencing epoch to a table created by an earlier version. */
    public static final String EPOCH_DDL = "ALTER TABLE RWS_RESUME_POSITION ADD COLUMN IF NOT EXISTS "
            + "EPOCH BIGINT DEFAULT 0 NOT NULL";

    private static final Log logger = LogFactory.getLog(JdbcResumePositionStore.class);

    private final JdbcTemplate jdbc;

    private final String keyPrefix;

    private final Map<String, String> pending = new ConcurrentHashMap<>();

    /** Each connection's fencing epoch ({@link #fence}); 0 when not clustered. */
    private final Map<String, Long> epochs = new ConcurrentHashMap<>();

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

    /** Create the table if it does not exist, or add the column this version needs. */
    public void createTable() {
        this.jdbc.execute(DDL);
        this.jdbc.execute(EPOCH_DDL);
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

    /**
     * {@inheritDoc}
     * <p>
     * A row holds the epoch of its last writer; a write under a lower epoch changes
     * nothing, so an instance that lost the connection never overwrites the position of
     * the one that holds it now.
     */
    @Override
    public void fence(String key, long epoch) {
        this.epochs.put(key, epoch);
    }

    private void flushAll() {
        for (String key : this.pending.keySet()) {
            try {
                write(key);
            }
            catch (DataAccessException ex) {
                logger.warn("Could not write the resume position of '" + key + "' (retried): " + describe(ex));
            }
        }
    }

    /** The failure and its root cause, type and message: the driver's reason is in the root. */
    private static String describe(Exception ex) {
        Throwable root = NestedExceptionUtils.getMostSpecificCause(ex);
        return ex + ((root != ex) ? " (caused by " + root + ")" : "");
    }

    /** One writer at a time, so that an older position never overwrites a newer one. */
    private synchronized void write(String key) {
        String position = this.pending.remove(key);
        if (position == null) {
            return;
        }
        try {
            upsert(this.keyPrefix + key, position, this.epochs.getOrDefault(key, 0L));
        }
        catch (DataAccessException ex) {
            // kept for the next round, unless a newer one came meanwhile
            this.pending.putIfAbsent(key, position);
            throw ex;
        }
    }

    private void upsert(String key, String position, long epoch) {
        Timestamp now = Timestamp.from(Instant.now());
        if (update(key, position, epoch, now) == 0) {
            try {
                this.jdbc.update("INSERT INTO RWS_RESUME_POSITION (POSITION_KEY, POSITION, UPDATED_AT, EPOCH) "
                        + "VALUES (?, ?, ?, ?)", key, position, now, epoch);
            }
            catch (DuplicateKeyException ex) {
                if (update(key, position, epoch, now) == 0) {
                    logger.info("Resume position of '" + key + "' not written: the connection was taken over "
                            + "by another instance (epoch above " + epoch + ")");
                }
            }
        }
    }

    private int update(String key, String position, long epoch, Timestamp now) {
        return this.jdbc.update("UPDATE RWS_RESUME_POSITION SET POSITION = ?, UPDATED_AT = ?, EPOCH = ? "
                + "WHERE POSITION_KEY = ? AND EPOCH <= ?", position, now, epoch, key, epoch);
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
