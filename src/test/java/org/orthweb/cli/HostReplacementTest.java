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
}
