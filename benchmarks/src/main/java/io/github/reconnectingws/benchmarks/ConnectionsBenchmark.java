package io.github.reconnectingws.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.github.reconnectingws.ConnectionState;
import io.github.reconnectingws.ReconnectingWebSocketClient;
import io.github.reconnectingws.connection.WebSocketClientResources;

import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.TextWebSocketHandler;

/**
 * Benchmark 2, idle connections: N connections from one JVM to /idle; heap and RSS per
 * connection after GC, threads and descriptors. Each variant runs in its own child JVM:
 * raw and ours at equal message-buffer sizes (8 KiB, Tomcat's default), and ours and raw
 * at our default (64 KiB) to show how the per-connection buffers scale.
 */
public final class ConnectionsBenchmark {

    private final Bench.Options options;

    public ConnectionsBenchmark(Bench.Options options) {
        this.options = options;
    }

    public Stats.Table run() throws Exception {
        int count = this.options.intOption("connections", 10_000, 50);
        int idleSeconds = this.options.intOption("idle-seconds", 5, 1);
        String heap = this.options.extra().getOrDefault("child-heap", this.options.smoke() ? "256m" : "4g");
        Map<String, Map<String, String>> results = new LinkedHashMap<>();
        try (BenchServer server = BenchServer.create(this.options.forkServer(), "-Xmx4g")) {
            String sizes = this.options.extra().getOrDefault("sizes", this.options.smoke() ? "8192" : "8192,65536");
            java.util.List<String[]> variantList = new ArrayList<>();
            for (String size : sizes.split(",")) {
                variantList.add(new String[] { "raw", size.trim() });
                variantList.add(new String[] { "ours", size.trim() });
            }
            if (!"false".equals(this.options.extra().get("jdk"))) {
                // the JDK client has no message-size setting: one variant
                variantList.add(new String[] { "jdk", "0" });
            }
            String[][] variants = variantList.toArray(String[][]::new);
            for (String[] variant : variants) {
                String key = variant[0].equals("jdk") ? "jdk"
                        : variant[0] + "@" + (Integer.parseInt(variant[1]) / 1024) + "KiB";
                System.out.println("opening " + count + " idle connections: " + key + " ...");
                Map<String, String> result = Children.run(List.of("-Xmx" + heap, "-Xms" + heap), Child.class,
                        List.of(variant[0], String.valueOf(count), server.url("/idle"), variant[1],
                                String.valueOf(idleSeconds), this.options.extra().getOrDefault("heartbeat-seconds", "20"),
                                this.options.extra().getOrDefault("compression", "true")),
                        900, (entry) -> true);
                System.out.println("  " + key + ": " + result);
                results.put(key, result);
            }
        }
        Stats.Table table = new Stats.Table("Idle connections (" + count + " per JVM, idle " + idleSeconds
                + " s, measured after GC; each variant in a fresh JVM)");
        for (String size : new String[] { "8KiB", "64KiB" }) {
            Map<String, String> ours = results.get("ours@" + size);
            Map<String, String> raw = results.get("raw@" + size);
            if (ours == null || raw == null) {
                continue;
            }
            double oursHeap = kib(ours, "heapPerConnection");
            double rawHeap = kib(raw, "heapPerConnection");
            table.info("connections opened (" + size + " buffers)", ours.get("connected"), raw.get("connected"));
            table.absolute("heap KiB/connection (" + size + " buffers)", oursHeap, Stats.fmt(rawHeap),
                    "<= raw + 5 KiB", oursHeap <= rawHeap + 5);
            table.compare("RSS KiB/connection (" + size + " buffers)", kib(ours, "rssPerConnection"),
                    kib(raw, "rssPerConnection"), Double.NaN, false);
            double oursThreads = Double.parseDouble(ours.get("threads"));
            table.absolute("threads in JVM (" + size + " buffers)", oursThreads, raw.get("threads"), "<= 20",
                    oursThreads <= 20);
            table.info("thread names (" + size + ")", ours.get("threadNames"), raw.get("threadNames"));
            table.info("threads added by the clients (" + size + ")",
                    String.valueOf(Integer.parseInt(ours.get("threads")) - Integer.parseInt(ours.get("baseThreads"))),
                    String.valueOf(Integer.parseInt(raw.get("threads")) - Integer.parseInt(raw.get("baseThreads"))));
            table.compare("open fds (" + size + ")", Double.parseDouble(ours.get("fds")),
                    Double.parseDouble(raw.get("fds")), Double.NaN, false);
            table.compare("connect time s (" + size + ")", Double.parseDouble(ours.get("connectSeconds")),
                    Double.parseDouble(raw.get("connectSeconds")), Double.NaN, false);
        }
        Map<String, String> jdk = results.get("jdk");
        if (jdk != null) {
            Map<String, String> raw = results.getOrDefault("raw@8KiB", jdk);
            table.info("JDK HttpClient WebSocket: connections opened", jdk.get("connected"), "");
            table.compare("JDK HttpClient WebSocket: heap KiB/connection (vs raw 8 KiB)", kib(jdk, "heapPerConnection"),
                    kib(raw, "heapPerConnection"), Double.NaN, false);
            table.compare("JDK HttpClient WebSocket: RSS KiB/connection (vs raw 8 KiB)", kib(jdk, "rssPerConnection"),
                    kib(raw, "rssPerConnection"), Double.NaN, false);
            table.info("JDK HttpClient WebSocket: threads in JVM", jdk.get("threads"), raw.get("threads"));
            table.info("JDK HttpClient WebSocket: thread names", jdk.get("threadNames"), "");
            table.info("JDK HttpClient WebSocket: connect time s", jdk.get("connectSeconds"), "");
        }
        table.print();
        return table;
    }

