package org.orthweb.cloudinit;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * Two network namespaces joined by a veth pair (MTU 1500 by default, like an Ethernet path from
 * a modality), for tests and benchmarks that need a real network between two "hosts". Names carry
 * a random suffix so that parallel runs never collide; addresses are private (10.0.0.0/8 and an
 * IPv6 ULA) and exist only inside these namespaces. {@link #close()} deletes both namespaces
 * (which removes the veth pair and every route in them), also after a failure.
 */
final class Netns implements AutoCloseable {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** the "host" side: servers run here */
    final String host;
    /** the "client" side (a modality) */
    final String client;
    /** IPv4 address of the host side, in a /24 shared with {@link #clientAddress} */
    final String hostAddress;
    final String clientAddress;
    /** IPv6 (ULA) addresses of both sides, in one /64 */
    final String hostAddress6;
    final String clientAddress6;
    private final List<String> created = new ArrayList<>();

    /**
     * Creates the pair: loopback up in both, veth with MTU {@code mtu}, IPv4 /24 and IPv6 /64 on
     * both ends, and in the client a default route through the host.
     *
     * @param prefix short name prefix (at most 6 characters: interface names are limited to 15)
     */
    Netns(String prefix, int mtu) {
        String suffix = Long.toString(RANDOM.nextLong() & 0xffffffffL, 36);
        host = prefix + "-h-" + suffix;
        client = prefix + "-c-" + suffix;
        int a = 16 + RANDOM.nextInt(224);
        int b = RANDOM.nextInt(256);
        hostAddress = "10." + a + "." + b + ".1";
        clientAddress = "10." + a + "." + b + ".2";
        String ula = String.format("fd%02x:%04x:%04x::", RANDOM.nextInt(256), RANDOM.nextInt(65536), RANDOM.nextInt(65536));
        hostAddress6 = ula + "1";
        clientAddress6 = ula + "2";
        try {
            for (String ns : List.of(host, client)) {
                ip("netns", "add", ns);
                created.add(ns);
                ip("-n", ns, "link", "set", "lo", "up");
            }
            ip("-n", host, "link", "add", "veth0", "mtu", Integer.toString(mtu), "type", "veth",
                    "peer", "name", "veth0", "netns", client);
            ip("-n", client, "link", "set", "veth0", "mtu", Integer.toString(mtu));
            ip("-n", host, "addr", "add", hostAddress + "/24", "dev", "veth0");
            ip("-n", client, "addr", "add", clientAddress + "/24", "dev", "veth0");
            ip("-n", host, "-6", "addr", "add", hostAddress6 + "/64", "dev", "veth0", "nodad");
            ip("-n", client, "-6", "addr", "add", clientAddress6 + "/64", "dev", "veth0", "nodad");
            ip("-n", host, "link", "set", "veth0", "up");
            ip("-n", client, "link", "set", "veth0", "up");
            ip("-n", client, "route", "add", "default", "via", hostAddress);
        } catch (RuntimeException | AssertionError e) {
            close();
            throw e;
        }
    }

    private static void ip(String... args) {
        List<String> cmd = new ArrayList<>(List.of("ip"));
        cmd.addAll(List.of(args));
        Tools.run(cmd.toArray(String[]::new)).expectSuccess(String.join(" ", cmd));
    }

    /** {@code command} prefixed to run in namespace {@code ns}. */
    static String[] exec(String ns, String... command) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        cmd.addAll(List.of(command));
        return cmd.toArray(String[]::new);
    }

    /** The main-table routes of namespace {@code ns} (null: this process's) as {@code ip route show} prints them. */
    static String routes(String ns, int family) {
        List<String> cmd = new ArrayList<>(List.of("ip"));
        if (ns != null) {
            cmd.addAll(List.of("-n", ns));
        }
        cmd.addAll(List.of("-" + family, "route", "show", "table", "main"));
        return Tools.run(cmd.toArray(String[]::new)).expectSuccess("ip route").out();
    }

    /**
     * Network namespaces need root and a kernel that allows them. When they cannot be created the
     * test fails on CI (which runs as root) and is skipped elsewhere, with the reason.
     */
    static void requireUsable() {
        Tools.require("ip");
        String probe = "ow-probe-" + Long.toString(RANDOM.nextLong() & 0xffffffffL, 36);
        Tools.Result r = Tools.run("ip", "netns", "add", probe);
        Tools.run("ip", "netns", "delete", probe);
        if (r.exit() == 0) {
            return;
        }
        String reason = "ip netns is unusable here (root needed): " + r.out().trim();
        if (Tools.onCi()) {
            Assertions.fail(reason);
        }
        System.out.println("SKIPPED: " + reason);
        Assumptions.abort(reason);
    }

    @Override
    public void close() {
        for (String ns : created) {
            // killing what still runs inside lets the namespace go away at once
            Tools.run("ip", "netns", "pids", ns).out().lines().filter(l -> l.matches("\\d+"))
                    .forEach(pid -> Tools.run("kill", "-9", pid));
            Tools.run("ip", "netns", "delete", ns);
        }
        created.clear();
    }
}
