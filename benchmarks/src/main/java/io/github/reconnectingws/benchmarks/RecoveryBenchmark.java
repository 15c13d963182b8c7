package io.github.reconnectingws.benchmarks;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.github.reconnectingws.ConnectionObserver;
import io.github.reconnectingws.ReconnectingWebSocketClient;
import io.github.reconnectingws.connection.WebSocketClientResources;
import org.jspecify.annotations.Nullable;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.handler.AbstractWebSocketHandler;

/**
 * Benchmark 4, recovery: ours (default settings) and a naive raw loop side by side, on
 * the same faults of the same server child JVM, in the same run.
 * <ol>
 * <li>Plain drop: the server closes stable sessions (1012), one client at a time 100 ms
 * apart, then all at once; from the harness asking the server to close (one text message
 * on loopback) to connected again, not from the client's disconnect callback, which runs
 * late when many drops arrive at once. Rounds are 5.5 s apart, past stable-after.</li>
 * <li>Restart: the server JVM is killed (SIGKILL) and a new one started on the same port
 * after {@code --restart-ms} (3 s); from the moment the new server's port accepts TCP
 * connections (polled every 5 ms) to connected.</li>
 * <li>Outage: the same with {@code --outage-seconds} (22 s) down.</li>
 * <li>503: clients against {@code /reject}, answered 503 with {@code Retry-After: 1}, for
 * {@code --reject-seconds}; upgrade requests counted by the server per connect attempt
 * counted by the clients.</li>
 * </ol>
 * Raw = {@link StandardWebSocketClient} with the simplest reconnect loop: after a drop,
 * an attempt every second on a fixed grid until one succeeds. "Plain backoff" is computed,
 * not measured: the same drop and accept times run through the backoff without the
 * immediate retry and the endpoint watch (100 ms doubling to 30 s, +/-50 %); its attempt
 * count is the expectation over many draws of the jitter. Attempts are compared within
 * half an attempt: the immediate retry moves every later step about 75 ms earlier, which
 * now and then fits one more step into the same outage.
 */
public final class RecoveryBenchmark {

    private static final long SECOND = 1_000_000_000L;

    private static final int PLAIN_DRAWS = 200;

    private final Bench.Options options;

    public RecoveryBenchmark(Bench.Options options) {
        this.options = options;
    }

