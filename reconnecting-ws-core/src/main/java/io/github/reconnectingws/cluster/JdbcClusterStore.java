package io.github.reconnectingws.cluster;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A {@link ClusterStore} in two PostgreSQL tables: {@code RWS_CLUSTER_MEMBER} (one row per
 * instance, with the moment its lease expires by the database's clock) and
 * {@code RWS_CLUSTER_CONNECTION} (one row per connection: holder and epoch). A check-in is
 * one statement; a claim is a compare-and-set of the epoch, so a row-level lock decides
 * between two claimers. Expired instances' rows are left for {@link #leave} or later
 * check-ins to clear.
 */
public class JdbcClusterStore implements ClusterStore {

    /** The tables, for PostgreSQL. */
    public static final List<String> DDL = List.of(
            "CREATE TABLE IF NOT EXISTS RWS_CLUSTER_MEMBER (APPLICATION VARCHAR(255) NOT NULL, "
                    + "MEMBER_ID VARCHAR(255) NOT NULL, EXPIRES_AT TIMESTAMP WITH TIME ZONE NOT NULL, "
                    + "PRIMARY KEY (APPLICATION, MEMBER_ID))",
            "CREATE TABLE IF NOT EXISTS RWS_CLUSTER_CONNECTION (APPLICATION VARCHAR(255) NOT NULL, "
                    + "CONNECTION_KEY VARCHAR(255) NOT NULL, HOLDER VARCHAR(255), EPOCH BIGINT NOT NULL DEFAULT 0, "
                    + "PRIMARY KEY (APPLICATION, CONNECTION_KEY))");

    // renew, and read what the store saw before (this instance is added by the caller)
    private static final String CHECK_IN = "WITH RENEWED AS (INSERT INTO RWS_CLUSTER_MEMBER "
            + "(APPLICATION, MEMBER_ID, EXPIRES_AT) VALUES (?, ?, CURRENT_TIMESTAMP + ? * INTERVAL '1 millisecond') "
            + "ON CONFLICT (APPLICATION, MEMBER_ID) DO UPDATE SET EXPIRES_AT = EXCLUDED.EXPIRES_AT RETURNING 1) "
            + "SELECT 'M', MEMBER_ID, NULL, 0 FROM RWS_CLUSTER_MEMBER WHERE APPLICATION = ? "
            + "AND EXPIRES_AT > CURRENT_TIMESTAMP UNION ALL "
            + "SELECT 'C', CONNECTION_KEY, HOLDER, EPOCH FROM RWS_CLUSTER_CONNECTION WHERE APPLICATION = ?";

    private static final String CLAIM = "UPDATE RWS_CLUSTER_CONNECTION C SET HOLDER = ?, EPOCH = C.EPOCH + 1 "
            + "WHERE C.APPLICATION = ? AND C.CONNECTION_KEY = ? AND C.EPOCH = ? AND (C.HOLDER IS NULL OR NOT EXISTS "
            + "(SELECT 1 FROM RWS_CLUSTER_MEMBER M WHERE M.APPLICATION = C.APPLICATION AND M.MEMBER_ID = C.HOLDER "
            + "AND M.EXPIRES_AT > CURRENT_TIMESTAMP)) AND EXISTS (SELECT 1 FROM RWS_CLUSTER_MEMBER S "
            + "WHERE S.APPLICATION = C.APPLICATION AND S.MEMBER_ID = ? AND S.EXPIRES_AT > CURRENT_TIMESTAMP)";

    private final JdbcTemplate jdbc;

    /**
     * Create a store.
     * @param dataSource the database
     */
    public JdbcClusterStore(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    /** Create the tables if they do not exist. */
    public void createTables() {
        DDL.forEach(this.jdbc::execute);
    }

    @Override
    public void register(String application, Collection<String> connections) {
        List<Object[]> rows = connections.stream().map((key) -> new Object[] { application, key }).toList();
        this.jdbc.batchUpdate("INSERT INTO RWS_CLUSTER_CONNECTION (APPLICATION, CONNECTION_KEY, EPOCH) "
                + "VALUES (?, ?, 0) ON CONFLICT (APPLICATION, CONNECTION_KEY) DO NOTHING", rows);
    }

    @Override
    public View checkIn(String application, String member, Duration ttl) {
        Set<String> members = new HashSet<>();
        Map<String, Holding> holdings = new HashMap<>();
        this.jdbc.query(CHECK_IN, (row) -> {
            if ("M".equals(row.getString(1))) {
                members.add(row.getString(2));
            }
            else {
                holdings.put(row.getString(2), new Holding(row.getString(3), row.getLong(4)));
            }
        }, application, member, ttl.toMillis(), application, application);
        members.add(member);
        return new View(Set.copyOf(members), Map.copyOf(holdings));
    }

    @Override
    public Map<String, Long> claim(String application, String member, Map<String, Long> epochs) {
        List<Map.Entry<String, Long>> tried = new ArrayList<>(epochs.entrySet());
        int[][] counts = this.jdbc.batchUpdate(CLAIM, tried, tried.size(), (statement, entry) -> {
            statement.setString(1, member);
            statement.setString(2, application);
            statement.setString(3, entry.getKey());
            statement.setLong(4, entry.getValue());
            statement.setString(5, member);
        });
        Map<String, Long> claimed = new HashMap<>();
        for (int i = 0; i < tried.size(); i++) {
            if (counts[0][i] > 0) {
                claimed.put(tried.get(i).getKey(), tried.get(i).getValue() + 1);
            }
        }
        return claimed;
    }

    @Override
    public void release(String application, String member, Collection<String> connections) {
        if (connections.isEmpty()) {
            return;
        }
        this.jdbc.execute((Connection connection) -> {
            Array keys = connection.createArrayOf("varchar", connections.toArray());
            try (PreparedStatement statement = connection.prepareStatement("UPDATE RWS_CLUSTER_CONNECTION "
                    + "SET HOLDER = NULL WHERE APPLICATION = ? AND HOLDER = ? AND CONNECTION_KEY = ANY (?)")) {
                statement.setString(1, application);
                statement.setString(2, member);
                statement.setArray(3, keys);
                return statement.executeUpdate();
            }
        });
    }

    @Override
    public void leave(String application, String member) {
        this.jdbc.update("UPDATE RWS_CLUSTER_CONNECTION SET HOLDER = NULL WHERE APPLICATION = ? AND HOLDER = ?",
                application, member);
        // an instance's row, and those of instances that expired long ago
        this.jdbc.update("DELETE FROM RWS_CLUSTER_MEMBER WHERE APPLICATION = ? AND (MEMBER_ID = ? "
                + "OR EXPIRES_AT < CURRENT_TIMESTAMP - INTERVAL '1 hour')", application, member);
    }

}
