package io.github.reconnectingws.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.github.reconnectingws.docs.SnippetCompiler;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import static org.assertj.core.api.Assertions.assertThat;

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
            .mapToObj((i) -> DynamicTest.dynamicTest("snippet " + (i + 1), () -> SnippetCompiler.compile("test kit snippet " + (i + 1) + " of README.md", snippets.get(i))));
    }

}
