package io.github.reconnectingws.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

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

    /** Per-run values of each metric for ours and the other side, in the order recorded. */
    public static final class Paired {

        private final Map<String, List<List<Double>>> results = new LinkedHashMap<>();

        public void record(String metric, boolean ours, double value) {
            this.results.computeIfAbsent(metric, (key) -> List.of(new ArrayList<>(), new ArrayList<>()))
                .get(ours ? 0 : 1)
                .add(value);
        }

        /** Adds the medians of a metric to a table, with its target ratio. */
        public void row(Table table, String metric, double target, boolean higherIsBetter) {
            List<List<Double>> values = this.results.getOrDefault(metric, List.of(List.of(), List.of()));
            table.compare(metric, median(values.get(0)), median(values.get(1)), target, higherIsBetter);
        }

        /** Prints every run's value of every metric, ours first. */
        public void printPerRun(String otherLabel) {
            System.out.println("\nper run (ours | " + otherLabel + "):");
            this.results.forEach((metric, values) -> System.out
                .println("  " + metric + ": " + format(values.get(0)) + " | " + format(values.get(1))));
        }

        private static String format(List<Double> values) {
            return values.stream().map(Stats::fmt).collect(Collectors.joining(" "));
        }

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
