package io.github.reconnectingws.docs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.config.YamlMapFactoryBean;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * README.md is checked by the build: every Java snippet compiles as it is shown (imports
 * included) against the project's classes, every property a YAML snippet sets exists, and
 * every default the configuration table states is the default in the configuration
 * metadata.
 */
class ReadmeTests {

    private static final Path README = Path.of("..", "README.md");

    private static final String PREFIX = "reconnecting.websocket.";

    private static final Pattern CODE_BLOCK = Pattern.compile("(?m)^( *)```(\\w+)\\s*$");

    private static String readme() throws IOException {
        return Files.readString(README);
    }

    /** The fenced blocks of a language, with their line numbers, indentation removed. */
    static Map<Integer, String> blocks(String language) throws IOException {
        String text = readme();
        Map<Integer, String> blocks = new LinkedHashMap<>();
        Matcher open = CODE_BLOCK.matcher(text);
        while (open.find()) {
            if (!open.group(2).equals(language)) {
                continue;
            }
            String indent = open.group(1);
            int end = text.indexOf("\n" + indent + "```", open.end());
            String body = text.substring(open.end() + 1, end + 1);
            StringBuilder unindented = new StringBuilder();
            body.lines().forEach((line) -> unindented
                .append(line.startsWith(indent) ? line.substring(indent.length()) : line.strip())
                .append('\n'));
            int line = (int) text.substring(0, open.start()).chars().filter((c) -> c == '\n').count() + 1;
            blocks.put(line, unindented.toString());
        }
        return blocks;
    }

    @TestFactory
    Stream<DynamicTest> everyJavaSnippetCompiles() throws IOException {
        Map<Integer, String> snippets = blocks("java");
        assertThat(snippets).hasSizeGreaterThan(5);
        return snippets.entrySet().stream().map((snippet) -> DynamicTest.dynamicTest(
                "README.md line " + snippet.getKey(), () -> SnippetCompiler.compile("README.md line " + snippet.getKey(), snippet.getValue())));
    }

    @Test
    void everyPropertyAYamlSnippetSetsExists() throws IOException {
        Set<String> known = metadata().keySet();
        List<String> unknown = new ArrayList<>();
        for (Map.Entry<Integer, String> snippet : blocks("yaml").entrySet()) {
            YamlMapFactoryBean yaml = new YamlMapFactoryBean();
            yaml.setResources(new ByteArrayResource(snippet.getValue().getBytes()));
            Map<String, Object> flat = new LinkedHashMap<>();
            flatten("", yaml.getObject(), flat);
            for (String key : flat.keySet()) {
                if (key.startsWith(PREFIX) && !known.contains(normalize(key.substring(PREFIX.length())))) {
                    unknown.add(key + " (README.md line " + snippet.getKey() + ")");
                }
            }
        }
        assertThat(unknown).as("properties set in README that do not exist").isEmpty();
    }

    @Test
    void everyDefaultInTheConfigurationTableIsTheRealDefault() throws IOException {
        Map<String, JsonNode> metadata = metadata();
        String table = readme().substring(readme().indexOf("| Property | Default | Meaning |"));
        table = table.substring(0, table.indexOf("\n\n"));
        Pattern row = Pattern.compile("(?m)^\\| (`[^|]+) \\| ([^|]+) \\|");
        Matcher rows = row.matcher(table);
        int checked = 0;
        List<String> wrong = new ArrayList<>();
        while (rows.find()) {
            List<String> names = codes(rows.group(1));
            String[] defaults = rows.group(2).split(", ");
            if (names.size() == 1 && names.get(0).endsWith(".*")) {
                continue;
            }
            if (names.size() != defaults.length) {
                // defaults given elsewhere (a section of their own): the properties must exist all the same
                names.stream()
                    .filter((name) -> !metadata.containsKey(normalize(name)))
                    .forEach((name) -> wrong.add(name + ": no such property"));
                continue;
            }
            for (int i = 0; i < names.size(); i++) {
                String name = normalize(names.get(i));
                if (!metadata.containsKey(name)) {
                    wrong.add(names.get(i) + ": no such property");
                    continue;
                }
                String stated = defaults[i].strip();
                if (!sameDefault(stated, metadata.get(name).get("defaultValue"))) {
                    wrong.add(names.get(i) + ": README says " + stated + ", the metadata "
                            + metadata.get(name).get("defaultValue"));
                }
                checked++;
            }
        }
        assertThat(wrong).isEmpty();
        assertThat(checked).isGreaterThan(40);
    }

