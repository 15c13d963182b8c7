package io.github.reconnectingws.cluster;

import java.util.Collection;
import java.util.List;

import io.github.reconnectingws.ReconnectingWebSocketClient;

/** One connection this instance may hold. */
final class HeldConnection {

    final ReconnectingWebSocketClient client;

    final String key;

    final boolean autoStartup;

    /** Whether this instance holds it; written under {@code moves}, read anywhere. */
    volatile boolean held;

    /** Not to be claimed before this {@link System#nanoTime()} (a yield); 0 = none. */
    volatile long excludedUntil;

    HeldConnection(ReconnectingWebSocketClient client, String key, boolean autoStartup) {
        this.client = client;
        this.key = key;
        this.autoStartup = autoStartup;
    }


    static String names(Collection<HeldConnection> held) {
        List<String> names = held.stream().map((h) -> h.client.getName()).sorted().toList();
        return (names.size() <= 5) ? String.join(", ", names)
                : String.join(", ", names.subList(0, 5)) + " and " + (names.size() - 5) + " more";
    }

}
