package io.github.reconnectingws.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Runs a measurement in a child JVM (clean heap, RSS, threads and class loading) and
 * reads back its {@code RESULT key=value ...} line.
 */
final class Children {

    static final String RESULT = "RESULT ";

    private Children() {
    }

    static Map<String, String> run(List<String> jvmArgs, Class<?> mainClass, List<String> args, long timeoutSeconds,
            Predicate<String> classpathFilter) throws IOException, InterruptedException {
        List<String> command = BenchServer.javaCommand();
        command.addAll(jvmArgs);
        command.add("-cp");
        List<String> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            if (classpathFilter.test(entry)) {
                entries.add(entry);
            }
        }
        command.add(String.join(java.io.File.pathSeparator, entries));
        command.add(mainClass.getName());
        command.addAll(args);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        Thread killer = new Thread(process::destroyForcibly);
        Runtime.getRuntime().addShutdownHook(killer);
        Map<String, String> result = new HashMap<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.startsWith(RESULT)) {
                        for (String pair : line.substring(RESULT.length()).trim().split(" ")) {
                            int eq = pair.indexOf('=');
                            synchronized (result) {
                                result.put(pair.substring(0, eq), pair.substring(eq + 1));
                            }
                        }
                    }
                    else if (!line.isBlank()) {
                        System.out.println("  [" + mainClass.getSimpleName() + "] " + line);
                    }
                }
            }
            catch (IOException ex) {
                // ended
            }
        }, "child-output");
        reader.setDaemon(true);
        reader.start();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(mainClass.getSimpleName() + " did not finish within " + timeoutSeconds + " s");
        }
        reader.join(5000);
        Runtime.getRuntime().removeShutdownHook(killer);
        if (process.exitValue() != 0) {
            throw new IllegalStateException(mainClass.getSimpleName() + " exited with " + process.exitValue());
        }
        synchronized (result) {
            return new HashMap<>(result);
        }
    }

    static void printResult(Map<String, ?> values) {
        StringBuilder line = new StringBuilder(RESULT);
        values.forEach((key, value) -> line.append(key).append('=').append(value).append(' '));
        System.out.println(line.toString().trim());
        System.out.flush();
    }

}
