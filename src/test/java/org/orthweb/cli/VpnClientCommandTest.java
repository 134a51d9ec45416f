package org.orthweb.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orthweb.VpnOutputs;
import org.orthweb.automation.Fixtures;
import org.orthweb.automation.StackOperations;
import org.orthweb.automation.StackOutput;
import org.orthweb.vpn.OpenVpnProfile;
import picocli.CommandLine;

import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/** {@code vpn-client}: the profile written from a stack's outputs (a mocked stack), its messages and exit codes. */
class VpnClientCommandTest {

    static final String KEY = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAvpnkey\n-----END RSA PRIVATE KEY-----\n";
    static final String CERT = "-----BEGIN CERTIFICATE-----\nMIIDvpnclient\n-----END CERTIFICATE-----\n";
    static final String CA = "-----BEGIN CERTIFICATE-----\nMIIDvpnca\n-----END CERTIFICATE-----\n";
    static final String ENDPOINT = "*.cvpn-endpoint-0abc.prod.clientvpn.eu-central-1.amazonaws.com";

    @TempDir
    Path dir;

    private final StackOperations ops = mock(StackOperations.class);
    private Map<String, String> env;
    private String out;
    private String err;

    @BeforeEach
    void aMachineWithThePulumiCli() throws Exception {
        env = Fixtures.envWithPulumi(dir);
    }

    private int run(String... args) {
        CliContext context = new CliContext(env, InputStream.nullInputStream(), false, (settings, create) -> ops);
        CommandLine cli = Cli.commandLine(context);
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        cli.setOut(new PrintWriter(o, true));
        cli.setErr(new PrintWriter(e, true));
        int code = cli.execute(args);
        out = o.toString();
        err = e.toString();
        return code;
    }

    private String stackFile() throws Exception {
        return Files.copy(Fixtures.PROJECT.resolve("Pulumi.dev.yaml"), dir.resolve("site-Pulumi.dev.yaml")).toString();
    }

    static Map<String, StackOutput> outputs() {
        Map<String, Object> alice = new LinkedHashMap<>();
        alice.put("name", "alice");
        alice.put("certificate", CERT);
        alice.put("privateKey", KEY);
        Map<String, StackOutput> outputs = new LinkedHashMap<>();
        outputs.put(VpnOutputs.CLIENTS, new StackOutput(Map.of("alice", alice), true));
        outputs.put(VpnOutputs.ENDPOINT_DNS_NAME, new StackOutput(ENDPOINT, false));
        outputs.put(VpnOutputs.PORT, new StackOutput(443.0, false));
        outputs.put(VpnOutputs.PROTOCOL, new StackOutput("udp", false));
        outputs.put(VpnOutputs.CA_CERTIFICATE, new StackOutput(CA, false));
        return outputs;
    }

    @Test
    void writesTheProfileWithEverythingInlineAndPrivate() throws Exception {
        when(ops.outputs()).thenReturn(outputs());
        Path kit = dir.resolve("kit");

        assertThat(run("vpn-client", "alice", "--stack", "dev", "--config-file", stackFile(), "--out", kit.toString()))
                .as(err).isZero();

        Path file = kit.resolve("alice.ovpn");
        assertThat(Files.getPosixFilePermissions(file))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        String text = Files.readString(file);
        assertThat(text).contains("<ca>\n" + CA.strip() + "\n</ca>\n", "<cert>\n" + CERT.strip() + "\n</cert>\n",
                "<key>\n" + KEY.strip() + "\n</key>\n", "remote-cert-tls server\n", "proto udp\n",
                "data-ciphers AES-256-GCM:AES-128-GCM\n");
        // a random label in front of the wildcard name, as AWS requires
        assertThat(text).containsPattern("\nremote [0-9a-f]{12}\\.cvpn-endpoint-0abc\\.prod\\.clientvpn\\.eu-central-1\\.amazonaws\\.com 443\n")
                .doesNotContain("*.");
        assertThat(out).contains("Wrote", "alice.ovpn").doesNotContain("vpnkey");
    }

    @Test
    void anUndeclaredClientExits2ListingTheDeclaredOnes() throws Exception {
        when(ops.outputs()).thenReturn(outputs());

        assertThat(run("vpn-client", "bob", "--stack", "dev", "--config-file", stackFile(), "--out",
                dir.resolve("kit").toString())).isEqualTo(Cli.INVALID);
        assertThat(err).contains("no VPN client 'bob'", "orthweb:vpn.clients: alice").doesNotContain("\tat ");
        assertThat(dir.resolve("kit")).doesNotExist();
    }

    @Test
    void aStackWithoutTheVpnSaysWhatToSet() throws Exception {
        when(ops.outputs()).thenReturn(Map.of());

        assertThat(run("vpn-client", "alice", "--stack", "dev", "--config-file", stackFile(), "--out",
                dir.resolve("kit").toString())).isEqualTo(Cli.INVALID);
        assertThat(err).contains("has no Client VPN", "set orthweb:vpn (clientCidr, clients)", "run up first")
                .doesNotContain("\tat ");
    }

    @Test
    void offlineItSaysItNeedsThePulumiCliAndExits3() throws Exception {
        env = Fixtures.envWithoutPulumi(dir);

        assertThat(run("vpn-client", "alice", "--stack", "dev", "--config-file", stackFile(), "--out",
                dir.resolve("kit").toString())).isEqualTo(Cli.NO_PULUMI);
        assertThat(err).contains("not found on PATH").contains("Install the Pulumi CLI").doesNotContain("\tat ");
        assertThat(dir.resolve("kit")).doesNotExist();
    }

    @Test
    void theKitNeverPrintsItsKeyAndAProfileNeedsItsParts() {
        assertThat(VpnClientKit.from("dev", outputs(), "alice").toString()).doesNotContain("PRIVATE KEY").contains("alice");
        assertThat(OpenVpnProfile.remoteHost(ENDPOINT, "0a1b2c3d4e5f"))
                .isEqualTo("0a1b2c3d4e5f.cvpn-endpoint-0abc.prod.clientvpn.eu-central-1.amazonaws.com");
        assertThat(OpenVpnProfile.randomLabel()).matches("[0-9a-f]{12}").isNotEqualTo(OpenVpnProfile.randomLabel());
        assertThatThrownBy(() -> new OpenVpnProfile(ENDPOINT, 443, "udp", CA, CERT, "")).hasMessageContaining("PEM block");
        assertThatThrownBy(() -> new OpenVpnProfile(ENDPOINT, 443, "sctp", CA, CERT, KEY)).hasMessageContaining("udp or tcp");
    }
}
