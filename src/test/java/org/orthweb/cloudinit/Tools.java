package org.orthweb.cloudinit;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Running the Debian tools the conformance tests need. */
final class Tools {

    private Tools() {
    }

    /** Result of a finished command. */
    record Result(int exit, String out) {
        Result expectSuccess(String what) {
            if (exit != 0) {
                Assertions.fail(what + " failed with exit " + exit + ":\n" + out);
            }
            return this;
        }
    }

    static boolean onCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /**
     * Makes sure each file or command exists. Missing ones fail the test on CI (where .ci/run
     * installs them) and skip it elsewhere, with the reason printed.
     */
    static void require(String... commandsOrPaths) {
        List<String> missing = new ArrayList<>();
        for (String c : commandsOrPaths) {
            boolean found = c.startsWith("/") ? Files.exists(Path.of(c)) : onPath(c);
            if (!found) {
                missing.add(c);
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        String reason = "missing " + missing + " (install the packages in .ci/apt-packages.txt)";
        if (onCi()) {
            Assertions.fail(reason);
        }
        System.out.println("SKIPPED: " + reason);
        Assumptions.abort(reason);
    }

    static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return Files.isExecutable(Path.of("/usr/sbin", command)) || Files.isExecutable(Path.of("/sbin", command));
    }

    static Result run(Path dir, Map<String, String> env, long timeoutSeconds, String... command) {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        pb.environment().putAll(env);
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                Assertions.fail(String.join(" ", command) + " timed out");
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static Result run(String... command) {
        return run(null, Map.of(), 120, command);
    }

    /**
     * Stops every process of {@code processes}, the last started first (a server before what it
     * depends on): SIGTERM, up to {@code graceSeconds} to exit, then SIGKILL and up to
     * {@code killWaitSeconds}. Empties the deque; an interrupt is kept for the caller.
     */
    static void stopAll(java.util.Deque<Process> processes, long graceSeconds, long killWaitSeconds) {
        while (!processes.isEmpty()) {
            Process p = processes.pop();
            p.destroy();
            try {
                if (!p.waitFor(graceSeconds, java.util.concurrent.TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(killWaitSeconds, java.util.concurrent.TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static final java.util.Random PORTS = new java.security.SecureRandom();

    /**
     * A TCP port free on 127.0.0.1 at the time of asking, below the kernel's ephemeral range: a
     * port from that range can be taken as the source port of any outgoing connection (Keycloak's
     * own database connections did) between this check and the server's bind.
     */
    static int freePort() {
        int low = 32768;
        try {
            // a stream, not Files.readString: /proc files report size 0 and came back truncated
            try (var in = Files.newInputStream(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))) {
                low = Integer.parseInt(new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim().split("\\s+")[0]);
            }
        } catch (IOException | RuntimeException ignored) {
            // keep Linux's default
        }
        if (low < 22000) {
            low = 32768;
        }
        int from = 20000;
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = from + PORTS.nextInt(low - from);
            try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return port;
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IllegalStateException("no free port between " + from + " and " + low);
    }

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }
}
