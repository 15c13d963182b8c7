package io.github.reconnectingws.benchmarks.startup;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A minimal Boot application whose context start is timed, in a fresh JVM per sample.
 * {@code MinimalApplication without} runs on a classpath without our jar (and
 * spring-retry); {@code MinimalApplication with <url>} runs with it and one connection:
 * configured by {@code reconnecting.websocket.url} when the starter's auto-configuration
 * is present, else declared as a bean built with the builder (the same work, by hand).
 * Refers to our classes only by name, so that it runs without them.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class MinimalApplication {

    static final String AUTO_CONFIGURATION_IMPORTS = "META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports";

    public static void main(String[] args) throws Exception {
        long begin = System.nanoTime();
        boolean with = args[0].equals("with");
        boolean autoConfigured = with && hasOurAutoConfiguration();
        List<Class<?>> sources = new ArrayList<>(List.of(MinimalApplication.class));
        List<String> properties = new ArrayList<>(List.of("--spring.jmx.enabled=false", "--logging.level.root=WARN"));
        if (with && autoConfigured) {
            properties.add("--reconnecting.websocket.url=" + args[1]);
        }
        else if (with) {
            System.setProperty("bench.url", args[1]);
            sources.add(Class.forName("io.github.reconnectingws.benchmarks.startup.ManualClientConfiguration"));
        }
        SpringApplication app = new SpringApplication(sources.toArray(Class[]::new));
        app.setWebApplicationType(WebApplicationType.NONE);
        app.setBannerMode(Banner.Mode.OFF);
        app.setLogStartupInfo(false);
        ConfigurableApplicationContext context = app.run(properties.toArray(String[]::new));
        long contextMillis = (System.nanoTime() - begin) / 1_000_000;
        long jvmMillis = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("contextMs", contextMillis);
        result.put("jvmToReadyMs", jvmMillis);
        result.put("autoConfigured", autoConfigured);
        result.put("beans", context.getBeanDefinitionCount());
        StringBuilder line = new StringBuilder("RESULT");
        result.forEach((key, value) -> line.append(' ').append(key).append('=').append(value));
        System.out.println(line);
        System.out.flush();
        context.close();
        System.exit(0);
    }

    static boolean hasOurAutoConfiguration() throws Exception {
        var resources = MinimalApplication.class.getClassLoader().getResources(AUTO_CONFIGURATION_IMPORTS);
        while (resources.hasMoreElements()) {
            try (var in = resources.nextElement().openStream()) {
                if (new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                    .contains("io.github.reconnectingws")) {
                    return true;
                }
            }
        }
        return false;
    }

}
