package io.github.reconnectingws.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Medians, percentiles, ratios and the report table every benchmark prints.
 */
public final class Stats {

    private Stats() {
    }

    public static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int mid = sorted.length / 2;
        return (sorted.length % 2 == 1) ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /** The p-th percentile (0..100) of the first {@code count} values, nearest rank. */
    public static long percentile(long[] values, int count, double p) {
        if (count == 0) {
            return -1;
        }
        long[] sorted = Arrays.copyOf(values, count);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * count);
        return sorted[Math.min(count - 1, Math.max(0, rank - 1))];
    }

    public static String fmt(double value) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        double abs = Math.abs(value);
        if (abs >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        if (abs >= 10) {
            return String.format(Locale.ROOT, "%.1f", value);
        }
        return String.format(Locale.ROOT, "%.3f", value);
    }

    /** A table of rows: metric, ours, raw, ratio, target verdict. */
    public static final class Table {

        private final String title;

        private final List<String[]> rows = new ArrayList<>();

        private int misses;

        private final String oursLabel;

        private final String rawLabel;

        public Table(String title) {
            this(title, "ours", "raw");
        }

        public Table(String title, String oursLabel, String rawLabel) {
            this.title = title;
            this.oursLabel = oursLabel;
            this.rawLabel = rawLabel;
        }

        /** A row comparing ours with raw; {@code maxRatio} NaN for no target. */
        public Table compare(String metric, double ours, double raw, double maxRatio, boolean higherIsBetter) {
            double ratio = ours / raw;
            String verdict = "";
            if (!Double.isNaN(maxRatio)) {
                boolean met = higherIsBetter ? ratio >= maxRatio : ratio <= maxRatio;
                verdict = (met ? "MET" : "MISSED") + " (" + (higherIsBetter ? ">= " : "<= ") + fmt(maxRatio) + "x)";
                if (!met) {
                    this.misses++;
                }
            }
            this.rows.add(new String[] { metric, fmt(ours), fmt(raw), fmt(ratio) + "x", verdict });
            return this;
        }

        /** A row with an absolute target. */
        public Table absolute(String metric, double ours, String raw, String target, boolean met) {
            if (!met) {
                this.misses++;
            }
            this.rows.add(new String[] { metric, fmt(ours), raw, "", (met ? "MET" : "MISSED") + " (" + target + ")" });
            return this;
        }

        /** An informational row. */
        public Table info(String metric, String ours, String raw) {
            this.rows.add(new String[] { metric, ours, raw, "", "" });
            return this;
        }

        /** Whether the row with this metric missed its target. */
        public boolean missed(String metric) {
            return this.rows.stream().anyMatch((row) -> row[0].equals(metric) && row[4].startsWith("MISSED"));
        }

        public int rows() {
            return this.rows.size();
        }

        public int misses() {
            return this.misses;
        }

        public void print() {
            String[] head = { "metric", this.oursLabel, this.rawLabel, "ratio", "target" };
            int[] width = new int[head.length];
            for (int i = 0; i < head.length; i++) {
                width[i] = head[i].length();
                for (String[] row : this.rows) {
                    width[i] = Math.max(width[i], row[i].length());
                }
            }
            StringBuilder out = new StringBuilder("\n== " + this.title + " ==\n");
            appendRow(out, head, width);
            for (String[] row : this.rows) {
                appendRow(out, row, width);
            }
            System.out.print(out);
            System.out.flush();
        }

        private static void appendRow(StringBuilder out, String[] row, int[] width) {
            out.append("| ");
            for (int i = 0; i < row.length; i++) {
                String cell = row[i];
                out.append(cell).append(" ".repeat(width[i] - cell.length())).append(" | ");
            }
            out.setLength(out.length() - 1);
            out.append('\n');
        }

    }

}
