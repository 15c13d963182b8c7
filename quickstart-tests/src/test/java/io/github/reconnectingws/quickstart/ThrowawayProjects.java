package io.github.reconnectingws.quickstart;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Builds and tests a new project with the wrapper, offline, against the artifacts this
 * build installed into an isolated repository: what a user's first build would do.
 */
final class ThrowawayProjects {

    /** Most a child build may take: a cold JVM and Maven resolving offline. */
    static final Duration CHILD_BUILD_TIMEOUT = Duration.ofMinutes(4);

    private ThrowawayProjects() {
    }

    /**
     * Starts a new project in an empty directory, with its own {@code .mvn}: Maven must not
     * take the enclosing repository as the project's root.
     */
    static void newProject(Path project) throws IOException {
        deleteRecursively(project);
        Files.createDirectories(project.resolve(".mvn"));
    }

    /**
     * The POM of a new project: Spring Boot's dependency management, the given
     * dependencies and {@code spring-boot-starter-test}, and the plugin versions of the
     * enclosing build, so that it builds offline.
     * @param artifactId the project's artifact id
     * @param dependencies {@code <dependency>} elements, as a user would paste them
     */
    static String pom(String artifactId, String dependencies) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <project xmlns="http://maven.apache.org/POM/4.0.0"
                         xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                         xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
                    <modelVersion>4.0.0</modelVersion>
                    <groupId>com.example</groupId>
                    <artifactId>%s</artifactId>
                    <version>1.0.0</version>

                    <properties>
                        <maven.compiler.release>17</maven.compiler.release>
                        <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
                    </properties>

                    <dependencyManagement>
                        <dependencies>
                            <dependency>
                                <groupId>org.springframework.boot</groupId>
                                <artifactId>spring-boot-dependencies</artifactId>
                                <version>%s</version>
                                <type>pom</type>
                                <scope>import</scope>
                            </dependency>
                        </dependencies>
                    </dependencyManagement>

                    <dependencies>
                %s
                        <dependency>
                            <groupId>org.springframework.boot</groupId>
                            <artifactId>spring-boot-starter-test</artifactId>
                            <scope>test</scope>
                        </dependency>
                    </dependencies>

                    <!-- the plugin versions of the enclosing build, so that it runs offline -->
                    <build>
                        <pluginManagement>
                            <plugins>
                                <plugin>
                                    <artifactId>maven-compiler-plugin</artifactId>
                                    <version>%s</version>
                                    <configuration>
                                        <parameters>true</parameters>
                                    </configuration>
                                </plugin>
                                <plugin>
                                    <artifactId>maven-resources-plugin</artifactId>
                                    <version>%s</version>
                                </plugin>
                                <plugin>
                                    <artifactId>maven-surefire-plugin</artifactId>
                                    <version>%s</version>
                                </plugin>
                            </plugins>
                        </pluginManagement>
                    </build>
                </project>
                """.formatted(artifactId, property("quickstart.spring-boot.version"),
                dependencies.strip().indent(8).stripTrailing(), property("quickstart.compiler.version"),
                property("quickstart.resources.version"), property("quickstart.surefire.version"));
    }

    /**
     * Runs {@code mvnw test} in the project with the JDK running this test.
     * @param what what is built, for the failure message
     * @return the build's exit code
     */
    static int runWrapper(Path project, Path repository, Path log, String what)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(property("quickstart.mvnw")).toRealPath().toString(),
                "-B", "-ntp", "-o", "-Dmaven.repo.local=" + repository,
                "-Dmaven.repo.local.tail=" + property("quickstart.repository.tail"), "-DtrimStackTrace=false",
                "-DargLine=" + property("test.jvm-options"), "test"));
        ProcessBuilder builder = new ProcessBuilder(command).directory(project.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
        // the JDK running this test, for the wrapper, Maven and the project's tests
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        // the build's options for short-lived JVMs, for that Maven and its tests
        builder.environment().put("MAVEN_OPTS", property("test.jvm-options"));
        Process process = builder.start();
        try {
            if (!process.waitFor(CHILD_BUILD_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                fail(what + " did not finish within " + CHILD_BUILD_TIMEOUT + ". "
                        + describe(project, log, Files.readString(log, StandardCharsets.UTF_8)));
            }
            return process.exitValue();
        }
        finally {
            if (process.isAlive()) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** Where the project and its log are, and the log's last 60 lines. */
    static String describe(Path project, Path log, String output) {
        List<String> lines = output.lines().toList();
        String tail = String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        return "Project: " + project + ", full log: " + log + ", its end:\n" + tail;
    }

    /** A system property the build passes to this test. */
    static String property(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            fail("System property " + name + " is not set: run this test through Maven (./mvnw verify)");
        }
        return value;
    }

    static void write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

}
