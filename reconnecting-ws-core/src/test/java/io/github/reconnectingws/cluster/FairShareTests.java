package io.github.reconnectingws.cluster;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The spread that instances reach by each planning its own moves: simulated rounds of
 * heartbeats over an in-memory picture of the store, with every instance applying its
 * plan in turn, as they do against the real stores.
 */
class FairShareTests {

    private final Map<String, ClusterStore.Holding> holdings = new LinkedHashMap<>();

    private final Set<String> members = new HashSet<>();

    @Test
    void aThousandConnectionsOverThreeInstancesSettleWithinTheFairShare() {
        List<String> connections = connections(1000);
        join("a", "b", "c");
        settle(connections);
        assertThat(counts()).allSatisfy((member, count) -> assertThat(count).isBetween(332L, 335L));
        assertThat(counts().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(1000);
    }

    @Test
    void theFirstInstanceTakesEverythingAndAJoiningOneGetsItsShare() {
        List<String> connections = connections(101);
        join("a");
        settle(connections);
        assertThat(counts()).containsEntry("a", 101L);
        join("b");
        settle(connections);
        assertThat(counts()).allSatisfy((member, count) -> assertThat(count).isBetween(50L, 52L));
    }

    @Test
    void aLeavingInstancesConnectionsAreTakenByTheOthers() {
        List<String> connections = connections(10);
        join("a", "b", "c");
        settle(connections);
        leave("c");
        settle(connections);
        assertThat(counts()).containsOnlyKeys("a", "b").allSatisfy((member, count) -> assertThat(count).isEqualTo(5L));
    }

    @Test
    void aSurplusIsKeptWhileNobodyIsShort() {
        ClusterStore.View view = view();
        this.members.addAll(List.of("a", "b"));
        this.holdings.put("x", new ClusterStore.Holding("a", 1));
        this.holdings.put("y", new ClusterStore.Holding("a", 1));
        this.holdings.put("z", new ClusterStore.Holding("b", 1));
        view = view();
        // aim is 2: a holds 2 and b 1; nobody releases
        assertThat(FairShare.plan("a", view, List.of("x", "y", "z"), Set.of("x", "y"), Set.of(), Set.of()).isEmpty())
            .isTrue();
    }

    @Test
    void aConnectionLeftFreeTakesAnInstanceOneAboveItsAim() {
        this.members.addAll(List.of("a", "b"));
        this.holdings.put("x", new ClusterStore.Holding("a", 1));
        this.holdings.put("y", new ClusterStore.Holding(null, 4));
        ClusterStore.View view = view();
        // aim 1; a is full, and y (yielded by b, say) was free at the last heartbeat too
        assertThat(FairShare.plan("a", view, List.of("x", "y"), Set.of("x"), Set.of(), Set.of()).isEmpty()).isTrue();
        assertThat(FairShare.plan("a", view, List.of("x", "y"), Set.of("x"), Set.of(), Set.of("y")).claim())
            .containsExactly(Map.entry("y", 4L));
        // the one that yielded it does not take it back
        assertThat(FairShare.plan("b", view, List.of("x", "y"), Set.of(), Set.of("y"), Set.of("y")).isEmpty()).isTrue();
    }

    @Test
    void instancesPreferDifferentConnections() {
        List<String> connections = connections(100);
        List<String> a = new ArrayList<>(connections);
        List<String> b = new ArrayList<>(connections);
        a.sort((x, y) -> Long.compare(FairShare.rank("a", y), FairShare.rank("a", x)));
        b.sort((x, y) -> Long.compare(FairShare.rank("b", y), FairShare.rank("b", x)));
        Set<String> firstHalfOfBoth = new HashSet<>(a.subList(0, 50));
        firstHalfOfBoth.retainAll(b.subList(0, 50));
        assertThat(firstHalfOfBoth).hasSizeBetween(10, 40);
    }

    private void settle(List<String> connections) {
        connections.forEach((key) -> this.holdings.putIfAbsent(key, new ClusterStore.Holding(null, 0)));
        Map<String, Set<String>> longFree = new HashMap<>();
        for (int round = 0; round < 20; round++) {
            boolean moved = false;
            for (String member : this.members.stream().sorted().toList()) {
                ClusterStore.View view = view();
                Set<String> held = this.holdings.entrySet()
                    .stream()
                    .filter((entry) -> member.equals(entry.getValue().holder()))
                    .map(Map.Entry::getKey)
                    .collect(Collectors.toSet());
                FairShare.Moves moves = FairShare.plan(member, view, connections, held, Set.of(),
                        longFree.getOrDefault(member, Set.of()));
                longFree.put(member,
                        connections.stream().filter((key) -> view.holder(key) == null).collect(Collectors.toSet()));
                moves.release().forEach((key) -> this.holdings.put(key,
                        new ClusterStore.Holding(null, this.holdings.get(key).epoch())));
                moves.claim().forEach((key, epoch) -> {
                    ClusterStore.Holding now = this.holdings.get(key);
                    if (now.epoch() == epoch && view().holder(key) == null) {
                        this.holdings.put(key, new ClusterStore.Holding(member, epoch + 1));
                    }
                });
                moved |= !moves.isEmpty();
            }
            if (!moved) {
                return;
            }
        }
        throw new AssertionError("not settled after 20 rounds: " + counts());
    }

    private void join(String... names) {
        this.members.addAll(List.of(names));
    }

    private void leave(String name) {
        this.members.remove(name);
    }

    private ClusterStore.View view() {
        return new ClusterStore.View(Set.copyOf(this.members), Map.copyOf(this.holdings));
    }

    private Map<String, Long> counts() {
        ClusterStore.View view = view();
        return this.holdings.keySet()
            .stream()
            .map(view::holder)
            .filter((holder) -> holder != null)
            .collect(Collectors.groupingBy((holder) -> holder, Collectors.counting()));
    }

    private static List<String> connections(int count) {
        return IntStream.range(0, count).mapToObj((i) -> "feed-" + i).toList();
    }

}
