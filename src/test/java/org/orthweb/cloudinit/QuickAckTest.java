package org.orthweb.cloudinit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rendered quick ACK setup ({@code orthweb-quickack}, the file the host receives) run for real
 * with {@code ip} in network namespaces created here: every route carries quickack after it runs,
 * still after a second run, which changes nothing; its check fails without it; its watcher enters
 * the namespace of the container that Docker names (a stand-in {@code docker} on PATH answers with
 * the pid of a process inside a namespace of the test).
 */
@Tag("conformance")
class QuickAckTest {

    static final Map<String, String> FILES = Render.files(Fixtures.inputs());

    static Path script(Path dir) throws Exception {
        Path s = dir.resolve("orthweb-quickack");
        Files.writeString(s, FILES.get(Layout.QUICKACK_SCRIPT));
        Files.setPosixFilePermissions(s, PosixFilePermissions.fromString("rwxr-xr-x"));
        return s;
    }

    /** Every line of {@code routes} carries {@code quickack 1}; at least {@code min} lines. */
    static void assertAllQuickAck(String routes, int min) {
        List<String> lines = routes.lines().filter(l -> !l.isBlank()).toList();
        assertThat(lines).hasSizeGreaterThanOrEqualTo(min);
        // link-local fe80::/64 is left alone on purpose (see the script)
        assertThat(lines).filteredOn(l -> !l.startsWith("fe80::/64"))
                .allSatisfy(l -> assertThat(l).containsPattern(" quickack 1( |$)"));
    }

    @Test
    void applyLeavesEveryRouteWithQuickAckAndIsIdempotent(@TempDir Path tmp) throws Exception {
        Netns.requireUsable();
        Path script = script(tmp);
        String rootBefore = Netns.routes(null, 4);
        try (Netns ns = new Netns("owqa", 1500)) {
            // the client side has a prefix route and a default route (IPv4), a prefix route (IPv6)
            String v4 = Netns.routes(ns.client, 4);
            String v6 = Netns.routes(ns.client, 6);
            assertThat(v4 + v6).doesNotContain("quickack");
            Tools.Result check0 = Tools.run(Netns.exec(ns.client, "bash", script.toString(), "check"));
            assertThat(check0.exit()).as("check before apply").isNotZero();
            assertThat(check0.out()).contains("quickack OFF");

            Tools.Result first = Tools.run(Netns.exec(ns.client, "bash", script.toString(), "apply")).expectSuccess("apply");
            assertThat(first.out()).contains("quickack 1: default via " + ns.hostAddress);
            assertAllQuickAck(Netns.routes(ns.client, 4), 2);
            assertAllQuickAck(Netns.routes(ns.client, 6), 1);
            // the other namespace (and the machine's own routes) are untouched
            assertThat(Netns.routes(ns.host, 4)).doesNotContain("quickack");
            assertThat(Netns.routes(null, 4)).isEqualTo(rootBefore);

            // twice: nothing to change, the same routes (no duplicate, none lost)
            String afterFirst = Netns.routes(ns.client, 4) + Netns.routes(ns.client, 6);
            Tools.Result second = Tools.run(Netns.exec(ns.client, "bash", script.toString(), "apply")).expectSuccess("apply again");
            assertThat(second.out()).isEmpty();
            assertThat(Netns.routes(ns.client, 4) + Netns.routes(ns.client, 6)).isEqualTo(afterFirst);
            assertAllQuickAck(Netns.routes(ns.client, 4), 2);
            // the link-local route of the interface is still there
            assertThat(Netns.routes(ns.client, 6)).contains("fe80::/64 dev veth0");
            Tools.run(Netns.exec(ns.client, "bash", script.toString(), "check")).expectSuccess("check after apply");
            // TCP still flows over the changed routes, IPv4 and IPv6
            Process server = new ProcessBuilder(Netns.exec(ns.host, "python3", "-c", String.join("\n",
                    "import socket", "s = socket.create_server(('::', 8000), family=socket.AF_INET6, dualstack_ipv6=True)",
                    "s.settimeout(20)", "for _ in range(2): c, _ = s.accept(); c.sendall(b'ok'); c.close()"))).start();
            try {
                for (String address : List.of(ns.hostAddress, ns.hostAddress6)) {
                    Tools.run(null, Map.of(), 30, Netns.exec(ns.client, "python3", "-c", String.join("\n",
                            "import socket, sys, time", "for _ in range(50):",
                            "    try: c = socket.create_connection(('" + address + "', 8000), 2); break",
                            "    except ConnectionRefusedError: time.sleep(0.1)",
                            "assert c.recv(2) == b'ok'"))).expectSuccess("TCP to " + address);
                }
            } finally {
                server.destroyForcibly().waitFor();
            }

            // clear undoes it (the benchmark's configurations without quick ACK)
            Tools.run(Netns.exec(ns.client, "bash", script.toString(), "clear")).expectSuccess("clear");
            assertThat(Netns.routes(ns.client, 4) + Netns.routes(ns.client, 6)).doesNotContain("quickack");
        }
    }

