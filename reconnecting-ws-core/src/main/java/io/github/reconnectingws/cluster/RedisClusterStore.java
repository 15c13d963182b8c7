package io.github.reconnectingws.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * A {@link ClusterStore} in Redis, two keys per application: a sorted set of instances
 * scored by the moment their lease expires (Redis's own clock, {@code TIME}), and a hash
 * of each connection's {@code epoch|holder}. Every operation is one Lua script, atomic in
 * Redis.
 */
public class RedisClusterStore implements ClusterStore {

    private static final String NOW = "local t = redis.call('TIME') local now = t[1] * 1000 + math.floor(t[2] / 1000) ";

    private static final String LIVE = "local function live(m) if m == '' then return false end "
            + "local s = redis.call('ZSCORE', KEYS[1], m) return s and tonumber(s) > now end ";

    private static final RedisScript<List> CHECK_IN = RedisScript.of(NOW
            + "redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1]) "
            + "redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - 3600000) "
            + "local out = {} for _, m in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. now, '+inf')) do "
            + "table.insert(out, 'M') table.insert(out, m) end "
            + "local h = redis.call('HGETALL', KEYS[2]) for i = 1, #h, 2 do "
            + "table.insert(out, 'C') table.insert(out, h[i]) table.insert(out, h[i + 1]) end return out", List.class);

    private static final RedisScript<List> CLAIM = RedisScript.of(NOW + LIVE
            + "local out = {} if not live(ARGV[1]) then return out end "
            + "for i = 2, #ARGV, 2 do local v = redis.call('HGET', KEYS[2], ARGV[i]) "
            + "if v then local sep = string.find(v, '|', 1, true) local epoch = string.sub(v, 1, sep - 1) "
            + "local holder = string.sub(v, sep + 1) "
            + "if epoch == ARGV[i + 1] and not live(holder) then "
            + "redis.call('HSET', KEYS[2], ARGV[i], (tonumber(epoch) + 1) .. '|' .. ARGV[1]) "
            + "table.insert(out, ARGV[i]) end end end return out", List.class);

    private static final RedisScript<Long> RELEASE = RedisScript.of(
            "local n = 0 for i = 2, #ARGV do local v = redis.call('HGET', KEYS[2], ARGV[i]) "
                    + "if v then local sep = string.find(v, '|', 1, true) "
                    + "if string.sub(v, sep + 1) == ARGV[1] then "
                    + "redis.call('HSET', KEYS[2], ARGV[i], string.sub(v, 1, sep)) n = n + 1 end end end return n",
            Long.class);

    private static final RedisScript<Long> LEAVE = RedisScript.of("redis.call('ZREM', KEYS[1], ARGV[1]) "
            + "local h = redis.call('HGETALL', KEYS[2]) local n = 0 for i = 1, #h, 2 do "
            + "local sep = string.find(h[i + 1], '|', 1, true) if string.sub(h[i + 1], sep + 1) == ARGV[1] then "
            + "redis.call('HSET', KEYS[2], h[i], string.sub(h[i + 1], 1, sep)) n = n + 1 end end return n", Long.class);

    private final StringRedisTemplate redis;

    private final String prefix;

    /**
     * Create a store.
     * @param connectionFactory the Redis connection
     * @param prefix put before the keys, e.g. {@code reconnecting-ws:}
     */
    public RedisClusterStore(RedisConnectionFactory connectionFactory, String prefix) {
        this.redis = new StringRedisTemplate(connectionFactory);
        this.prefix = prefix;
    }

    private List<String> keys(String application) {
        // one hash tag: both keys land on one slot of a Redis Cluster
        String base = this.prefix + "{" + application + "}:";
        return List.of(base + "members", base + "holders");
    }

    @Override
    public void register(String application, Collection<String> connections) {
        String holders = keys(application).get(1);
        connections.forEach((key) -> this.redis.opsForHash().putIfAbsent(holders, key, "0|"));
    }

    @Override
    public View checkIn(String application, String member, Duration ttl) {
        List<?> out = this.redis.execute(CHECK_IN, keys(application), member, Long.toString(ttl.toMillis()));
        Set<String> members = new HashSet<>();
        Map<String, Holding> holdings = new HashMap<>();
        for (int i = 0; out != null && i < out.size();) {
            if ("M".equals(out.get(i))) {
                members.add((String) out.get(i + 1));
                i += 2;
            }
            else {
                String value = (String) out.get(i + 2);
                int separator = value.indexOf('|');
                String holder = value.substring(separator + 1);
                holdings.put((String) out.get(i + 1), new Holding(holder.isEmpty() ? null : holder,
                        Long.parseLong(value.substring(0, separator))));
                i += 3;
            }
        }
        members.add(member);
        return new View(Set.copyOf(members), Map.copyOf(holdings));
    }

    @Override
    public Map<String, Long> claim(String application, String member, Map<String, Long> epochs) {
        List<String> args = new ArrayList<>();
        args.add(member);
        epochs.forEach((key, epoch) -> {
            args.add(key);
            args.add(Long.toString(epoch));
        });
        List<?> taken = this.redis.execute(CLAIM, keys(application), args.toArray());
        Map<String, Long> claimed = new HashMap<>();
        if (taken != null) {
            taken.forEach((key) -> claimed.put((String) key, epochs.get(key) + 1));
        }
        return claimed;
    }

    @Override
    public void release(String application, String member, Collection<String> connections) {
        if (connections.isEmpty()) {
            return;
        }
        List<String> args = new ArrayList<>();
        args.add(member);
        args.addAll(connections);
        this.redis.execute(RELEASE, keys(application), args.toArray());
    }

    @Override
    public void leave(String application, String member) {
        this.redis.execute(LEAVE, keys(application), member);
    }

}
