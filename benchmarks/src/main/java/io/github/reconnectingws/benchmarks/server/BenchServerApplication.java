package io.github.reconnectingws.benchmarks.server;

import java.io.IOException;
import java.io.InputStream;
import java.util.BitSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.messaging.simp.SimpMessagingTemplate;
import org.springframework.messaging.simp.config.MessageBrokerRegistry;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerResponse;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.EnableWebSocketMessageBroker;
import org.springframework.web.socket.config.annotation.StompEndpointRegistry;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketTransportRegistration;
import org.springframework.web.socket.handler.AbstractWebSocketHandler;
import org.springframework.web.socket.handler.TextWebSocketHandler;
import org.springframework.web.socket.server.standard.ServletServerContainerFactoryBean;

/**
 * The benchmark server: embedded Tomcat on 127.0.0.1 with a few endpoints.
 * <ul>
 * <li>{@code /echo}: echoes text and binary; text {@code DROP} closes the session (1012)</li>
 * <li>{@code /sink}: counts and discards; {@code SYNC...} is answered with itself (all
 * earlier messages have arrived); {@code FLOOD n size} sends n text messages of size
 * bytes; {@code FLOODJSON n} sends n JSON text messages of 64 bytes,
 * {@code {"seq":N,"p":"xx..."}}, N counting up from 1 over all floods of the session
 * (a feed with a resume position); {@code TICKERS n size first} sends n ticker-like
 * JSON text messages of size bytes with seq first, first + 1, ... ({@link TickerJson});
 * {@code TYPED n size type,type,...} sends n such messages whose {@code type} cycles over
 * the k types given (message i has type i mod k), made once per command: up to 3,000
 * distinct messages (seq from 1,000,000), sent over and over, so that making them does
 * not slow the flood;
 * {@code STOMPPUB n size destination} publishes n text
 * messages of size bytes ({@code x...}; size 0: one probe message {@code P}) to the STOMP
 * broker's destination, as fast as it can</li>
 * <li>{@code /stomp}: STOMP endpoint of Spring's simple broker, destinations
 * {@code /topic/**} (send buffer per session raised so a flood is buffered, not cut)</li>
 * <li>{@code /idle}: does nothing (Tomcat answers pings)</li>
 * <li>{@code /soak}: records sequence numbers, closes the session (1012) after a random
 * 1..40 messages; {@code /soak-control} answers {@code REPORT} without dropping</li>
 * <li>{@code /reject...}: every request is answered 503 with {@code Retry-After: 1}</li>
 * <li>{@code /cluster?c=<connection>}: the cluster benchmark's feed ({@link ClusterFeedHandler});
 * {@code GET /cluster-stats} its counts</li>
 * <li>{@code GET /bench-stats}: upgrade requests per second since start, and rejected
 * requests ({@link BenchStatsFilter})</li>
 * </ul>
 * Run in-process by the harness, or as a child process ({@link #main}) that prints
 * {@code BENCH-SERVER READY} and exits when its standard input closes.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@EnableWebSocket
@EnableWebSocketMessageBroker
public class BenchServerApplication implements WebSocketConfigurer, WebSocketMessageBrokerConfigurer {

    /** Printed on standard output when the forked server accepts connections. */
    public static final String READY = "BENCH-SERVER READY";

    private final SoakHandler soak = new SoakHandler();

    private final ClusterFeedHandler cluster = new ClusterFeedHandler();

    private final ObjectProvider<SimpMessagingTemplate> brokerTemplate;

    public BenchServerApplication(ObjectProvider<SimpMessagingTemplate> brokerTemplate) {
        this.brokerTemplate = brokerTemplate;
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        registry.addHandler(new EchoHandler(), "/echo");
        registry.addHandler(new SinkHandler(this.brokerTemplate), "/sink");
        registry.addHandler(new TextWebSocketHandler(), "/idle");
        registry.addHandler(this.soak, "/soak", "/soak-control");
        registry.addHandler(this.cluster, "/cluster");
    }

    @Override
    public void registerStompEndpoints(StompEndpointRegistry registry) {
        registry.addEndpoint("/stomp");
    }

    @Override
    public void configureMessageBroker(MessageBrokerRegistry registry) {
        registry.enableSimpleBroker("/topic");
    }

    @Override
    public void configureWebSocketTransport(WebSocketTransportRegistration registration) {
        // a flood to a slower client is buffered per session (the default 512 KiB would
        // close the session); bounded by the flood sizes the harness asks for
        registration.setSendBufferSizeLimit(512 * 1024 * 1024).setSendTimeLimit(300_000);
    }

    @Bean
    RouterFunction<ServerResponse> clusterStats() {
        return RouterFunctions.route()
            .GET("/cluster-stats", (request) -> ServerResponse.ok().body(this.cluster.stats()))
            .build();
    }

    @Bean
    ServletServerContainerFactoryBean webSocketContainer() {
        ServletServerContainerFactoryBean container = new ServletServerContainerFactoryBean();
        container.setMaxTextMessageBufferSize(8 * 1024);
        container.setMaxBinaryMessageBufferSize(32 * 1024);
        return container;
    }

    @Bean
    org.springframework.boot.web.servlet.FilterRegistrationBean<BenchStatsFilter> benchStatsFilter() {
        org.springframework.boot.web.servlet.FilterRegistrationBean<BenchStatsFilter> registration =
                new org.springframework.boot.web.servlet.FilterRegistrationBean<>(new BenchStatsFilter());
        registration.addUrlPatterns("/*");
        registration.setOrder(Integer.MIN_VALUE);
        return registration;
    }

    /** Start the server on 127.0.0.1:port. */
    public static ConfigurableApplicationContext start(int port) {
        SpringApplication app = new SpringApplication(BenchServerApplication.class);
        app.setWebApplicationType(WebApplicationType.SERVLET);
        app.setBannerMode(org.springframework.boot.Banner.Mode.OFF);
        app.setLogStartupInfo(false);
        app.setRegisterShutdownHook(false);
        return app.run("--server.port=" + port, "--server.address=127.0.0.1",
                "--server.tomcat.max-connections=30000", "--server.tomcat.accept-count=4096",
                "--server.tomcat.threads.max=64", "--server.tomcat.threads.min-spare=4",
                "--reconnecting.websocket.enabled=false", "--spring.jmx.enabled=false",
                "--logging.level.root=WARN", "--spring.main.lazy-initialization=false");
    }

    /**
     * Forked mode: {@code BenchServerApplication <port>}; exits when standard input closes.
     */
    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        ConfigurableApplicationContext context = start(port);
        System.out.println(READY + " pid=" + ProcessHandle.current().pid());
        System.out.flush();
        InputStream in = System.in;
        while (in.read() != -1) {
            // wait for the harness to go away
        }
        context.close();
        System.exit(0);
    }

    static final class EchoHandler extends AbstractWebSocketHandler {

        @Override
        protected void handleTextMessage(WebSocketSession session, TextMessage message) throws Exception {
            if ("DROP".equals(message.getPayload())) {
                session.close(CloseStatus.SERVICE_RESTARTED);
                return;
            }
            session.sendMessage(message);
        }

        @Override
        protected void handleBinaryMessage(WebSocketSession session, BinaryMessage message) throws Exception {
            session.sendMessage(message);
        }

    }

    static final class SinkHandler extends AbstractWebSocketHandler {

        /** Distinct messages made for a {@code TYPED} flood, at most. */
        static final int TYPED_DISTINCT = 3000;

        private final AtomicLong received = new AtomicLong();

        private final ObjectProvider<SimpMessagingTemplate> brokerTemplate;

        SinkHandler(ObjectProvider<SimpMessagingTemplate> brokerTemplate) {
            this.brokerTemplate = brokerTemplate;
        }

        @Override
        protected void handleTextMessage(WebSocketSession session, TextMessage message) throws Exception {
            String payload = message.getPayload();
            if (payload.startsWith("SYNC")) {
                session.sendMessage(new TextMessage(payload + " " + this.received.get()));
            }
            else if (payload.startsWith("FLOOD ")) {
                String[] parts = payload.split(" ");
                int count = Integer.parseInt(parts[1]);
                TextMessage out = new TextMessage("x".repeat(Integer.parseInt(parts[2])));
                for (int i = 0; i < count && session.isOpen(); i++) {
                    session.sendMessage(out);
                }
            }
            else if (payload.startsWith("FLOODJSON ")) {
                int count = Integer.parseInt(payload.substring(10).trim());
                long seq = (Long) session.getAttributes().getOrDefault("jsonSeq", 0L);
                for (int i = 0; i < count && session.isOpen(); i++) {
                    session.sendMessage(new TextMessage(json64(++seq)));
                }
                session.getAttributes().put("jsonSeq", seq);
            }
            else if (payload.startsWith("TICKERS ")) {
                String[] parts = payload.split(" ");
                int count = Integer.parseInt(parts[1]);
                int size = Integer.parseInt(parts[2]);
                long first = Long.parseLong(parts[3]);
                for (int i = 0; i < count && session.isOpen(); i++) {
                    session.sendMessage(new TextMessage(TickerJson.ticker(first + i, size)));
                }
            }
            else if (payload.startsWith("TYPED ")) {
                String[] parts = payload.split(" ");
                int count = Integer.parseInt(parts[1]);
                int size = Integer.parseInt(parts[2]);
                String[] types = parts[3].split(",");
                // a multiple of the number of types, so message i is always of type i mod k
                int distinct = Math.min(count, TYPED_DISTINCT / types.length * types.length);
                TextMessage[] messages = new TextMessage[distinct];
                for (int i = 0; i < distinct; i++) {
                    messages[i] = new TextMessage(TickerJson.message(types[i % types.length], 1_000_000 + i, size));
                }
                for (int i = 0; i < count && session.isOpen(); i++) {
                    session.sendMessage(messages[i % distinct]);
                }
            }
            else if (payload.startsWith("STOMPPUB ")) {
                String[] parts = payload.split(" ");
                int count = Integer.parseInt(parts[1]);
                int size = Integer.parseInt(parts[2]);
                String body = (size > 0) ? "x".repeat(size) : "P";
                SimpMessagingTemplate template = this.brokerTemplate.getObject();
                for (int i = 0; i < count; i++) {
                    template.convertAndSend(parts[3], body);
                }
            }
            else {
                this.received.incrementAndGet();
            }
        }

        /** {@code {"seq":N,"p":"xx..."}}, padded to 64 bytes. */
        static String json64(long seq) {
            String head = "{\"seq\":" + seq + ",\"p\":\"";
            return head + "x".repeat(Math.max(1, 64 - head.length() - 2)) + "\"}";
        }

        @Override
        protected void handleBinaryMessage(WebSocketSession session, BinaryMessage message) {
            this.received.incrementAndGet();
        }

    }

    /** Sequence numbers received over all soak sessions; drops sessions at random. */
    static final class SoakHandler extends TextWebSocketHandler {

        private final BitSet seen = new BitSet();

        private long duplicates;

        private long total;

        @Override
        public void afterConnectionEstablished(WebSocketSession session) {
            session.getAttributes().put("left", ThreadLocalRandom.current().nextInt(1, 41));
        }

        @Override
        protected void handleTextMessage(WebSocketSession session, TextMessage message) throws Exception {
            String payload = message.getPayload();
            if (payload.equals("REPORT")) {
                String report;
                synchronized (this) {
                    report = "REPORT distinct=" + this.seen.cardinality() + " duplicates=" + this.duplicates
                            + " total=" + this.total;
                }
                session.sendMessage(new TextMessage(report));
                return;
            }
            if (payload.equals("RESET")) {
                synchronized (this) {
                    this.seen.clear();
                    this.duplicates = 0;
                    this.total = 0;
                }
                session.sendMessage(new TextMessage("RESET"));
                return;
            }
            int seq = Integer.parseInt(payload);
            synchronized (this) {
                this.total++;
                if (this.seen.get(seq)) {
                    this.duplicates++;
                }
                this.seen.set(seq);
            }
            if (session.getUri() != null && session.getUri().getPath().endsWith("/soak")) {
                int left = (Integer) session.getAttributes().get("left") - 1;
                session.getAttributes().put("left", left);
                if (left == 0) {
                    session.close(CloseStatus.SERVICE_RESTARTED);
                }
            }
        }

    }

}
