package org.orthweb.cloudinit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A small site on network namespaces, as the multi-host tests need it: a "core" namespace (the
 * database and the load balancer stand-in), host namespaces and a modality namespace, on one
 * bridge in the core namespace (one private /24 that exists only inside these namespaces).
 * Names carry a random suffix (other tests create namespaces too); {@link #close()} stops every
 * process started here and deletes the namespaces and their {@code /etc/netns} files, also when a
 * test fails.
 *
 * <p>Name resolution inside a namespace: {@code ip netns exec NS} bind-mounts
 * {@code /etc/netns/NS/hosts} over {@code /etc/hosts} (ip-netns(8)), so the site's DNS name can
 * point at the balancer in one namespace and at a single host in another.
 */
final class SiteNetwork implements AutoCloseable {

    static final String SUBNET = "10.77.0";
    static final String CORE_IP = SUBNET + ".1";

    final String suffix = HexFormat.of().formatHex(new SecureRandom().generateSeed(3));
    final String core = "ow" + suffix + "-core";
    private final Map<String, String> addresses = new LinkedHashMap<>();
    private final Deque<Process> processes = new ArrayDeque<>();
    private final List<String> namespaces = new ArrayList<>();
    private final Path logs;
    private int veths;

    /**
     * Fails under CI=true and skips elsewhere when namespaces cannot be made here (not root, no
     * iproute2, no permission), with the reason.
     */
    static void requireNamespaces() {
        Tools.require("ip");
        String reason = null;
        if (!Tools.isRoot()) {
            reason = "network namespaces need root";
        } else {
            String probe = "owprobe" + HexFormat.of().formatHex(new SecureRandom().generateSeed(3));
            Tools.Result r = Tools.run("ip", "netns", "add", probe);
            Tools.run("ip", "netns", "del", probe);
            if (r.exit() != 0) {
                reason = "ip netns add failed: " + r.out().trim();
            }
        }
        if (reason != null) {
            if (Tools.onCi()) {
                org.junit.jupiter.api.Assertions.fail(reason);
            }
            System.out.println("SKIPPED: " + reason);
            org.junit.jupiter.api.Assumptions.abort(reason);
        }
    }

    SiteNetwork(Path logs) {
        this.logs = logs;
        try {
            add(core);
            // a fixed (locally administered) address: a bridge without one takes the lowest address
            // of its ports, so adding a host changed it and an earlier host's ARP entry then
            // pointed at a port's address, whose frames the bridge no longer took as its own. A CI
            // run saw host 1 cut off from the database that way until its entry expired (up to a minute).
            run(core, "ip", "link", "add", "br0", "address", bridgeAddress(), "type", "bridge");
            run(core, "ip", "addr", "add", CORE_IP + "/24", "dev", "br0");
            run(core, "ip", "link", "set", "br0", "up");
            addresses.put(core, CORE_IP);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** {@code 02:00:00:} and this site's suffix: unicast, locally administered (IEEE 802), unique per site. */
    String bridgeAddress() {
        return bridgeAddress(suffix);
    }

    /**
     * A bridge address for a test network named by {@code hex6} (six hex digits): {@code 02:00:00:}
     * and those digits. A bridge given an address keeps it; one without takes the lowest address of
     * its ports, which changes as ports are added (see the constructor).
     */
    static String bridgeAddress(String hex6) {
        return "02:00:00:" + hex6.substring(0, 2) + ":" + hex6.substring(2, 4) + ":" + hex6.substring(4, 6);
    }

    /** A namespace on the bridge with address {@code SUBNET.host}; returns its name. */
    String node(String role, int host) {
        String ns = "ow" + suffix + "-" + role;
        add(ns);
        String port = "p" + (++veths);
        // both ends are created inside the namespaces: no interface name ever exists outside them
        run(core, "ip", "link", "add", port, "type", "veth", "peer", "name", "eth0", "netns", ns);
        run(core, "ip", "link", "set", port, "master", "br0");
        run(core, "ip", "link", "set", port, "up");
        String ip = SUBNET + "." + host;
        run(ns, "ip", "addr", "add", ip + "/24", "dev", "eth0");
        run(ns, "ip", "link", "set", "eth0", "up");
        addresses.put(ns, ip);
        return ns;
    }

    String ip(String ns) {
        return addresses.get(ns);
    }

    /** {@code /etc/hosts} inside {@code ns}: the given name to address lines. */
    void hosts(String ns, Map<String, String> nameToIp) throws IOException {
        Path dir = Path.of("/etc/netns", ns);
        Files.createDirectories(dir);
        StringBuilder b = new StringBuilder("127.0.0.1 localhost\n");
        nameToIp.forEach((name, ip) -> b.append(ip).append(' ').append(name).append('\n'));
        Files.writeString(dir.resolve("hosts"), b.toString());
    }

    private void add(String ns) {
        run(null, "ip", "netns", "add", ns);
        namespaces.add(ns);
        run(ns, "ip", "link", "set", "lo", "up");
    }

    static List<String> in(String ns, String... command) {
        List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        c.addAll(List.of(command));
        return c;
    }

    Tools.Result run(String ns, String... command) {
        List<String> c = ns == null ? List.of(command) : in(ns, command);
        return Tools.run(null, Map.of(), 120, c.toArray(String[]::new)).expectSuccess(String.join(" ", c));
    }

    Tools.Result exec(String ns, long timeoutSeconds, Map<String, String> env, String... command) {
        return Tools.run(logs, env, timeoutSeconds, in(ns, command).toArray(String[]::new));
    }

    /**
     * One TCP connection attempt from {@code ns} to {@code ip:port}, bounded to 3 s by timeout(1):
     * a dropped SYN would otherwise block bash's connect for about two minutes (and {@link Tools#run}
     * reads the output to its end before it looks at its own timeout).
     */
    Tools.Result connect(String ns, String ip, int port) {
        return exec(ns, 10, Map.of(), "timeout", "3", "bash", "-c", "exec 3<>/dev/tcp/" + ip + "/" + port);
    }

    /** A long-running server in {@code ns}, its output in {@code logs/<name>.log}. */
    Process start(String ns, String name, Map<String, String> env, String... command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(in(ns, command)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve(name + ".log").toFile()));
        pb.environment().putAll(env);
        Process p = pb.start();
        processes.push(p);
        return p;
    }

    String log(String name) {
        try {
            Path f = logs.resolve(name + ".log");
            return Files.exists(f) ? Files.readString(f) : "(no log)";
        } catch (IOException e) {
            return "(unreadable log: " + e + ")";
        }
    }

    /**
     * A host that dies: SIGKILL to every process in its namespace (nginx's workers too, which
     * outlive a killed master and keep accepting connections).
     */
    void killAll(String ns) {
        for (String pid : Tools.run("ip", "netns", "pids", ns).out().trim().split("\\s+")) {
            if (pid.matches("[0-9]+")) {
                Tools.run("kill", "-9", pid);
            }
        }
    }

    /** SIGKILL: a process that dies, not one that shuts down. */
    static void kill(Process p) throws InterruptedException {
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
    }

    private boolean closed;

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Tools.stopAll(processes, 15, 5);
        for (String ns : namespaces) {
            // anything still running in our namespace was started by this test
            Tools.Result pids = Tools.run("ip", "netns", "pids", ns);
            for (String pid : pids.out().trim().split("\\s+")) {
                if (pid.matches("[0-9]+")) {
                    Tools.run("kill", "-9", pid);
                }
            }
            Tools.run("ip", "netns", "del", ns);
            Tools.run("rm", "-rf", "/etc/netns/" + ns);
        }
    }
}