    private static double kib(Map<String, String> result, String key) {
        return Double.parseDouble(result.get(key)) / 1024.0;
    }

    /** {@code Child raw|ours|jdk <count> <url> <bufferSize> <idleSeconds> <heartbeatSeconds>} */
    public static final class Child {

        public static void main(String[] args) throws Exception {
            boolean ours = args[0].equals("ours");
            boolean jdk = args[0].equals("jdk");
            int count = Integer.parseInt(args[1]);
            String url = args[2];
            int buffer = Integer.parseInt(args[3]);
            int idleSeconds = Integer.parseInt(args[4]);
            java.time.Duration heartbeat = java.time.Duration.ofSeconds(Long.parseLong(args[5]));
            // ours offers permessage-deflate unless told not to; the server accepts it
            boolean compression = Boolean.parseBoolean(args[6]);
            Map<String, Object> result = new LinkedHashMap<>();
            // the shared, fixed parts exist before the baseline: only per-connection cost counts
            WebSocketClientResources resources = ours ? new WebSocketClientResources() : null;
            java.net.http.HttpClient http = jdk ? java.net.http.HttpClient.newHttpClient() : null;
            Clients.Raw raw = (ours || jdk) ? null : new Clients.Raw(buffer, buffer, WebSocketClientResources.DEFAULT_CONNECT_CONCURRENCY);
            // one warm-up connection each so classes and pools are loaded before the baseline
            List<Object> keep = new ArrayList<>();
            if (jdk) {
                openJdk(http, url).get(60, TimeUnit.SECONDS).abort();
            }
            else if (ours) {
                ReconnectingWebSocketClient warm = Clients.ours(url, "warm", resources, buffer, buffer)
                    .compression(compression)
                    .build();
                warm.start().get(60, TimeUnit.SECONDS);
                warm.close();
            }
            else {
                raw.client.execute(new TextWebSocketHandler(), url).get(60, TimeUnit.SECONDS).close();
            }
            Probe.sleep(500);
            long baseHeap = Probe.heapAfterGc();
            long baseRss = Probe.rssBytes();
            result.put("baseThreads", Probe.threads());
            result.put("baseFds", Probe.openFds());
            long start = System.nanoTime();
            List<CompletableFuture<?>> pending = new ArrayList<>();
            // the JDK client has no connect executor: at most as many handshakes at once as the others
            java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(
                    WebSocketClientResources.DEFAULT_CONNECT_CONCURRENCY);
            for (int i = 0; i < count; i++) {
                if (jdk) {
                    inFlight.acquire();
                    CompletableFuture<java.net.http.WebSocket> socket = openJdk(http, url);
                    socket.whenComplete((ws, ex) -> inFlight.release());
                    pending.add(socket);
                }
                else if (ours) {
                    ReconnectingWebSocketClient client = Clients.ours(url, "c" + i, resources, buffer, buffer)
                        .compression(compression)
                        .heartbeat(heartbeat, java.time.Duration.ofSeconds(10))
                        .build();
                    keep.add(client);
                    pending.add(client.start());
                }
                else {
                    CompletableFuture<WebSocketSession> session = raw.client.execute(new TextWebSocketHandler(), url);
                    pending.add(session);
                }
            }
            int connected = 0;
            for (CompletableFuture<?> future : pending) {
                try {
                    Object value = future.get(600, TimeUnit.SECONDS);
                    if (value instanceof WebSocketSession || value instanceof java.net.http.WebSocket) {
                        keep.add(value);
                    }
                    connected++;
                }
                catch (Exception ex) {
                    if (connected == 0 || pending.indexOf(future) % 1000 == 0) {
                        System.out.println("connect failed: " + ex);
                    }
                }
            }
            if (ours) {
                connected = (int) keep.stream()
                    .filter((c) -> ((ReconnectingWebSocketClient) c).getState() == ConnectionState.CONNECTED)
                    .count();
            }
            double connectSeconds = (System.nanoTime() - start) / 1e9;
            Probe.sleep(idleSeconds * 1000L);
            long heap = Probe.heapAfterGc();
            long rss = Probe.rssBytes();
            result.put("connected", connected);
            result.put("connectSeconds", String.format(java.util.Locale.ROOT, "%.2f", connectSeconds));
            result.put("heapPerConnection", (heap - baseHeap) / Math.max(1, connected));
            result.put("rssPerConnection", (rss - baseRss) / Math.max(1, connected));
            result.put("threads", Probe.threads());
            result.put("threadNames", Probe.threadSummary());
            result.put("fds", Probe.openFds());
            result.put("heapMiB", heap >> 20);
            result.put("rssMiB", rss >> 20);
            Children.printResult(result);
            // sanity: still referenced until here
            if (keep.isEmpty() && count > 0) {
                System.out.println("nothing kept");
            }
            System.exit(0);
        }

        private static CompletableFuture<java.net.http.WebSocket> openJdk(java.net.http.HttpClient http, String url) {
            return http.newWebSocketBuilder()
                .buildAsync(java.net.URI.create(url), new java.net.http.WebSocket.Listener() {
                })
                .toCompletableFuture();
        }

    }

}