    /** {@code connections.<name>.x} and {@code headers.<name>} as the metadata names them. */
    private static String normalize(String key) {
        String name = key.replaceFirst("^connections\\.[^.]+\\.", "");
        if (name.startsWith("headers.") || name.startsWith("headers[")) {
            return "headers";
        }
        return name.replaceAll("\\[\\d+]$", "");
    }

    private static boolean sameDefault(String stated, JsonNode actual) {
        boolean none = stated.equals("—") || stated.equals("none") || stated.equals("(none)");
        if (actual == null || actual.isNull()) {
            return none;
        }
        if (!stated.startsWith("`")) {
            return false;
        }
        String value = stated.substring(1, stated.length() - 1);
        if (actual.isBoolean() || actual.isTextual() && !looksLikeQuantity(actual.asString())) {
            String expected = actual.isBoolean() ? String.valueOf(actual.booleanValue()) : actual.asString();
            return value.equals(expected) || value.equals("\"" + expected + "\"");
        }
        if (actual.isNumber() && !looksLikeQuantity(value)) {
            return Double.parseDouble(value) == actual.doubleValue();
        }
        String expected = actual.isNumber() ? actual.asString() : actual.asString();
        if (value.endsWith("B")) {
            return DataSize.parse(value).equals(DataSize.parse(expected));
        }
        return duration(value).equals(duration(expected));
    }

    private static boolean looksLikeQuantity(String value) {
        return value.matches("\\d+(\\.\\d+)?[a-zA-Z]+");
    }

    private static Duration duration(String value) {
        return value.matches("\\d+") ? Duration.ofMillis(Long.parseLong(value)) : DurationStyle.detectAndParse(value);
    }

    private static List<String> codes(String cell) {
        List<String> codes = new ArrayList<>();
        Matcher code = Pattern.compile("`([^`]+)`").matcher(cell);
        while (code.find()) {
            codes.add(code.group(1));
        }
        return codes;
    }

    @SuppressWarnings("unchecked")
    private static void flatten(String prefix, Object value, Map<String, Object> flat) {
        if (value instanceof Map<?, ?> map) {
            map.forEach((key, nested) -> flatten(prefix.isEmpty() ? String.valueOf(key) : prefix + "." + key, nested,
                    flat));
        }
        else {
            flat.put(prefix, value);
        }
    }

    /** The properties under {@value #PREFIX}, without the prefix, from the generated metadata. */
    private static Map<String, JsonNode> metadata() throws IOException {
        Map<String, JsonNode> properties = new LinkedHashMap<>();
        Set<String> files = new LinkedHashSet<>(List.of("META-INF/spring-configuration-metadata.json"));
        for (String file : files) {
            try (InputStream in = ReadmeTests.class.getClassLoader().getResourceAsStream(file)) {
                assertThat(in).as(file).isNotNull();
                for (JsonNode property : JsonMapper.shared().readTree(in).get("properties")) {
                    String name = property.get("name").asString();
                    if (name.startsWith(PREFIX)) {
                        properties.put(name.substring(PREFIX.length()), property);
                    }
                    else if (name.startsWith("management.")) {
                        // the endpoint's and the health contributor's, named in full
                        properties.put(name, property);
                    }
                }
            }
        }
        return properties;
    }

}
