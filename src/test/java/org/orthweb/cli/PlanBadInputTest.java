package org.orthweb.cli;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped dev stack file with one mistake, as a new user would make it: {@code plan --json}
 * exits 2, prints nothing on stdout, names the key on stderr, and shows no stack trace.
 */
class PlanBadInputTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "empty vpcCidr|vpcCidr: 172.17.0.0/16|vpcCidr: \"\"|orthweb:network.vpcCidr is empty",
            "empty owner|orthweb:owner: imaging-it|orthweb:owner: \"\"|orthweb:owner is empty",
            "empty instanceType|instanceType: t3.medium|instanceType: ''|orthweb:host.instanceType is empty",
            "duplicate DICOM CIDR|      - 0.0.0.0/0\\n  orthweb:host|      - 0.0.0.0/0\\n      - 0.0.0.0/0\\n  orthweb:host|orthweb:network.dicomClientCidrs lists 0.0.0.0/0 twice",
            "null owner|orthweb:owner: imaging-it|orthweb:owner: ~|orthweb:owner is required"})
    void aMistakeInTheShippedDevFileExitsTwoNamingTheKey(String name, String from, String to, String message,
                                                          @TempDir Path dir) throws Exception {
        String shipped = Files.readString(Path.of("Pulumi.dev.yaml"));
        String broken = shipped.replace(from.replace("\\n", "\n"), to.replace("\\n", "\n"));
        assertThat(broken).as("the edit applies").isNotEqualTo(shipped);
        Path file = dir.resolve("Pulumi.dev.yaml");
        Files.writeString(file, broken);

        var cli = Cli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute("plan", "--stack", "dev", "--config-file", file.toString(), "--json");

        assertThat(exit).isEqualTo(2);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString()).contains(message).doesNotContain("Exception").doesNotContain("\tat ");
    }
}
