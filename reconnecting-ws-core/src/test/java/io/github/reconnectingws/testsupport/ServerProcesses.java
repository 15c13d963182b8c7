package io.github.reconnectingws.testsupport;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Running the short commands around the throw-away servers (PostgreSQL, RabbitMQ, Redis):
 * who we are, whether a command succeeds, running one with its output in a file, and
 * cleaning up their temporary directories.
 */
final class ServerProcesses {

    /** For commands that return at once ({@code id}, {@code chown}, probes). */
    static final Duration SHORT_TIMEOUT = Duration.ofSeconds(10);

    private ServerProcesses() {
    }

    static boolean isRoot() {
        try {
            Process process = new ProcessBuilder("id", "-u").redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!process.waitFor(SHORT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                return false;
            }
            return "0".equals(out);
        }
        catch (IOException ex) {
            return "root".equals(System.getProperty("user.name"));
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", ex);
        }
    }

    static boolean commandSucceeds(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
            if (!process.waitFor(SHORT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                return false;
            }
            return process.exitValue() == 0;
        }
        catch (IOException ex) {
            return false;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", ex);
        }
    }

    /** Runs a command to its end, its output to a file; fails with that output otherwise. */
    static void run(List<String> command, Path output, Duration timeout, String what) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(SHORT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                throw new IllegalStateException(what + " did not finish within " + timeout + ": " + command
                        + "\nOutput:\n" + readQuietly(output));
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(what + " failed with exit code " + process.exitValue() + ": "
                        + command + "\nOutput:\n" + readQuietly(output));
            }
        }
        catch (IOException ex) {
            throw new IllegalStateException(what + " could not be run: " + command, ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running " + what, ex);
        }
    }

    static String readQuietly(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : "(no output)";
        }
        catch (IOException ex) {
            return "(could not read " + file + ": " + ex + ")";
        }
    }

    static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach((path) -> {
                try {
                    Files.deleteIfExists(path);
                }
                catch (IOException ex) {
                    // best effort: a temporary directory
                }
            });
        }
        catch (IOException | UncheckedIOException ex) {
            // best effort: a temporary directory
        }
    }

}
