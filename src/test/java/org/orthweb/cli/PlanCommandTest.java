package org.orthweb.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class PlanCommandTest {

    record Run(int exit, String out, String err) {
    }

    static Run run(String... args) {
        var cli = Cli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void jsonPlanIsExactlyOneDocument() throws Exception {
        Run run = run("plan", "--stack", "dev", "--json");
        assertThat(run.exit()).isZero();
        var doc = new ObjectMapper().readTree(run.out());
        assertThat(doc.get("stack").asText()).isEqualTo("dev");
        assertThat(doc.get("resources").size()).isGreaterThan(50);
        assertThat(doc.has("outputs")).isTrue();
    }

    @Test
    void textPlanShowsTheTreeAndOutputs() {
        Run run = run("plan", "--stack", "prod");
        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("\n+ network  (orthweb:index:SecureVpc)\n")
                .contains("\n  + network-vpc  (aws:ec2/vpc:Vpc)")
                .contains("Outputs:").contains("dbEndpoint: ");
    }

    @Test
    void invalidConfigurationExitsTwoWithTheMessageOnStderrOnly(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, """
                config:
                  aws:region: us-east-1
                  orthweb:environment: dev
                  orthweb:owner: me
                  orthweb:network:
                    azCount: 7
                """);
        Run run = run("plan", "--stack", "bad", "--config-file", file.toString(), "--json");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("orthweb:network.azCount must be from 1 to 3 (got 7)")
                .doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void missingStackFileExitsTwo() {
        Run run = run("plan", "--stack", "nosuchstack");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("Pulumi.nosuchstack.yaml does not exist");
    }

    @Test
    void missingStackOptionIsAUsageError() {
        Run run = run("plan");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("--stack");
    }
}
