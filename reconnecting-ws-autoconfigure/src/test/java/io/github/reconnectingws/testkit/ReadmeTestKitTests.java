package io.github.reconnectingws.testkit;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The README's "Testing your application" section: its Java snippets are fenced as
 * {@code ```java test-kit} (the project-wide README check leaves them alone); each compiles
 * as shown, with the kit on the class path, and the complete example is, to the character,
 * {@link PriceFeedTests}, which runs in this build.
 */
class ReadmeTestKitTests {

    private static final Path README = Path.of("..", "README.md");

    private static final Pattern SECTION = Pattern.compile("(?ms)^## Testing your application\\s*$(.*?)(?=^## |\\z)");

    private static final Pattern SNIPPET = Pattern.compile("(?ms)^```java test-kit\\s*$\\n(.*?)^```");

    private static List<String> snippets() throws IOException {
        String readme = Files.readString(README, StandardCharsets.UTF_8).replace("\r\n", "\n");
        Matcher section = SECTION.matcher(readme);
        assertThat(section.find()).as("README.md has a \"## Testing your application\" section").isTrue();
        List<String> snippets = new ArrayList<>();
        Matcher snippet = SNIPPET.matcher(section.group(1));
        while (snippet.find()) {
            snippets.add(snippet.group(1));
        }
        assertThat(snippets).as("```java test-kit snippets").hasSizeGreaterThanOrEqualTo(3);
        return snippets;
    }

    @Test
    void theCompleteExampleIsTheTestThatRunsHere() throws IOException {
        String source = Files.readString(
                Path.of("src/test/java/io/github/reconnectingws/testkit/PriceFeedTests.java"),
                StandardCharsets.UTF_8);
        String withoutPackage = source.substring(source.indexOf("\n\n") + 2);
        assertThat(snippets().get(0)).isEqualTo(withoutPackage);
    }

    @TestFactory
    Stream<DynamicTest> everySnippetCompiles() throws IOException {
        List<String> snippets = snippets();
        return java.util.stream.IntStream.range(0, snippets.size())
            .mapToObj((i) -> DynamicTest.dynamicTest("snippet " + (i + 1), () -> compile(i + 1, snippets.get(i))));
    }

    private static void compile(int number, String source) throws IOException {
        assertThat(source).as("snippet %d shows its imports", number).contains("import ");
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        Path output = Files.createTempDirectory("readme-test-kit-");
        try {
            DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
            JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///TestKitSnippet" + number + ".java"),
                    JavaFileObject.Kind.SOURCE) {
                @Override
                public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                    return source;
                }
            };
            // the test class path (surefire's manifest-only jar lists it; javac follows it)
            List<String> options = List.of("-classpath", System.getProperty("java.class.path"), "-d",
                    output.toString(), "-proc:none", "-parameters", "-Xlint:none");
            if (!compiler.getTask(null, null, diagnostics, options, null, List.of(file)).call()) {
                StringBuilder errors = new StringBuilder();
                diagnostics.getDiagnostics()
                    .forEach((diagnostic) -> errors.append("  line ")
                        .append(diagnostic.getLineNumber())
                        .append(": ")
                        .append(diagnostic.getMessage(null))
                        .append('\n'));
                fail("Test kit snippet " + number + " of README.md does not compile:\n" + errors + source);
            }
        }
        finally {
            try (Stream<Path> paths = Files.walk(output)) {
                paths.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
            }
        }
    }

}
