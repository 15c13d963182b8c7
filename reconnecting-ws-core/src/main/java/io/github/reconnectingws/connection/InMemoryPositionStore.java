package io.github.reconnectingws.connection;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.reconnectingws.ResumePositionStore;
import org.jspecify.annotations.Nullable;

/** Positions in this JVM: they survive reconnects and rotations, not restarts. */
final class InMemoryPositionStore implements ResumePositionStore {

    private final Map<String, String> positions = new ConcurrentHashMap<>();

    @Override
    public @Nullable String load(String key) {
        return this.positions.get(key);
    }

    @Override
    public void save(String key, String position) {
        this.positions.put(key, position);
    }

}
