package org.orthweb.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orthweb.local.LocalBundle;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class LocalCommandTest {

    @Test
    void writesTheBundleAndPrintsTheLoginAndTheStorescuLine(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("bundle");
        var cli = Cli.commandLine();
        StringWriter stdout = new StringWriter();
        cli.setOut(new PrintWriter(stdout));
        assertThat(cli.execute("local", "--stack", "dev", "--out", out.toString())).isZero();
        String password = Files.readString(out.resolve(LocalBundle.SECRETS_DIR + "/" + LocalBundle.LOCAL_USER_PASSWORD_FILE)).strip();
        assertThat(stdout.toString())
                .contains("https://localhost/", "user " + LocalBundle.LOCAL_USER, "password " + password)
                .contains("storescu +tls modality-1.key modality-1.crt +cf site-ca.crt -aet MODALITY-1 -aec ORTHANC localhost 11112")
                .contains("docker compose down -v");
        assertThat(out.resolve("docker-compose.yml")).exists();
        assertThat(out.resolve("README.md")).content().contains("Local only");
        // Keycloak's container runs as the user who wrote the bundle
        long uid = ((Number) Files.getAttribute(out, "unix:uid")).longValue();
        assertThat(out.resolve(".env")).content().contains(LocalBundle.UID_VARIABLE + "=" + uid + "\n");
    }

    @Test
    void theStacksOrthancSettingsReachTheBundleAndThePrintedLine(@TempDir Path dir) throws Exception {
        Path stackFile = Files.writeString(dir.resolve("Pulumi.clinic.yaml"), """
                config:
                  aws:region: eu-west-1
                  orthweb:environment: dev
                  orthweb:owner: radiology-it
                  orthweb:orthanc:
                    aeTitle: CLINIC_PACS
                    modalities:
                      main-pacs: {aeTitle: MAINPACS, host: 10.20.0.5, port: 104}
                """);
        Path out = dir.resolve("bundle");
        var cli = Cli.commandLine();
        StringWriter stdout = new StringWriter();
        cli.setOut(new PrintWriter(stdout));
        assertThat(cli.execute("local", "--stack", "clinic", "--config-file", stackFile.toString(), "--out", out.toString()))
                .isZero();
        assertThat(stdout.toString()).contains("-aec CLINIC_PACS localhost 11112").doesNotContain("-aec ORTHANC");
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.resolve("config/orthanc.json").toFile())
                .get("DicomAet").asText()).isEqualTo("CLINIC_PACS");
        assertThat(out.resolve("config/" + org.orthweb.cloudinit.Layout.ORTHANC_DICOM_JSON)).content()
                .contains("\"main-pacs\":{\"AET\":\"MAINPACS\",\"Host\":\"10.20.0.5\",\"Port\":104");
    }

    @Test
    void refusesADirectoryThatHoldsAnything(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("old"), "x");
        var cli = Cli.commandLine();
        StringWriter stderr = new StringWriter();
        cli.setErr(new PrintWriter(stderr));
        cli.setOut(new PrintWriter(new StringWriter()));
        assertThat(cli.execute("local", "--stack", "dev", "--out", dir.toString())).isEqualTo(Cli.INVALID);
        assertThat(stderr.toString()).contains("--out", "new or empty directory").doesNotContain("\tat ");
        assertThat(dir.resolve("docker-compose.yml")).doesNotExist();
    }
}
