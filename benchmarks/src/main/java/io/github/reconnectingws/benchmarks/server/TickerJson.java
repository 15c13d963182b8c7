package io.github.reconnectingws.benchmarks.server;

/**
 * Ticker-like JSON text messages of an exact size in bytes (ASCII), the same for a given
 * type, sequence number and size wherever they are made (the server's {@code TICKERS} and
 * {@code TYPED} floods and the harness's outbound messages), so every client sees the
 * same bytes.
 * <ul>
 * <li>small (under 200 bytes): {@code {"type":"ticker","seq":N,"price":43123.45,"id":"9f3c..."}}</li>
 * <li>larger: {@code {"type":"ticker","seq":N,"levels":[{"symbol":"BTC-USD","price":43123.45,"size":0.153},...],"id":"9f3c..."}}
 * with as many levels as fit</li>
 * </ul>
 * Prices and sizes vary pseudo-randomly with the sequence number and the level; the
 * {@code id} (hex digits, as pseudo-random as a hash) fills the message to its exact size.
 */
public final class TickerJson {

    private static final String HEX = "0123456789abcdef";

    /** Room kept for {@code ],"id":"} + at least 4 hex digits + {@code "}}. */
    private static final int TAIL = 15;

    private TickerJson() {
    }

    /**
     * @param seq the sequence number (the same digit count for a run of messages keeps
     * their layout alike, e.g. from 1,000,000)
     * @param size the size in bytes, at least 64
     * @return the message, exactly {@code size} bytes
     */
    public static String ticker(long seq, int size) {
        return message("ticker", seq, size);
    }

    /**
     * The same message with another {@code type}: {@code {"type":"trade","seq":N,...}}
     * (the {@code id} takes up the difference in length).
     * @param type the value of the {@code type} field (plain ASCII letters)
     * @param seq the sequence number
     * @param size the size in bytes, at least 64
     * @return the message, exactly {@code size} bytes
     */
    public static String message(String type, long seq, int size) {
        StringBuilder json = new StringBuilder(size);
        json.append("{\"type\":\"").append(type).append("\",\"seq\":").append(seq);
        if (size < 200) {
            json.append(",\"price\":");
            price(json, seq, 0);
        }
        else {
            json.append(",\"levels\":[");
            for (int level = 0; level < size; level++) {
                int mark = json.length();
                json.append((level > 0) ? "," : "").append("{\"symbol\":\"BTC-USD\",\"price\":");
                price(json, seq, level);
                json.append(",\"size\":0.").append(100 + (int) (mix(seq * 131 + level * 7 + 3) % 900)).append('}');
                if (json.length() + TAIL > size) {
                    json.setLength(mark);
                    break;
                }
            }
            json.append(']');
        }
        json.append(",\"id\":\"");
        int fill = size - json.length() - 2;
        if (fill < 1) {
            throw new IllegalArgumentException("no ticker of " + size + " bytes with seq " + seq);
        }
        long bits = mix(seq);
        for (int i = 0; i < fill; i++) {
            if (i % 16 == 0 && i > 0) {
                bits = mix(bits + i);
            }
            json.append(HEX.charAt((int) ((bits >>> ((i % 16) * 4)) & 0xF)));
        }
        return json.append("\"}").toString();
    }

    private static void price(StringBuilder json, long seq, int level) {
        long r = mix(seq * 31 + level);
        long cents = 4_300_000 + (seq % 5000) * 10 + level * 25 + (r % 50);
        json.append(cents / 100).append('.');
        long fraction = cents % 100;
        json.append((fraction < 10) ? "0" : "").append(fraction);
    }

    /** A 64-bit mix (splitmix64's finalizer), non-negative. */
    private static long mix(long value) {
        long z = value + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return (z ^ (z >>> 31)) & Long.MAX_VALUE;
    }

}
