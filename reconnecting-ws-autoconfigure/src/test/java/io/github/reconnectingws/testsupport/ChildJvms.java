package io.github.reconnectingws.testsupport;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Applications run as separate JVMs on this test's classpath, each with an id; killed
 * with SIGKILL on {@link #close()} if still running. Closing one's standard input is the
 * way to ask it to stop gracefully.
 */
public final class ChildJvms implements AutoCloseable {

    private final Map<String, Process> processes = new LinkedHashMap<>();

    /**
     * Start an application.
     * @param id its id, passed as system property {@code instance.id}
     * @param mainClass its main class
     * @param args its arguments
     * @param log where its output goes
     * @return the process
     * @throws IOException if it cannot be started
     */
    public Process start(String id, Class<?> mainClass, List<String> args, File log) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        // the build's options for short-lived test JVMs
        for (String option : System.getProperty("test.jvm-options", "").split("\\s+")) {
            if (!option.isEmpty()) {
                command.add(option);
            }
        }
        command.add("-Dinstance.id=" + id);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(args);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
        this.processes.put(id, process);
        return process;
    }

    /** Ask one to stop gracefully: its standard input is closed. */
    public void stop(String id) throws IOException {
        this.processes.get(id).getOutputStream().close();
    }

    /** Kill one with SIGKILL. */
    public void kill(String id) {
        this.processes.get(id).destroyForcibly();
    }

    /** Freeze one with SIGSTOP, as a long pause of the JVM or of its machine would. */
    public void freeze(String id) throws IOException, InterruptedException {
        signal(id, "-STOP");
    }

    /** Let a frozen one go on with SIGCONT. */
    public void thaw(String id) throws IOException, InterruptedException {
        signal(id, "-CONT");
    }

    private void signal(String id, String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", signal, Long.toString(this.processes.get(id).pid())).inheritIO()
            .start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IllegalStateException("kill " + signal + " of instance " + id + " failed");
        }
    }

    /** Stop all that still run, each with SIGKILL, and wait until they are gone. */

    @Override
    public void close() {
        // a frozen one ignores nothing but SIGKILL, which ends it too
        this.processes.values().forEach(Process::destroyForcibly);
        for (Process process : this.processes.values()) {
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
    }

}
