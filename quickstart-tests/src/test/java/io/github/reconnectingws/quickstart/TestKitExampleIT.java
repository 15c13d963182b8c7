package io.github.reconnectingws.quickstart;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static io.github.reconnectingws.quickstart.ThrowawayProjects.describe;
import static io.github.reconnectingws.quickstart.ThrowawayProjects.newProject;
import static io.github.reconnectingws.quickstart.ThrowawayProjects.pom;
import static io.github.reconnectingws.quickstart.ThrowawayProjects.property;
import static io.github.reconnectingws.quickstart.ThrowawayProjects.runWrapper;
import static io.github.reconnectingws.quickstart.ThrowawayProjects.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Does the README's test kit example work in a project of its own? Takes the dependency
 * snippet and the complete example from the "Testing your application" section as they
 * are, puts them into a new project next to the starter, and runs its test with the Maven
 * wrapper, offline, against the starter and the test kit this build packaged (installed
 * into {@code target/local-repo} before this test runs).
 */
class TestKitExampleIT {

    @Test
    void readmeTestKitExampleRunsInANewProject() throws Exception {
        String section = section(Path.of(property("quickstart.readme")));
        String dependency = firstBlock(section, "```xml");
        assertThat(dependency).contains("<artifactId>reconnecting-ws-test</artifactId>", "<scope>test</scope>");
        String example = firstBlock(section, "```java test-kit");
        assertThat(example).contains("@SpringBootTest", "MockWebSocketServer");
        String className = classNameOf(example);

        Path project = Path.of(property("quickstart.testkit.project"));
        Path log = project.resolve("build.log");
        writeProject(project, dependency, className, example);
        int exitCode = runWrapper(project, Path.of(property("quickstart.repository")), log,
                "The test kit example's build");
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(exitCode)
            .withFailMessage("The test kit example's build failed (exit code %d). %s", exitCode, describe(project, log,
                    output))
            .isZero();
        assertThat(output)
            .withFailMessage("The build passed but did not run the example's test. %s", describe(project, log, output))
            .contains("Tests run: 1, Failures: 0, Errors: 0, Skipped: 0");
    }

    private static String section(Path readme) throws IOException {
        String text = Files.readString(readme, StandardCharsets.UTF_8).replace("\r\n", "\n");
        Matcher section = Pattern.compile("(?ms)^## Testing your application\\s*$(.*?)(?=^## |\\z)").matcher(text);
        if (!section.find()) {
            fail("No \"## Testing your application\" section in " + readme);
        }
        return section.group(1);
    }

    private static String firstBlock(String section, String fence) {
        Matcher block = Pattern.compile("(?ms)^" + Pattern.quote(fence) + "\\s*$\\n(.*?)^```").matcher(section);
        if (!block.find()) {
            fail("No " + fence + " block in the \"## Testing your application\" section");
        }
        return block.group(1);
    }

    private static String classNameOf(String source) {
        Matcher name = Pattern.compile("(?m)^class (\\w+)").matcher(source);
        if (!name.find()) {
            fail("The example declares no top-level class:\n" + source);
        }
        return name.group(1);
    }

    private static void writeProject(Path project, String dependency, String className, String example)
            throws IOException {
        newProject(project);
        write(project.resolve("pom.xml"), pom("testkit-example", """
                <dependency>
                    <groupId>io.github.reconnectingws</groupId>
                    <artifactId>reconnecting-ws-starter</artifactId>
                    <version>%s</version>
                </dependency>
                """.formatted(property("quickstart.version")) + dependency));
        write(project.resolve("src/test/java/com/example/feed/" + className + ".java"),
                "package com.example.feed;\n\n" + example);
    }

}
