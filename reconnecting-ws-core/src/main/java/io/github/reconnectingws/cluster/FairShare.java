package io.github.reconnectingws.cluster;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What one instance does at a heartbeat to move the cluster toward a fair spread, from
 * what its check-in saw: no coordinator, every instance plans for itself. With {@code N}
 * connections and {@code M} live instances each aims at {@code ceil(N / M)}: one above it
 * releases the surplus (and closes those connections first) while another is below it,
 * one below it claims free connections up to it. A connection left free for two heartbeats (its preferred takers
 * are full, or a yield) may take an instance one above its aim. Each instance prefers its
 * own connections by a hash of its name and theirs (rendezvous hashing), so that
 * instances claiming at once mostly try different connections. Releasing before claiming
 * is the cooperative, incremental rebalancing of Kafka's consumer groups: a connection
 * moves only when its holder has let it go.
 */
final class FairShare {

    private FairShare() {
    }

    /**
     * The moves of one instance.
     * @param release connections to close and release
     * @param claim connections to claim, with the epoch seen
     */
    record Moves(List<String> release, Map<String, Long> claim) {

        boolean isEmpty() {
            return this.release.isEmpty() && this.claim.isEmpty();
        }

    }

    /**
     * Plan this heartbeat's moves.
     * @param member this instance
     * @param view what the check-in saw
     * @param connections the connections this instance may hold
     * @param held those it holds
     * @param excluded those it must not claim now (yielded)
     * @param longFree those that were free at the previous heartbeat too
     * @return the moves
     */
    static Moves plan(String member, ClusterStore.View view, Collection<String> connections, Set<String> held,
            Set<String> excluded, Set<String> longFree) {
        int aim = aim(connections.size(), view.members().size());
        Comparator<String> preferred = Comparator.comparingLong((String key) -> rank(member, key)).reversed();
        if (held.size() > aim) {
            // surplus goes only to an instance that is short: no release that nobody takes
            Map<String, Long> counts = view.holdings()
                .keySet()
                .stream()
                .map(view::holder)
                .filter(Objects::nonNull)
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
            boolean someoneShort = view.members().stream().anyMatch((other) -> counts.getOrDefault(other, 0L) < aim);
            List<String> release = someoneShort ? held.stream().sorted(preferred).skip(aim).toList() : List.of();
            return new Moves(release, Map.of());
        }
        List<String> free = connections.stream()
            .filter((key) -> !held.contains(key) && !excluded.contains(key) && view.holdings().containsKey(key)
                    && view.holder(key) == null)
            .sorted(preferred)
            .toList();
        int room = aim - held.size();
        if (room == 0 && free.stream().anyMatch(longFree::contains)) {
            free = free.stream().filter(longFree::contains).toList();
            room = 1;
        }
        Map<String, Long> claim = new java.util.LinkedHashMap<>();
        free.stream().limit(room).forEach((key) -> claim.put(key, view.holdings().get(key).epoch()));
        return new Moves(List.of(), claim);
    }

    /** The fair share: {@code ceil(connections / members)}. */
    static int aim(int connections, int members) {
        return (connections + Math.max(members, 1) - 1) / Math.max(members, 1);
    }

    /** How much an instance prefers a connection: a well-mixed hash of both names. */
    static long rank(String member, String connection) {
        long hash = (member.hashCode() * 31L) ^ connection.hashCode() * 0x9E3779B97F4A7C15L;
        hash ^= (hash >>> 33);
        hash *= 0xff51afd7ed558ccdL;
        hash ^= (hash >>> 33);
        return hash;
    }

}
