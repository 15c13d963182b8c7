package io.github.reconnectingws;

import java.util.List;

/**
 * A set of WebSocket close codes, written as codes and ranges: {@code 1008},
 * {@code 4000-4099}.
 */
public final class CloseCodes {

    private final int[] from;

    private final int[] to;

    private CloseCodes(int[] from, int[] to) {
        this.from = from;
        this.to = to;
    }

    /**
     * The codes of the given entries.
     * @param entries codes and ranges, e.g. {@code ["1008", "4000-4099"]}
     * @return the set
     * @throws IllegalArgumentException if an entry is malformed, reversed or outside
     * 1000-4999
     */
    public static CloseCodes of(List<String> entries) {
        int[] from = new int[entries.size()];
        int[] to = new int[entries.size()];
        for (int i = 0; i < entries.size(); i++) {
            int[] range = parse(entries.get(i));
            from[i] = range[0];
            to[i] = range[1];
        }
        return new CloseCodes(from, to);
    }

    /**
     * Parse one code or range.
     * @param entry e.g. {@code 1008} or {@code 4000-4099}
     * @return the first and last code
     * @throws IllegalArgumentException if the entry is malformed, reversed or outside
     * 1000-4999
     */
    static int[] parse(String entry) {
        String trimmed = (entry != null) ? entry.trim() : "";
        int dash = trimmed.indexOf('-');
        int first = code(dash < 0 ? trimmed : trimmed.substring(0, dash));
        int last = (dash < 0) ? first : code(trimmed.substring(dash + 1));
        if (last < first) {
            throw new IllegalArgumentException("the range " + trimmed + " is reversed");
        }
        return new int[] { first, last };
    }

    private static int code(String text) {
        int code;
        try {
            code = Integer.parseInt(text.trim());
        }
        catch (NumberFormatException ex) {
            throw new IllegalArgumentException("'" + text.trim() + "' is not a close code");
        }
        if (code < 1000 || code > 4999) {
            throw new IllegalArgumentException(code + " is not a close code (1000 to 4999)");
        }
        return code;
    }

    /**
     * Whether the code is in the set.
     * @param code a close code
     * @return whether it is one of the codes
     */
    public boolean contains(int code) {
        for (int i = 0; i < this.from.length; i++) {
            if (code >= this.from[i] && code <= this.to[i]) {
                return true;
            }
        }
        return false;
    }

}
