package io.github.reconnectingws.benchmarks;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Process measurements: CPU time, heap after GC, resident set size, threads, open file
 * descriptors.
 */
public final class Probe {

    private Probe() {
    }

    /** CPU time of this whole process (all threads), in nanoseconds. */
    public static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime();
    }

    /** Heap in use after a few full collections, in bytes. */
    /**
     * Bytes allocated so far by each live thread of the JVM, by thread id: give it to
     * {@link #allocatedSince} after a phase (the clients' pools live through it; a thread
     * that ended meanwhile is not counted).
     */
    public static java.util.Map<Long, Long> allocatedBytes() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory
            .getThreadMXBean();
        long[] ids = threads.getAllThreadIds();
        long[] bytes = threads.getThreadAllocatedBytes(ids);
        java.util.Map<Long, Long> byThread = new java.util.HashMap<>();
        for (int i = 0; i < ids.length; i++) {
            if (bytes[i] >= 0) {
                byThread.put(ids[i], bytes[i]);
            }
        }
        return byThread;
    }

    /** Bytes the live threads allocated since {@code before}. */
    public static long allocatedSince(java.util.Map<Long, Long> before) {
        long total = 0;
        for (java.util.Map.Entry<Long, Long> thread : allocatedBytes().entrySet()) {
            total += thread.getValue() - before.getOrDefault(thread.getKey(), 0L);
        }
        return total;
    }

    public static long heapAfterGc() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            sleep(150);
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    /** Resident set size of this process in bytes (Linux), or -1. */
    public static long rssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        }
        catch (IOException | RuntimeException ex) {
            // not Linux
        }
        return -1;
    }

    /** Context switches (voluntary and not) of all threads of this process so far (Linux), or -1. */
    public static long contextSwitches() {
        File[] tasks = new File("/proc/self/task").listFiles();
        if (tasks == null) {
            return -1;
        }
        long total = 0;
        for (File task : tasks) {
            try {
                for (String line : Files.readAllLines(task.toPath().resolve("status"))) {
                    if (line.startsWith("voluntary_ctxt_switches:") || line.startsWith("nonvoluntary_ctxt_switches:")) {
                        total += Long.parseLong(line.replaceAll("[^0-9]", ""));
                    }
                }
            }
            catch (IOException | RuntimeException ex) {
                // the thread ended meanwhile
            }
        }
        return total;
    }

    /** Live threads of this JVM. */
    public static int threads() {
        return ManagementFactory.getThreadMXBean().getThreadCount();
    }

    /** Live threads grouped by name without digits, e.g. {@code rws-writer-x4,main-x1}. */
    public static String threadSummary() {
        java.util.Map<String, Integer> groups = new java.util.TreeMap<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            groups.merge(thread.getName().replaceAll("[0-9]+", "#").replace(' ', '_'), 1, Integer::sum);
        }
        StringBuilder out = new StringBuilder();
        groups.forEach((name, count) -> out.append(out.length() > 0 ? "," : "").append(name).append("x").append(count));
        return out.toString();
    }

    /** Open file descriptors of this process (Linux), or -1. */
    public static int openFds() {
        String[] fds = new File("/proc/self/fd").list();
        return (fds != null) ? fds.length : -1;
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", ex);
        }
    }

}
