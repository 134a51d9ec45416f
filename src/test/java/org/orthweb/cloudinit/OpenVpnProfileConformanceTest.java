package org.orthweb.cloudinit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orthweb.VpnOutputs;
import org.orthweb.automation.StackOutput;
import org.orthweb.cli.VpnClientKit;

import java.io.IOException;
import java.math.BigInteger;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The profile {@code orthweb vpn-client} writes, read by the real OpenVPN client (Debian's
 * {@code openvpn} 2.6): the file as written parses, and, with only its {@code remote} line pointed
 * at a local OpenVPN server (no AWS here) and {@code --dev null} (no tun device needed), it completes
 * the mutual-TLS handshake and the data-channel negotiation with a server whose certificate the
 * VPN CA signed; a client certificate of another CA (a removed client's, from the VPN CA before
 * the client list changed) is refused. Certificates are made with openssl in the shape ClientVpn
 * has the tls provider make (RSA 2048, serverAuth / clientAuth, CN = the client's name).
 */
class OpenVpnProfileConformanceTest {

    static final String ENDPOINT = "*.cvpn-endpoint-0123456789abcdef0.prod.clientvpn.us-east-1.amazonaws.com";
    /** Bound for each wait on a log line: a local handshake takes well under a second. */
    static final long WAIT_SECONDS = 30;

    @TempDir
    Path dir;

    private TestPki.Issued ca;
    private TestPki.Issued server;

    @Test
    void theWrittenProfileParsesAndCompletesTheHandshakeWithAServerOfTheVpnCa() throws Exception {
        Tools.require("openvpn", "openssl");
        TestPki pki = new TestPki(dir.resolve("pki"));
        ca = pki.ca("vpn-ca", "Orthweb test VPN CA", BigInteger.valueOf(1));
        server = pki.server("vpn-server", ca, List.of("vpn-server.test.orthweb.internal"), List.of(), BigInteger.valueOf(2));
        TestPki.Issued alice = pki.peer("alice", ca, BigInteger.valueOf(3));
        TestPki.Issued oldCa = pki.ca("old-vpn-ca", "Orthweb test VPN CA (previous client list)", BigInteger.valueOf(4));
        TestPki.Issued removed = pki.peer("bob", oldCa, BigInteger.valueOf(5));

        Path profile = write("alice", alice);
        String text = Files.readString(profile);
        assertThat(text).contains("remote-cert-tls server\n", "\nproto udp\n", "<key>\n-----BEGIN RSA PRIVATE KEY-----")
                .containsPattern("\nremote [0-9a-f]{12}\\.cvpn-endpoint-0123456789abcdef0\\.prod\\.clientvpn\\.us-east-1\\.amazonaws\\.com 443\n");

        // 1. the file as written: OpenVPN's option parser reads every line (an unknown or malformed
        // option exits 1 with "Options error"); --show-tls then prints and exits without connecting
        Tools.Result parsed = Tools.run(dir, Map.of(), 60, "openvpn", "--config", profile.toString(), "--verb", "4", "--show-tls");
        assertThat(parsed.out()).doesNotContain("Options error");
        assertThat(parsed.exit()).as(parsed.out()).isZero();

        // 2. a real handshake against a local server of the VPN CA
        int port = freeUdpPort();
        Path serverLog = dir.resolve("server.log");
        Process srv = startServer(port, serverLog);
        try {
            Path clientLog = dir.resolve("alice.log");
            Process client = startClient(local(profile, port), clientLog);
            try {
                assertThat(await(clientLog, "Initialization Sequence Completed", client)).as(read(clientLog)).isTrue();
                assertThat(read(serverLog)).contains("VERIFY OK: depth=0, O=Orthweb, OU=DICOM peers of conformance, CN=alice");
                assertThat(read(clientLog)).contains("VERIFY OK: depth=0, O=Orthweb, CN=Orthweb site");
            } finally {
                stop(client);
            }

            // 3. the removed client's certificate (another CA) is refused by the server
            Path bobLog = dir.resolve("bob.log");
            Process bob = startClient(local(write("bob", removed), port), bobLog);
            try {
                assertThat(await(serverLog, "CN=bob", srv)).isTrue();
                assertThat(await(serverLog, "TLS Error", srv) || await(serverLog, "VERIFY ERROR", srv)).as(read(serverLog)).isTrue();
                assertThat(read(bobLog)).doesNotContain("Initialization Sequence Completed", "Peer Connection Initiated");
            } finally {
                stop(bob);
            }
        } finally {
            stop(srv);
        }
    }

    /** The profile as {@code vpn-client} writes it, from stack outputs shaped as the program exports them. */
    private Path write(String name, TestPki.Issued client) throws IOException {
        Map<String, Object> material = new LinkedHashMap<>();
        material.put("name", name);
        material.put("certificate", Files.readString(client.cert()));
        material.put("privateKey", Files.readString(client.key()));
        Map<String, StackOutput> outputs = new LinkedHashMap<>();
        outputs.put(VpnOutputs.CLIENTS, new StackOutput(Map.of(name, material), true));
        outputs.put(VpnOutputs.ENDPOINT_DNS_NAME, new StackOutput(ENDPOINT, false));
        outputs.put(VpnOutputs.PORT, new StackOutput(443, false));
        outputs.put(VpnOutputs.PROTOCOL, new StackOutput("udp", false));
        outputs.put(VpnOutputs.CA_CERTIFICATE, new StackOutput(Files.readString(ca.cert()), false));
        return VpnClientKit.from("test", outputs, name).writeTo(dir.resolve("profiles"));
    }

    /** The same profile with only its remote line pointed at the local server (AWS's name does not resolve here). */
    private Path local(Path profile, int port) throws IOException {
        String text = Files.readString(profile).replaceAll("(?m)^remote .*$", "remote 127.0.0.1 " + port);
        Path out = profile.resolveSibling("local-" + profile.getFileName());
        Files.writeString(out, text);
        return out;
    }

    private Process startServer(int port, Path log) throws IOException {
        // what AWS's side does in the handshake: TLS server with the VPN CA, the AES-GCM data ciphers
        return new ProcessBuilder("openvpn", "--dev", "null", "--proto", "udp4", "--local", "127.0.0.1",
                "--lport", Integer.toString(port), "--tls-server", "--ca", ca.cert().toString(),
                "--cert", server.cert().toString(), "--key", server.key().toString(), "--dh", "none",
                "--data-ciphers", "AES-256-GCM:AES-128-GCM", "--verb", "3", "--ping-exit", "120")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private Process startClient(Path profile, Path log) throws IOException {
        return new ProcessBuilder("openvpn", "--config", profile.toString(), "--dev", "null", "--connect-retry-max", "3")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Waits (bounded) until the log holds {@code line}; false if the process ended or time ran out first. */
    private static boolean await(Path log, String line, Process p) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (System.nanoTime() < end) {
            if (read(log).contains(line)) {
                return true;
            }
            if (!p.isAlive()) {
                return read(log).contains(line);
            }
            Thread.sleep(100);
        }
        return false;
    }

    private static String read(Path log) throws IOException {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    private static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static int freeUdpPort() throws IOException {
        for (int i = 0; i < 20; i++) {
            int port = Tools.freePort();
            try (DatagramSocket s = new DatagramSocket(port, InetAddress.getLoopbackAddress())) {
                return port;
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IOException("no free UDP port on 127.0.0.1");
    }
}
