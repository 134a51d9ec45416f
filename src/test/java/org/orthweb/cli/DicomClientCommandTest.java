package org.orthweb.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orthweb.DicomOutputs;
import org.orthweb.automation.Fixtures;
import org.orthweb.automation.StackOperations;
import org.orthweb.automation.StackOutput;
import picocli.CommandLine;

import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/** {@code dicom-client}: the kit written from a stack's outputs (a mocked stack), and the offline message. */
class DicomClientCommandTest {

    static final String KEY = "-----BEGIN RSA PRIVATE KEY-----\nMIIG4wIBAAKCAYEAtestkey\n-----END RSA PRIVATE KEY-----\n";
    static final String CERT = "-----BEGIN CERTIFICATE-----\nMIIEpeercert\n-----END CERTIFICATE-----\n";
    static final String CA = "-----BEGIN CERTIFICATE-----\nMIIEsiteca\n-----END CERTIFICATE-----\n";

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
        Map<String, Object> peer = new LinkedHashMap<>();
        peer.put("name", "ct-scanner-1");
        peer.put("aeTitle", "CT 1");
        peer.put("certificate", CERT);
        peer.put("privateKey", KEY);
        peer.put("caCertificate", CA);
        Map<String, StackOutput> outputs = new LinkedHashMap<>();
        outputs.put(DicomOutputs.PEERS, new StackOutput(Map.of("ct-scanner-1", peer), true));
        outputs.put(DicomOutputs.CA_CERTIFICATE, new StackOutput(CA, false));
        outputs.put(DicomOutputs.CALLED_AE_TITLE, new StackOutput("ORTHANC", false));
        outputs.put(DicomOutputs.ENDPOINTS, new StackOutput(List.of("pacs.example-clinic.org:11112"), false));
        return outputs;
    }

    @Test
    void writesCertificateKeyCaAndInstructionsWithTheKeyPrivate() throws Exception {
        when(ops.outputs()).thenReturn(outputs());
        Path kit = dir.resolve("kit");

        assertThat(run("dicom-client", "ct-scanner-1", "--stack", "dev", "--config-file", stackFile(), "--out",
                kit.toString())).as(err).isZero();

        assertThat(Files.readString(kit.resolve("ct-scanner-1.crt"))).isEqualTo(CERT);
        assertThat(Files.readString(kit.resolve("ct-scanner-1.key"))).isEqualTo(KEY);
        assertThat(Files.getPosixFilePermissions(kit.resolve("ct-scanner-1.key")))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(Files.readString(kit.resolve("site-ca.crt"))).isEqualTo(CA);
        String text = Files.readString(kit.resolve("ct-scanner-1.txt"));
        assertThat(text).contains("endpoint (host):   pacs.example-clinic.org", "port:              11112",
                "called AE title:   ORTHANC", "calling AE title:  CT 1");
        // the AE title with a space is quoted for the shell; the commands match the files
        assertThat(text).contains("echoscu +tls ct-scanner-1.key ct-scanner-1.crt +cf site-ca.crt -aet 'CT 1' -aec ORTHANC "
                + "pacs.example-clinic.org 11112\n");
        assertThat(text).contains("storescu +tls ct-scanner-1.key ct-scanner-1.crt +cf site-ca.crt -aet 'CT 1' -aec ORTHANC "
                + "pacs.example-clinic.org 11112 FILE.dcm...");
        assertThat(out).contains("Wrote ct-scanner-1.crt, ct-scanner-1.key, site-ca.crt, ct-scanner-1.txt")
                .doesNotContain("MIIG4wIBAAKCAYEAtestkey");
    }

    @Test
    void anUndeclaredPeerExits2ListingTheDeclaredOnes() throws Exception {
        when(ops.outputs()).thenReturn(outputs());

        assertThat(run("dicom-client", "mri-2", "--stack", "dev", "--config-file", stackFile(), "--out",
                dir.resolve("kit").toString())).isEqualTo(Cli.INVALID);
        assertThat(err).contains("no DICOM peer 'mri-2'", "orthweb:dicom.clients: ct-scanner-1").doesNotContain("\tat ");
        assertThat(dir.resolve("kit")).doesNotExist();
    }

    @Test
    void aStackWithoutThePkiOutputsSaysToRunUpFirst() throws Exception {
        when(ops.outputs()).thenReturn(Map.of(DicomOutputs.ENDPOINTS, new StackOutput(List.of("a:11112"), false)));

        assertThat(run("dicom-client", "ct-scanner-1", "--stack", "dev", "--config-file", stackFile(), "--out",
                dir.resolve("kit").toString())).isEqualTo(Cli.FAILED);
        assertThat(err).contains("has no output dicomPeers", "run up first");
    }

    @Test
    void offlineItSaysItNeedsThePulumiCliAndExits3() throws Exception {
        env = Fixtures.envWithoutPulumi(dir);

        assertThat(run("dicom-client", "ct-scanner-1", "--stack", "dev", "--config-file", stackFile(), "--out",
                dir.resolve("kit").toString())).isEqualTo(Cli.NO_PULUMI);
        assertThat(err).contains("not found on PATH").contains("Install the Pulumi CLI").doesNotContain("\tat ");
        assertThat(dir.resolve("kit")).doesNotExist();
    }

    @Test
    void theKitNeverPrintsItsKey() {
        DicomClientKit kit = DicomClientKit.from("dev", outputs(), "ct-scanner-1");
        assertThat(kit.toString()).doesNotContain("PRIVATE KEY").contains("ct-scanner-1");
        assertThat(DicomClientKit.shell("CT1")).isEqualTo("CT1");
        assertThat(DicomClientKit.shell("it's")).isEqualTo("'it'\\''s'");
    }
}
