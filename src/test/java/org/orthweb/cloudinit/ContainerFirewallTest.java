package org.orthweb.cloudinit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * H4 and M5 on a real kernel: the rendered bootstrap's {@code firewall} step, run in a network
 * namespace that plays the EC2 host (a Linux bridge named like Compose's, forwarding, Docker's
 * DOCKER-USER hook in FORWARD), with two namespaces as containers on the rendered container
 * network (one at Orthanc's fixed address, one elsewhere) and one namespace as the world beyond
 * the host: the instance metadata service at 169.254.169.254, an internet address and an address
 * in the VPC (RDS). Docker itself cannot run here; the rules it would see are the same.
 */
@Tag("conformance")
class ContainerFirewallTest {

    static final String IMDS = "169.254.169.254";
    static final String INTERNET = "203.0.113.10";
    static final String RDS = "10.0.5.5";
    static final String OTHER_CONTAINER = "10.255.255.20";
    /** A declared modality's DICOM port on the internet address (UNDECLARED_PORT: the same host, not declared). */
    static final int PACS_PORT = 11112;
    static final int UNDECLARED_PORT = 104;

    private final String sfx = HexFormat.of().formatHex(java.nio.ByteBuffer.allocate(3)
            .put((byte) System.nanoTime()).put((byte) (System.nanoTime() >> 8)).put((byte) (Math.random() * 255)).array());
    private final String host = "ow-h-" + sfx;
    private final String world = "ow-o-" + sfx;
    private final String orthanc = "ow-c1-" + sfx;
    private final String other = "ow-c2-" + sfx;
    private final List<String> namespaces = List.of(host, world, orthanc, other);

    @Test
    void onlyOrthancReachesTheMetadataServiceAndTheInternetAndOnlyOverHttpsOrToADeclaredModality() throws Exception {
        Tools.require("ip", "iptables", "bash", "python3");
        if (!Tools.isRoot()) {
            String reason = "network namespaces and iptables need root";
            if (Tools.onCi()) {
                Assertions.fail(reason);
            }
            Assumptions.abort(reason);
        }
        // the rendered compose file puts Orthanc at the address the firewall names, on the fixed network
        String subnet = Layout.CONTAINER_SUBNET;
        String orthancAddress = Layout.ORTHANC_ADDRESS;
        // a PACS declared outside the VPC (orthweb:orthanc.modalities): Orthanc alone reaches it, on its port alone
        var orthancSettings = new org.orthweb.config.StackConfig.Orthanc("ORTHANC", java.util.Optional.empty(), 60, false,
                java.util.Map.of("pacs", new org.orthweb.config.StackConfig.Modality("PACS", INTERNET, PACS_PORT,
                        java.util.Optional.empty())), java.util.Map.of(), null);
        UserDataInputs inputs = new UserDataInputs("conformance", "tst", "us-east-1", ConformanceEnv.SITE, "127.0.0.1",
                Tools.freePort(), "arn:aws:secretsmanager:us-east-1:123456789012:secret:db",
                "arn:aws:secretsmanager:us-east-1:123456789012:secret:app", "conformance-bucket", null, java.util.Map.of(),
                "arn:aws:secretsmanager:us-east-1:123456789012:secret:conformance/orthweb/tls-server",
                "6a1e0c9d-2b3f-4c5d-8e7f-90a1b2c3d4e5", 1, orthancSettings);
        try (ConformanceEnv env = new ConformanceEnv(null, "127.0.0.1", null, inputs)) {
            JsonNode compose = new YAMLMapper().readTree(env.files.get(Layout.CONFIG_DIR + "/docker-compose.yml"));
            assertThat(compose.at("/services/orthanc/networks/orthanc/ipv4_address").asText()).isEqualTo(orthancAddress);
            assertThat(compose.at("/networks/orthanc/ipam/config/0/subnet").asText()).isEqualTo(subnet);
            // Orthanc's traffic out (metadata service, S3) leaves from that address only if every
            // other network it joins is internal (no gateway, so no default route through it)
            compose.at("/services/orthanc/networks").fieldNames().forEachRemaining(net -> {
                if (!net.equals("orthanc")) {
                    assertThat(compose.at("/networks/" + net + "/internal").asBoolean()).as("network " + net).isTrue();
                }
            });
            // installed before dockerd starts (boot, Docker restarts): no container runs unfiltered
            assertThat(env.files.get("/etc/systemd/system/docker.service.d/orthweb-firewall.conf"))
                    .contains("[Service]\nExecStartPre=/usr/local/sbin/orthweb-bootstrap firewall\n");

            Process server = null;
            try {
                topology(subnet, orthancAddress);
                server = startServers();
                // the stand-in host can fail: before the firewall every container reaches everything
                assertThat(reaches(other, IMDS, 80)).as("no firewall yet: the other container reaches IMDS").isTrue();
                assertThat(reaches(other, INTERNET, 443)).as("no firewall yet: the internet").isTrue();

                for (int run = 1; run <= 2; run++) {
                    Tools.Result r = Tools.run(env.root, env.bootstrapEnv, 60, "ip", "netns", "exec", host,
                            "bash", env.bootstrapScript().toString(), "firewall");
                    assertThat(r.exit()).as("firewall step, run %s: %s", run, r.out()).isZero();
                }
                String rules = in(host, "iptables", "-w", "-S", "DOCKER-USER").expectSuccess("rules").out();
                assertThat(rules.lines().filter(l -> l.contains("-j ORTHWEB-CONTAINERS")).toList())
                        .as("one jump per bridge kind, also after a second run").hasSize(2);

                assertThat(reaches(orthanc, IMDS, 80)).as("Orthanc reaches the metadata service").isTrue();
                assertThat(reaches(other, IMDS, 80)).as("another container does not").isFalse();
                assertThat(reaches(orthanc, INTERNET, 443)).as("Orthanc reaches S3-like HTTPS").isTrue();
                assertThat(reaches(orthanc, INTERNET, 80)).as("but nothing else outside").isFalse();
                assertThat(reaches(other, INTERNET, 443)).as("another container reaches no internet").isFalse();
                assertThat(reaches(other, RDS, 5432)).as("every container still reaches the VPC (RDS)").isTrue();
                assertThat(reaches(orthanc, INTERNET, PACS_PORT)).as("Orthanc reaches the declared modality").isTrue();
                assertThat(reaches(orthanc, INTERNET, UNDECLARED_PORT)).as("but no other port of that host").isFalse();
                assertThat(reaches(other, INTERNET, PACS_PORT)).as("another container does not reach the modality").isFalse();
            } finally {
                if (server != null) {
                    server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
                for (String ns : namespaces) {
                    Tools.run("ip", "netns", "del", ns);
                }
            }
        }
    }

    private void topology(String subnet, String orthancAddress) {
        for (String ns : namespaces) {
            ip("netns", "add", ns);
            ip("-n", ns, "link", "set", "lo", "up");
        }
        String gateway = subnet.replaceAll("\\.0/24$", ".1");
        ip("link", "add", "vh" + sfx, "netns", host, "type", "veth", "peer", "name", "vo" + sfx, "netns", world);
        ip("-n", host, "addr", "add", "192.0.2.1/30", "dev", "vh" + sfx);
        ip("-n", host, "link", "set", "vh" + sfx, "up");
        ip("-n", world, "addr", "add", "192.0.2.2/30", "dev", "vo" + sfx);
        ip("-n", world, "link", "set", "vo" + sfx, "up");
        for (String address : List.of(IMDS, INTERNET, RDS)) {
            ip("-n", world, "addr", "add", address + "/32", "dev", "lo");
        }
        ip("-n", world, "route", "add", subnet, "via", "192.0.2.1");
        ip("-n", host, "route", "add", "default", "via", "192.0.2.2");
        // a bridge named like Compose's (br-<id>) carrying the container network, with an address
        // of its own as Docker gives its bridges (one taken from its ports would change as they join)
        String bridge = "br-ow" + sfx;
        ip("-n", host, "link", "add", bridge, "address", SiteNetwork.bridgeAddress(sfx), "type", "bridge");
        ip("-n", host, "addr", "add", gateway + "/24", "dev", bridge);
        ip("-n", host, "link", "set", bridge, "up");
        int i = 0;
        for (String[] c : List.of(new String[]{orthanc, orthancAddress}, new String[]{other, OTHER_CONTAINER})) {
            i++;
            ip("link", "add", "p" + i + sfx, "netns", c[0], "type", "veth", "peer", "name", "v" + i + sfx, "netns", host);
            ip("-n", host, "link", "set", "v" + i + sfx, "master", bridge);
            ip("-n", host, "link", "set", "v" + i + sfx, "up");
            ip("-n", c[0], "addr", "add", c[1] + "/24", "dev", "p" + i + sfx);
            ip("-n", c[0], "link", "set", "p" + i + sfx, "up");
            ip("-n", c[0], "route", "add", "default", "via", gateway);
        }
        in(host, "sysctl", "-qw", "net.ipv4.ip_forward=1").expectSuccess("forwarding");
        // what dockerd sets up: its DOCKER-USER chain, evaluated first in FORWARD
        in(host, "iptables", "-w", "-N", "DOCKER-USER").expectSuccess("DOCKER-USER");
        in(host, "iptables", "-w", "-A", "FORWARD", "-j", "DOCKER-USER").expectSuccess("FORWARD hook");
    }

    /** TCP servers in the world namespace that answer "ok" on 80 (IMDS, web), 443, 5432 and the DICOM ports. */
    private Process startServers() throws Exception {
        String py = String.join("\n",
                "import socket, threading",
                "def serve(port):",
                "    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)",
                "    s.bind(('0.0.0.0', port)); s.listen(16)",
                "    while True:",
                "        c, _ = s.accept(); c.sendall(b'ok'); c.close()",
                "for p in (80, 443, 5432, " + PACS_PORT + ", " + UNDECLARED_PORT + "):",
                "    threading.Thread(target=serve, args=(p,), daemon=True).start()",
                "print('listening', flush=True)",
                "threading.Event().wait()");
        Process p = new ProcessBuilder("ip", "netns", "exec", world, "python3", "-c", py).redirectErrorStream(true).start();
        String first = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream())).readLine();
        assertThat(first).as("servers in the world namespace").isEqualTo("listening");
        return p;
    }

    /** Whether a TCP connection from a namespace gets the servers' "ok" within 3 s. */
    private boolean reaches(String ns, String address, int port) {
        Tools.Result r = Tools.run(null, java.util.Map.of(), 10, "ip", "netns", "exec", ns, "timeout", "3", "bash", "-c",
                "exec 3<>/dev/tcp/" + address + "/" + port + " && head -c 2 <&3");
        return r.exit() == 0 && r.out().equals("ok");
    }

    private static void ip(String... args) {
        List<String> cmd = new ArrayList<>(List.of("ip"));
        cmd.addAll(List.of(args));
        Tools.run(cmd.toArray(String[]::new)).expectSuccess(String.join(" ", cmd));
    }

    private static Tools.Result in(String ns, String... cmd) {
        List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        c.addAll(List.of(cmd));
        return Tools.run(c.toArray(String[]::new));
    }
}
