package org.orthweb.cli;

import com.pulumi.automation.OperationType;
import org.junit.jupiter.api.Test;
import org.orthweb.automation.ProgressEvent;
import org.orthweb.components.OrthancHost;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Preview and up say loudly when a host is replaced, and name the settings that do it; {@code ami}
 * prints the AWS CLI line with the program's own AMI filter and how to pin the result.
 */
class HostReplacementTest {

    private static ProgressEvent started(OperationType op, String type, String name) {
        return new ProgressEvent(ProgressEvent.Kind.STARTED, op, type, name, 0, null, Map.of());
    }

    @Test
    void aPreviewNamesAReplacedHostAndTheSettingsThatReplaceHosts() {
        var preview = new ProgressPrinter(new PrintWriter(new StringWriter()), true);
        String line = preview.lineFor(started(OperationType.REPLACE, ProgressPrinter.INSTANCE, "host-1"));
        assertThat(line).startsWith("  replace aws:ec2/instance:Instance host-1")
                .contains("!! HOST REPLACED: host-1").contains("orthweb:host.amiId").contains("orthweb:images");
        var up = new ProgressPrinter(new PrintWriter(new StringWriter()), false);
        assertThat(up.lineFor(started(OperationType.CREATE_REPLACEMENT, ProgressPrinter.INSTANCE, "host-1")))
                .contains("!! HOST REPLACED");
        // an update in place, or another kind's replacement, is no host replacement
        assertThat(preview.lineFor(started(OperationType.UPDATE, ProgressPrinter.INSTANCE, "host-1"))).doesNotContain("!!");
        assertThat(preview.lineFor(started(OperationType.REPLACE, "aws:ec2/launchTemplate:LaunchTemplate", "host-template")))
                .doesNotContain("!!");
    }

    private static String[] run(String... args) {
        var cli = Cli.commandLine(new CliContext(Map.of(), java.io.InputStream.nullInputStream(), false, (settings, create) -> {
            throw new AssertionError("ami needs no stack");
        }));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new String[]{String.valueOf(code), out.toString(), err.toString()};
    }

    @Test
    void everyHostReplacingSettingIsADeclaredSettingOrSectionByItsFullName() {
        // the list is printed to users (plan legend, ami, up's progress): each entry must be a key
        // they can find in the settings table, a note in parentheses aside
        var declared = org.orthweb.config.Declarations.rows().stream().map(org.orthweb.config.Declarations.Row::key).toList();
        assertThat(OrthancHost.HOST_REPLACING_SETTINGS).allSatisfy(entry -> {
            String key = entry.replaceFirst(" \\(.*\\)$", "");
            // a setting, or a section of them (orthweb:images)
            assertThat(declared).as("declared settings").anyMatch(d -> d.equals(key) || d.startsWith(key + "."));
        });
    }

    @Test
    void amiPrintsTheLookupWithTheProgramsFilterAndHowToPin() {
        String[] r = run("ami", "--region", "eu-west-1");
        assertThat(r[0]).isEqualTo("0");
        assertThat(r[1]).contains("aws ec2 describe-images --region eu-west-1 --owners amazon")
                .contains("Name=name,Values=" + OrthancHost.AMI_NAME_FILTER)
                .contains("Name=architecture,Values=x86_64")
                .contains("pulumi config set --path orthweb:host.amiId ami-")
                .contains("pulumi stack output hostAmiId")
                .contains(String.join(", ", OrthancHost.HOST_REPLACING_SETTINGS));
        String[] bad = run("ami", "--region", "Europe");
        assertThat(bad[0]).isEqualTo(String.valueOf(Cli.INVALID));
        assertThat(bad[2]).contains("--region must be an AWS region name");
    }

    @Test
    void planSaysWhetherTheHostImageIsPinned() {
        String fixture = org.orthweb.support.TestStacks.stackFile("dev").toString();
        String[] unpinned = run("plan", "--stack", "dev", "--config-file", fixture);
        assertThat(unpinned[0]).isEqualTo("0");
        assertThat(unpinned[1]).contains("Host image: NOT PINNED").contains("ami --region us-east-1")
                .contains("[replaces-host]");
        var pinned = org.orthweb.plan.HostImage.of(org.orthweb.support.TestStacks.config("dev", org.orthweb.support.TestStacks
                .yaml("dev", "  orthweb:host:\n    amiId: ami-0123456789abcdef0\n")));
        assertThat(pinned.note()).contains("Host image: ami-0123456789abcdef0 (pinned by orthweb:host.amiId");
        assertThat(pinned.json()).containsEntry("pinned", true).containsEntry("amiId", "ami-0123456789abcdef0");
    }

    @Test
    void planJsonSaysWhetherTheHostImageIsPinnedAndWhichResourcesReplaceHosts() throws Exception {
        String fixture = org.orthweb.support.TestStacks.stackFile("dev").toString();
        String[] r = run("plan", "--stack", "dev", "--config-file", fixture, "--json");
        assertThat(r[0]).isEqualTo("0");
        var doc = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r[1]);
        assertThat(doc.at("/hostImage/pinned").asBoolean()).isFalse();
        assertThat(doc.at("/hostImage/amiId").isNull()).isTrue();
        assertThat(doc.at("/hostImage/note").asText()).startsWith("Host image: NOT PINNED").contains("ami --region us-east-1");
        // the launch template carries the replaces-host marker, as in the text
        java.util.List<String> replacing = new java.util.ArrayList<>();
        doc.get("resources").forEach(res -> {
            if (res.get("markers").toString().contains("\"replaces-host\"")) {
                replacing.add(res.get("type").asText());
            }
        });
        assertThat(replacing).contains("aws:ec2/launchTemplate:LaunchTemplate");
    }

    @Test
    void planSaysWhenATlsModalitysCaCertificateExpires(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.time.Instant notAfter = java.time.Instant.now().plus(java.time.Duration.ofDays(40)).truncatedTo(
                java.time.temporal.ChronoUnit.SECONDS);
        String ca = org.orthweb.pki.TestCertificates.selfSigned("Expiring CA", java.time.Instant.now().minusSeconds(60), notAfter);
        java.nio.file.Path file = dir.resolve("Pulumi.dev.yaml");
        java.nio.file.Files.writeString(file, java.nio.file.Files.readString(org.orthweb.support.TestStacks.stackFile("dev"))
                .stripTrailing() + "\n  orthweb:orthanc:\n    modalities:\n      pacs: {aeTitle: PACS, host: 10.0.0.9, port: 2762, "
                + "tls: true, caCertificate: " + org.orthweb.pki.TestCertificates.quoted(ca) + "}\n");
        String[] text = run("plan", "--stack", "dev", "--config-file", file.toString());
        assertThat(text[0]).as(text[2]).isEqualTo("0");
        assertThat(text[1]).contains("DICOM TLS modality pacs: its caCertificate expires " + notAfter + " (in 39 days)");
        String[] json = run("plan", "--stack", "dev", "--config-file", file.toString(), "--json");
        var doc = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json[1]);
        assertThat(doc.at("/modalityCaExpiry/pacs").asText()).isEqualTo(notAfter.toString());
        // none without a TLS modality
        String fixture = org.orthweb.support.TestStacks.stackFile("dev").toString();
        assertThat(run("plan", "--stack", "dev", "--config-file", fixture)[1]).doesNotContain("DICOM TLS modality");
    }
}
