package io.github.reconnectingws.docs;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Compiles a Java snippet of README.md with javac against the test class path, as a
 * reader would paste it: with its imports, nothing added.
 */
public final class SnippetCompiler {

    private SnippetCompiler() {
    }

    /**
     * Fails with javac's errors when the snippet does not compile.
     * @param where where the snippet is, e.g. {@code README.md line 120}
     * @param source the snippet
     */
    public static void compile(String where, String source) throws IOException {
        Path output = Files.createTempDirectory("readme-snippet-");
        try {
            compileInto(where, source, output);
        }
        finally {
            try (Stream<Path> paths = Files.walk(output)) {
                paths.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
            }
        }
    }

    /**
     * Compiles the snippet into {@code output} and loads its classes, so that a test can
     * run it as an application would.
     * @param where where the snippet is, e.g. {@code README.md line 120}
     * @param source the snippet
     * @param output where its classes go; the caller deletes it
     * @return a class loader for the snippet's classes, the test's as its parent
     */
    public static ClassLoader load(String where, String source, Path output) throws IOException {
        compileInto(where, source, output);
        return new URLClassLoader(new URL[] { output.toUri().toURL() }, SnippetCompiler.class.getClassLoader());
    }

    private static void compileInto(String where, String source, Path output) {
        assertThat(source).as("the snippet at %s shows its imports", where).contains("import ");
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///ReadmeSnippet.java"),
                JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source;
            }
        };
        // the test class path (surefire's manifest-only jar lists it; javac follows it)
        List<String> options = List.of("-classpath", System.getProperty("java.class.path"), "-d", output.toString(),
                "-proc:none", "-parameters", "-Xlint:none");
        if (!compiler.getTask(null, null, diagnostics, options, null, List.of(file)).call()) {
            StringBuilder errors = new StringBuilder();
            diagnostics.getDiagnostics()
                .forEach((diagnostic) -> errors.append("  line ")
                    .append(diagnostic.getLineNumber())
                    .append(": ")
                    .append(diagnostic.getMessage(null))
                    .append('\n'));
            fail("The Java snippet at " + where + " does not compile:\n" + errors + source);
        }
    }
}
