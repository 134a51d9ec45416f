package org.orthweb.cli;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orthweb.Main;
import org.orthweb.support.TestStacks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The offline commands on the newest supported JDK (25) with two CPUs, where pulumi-java 1.36.1
 * spins forever unless the program works around it (see org.orthweb.CommonPool): {@code plan}
 * and {@code render} run in a JDK 25 process limited to two CPUs ({@code -XX:ActiveProcessorCount=2},
 * whatever the machine has) and must give exactly what this JVM gives.
 *
 * <p>The JDK is {@code $JDK25_HOME} or the first JDK 25 under /usr/lib/jvm. Without one the test
 * fails under CI (CI=true) and is skipped elsewhere.
 */
class NewestJdkTest {

    /** Generous for a loaded 2-CPU machine; a hang is what this guards against. */
    private static final long TIMEOUT_SECONDS = 180;

    @TempDir
    Path dir;

    @Test
    void planAndRenderOnJava25WithTwoCpusGiveWhatThisJvmGives() throws Exception {
        Path java = jdk25().resolve("bin/java");
        String stackFile = TestStacks.stackFile("dev").toString();

        String expected = PlanCommandTest.run("plan", "--stack", "dev", "--config-file", stackFile, "--json").out();
        String actual = runOn(java, "plan", "--stack", "dev", "--config-file", stackFile, "--json");
        assertThat(actual).as("plan --json on Java 25").isEqualTo(expected);

        Path here = dir.resolve("here");
        Path there = dir.resolve("java25");
        assertThat(PlanCommandTest.run("render", "--stack", "dev", "--config-file", stackFile, "--out", here.toString())
                .exit()).isZero();
        runOn(java, "render", "--stack", "dev", "--config-file", stackFile, "--out", there.toString());
        assertThat(Files.readString(there.resolve("user-data.b64"))).isEqualTo(Files.readString(here.resolve("user-data.b64")));
    }

    /** Runs the command line in a JDK 25 process with two CPUs; its stdout. */
    private String runOn(Path java, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(java.toString(), "-XX:ActiveProcessorCount=2",
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        Path out = dir.resolve("stdout-" + args[0]);
        Path err = dir.resolve("stderr-" + args[0]);
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            Assertions.fail(args[0] + " did not finish within " + TIMEOUT_SECONDS + " s on " + java
                    + " with two CPUs (the pulumi-java livelock, pulumi/pulumi-java#2270?)");
        }
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(args[0] + " on Java 25, stderr:\n" + stderr).isZero();
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    private static Path jdk25() throws IOException {
        Optional<Path> found = Optional.ofNullable(System.getenv("JDK25_HOME")).map(Path::of);
        if (found.isEmpty() && Files.isDirectory(Path.of("/usr/lib/jvm"))) {
            try (Stream<Path> jdks = Files.list(Path.of("/usr/lib/jvm"))) {
                found = jdks.sorted().filter(NewestJdkTest::isJava25).findFirst();
            }
        }
        if (found.isPresent() && Files.isExecutable(found.get().resolve("bin/java"))) {
            return found.get();
        }
        String reason = "no JDK 25 (set JDK25_HOME, or install one under /usr/lib/jvm)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail(reason);
        }
        System.out.println("SKIPPED: " + reason);
        Assumptions.abort(reason);
        throw new AssertionError(reason);
    }

    private static boolean isJava25(Path jdk) {
        try {
            return Files.readAllLines(jdk.resolve("release")).stream()
                    .anyMatch(l -> l.startsWith("JAVA_VERSION=\"25"));
        } catch (IOException e) {
            return false;
        }
    }
}
