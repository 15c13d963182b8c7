package io.github.reconnectingws.benchmarks.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Counts WebSocket upgrade requests per second since the server started (a cheap
 * histogram, one slot per second), answers {@code /reject...} upgrades with 503 and
 * {@code Retry-After: 1}, and reports the counts on {@code GET /bench-stats} as one line:
 * {@code upgrades=N rejected=N reject-x=N ... peak=N peakSecond=N perSecond=a,b,c}
 * (per-path counts for each {@code /reject-x} path).
 */
final class BenchStatsFilter implements Filter {

    private static final int SECONDS = 3600;

    private final long startNanos = System.nanoTime();

    private final AtomicIntegerArray perSecond = new AtomicIntegerArray(SECONDS);

    private final AtomicInteger upgrades = new AtomicInteger();

    private final AtomicInteger rejected = new AtomicInteger();

    private final java.util.Map<String, AtomicInteger> rejectedByPath = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest http = (HttpServletRequest) request;
        String path = http.getRequestURI();
        if ("websocket".equalsIgnoreCase(http.getHeader("Upgrade"))) {
            this.upgrades.incrementAndGet();
            int second = (int) ((System.nanoTime() - this.startNanos) / 1_000_000_000L);
            if (second < SECONDS) {
                this.perSecond.incrementAndGet(second);
            }
        }
        if (path.startsWith("/reject")) {
            this.rejected.incrementAndGet();
            this.rejectedByPath.computeIfAbsent(path.substring(1), (key) -> new AtomicInteger()).incrementAndGet();
            HttpServletResponse out = (HttpServletResponse) response;
            out.setStatus(503);
            out.setHeader("Retry-After", "1");
            out.setContentLength(0);
            return;
        }
        if (path.equals("/bench-stats")) {
            byte[] body = report().getBytes(StandardCharsets.UTF_8);
            response.setContentType("text/plain");
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
            return;
        }
        chain.doFilter(request, response);
    }

    private String report() {
        int last = 0;
        int peak = 0;
        int peakSecond = 0;
        for (int i = 0; i < SECONDS; i++) {
            int count = this.perSecond.get(i);
            if (count > 0) {
                last = i;
            }
            if (count > peak) {
                peak = count;
                peakSecond = i;
            }
        }
        StringBuilder seconds = new StringBuilder();
        for (int i = 0; i <= last; i++) {
            seconds.append((i > 0) ? "," : "").append(this.perSecond.get(i));
        }
        StringBuilder byPath = new StringBuilder();
        this.rejectedByPath.forEach((key, count) -> byPath.append(key).append('=').append(count.get()).append(' '));
        return "upgrades=" + this.upgrades.get() + " rejected=" + this.rejected.get() + " " + byPath + "peak=" + peak
                + " peakSecond=" + peakSecond + " perSecond=" + seconds;
    }

}