    @Test
    void watcherAppliesQuickAckInTheNamespaceOfTheNginxContainer(@TempDir Path tmp) throws Exception {
        Netns.requireUsable();
        Tools.require("nsenter");
        Path script = script(tmp);
        String rootBefore = Netns.routes(null, 4);
        try (Netns ns = new Netns("owqw", 1500)) {
            // a "container": a process in the client namespace, whose pid Docker would report.
            // The watcher itself runs in the host namespace (never in this machine's own), so a
            // watcher that forgot to enter the container's namespace would change the host's routes.
            Process container = new ProcessBuilder(Netns.exec(ns.client, "sleep", "120")).start();
            try {
                Path bin = tmp.resolve("bin");
                Files.createDirectories(bin);
                Path log = tmp.resolve("docker.log");
                String project = "label=com.docker.compose.project=" + Layout.COMPOSE_PROJECT;
                String service = "label=com.docker.compose.service=" + Layout.PROXY_SERVICE;
                Path docker = bin.resolve("docker");
                // running: container "c1"; then one start event for "c2" (a restart: same process
                // here), then the event stream ends as when Docker stops
                Files.writeString(docker, String.join("\n",
                        "#!/bin/bash",
                        "# test stand-in for the docker CLI",
                        "echo \"$*\" >>'" + log + "'",
                        "a=\"$*\"",
                        "[[ $a == *'" + project + "'* && $a == *'" + service + "'* ]] || [[ $1 == inspect ]] || exit 3",
                        "case $1 in",
                        "  ps) echo c1 ;;",
                        "  events) [[ $a == *'event=start'* && $a == *'--since '* ]] || exit 4; echo c2 ;;",
                        "  inspect) [[ $a == *'{{.State.Pid}}'* ]] || exit 5",
                        "    case ${*: -1} in c1|c2) echo " + container.pid() + " ;; *) exit 6 ;; esac ;;",
                        "  *) exit 7 ;;",
                        "esac", ""));
                Files.setPosixFilePermissions(docker, PosixFilePermissions.fromString("rwxr-xr-x"));
                Map<String, String> env = Map.of("PATH", bin + ":" + System.getenv("PATH"));

                Tools.Result watch = Tools.run(tmp, env, 60, Netns.exec(ns.host, script.toString(), "watch"));
                // it ends only when the event stream ends: systemd restarts it (Restart=always)
                assertThat(watch.exit()).as(watch.out()).isNotZero();
                assertThat(watch.out()).contains("docker events ended");
                assertThat(Files.readString(log)).contains("inspect --format {{.State.Pid}} c1")
                        .contains("inspect --format {{.State.Pid}} c2");
                assertAllQuickAck(Netns.routes(ns.client, 4), 2);
                assertAllQuickAck(Netns.routes(ns.client, 6), 1);
                assertThat(Netns.routes(ns.host, 4) + Netns.routes(ns.host, 6)).doesNotContain("quickack");

                // the operator's check, through the same lookup of the running container
                Tools.run(tmp, env, 60, Netns.exec(ns.host, script.toString(), "nginx", "check")).expectSuccess("nginx check");
                Tools.run(tmp, env, 60, Netns.exec(ns.host, script.toString(), "nginx", "clear")).expectSuccess("nginx clear");
                Tools.Result off = Tools.run(tmp, env, 60, Netns.exec(ns.host, script.toString(), "nginx", "check"));
                assertThat(off.exit()).isNotZero();
                assertThat(off.out()).contains("quickack OFF");
                assertThat(Netns.routes(null, 4)).isEqualTo(rootBefore);
            } finally {
                container.destroyForcibly().waitFor();
            }
        }
    }

    @Test
    void theWatcherTargetsTheServiceThatPublishesThePublicPorts() throws Exception {
        JsonNode compose = new YAMLMapper().readTree(FILES.get(Layout.CONFIG_DIR + "/docker-compose.yml"));
        JsonNode proxy = compose.at("/services/" + Layout.PROXY_SERVICE);
        assertThat(proxy.isMissingNode()).as("compose service " + Layout.PROXY_SERVICE).isFalse();
        assertThat(proxy.path("network_mode").asText()).as("own network namespace").isNotEqualTo("host");
        assertThat(proxy.get("ports").toString()).contains(Layout.HTTPS_PORT + ":").contains(Layout.DICOM_TLS_PORT + ":");
        // the stack runs under the project name the watcher filters on
        assertThat(FILES.get("/etc/systemd/system/orthweb.service")).contains("--project-name " + Layout.COMPOSE_PROJECT + " ");
        // the unit runs the script that the user data installs, and the bootstrap enables it
        String unit = FILES.get("/etc/systemd/system/" + Layout.QUICKACK_UNIT);
        assertThat(unit).contains("ExecStart=" + Layout.QUICKACK_SCRIPT + " watch").contains("Restart=always");
        assertThat(FILES.get("/usr/local/sbin/orthweb-bootstrap")).contains("systemctl enable --now " + Layout.QUICKACK_UNIT);
    }
}