    public Stats.Table run() throws Exception {
        boolean smoke = this.options.smoke();
        int clients = this.options.intOption("clients", 20, 3);
        int dropRounds = this.options.intOption("drop-rounds", 3, 1);
        int restartMillis = this.options.intOption("restart-ms", 3000, 300);
        int outageSeconds = this.options.intOption("outage-seconds", 22, 1);
        int rejectSeconds = this.options.intOption("reject-seconds", 10, 2);
        Stats.Table table = new Stats.Table("Recovery (" + clients + " clients each; defaults vs raw loop retrying every 1 s)",
                "ours", "raw 1 s loop");
        ScheduledExecutorService timer = Executors.newScheduledThreadPool(2, (task) -> {
            Thread thread = new Thread(task, "raw-loop");
            thread.setDaemon(true);
            return thread;
        });
        try (BenchServer server = BenchServer.create(this.options.forkServer(), "-Xmx1g");
                WebSocketClientResources resources = new WebSocketClientResources();
                Clients.Raw raw = new Clients.Raw(64 * 1024, 64 * 1024, WebSocketClientResources.DEFAULT_CONNECT_CONCURRENCY)) {
            String url = server.url("/echo");
            List<Member> ours = new ArrayList<>();
            List<Member> loops = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                ours.add(new OursMember(url, "c" + i, resources));
                loops.add(new RawMember(raw.client, url, timer));
            }
            List<Member> all = new ArrayList<>(ours);
            all.addAll(loops);
            for (Member member : all) {
                member.arm();
                member.start();
            }
            awaitBack(all, 60, "first connect");

            // (a) plain drop: one client at a time (100 ms apart), then all at once
            List<Double> oursDrop = new ArrayList<>();
            List<Double> rawDrop = new ArrayList<>();
            List<Double> oneAnnounced = new ArrayList<>();
            List<Double> oneAskedToCallback = new ArrayList<>();
            List<Double> oneLateness = new ArrayList<>();
            for (int round = 0; round < dropRounds; round++) {
                Probe.sleep(smoke ? 200 : 5500);
                all.forEach(Member::arm);
                for (int i = 0; i < clients; i++) {
                    ours.get(i).drop();
                    loops.get(i).drop();
                    Probe.sleep(100);
                }
                awaitBack(all, 60, "plain drop");
                ours.forEach((m) -> oursDrop.add((m.backAt() - m.dropAskedAt()) / 1e6));
                loops.forEach((m) -> rawDrop.add((m.backAt() - m.dropAskedAt()) / 1e6));
                for (Member member : ours) {
                    OursMember our = (OursMember) member;
                    oneAnnounced.add((double) our.delayMillis);
                    oneAskedToCallback.add((our.droppedAt() - our.dropAskedAt()) / 1e6);
                    oneLateness.add((our.backAt() - our.scheduledFor) / 1e6);
                }
            }
            double dropMedian = Stats.median(oursDrop);
            table.absolute("(a) plain drop (close asked) -> connected, one at a time, median ms", dropMedian,
                    Stats.fmt(Stats.median(rawDrop)), "<= 60 ms", dropMedian <= 60);
            table.info("(a) plain drop -> connected, one at a time, p90 / max ms", pctSummary(oursDrop),
                    pctSummary(rawDrop));
            table.info("(a) one at a time: close asked -> disconnect callback, median / p90 / max ms",
                    Stats.fmt(Stats.median(oneAskedToCallback)) + " / " + pctSummary(oneAskedToCallback), "");
            table.info("(a) one at a time: retry delay drawn, median / p90 / max ms",
                    Stats.fmt(Stats.median(oneAnnounced)) + " / " + pctSummary(oneAnnounced), "");
            table.info("(a) one at a time: connected - attempt due, median / p90 / max ms",
                    Stats.fmt(Stats.median(oneLateness)) + " / " + pctSummary(oneLateness), "");
            Probe.sleep(smoke ? 200 : 5500);
            all.forEach(Member::arm);
            for (int i = 0; i < clients; i++) {
                ours.get(i).drop();
                loops.get(i).drop();
            }
            awaitBack(all, 60, "plain drop");
            List<Double> oursTogether = new ArrayList<>();
            List<Double> rawTogether = new ArrayList<>();
            ours.forEach((m) -> oursTogether.add((m.backAt() - m.dropAskedAt()) / 1e6));
            loops.forEach((m) -> rawTogether.add((m.backAt() - m.dropAskedAt()) / 1e6));
            table.info("(a) plain drop -> connected, all " + clients + " at once, median / p90 / max ms",
                    Stats.fmt(Stats.median(oursTogether)) + " / " + pctSummary(oursTogether),
                    Stats.fmt(Stats.median(rawTogether)) + " / " + pctSummary(rawTogether));
            List<Double> announced = new ArrayList<>();
            List<Double> askedToCallback = new ArrayList<>();
            List<Double> lateness = new ArrayList<>();
            for (Member member : ours) {
                OursMember our = (OursMember) member;
                announced.add((double) our.delayMillis);
                askedToCallback.add((our.droppedAt() - our.dropAskedAt()) / 1e6);
                lateness.add((our.backAt() - our.scheduledFor) / 1e6);
            }
            table.info("(a) all at once: close asked -> disconnect callback, median / p90 / max ms",
                    Stats.fmt(Stats.median(askedToCallback)) + " / " + pctSummary(askedToCallback), "");
            table.info("(a) all at once: retry delay drawn, median / p90 / max ms",
                    Stats.fmt(Stats.median(announced)) + " / " + pctSummary(announced), "");
            table.info("(a) all at once: connected - attempt due, median / p90 / max ms",
                    Stats.fmt(Stats.median(lateness)) + " / " + pctSummary(lateness), "");

            // (b) restart and (c) outage
            Probe.sleep(smoke ? 200 : 5500);
            fault(table, server, ours, loops, restartMillis, "(b) restart " + Stats.fmt(restartMillis / 1000.0) + " s");
            Probe.sleep(smoke ? 200 : 5500);
            fault(table, server, ours, loops, outageSeconds * 1000L, "(c) outage " + outageSeconds + " s");
            for (Member member : all) {
                member.stop();
            }

            // (d) 503 with Retry-After
            Map<String, Long> before = serverStats(server);
            List<Member> rejectedOurs = new ArrayList<>();
            List<Member> rejectedRaw = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                rejectedOurs.add(new OursMember(server.url("/reject-ours"), "r" + i, resources));
                rejectedRaw.add(new RawMember(raw.client, server.url("/reject-raw"), timer));
            }
            long rejectStart = System.nanoTime();
            for (int i = 0; i < clients; i++) {
                rejectedOurs.get(i).arm();
                rejectedOurs.get(i).start();
                rejectedRaw.get(i).arm();
                rejectedRaw.get(i).start();
            }
            Probe.sleep(rejectSeconds * 1000L);
            rejectedOurs.forEach(Member::stop);
            rejectedRaw.forEach(Member::stop);
            Probe.sleep(300);
            Map<String, Long> after = serverStats(server);
            double rejectWindow = (System.nanoTime() - rejectStart) / 1e9;
            long oursAttempts = rejectedOurs.stream().mapToLong(Member::attempts).sum();
            long rawAttempts = rejectedRaw.stream().mapToLong(Member::attempts).sum();
            long oursRequests = after.getOrDefault("reject-ours", 0L) - before.getOrDefault("reject-ours", 0L);
            long rawRequests = after.getOrDefault("reject-raw", 0L) - before.getOrDefault("reject-raw", 0L);
            double oursPerAttempt = oursRequests / (double) Math.max(1, oursAttempts);
            table.info("(d) 503 + Retry-After 1 s, " + Stats.fmt(rejectWindow) + " s: attempts per client",
                    Stats.fmt(oursAttempts / (double) clients), Stats.fmt(rawAttempts / (double) clients));
            table.info("(d) upgrade requests at the server / attempts", oursRequests + " / " + oursAttempts,
                    rawRequests + " / " + rawAttempts);
            table.absolute("(d) upgrade requests per rejected attempt", oursPerAttempt,
                    Stats.fmt(rawRequests / (double) Math.max(1, rawAttempts)),
                    "< 1.5 (two per attempt before)", oursAttempts > 0 && oursPerAttempt < 1.5);
        }
        finally {
            timer.shutdownNow();
        }
        table.print();
        return table;
    }

    /** Kill the server, start a new one after {@code downMillis}, measure from its port opening. */
    private void fault(Stats.Table table, BenchServer server, List<Member> ours, List<Member> loops, long downMillis,
            String label) throws Exception {
        List<Member> all = new ArrayList<>(ours);
        all.addAll(loops);
        all.forEach(Member::arm);
        long killedAt = System.nanoTime();
        server.kill();
        Probe.sleep(Math.max(0, downMillis - (System.nanoTime() - killedAt) / 1_000_000));
        AtomicLong acceptAt = new AtomicLong();
        Thread poller = new Thread(() -> {
            long deadline = System.nanoTime() + 180 * SECOND;
            while (System.nanoTime() < deadline) {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 100);
                    acceptAt.set(System.nanoTime());
                    return;
                }
                catch (IOException ex) {
                    Probe.sleep(5);
                }
            }
        }, "port-poller");
        poller.setDaemon(true);
        poller.start();
        server.start();
        poller.join(190_000);
        long accepted = acceptAt.get();
        awaitBack(all, 120, label);
        List<Double> oursBack = new ArrayList<>();
        List<Double> rawBack = new ArrayList<>();
        List<Double> plainBack = new ArrayList<>();
        List<Double> oursAttempts = new ArrayList<>();
        List<Double> rawAttempts = new ArrayList<>();
        double plainAttemptSum = 0;
        for (Member member : ours) {
            oursBack.add((member.backAt() - accepted) / 1e6);
            oursAttempts.add((double) member.attempts());
            long[] plain = plainBackoff(member.droppedAt(), accepted);
            plainBack.add((plain[0] - accepted) / 1e6);
            // the expected number: many draws of the jitter for the same drop and accept times
            for (int draw = 0; draw < PLAIN_DRAWS; draw++) {
                plainAttemptSum += plainBackoff(member.droppedAt(), accepted)[1];
            }
        }
        for (Member member : loops) {
            rawBack.add((member.backAt() - accepted) / 1e6);
            rawAttempts.add((double) member.attempts());
        }
        double median = Stats.median(oursBack);
        double oursMeanAttempts = oursAttempts.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        double plainMeanAttempts = plainAttemptSum / ((double) PLAIN_DRAWS * ours.size());
        table.info(label + ": kill -> port open, s", Stats.fmt((accepted - killedAt) / 1e9), "");
        table.absolute(label + ": port open -> connected, median ms", median, Stats.fmt(Stats.median(rawBack)),
                "<= 500 ms", median <= 500);
        table.info(label + ": port open -> connected, p90 / max ms", pctSummary(oursBack), pctSummary(rawBack));
        table.info(label + ": plain backoff (computed): port open -> connected, median / p90 ms",
                Stats.fmt(Stats.median(plainBack)) + " / " + Stats.fmt(pct(plainBack, 90)), "");
        table.absolute(label + ": attempts per client (kill -> connected), mean", oursMeanAttempts,
                Stats.fmt(rawAttempts.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN)),
                "<= plain backoff " + Stats.fmt(plainMeanAttempts) + " + 0.5", oursMeanAttempts <= plainMeanAttempts + 0.5);
        table.info(label + ": attempts per client, max", Stats.fmt(pct(oursAttempts, 100)),
                Stats.fmt(pct(rawAttempts, 100)));
        System.out.printf(Locale.ROOT, "%s: all %d clients back; port open at %.3f s after the kill%n", label, all.size(),
                (accepted - killedAt) / 1e9);
        for (int i = 0; i < Math.min(3, ours.size()); i++) {
            OursMember our = (OursMember) ours.get(i);
            System.out.printf(Locale.ROOT, "  ours %d: drop seen at %.3f s, attempts at (s after the kill, x = failed): %s%n", i,
                    (our.droppedAt() - killedAt) / 1e9, our.attemptTimes(killedAt));
        }
        List<Double> refused = new ArrayList<>();
        for (Member member : ours) {
            refused.add((double) ((OursMember) member).attemptLog.stream().filter((a) -> a[1] == 0).count());
        }
        System.out.println("  ours: failed attempts per client, sorted: "
                + refused.stream().sorted().map((v) -> String.valueOf(v.intValue())).toList());
    }

    /**
     * The plain backoff (no immediate retry, no watch) from a drop at {@code droppedAt}:
     * the time of the first attempt at or after {@code accepted}, and the attempts made
     * until then (including it).
     */
    static long[] plainBackoff(long droppedAt, long accepted) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        double interval = 100;
        long at = droppedAt;
        long attempts = 0;
        while (true) {
            at += (long) (interval * (1 + 0.5 * (2 * random.nextDouble() - 1)) * 1_000_000);
            attempts++;
            if (at >= accepted) {
                return new long[] { at, attempts };
            }
            interval = Math.min(interval * 2, 30_000);
        }
    }

    private static void awaitBack(List<Member> members, long seconds, String what) throws Exception {
        long deadline = System.nanoTime() + seconds * SECOND;
        for (Member member : members) {
            long left = deadline - System.nanoTime();
            try {
                member.back().get(Math.max(1, left), TimeUnit.NANOSECONDS);
            }
            catch (java.util.concurrent.TimeoutException ex) {
                long back = members.stream().filter((m) -> m.back().isDone()).count();
                throw new IllegalStateException(what + ": only " + back + " of " + members.size()
                        + " clients connected within " + seconds + " s");
            }
        }
    }

    /** Requests per path prefix counted by the server, from {@code GET /bench-stats}. */
    static Map<String, Long> serverStats(BenchServer server) throws Exception {
        String body = fetchStats(server);
        Map<String, Long> values = new HashMap<>();
        for (String pair : body.trim().split(" ")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && !pair.startsWith("perSecond")) {
                values.put(pair.substring(0, eq), Long.parseLong(pair.substring(eq + 1)));
            }
        }
        return values;
    }

    static String fetchStats(BenchServer server) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/bench-stats"))
            .timeout(Duration.ofSeconds(10))
            .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
    }

    private static String pctSummary(List<Double> values) {
        return Stats.fmt(pct(values, 90)) + " / " + Stats.fmt(pct(values, 100));
    }

    private static double pct(List<Double> values, double p) {
        long[] micros = values.stream().mapToLong((v) -> Math.round(v * 1000)).toArray();
        return Stats.percentile(micros, micros.length, p) / 1000.0;
    }

    /** One client under test: ours or a raw loop. */
    interface Member {

        /** Start counting afresh: attempts, the next drop, the next connect. */
        void arm();

        void start();

        /** Ask the server to close this client's session. */
        void drop();

        /** When {@link #drop()} was last called. */
        long dropAskedAt();

        void stop();

        CompletableFuture<Long> back();

        default long backAt() {
            return back().join();
        }

        long droppedAt();

        int attempts();

    }

    static final class OursMember implements Member, ConnectionObserver {

        private final ReconnectingWebSocketClient client;

        private final AtomicInteger attempts = new AtomicInteger();

        private volatile long droppedAt;

        private volatile CompletableFuture<Long> back = new CompletableFuture<>();

        OursMember(String url, String name, WebSocketClientResources resources) {
            this.client = Clients.ours(url, name, resources, 64 * 1024, 64 * 1024).observer(this).build();
        }

        @Override
        public void arm() {
            this.attempts.set(0);
            this.attemptLog.clear();
            this.droppedAt = 0;
            this.back = new CompletableFuture<>();
        }

        @Override
        public void start() {
            this.client.start();
        }

        /** Attempt times in seconds from {@code origin}, a failed one marked with x. */
        String attemptTimes(long origin) {
            StringBuilder out = new StringBuilder();
            for (long[] attempt : this.attemptLog) {
                out.append(String.format(Locale.ROOT, " %.3f%s", (attempt[0] - origin) / 1e9, (attempt[1] == 1) ? "" : "x"));
            }
            return out.toString().trim();
        }

        private volatile long dropAskedAt;

        @Override
        public void drop() {
            this.dropAskedAt = System.nanoTime();
            this.client.send("DROP");
        }

        @Override
        public long dropAskedAt() {
            return this.dropAskedAt;
        }

        @Override
        public void stop() {
            this.client.close();
        }

        @Override
        public CompletableFuture<Long> back() {
            return this.back;
        }

        @Override
        public long droppedAt() {
            return this.droppedAt;
        }

        @Override
        public int attempts() {
            return this.attempts.get();
        }

        private volatile long delayMillis;

        private volatile long scheduledFor;

        /** Attempt times (nanoTime) and outcomes since {@link #arm()}. */
        final java.util.concurrent.ConcurrentLinkedQueue<long[]> attemptLog = new java.util.concurrent.ConcurrentLinkedQueue<>();

        @Override
        public void onConnectAttempt(ReconnectingWebSocketClient client, boolean success) {
            this.attempts.incrementAndGet();
            this.attemptLog.add(new long[] { System.nanoTime(), success ? 1 : 0 });
        }

        @Override
        public void onReconnecting(ReconnectingWebSocketClient client, int attempt, Duration delay,
                @Nullable Throwable cause) {
            this.delayMillis = delay.toMillis();
            this.scheduledFor = System.nanoTime() + delay.toNanos();
        }

        @Override
        public void onConnected(ReconnectingWebSocketClient client, boolean reconnect) {
            this.back.complete(System.nanoTime());
        }

        @Override
        public void onDisconnected(ReconnectingWebSocketClient client, @Nullable CloseStatus status,
                @Nullable Throwable cause) {
            if (this.droppedAt == 0) {
                this.droppedAt = System.nanoTime();
            }
        }

    }

    /**
     * The raw client with the simplest loop: after a drop, attempt every second on a grid
     * anchored at the drop (a slot missed while an attempt ran is skipped).
     */
    static final class RawMember extends AbstractWebSocketHandler implements Member {

        private final StandardWebSocketClient client;

        private final String url;

        private final ScheduledExecutorService timer;

        private final AtomicInteger attempts = new AtomicInteger();

        private volatile @Nullable WebSocketSession session;

        private volatile boolean stopped;

        private volatile long droppedAt;

        private volatile long gridStart;

        private volatile CompletableFuture<Long> back = new CompletableFuture<>();

        RawMember(StandardWebSocketClient client, String url, ScheduledExecutorService timer) {
            this.client = client;
            this.url = url;
            this.timer = timer;
        }

        @Override
        public void arm() {
            this.attempts.set(0);
            this.droppedAt = 0;
            this.back = new CompletableFuture<>();
        }

        @Override
        public void start() {
            this.gridStart = System.nanoTime();
            attempt();
        }

        private void attempt() {
            if (this.stopped) {
                return;
            }
            this.attempts.incrementAndGet();
            this.client.execute(this, this.url).whenComplete((session, ex) -> {
                if (ex != null) {
                    scheduleNext();
                }
            });
        }

        private void scheduleNext() {
            if (this.stopped) {
                return;
            }
            long now = System.nanoTime();
            long next = this.gridStart + ((now - this.gridStart) / SECOND + 1) * SECOND;
            this.timer.schedule(this::attempt, next - now, TimeUnit.NANOSECONDS);
        }

        @Override
        public void afterConnectionEstablished(WebSocketSession session) {
            this.session = session;
            this.back.complete(System.nanoTime());
            if (this.stopped) {
                closeQuietly(session);
            }
        }

        @Override
        public void handleTransportError(WebSocketSession session, Throwable exception) {
            lost(session);
        }

        @Override
        public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
            lost(session);
        }

        private synchronized void lost(WebSocketSession lost) {
            if (this.session != lost) {
                return;
            }
            this.session = null;
            long now = System.nanoTime();
            if (this.droppedAt == 0) {
                this.droppedAt = now;
            }
            this.gridStart = now;
            scheduleNext();
        }

        private volatile long dropAskedAt;

        @Override
        public long dropAskedAt() {
            return this.dropAskedAt;
        }

        @Override
        public void drop() {
            this.dropAskedAt = System.nanoTime();
            WebSocketSession current = this.session;
            if (current != null) {
                try {
                    current.sendMessage(new TextMessage("DROP"));
                }
                catch (IOException ex) {
                    // the drop happens anyway
                }
            }
        }

        @Override
        public void stop() {
            this.stopped = true;
            WebSocketSession current = this.session;
            if (current != null) {
                closeQuietly(current);
            }
        }

        private static void closeQuietly(WebSocketSession session) {
            try {
                session.close();
            }
            catch (IOException ex) {
                // closing anyway
            }
        }

        @Override
        public CompletableFuture<Long> back() {
            return this.back;
        }

        @Override
        public long droppedAt() {
            return this.droppedAt;
        }

        @Override
        public int attempts() {
            return this.attempts.get();
        }

    }

}
