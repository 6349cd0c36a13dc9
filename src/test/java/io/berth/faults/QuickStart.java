package io.berth.faults;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import io.berth.support.BerthProcess;
import io.berth.support.TestAccounts;

/**
 * Starts Berth in a JVM of its own, faster than {@link BerthProcess#start(Path, String...)} alone, for tests that restart
 * it dozens of times: the application's classes go into a jar and one training run records a class data sharing
 * archive of everything Spring loads (JDK's AppCDS: {@code -XX:ArchiveClassesAtExit}, then
 * {@code -XX:SharedArchiveFile}), which later starts map instead of loading and verifying classes again. That takes
 * about a third off each start. CDS needs jars (a class directory on the class path disables it), hence the jar.
 *
 * <p>When the archive cannot be made (another JVM, say) Berth starts without it, only slower.
 */
final class QuickStart {

    private final String classPath;
    private final List<String> jvmOptions;

    private QuickStart(String classPath, List<String> jvmOptions) {
        this.classPath = classPath;
        this.jvmOptions = jvmOptions;
    }

    /** Builds the jar and the archive under {@code workDir} (one start of Berth). */
    static QuickStart prepare(Path workDir) {
        try {
            Files.createDirectories(workDir);
            List<String> entries = new ArrayList<>();
            for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                Path path = Path.of(entry);
                if (Files.isDirectory(path) && path.endsWith(Path.of("target", "classes"))) {
                    entries.add(jar(path, workDir.resolve("berth-classes.jar")).toString());
                } else if (entry.endsWith(".jar")) {
                    entries.add(entry);
                }
                // target/test-classes: tests only, Berth never loads them.
            }
            String classPath = String.join(File.pathSeparator, entries);
            Path archive = workDir.resolve("berth.jsa");
            if (train(workDir, classPath, archive)) {
                return new QuickStart(classPath, List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off",
                        "-Xlog:cds+dynamic=off"));
            }
            return new QuickStart(classPath, List.of());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether starts map the archive (false when it could not be made). */
    boolean sharesClasses() {
        return !jvmOptions.isEmpty();
    }

    BerthProcess start(Path dataDir, String... arguments) {
        return BerthProcess.start(dataDir, jvmOptions, classPath, arguments);
    }

    /** Runs Berth once, until its context is refreshed, and dumps the classes it loaded. */
    private static boolean train(Path workDir, String classPath, Path archive) throws IOException {
        Path log = workDir.resolve("cds-training.log");
        Process process = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1",
                "-XX:ArchiveClassesAtExit=" + archive,
                "-Djava.io.tmpdir=" + Files.createDirectories(workDir.resolve("training.tmp")),
                // Spring Boot's switch for training runs: exit once the context is up.
                "-Dspring.context.exit=onRefresh",
                "-cp", classPath,
                "io.berth.BerthApplication",
                "--server.port=0",
                "--management.server.port=0",
                "--berth.data-dir=" + workDir.resolve("training-data"),
                "--berth.engine.enabled=false",
                "--berth.hub.initial-admin-password=" + TestAccounts.ADMIN_PASSWORD)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly().waitFor();
                return false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            return false;
        }
        return process.exitValue() == 0 && Files.isRegularFile(archive);
    }

    private static Path jar(Path classes, Path jar) throws IOException {
        try (OutputStream file = Files.newOutputStream(jar);
                JarOutputStream out = new JarOutputStream(file);
                Stream<Path> paths = Files.walk(classes)) {
            for (Path path : paths.sorted().toList()) {
                String name = classes.relativize(path).toString().replace(File.separatorChar, '/');
                if (name.isEmpty()) {
                    continue;
                }
                if (Files.isDirectory(path)) {
                    out.putNextEntry(new JarEntry(name + "/"));
                } else {
                    out.putNextEntry(new JarEntry(name));
                    Files.copy(path, out);
                }
                out.closeEntry();
            }
        }
        return jar;
    }
}
