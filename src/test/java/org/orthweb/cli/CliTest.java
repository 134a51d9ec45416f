package org.orthweb.cli;

import com.pulumi.automation.CommandException;
import com.pulumi.automation.CommandResult;
import com.pulumi.automation.OperationType;
import com.pulumi.automation.events.EngineEvent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orthweb.automation.Fixtures;
import org.orthweb.automation.Operation;
import org.orthweb.automation.OperationResult;
import org.orthweb.automation.StackConfigValues;
import org.orthweb.automation.StackOperations;
import org.orthweb.automation.StackOutput;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

class CliTest {

    @TempDir
    Path dir;

    private final StackOperations ops = mock(StackOperations.class);
    private final List<String> openedStacks = new ArrayList<>();
    private Map<String, String> env;
    private InputStream in = InputStream.nullInputStream();
    private boolean interactive;
    private String out;
    private String err;

    private static final List<String> DEPLOY_COMMANDS = List.of("preview", "up", "refresh", "destroy", "outputs");

    @BeforeEach
    void aMachineWithThePulumiCli() throws Exception {
        env = Fixtures.envWithPulumi(dir);
    }

    private int run(String... args) {
        CliContext context = new CliContext(env, in, interactive, (settings, create) -> {
            openedStacks.add(settings.stack());
            return ops;
        });
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

    /** A fixture stack file in a project folder (beside the real Pulumi.yaml), as a user has it. */
    private String file(String name) throws Exception {
        Path project = Fixtures.projectFolder(dir, Map.of(name, Files.readString(Fixtures.stackFile(name))));
        return project.resolve(name).toString();
    }

    /** A copy of a stack file under a name that makes it a typed config (no project around it). */
    private String copy(String name) throws Exception {
        return Files.copy(Fixtures.stackFile(name), dir.resolve("site-" + (++copies) + "-" + name)).toString();
    }

    private int copies;

    private void typed(String input) {
        in = new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8));
        interactive = true;
    }

    // ---- help and usage -----------------------------------------------------------------------

    @Test
    void helpListsEveryCommandAndTheExitCodes() {
        assertThat(run("--help")).isZero();

        for (String command : List.of("plan", "preview", "up", "refresh", "destroy", "outputs")) {
            assertThat(out).containsPattern("(?m)^  " + command + " ");
        }
        assertThat(out).containsPattern("(?m)^  0 +success")
                .containsPattern("(?m)^  1 +the operation failed")
                .containsPattern("(?m)^  2 +invalid configuration or usage")
                .containsPattern("(?m)^  3 +the Pulumi CLI was not found");
    }

    /** `settings` prints every declared setting, with what it allows and its defaults, from the declarations. */
    @Test
    void settingsListsEveryDeclaredKeyWithItsDefaults() {
        assertThat(run("settings")).isZero();
        for (var row : org.orthweb.config.Declarations.rows()) {
            assertThat(out).as(row.key()).containsPattern("(?m)^" + java.util.regex.Pattern.quote(row.key()) + "  \\(");
        }
        assertThat(out).contains("orthweb:dicom.clients  (").contains("default: `db.t4g.small` (dev, tst); `db.t4g.medium` (prd, stg)")
                .contains("allowed: 1-3");
    }

    @Test
    void everyDeployCommandHasTheStackOptionsAndItsOwnHelp() {
        for (String command : DEPLOY_COMMANDS) {
            assertThat(run(command, "--help")).as(command).isZero();
            assertThat(out).as(command).contains("--stack=NAME").contains("--config-file=FILE")
                    .contains("--backend=URL").contains("Exit codes:");
        }
        assertThat(openedStacks).isEmpty();
    }

    @Test
    void destroyHelpSaysWhenItAsks() {
        run("destroy", "--help");

        assertThat(out).contains("--yes").contains("prd or stg");
    }

    @Test
    void aMissingStackIsAUsageError() {
        assertThat(run("up")).isEqualTo(Cli.INVALID);
        assertThat(err).contains("--stack").contains("Try 'orthweb up --help'");
    }

    @Test
    void anUnknownCommandIsAUsageError() {
        assertThat(run("deploy", "--stack", "dev")).isEqualTo(Cli.INVALID);
    }

    // ---- without the Pulumi CLI ---------------------------------------------------------------

    @Test
    void withoutThePulumiCliEveryDeployCommandExits3WithOneClearMessage() throws Exception {
        env = Fixtures.envWithoutPulumi(dir);

        for (String command : DEPLOY_COMMANDS) {
            assertThat(run(command, "--stack", "dev", "--config-file", file("Pulumi.dev.yaml"))).as(command)
                    .isEqualTo(Cli.NO_PULUMI);
            assertThat(err).as(command).contains("not found on PATH").contains("Install the Pulumi CLI")
                    .doesNotContain("Exception").doesNotContain("\tat ");
        }
        assertThat(openedStacks).isEmpty();
    }

    @Test
    void theMissingCliIsReportedEvenBeforeAMissingStackFile() throws Exception {
        env = Fixtures.envWithoutPulumi(dir);

        assertThat(run("up", "--stack", "dev", "--config-file", dir.resolve("nope.yaml").toString()))
                .isEqualTo(Cli.NO_PULUMI);
    }

    @Test
    void planWorksWithoutThePulumiCli() throws Exception {
        env = Fixtures.envWithoutPulumi(dir);

        assertThat(run("plan", "--stack", "dev", "--config-file", file("Pulumi.dev.yaml"))).isZero();
        assertThat(out).contains("Offline plan of stack 'dev'");
    }

    // ---- configuration ------------------------------------------------------------------------

    @Test
    void anInvalidStackFileExits2NamingTheKeyAndRunsNothing() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.yaml"),
                Files.readString(Fixtures.stackFile("Pulumi.dev.yaml")).replace("environment: dev", "environment: qa"));

        assertThat(run("up", "--stack", "dev", "--config-file", bad.toString())).isEqualTo(Cli.INVALID);
        assertThat(err).contains("orthweb:environment").doesNotContain("\tat ");
        assertThat(openedStacks).isEmpty();
    }

    // ---- up, preview, outputs -----------------------------------------------------------------

    @Test
    void upShowsChangesAsTheyHappenAndMasksSecretOutputs() throws Exception {
        when(ops.config()).thenReturn(Map.of());
        doAnswer(call -> {
            Consumer<EngineEvent> events = call.getArgument(1);
            events.accept(Fixtures.pre(OperationType.SAME, "random:index/randomPet:RandomPet", "name-prefix"));
            events.accept(Fixtures.outputs(OperationType.SAME, "random:index/randomPet:RandomPet", "name-prefix"));
            events.accept(Fixtures.pre(OperationType.CREATE, "aws:ec2/vpc:Vpc", "network-vpc"));
            events.accept(Fixtures.outputs(OperationType.CREATE, "aws:ec2/vpc:Vpc", "network-vpc"));
            return new OperationResult(Operation.UP, Map.of(OperationType.CREATE, 1, OperationType.SAME, 1), Map.of(
                    "dbSecretArn", new StackOutput("arn:aws:secretsmanager:us-east-1:1:secret:db", true),
                    "dataBucketName", new StackOutput("brave-otter-orthbucket", false)));
        }).when(ops).up(any(), any());

        assertThat(run("up", "--stack", "dev", "--config-file", copy("Pulumi.dev.yaml"))).isZero();

        assertThat(out).contains("... create aws:ec2/vpc:Vpc network-vpc\n")
                .contains("[2] create aws:ec2/vpc:Vpc network-vpc done")
                .doesNotContain("name-prefix")
                .contains("up of stack 'dev' done: create 1, unchanged 1")
                .contains("dataBucketName: brave-otter-orthbucket")
                .contains("dbSecretArn: [secret]")
                .doesNotContain("secret:db");
        assertThat(openedStacks).containsExactly("dev");
    }

    @Test
    void upFromTheProjectLetsPulumiReadTheStackFile() throws Exception {
        when(ops.config()).thenReturn(StackConfigValues.toStackConfig(Fixtures.dev()));
        when(ops.up(any(), any())).thenReturn(new OperationResult(Operation.UP, Map.of(), Map.of()));

        assertThat(run("up", "--stack", "dev", "--config-file", file("Pulumi.dev.yaml"))).isZero();

        verify(ops, never()).setConfig(any());
    }

    @Test
    void previewListsWhatWouldChange() throws Exception {
        when(ops.config()).thenReturn(Map.of());
        doAnswer(call -> {
            Consumer<EngineEvent> events = call.getArgument(1);
            events.accept(Fixtures.pre(OperationType.CREATE, "aws:s3/bucketV2:BucketV2", "storage-data"));
            events.accept(Fixtures.outputs(OperationType.CREATE, "aws:s3/bucketV2:BucketV2", "storage-data"));
            return new OperationResult(Operation.PREVIEW, Map.of(OperationType.CREATE, 1), Map.of());
        }).when(ops).preview(any(), any());

        assertThat(run("preview", "--stack", "dev", "--config-file", copy("Pulumi.dev.yaml"))).isZero();

        assertThat(out).contains("  create aws:s3/bucketV2:BucketV2 storage-data")
                .doesNotContain("done")
                .contains("preview of stack 'dev': create 1");
    }

    @Test
    void outputsAsJsonMaskSecretsUnlessAsked() throws Exception {
        when(ops.outputs()).thenReturn(Map.of(
                "appSecretArn", new StackOutput("arn:aws:secretsmanager:x", true),
                "siteUrls", new StackOutput(List.of("https://a.example.org/"), false)));

        assertThat(run("outputs", "--stack", "dev", "--config-file", copy("Pulumi.dev.yaml"), "--json")).isZero();
        assertThat(out).contains("\"appSecretArn\" : \"[secret]\"").contains("https://a.example.org/");

        assertThat(run("outputs", "--stack", "dev", "--config-file", copy("Pulumi.dev.yaml"), "--show-secrets"))
                .isZero();
        assertThat(out).contains("appSecretArn: arn:aws:secretsmanager:x");
    }

    @Test
    void aFailedOperationExits1WithTheEnginesErrorAndNoStackTrace() throws Exception {
        when(ops.config()).thenReturn(Map.of());
        when(ops.up(any(), any())).thenThrow(new CommandException(new CommandResult(255, "",
                "error: [409] Conflict: Another update is currently in progress.\n")));

        assertThat(run("up", "--stack", "dev", "--config-file", copy("Pulumi.dev.yaml"))).isEqualTo(Cli.FAILED);
        assertThat(err).contains("up of stack 'dev' failed: [409] Conflict").contains("What to do:")
                .doesNotContain("\tat ").doesNotContain("CommandException");
    }

    // ---- destroy confirmation -----------------------------------------------------------------

    @Test
    void destroyOfAProductionStackWithoutATerminalRefusesWithExit2() throws Exception {
        assertThat(run("destroy", "--stack", "prod", "--config-file", copy("Pulumi.prod.yaml"))).isEqualTo(Cli.INVALID);

        assertThat(err).contains("needs confirmation").contains("--yes").contains("prd");
        verify(ops, never()).destroy(any());
    }

    @Test
    void destroyOfAProductionStackGoesAheadWhenTheStackNameIsTyped() throws Exception {
        typed("prod\n");
        when(ops.destroy(any())).thenReturn(new OperationResult(Operation.DESTROY, Map.of(OperationType.DELETE, 40),
                Map.of()));

        assertThat(run("destroy", "--stack", "prod", "--config-file", copy("Pulumi.prod.yaml"))).isZero();

        assertThat(out).contains("Type the stack name (prod)").contains("destroy of stack 'prod' done: delete 40");
        verify(ops).destroy(any());
    }

    /** A modality's CA that expired since the last up stops plan and up (they say so), never destroy. */
    @Test
    void anExpiredModalityCaStopsUpButNotDestroy() throws Exception {
        String expired = org.orthweb.pki.TestCertificates.selfSigned("Old PACS CA",
                java.time.Instant.parse("2020-01-01T00:00:00Z"), java.time.Instant.parse("2021-01-01T00:00:00Z"));
        Path file = dir.resolve("expired-" + (++copies) + "-Pulumi.dev.yaml");
        Files.writeString(file, Files.readString(Fixtures.stackFile("Pulumi.dev.yaml")).stripTrailing()
                + "\n  orthweb:orthanc:\n    modalities:\n      pacs: {aeTitle: PACS, host: 10.0.0.9, port: 2762, tls: true, "
                + "caCertificate: " + org.orthweb.pki.TestCertificates.quoted(expired) + "}\n");
        when(ops.destroy(any())).thenReturn(new OperationResult(Operation.DESTROY, Map.of(OperationType.DELETE, 30),
                Map.of()));

        assertThat(run("up", "--stack", "dev", "--config-file", file.toString())).isEqualTo(Cli.INVALID);
        assertThat(err).contains("orthweb:orthanc.modalities.pacs.caCertificate").contains("expired on 2021-01-01");
        verify(ops, never()).up(any(), any());

        assertThat(run("destroy", "--stack", "dev", "--config-file", file.toString())).isZero();
        verify(ops).destroy(any());
        // and the clock is back for the next command on this thread
        assertThat(org.orthweb.config.CertificateClock.now()).isPresent();
    }

    @Test
    void destroyOfAProductionStackStopsOnAnyOtherAnswer() throws Exception {
        typed("yes\n");

        assertThat(run("destroy", "--stack", "prod", "--config-file", copy("Pulumi.prod.yaml"))).isEqualTo(Cli.FAILED);

        assertThat(err).contains("nothing was destroyed");
        verify(ops, never()).destroy(any());
    }

    @Test
    void destroyWithYesDoesNotAsk() throws Exception {
        when(ops.destroy(any())).thenReturn(new OperationResult(Operation.DESTROY, Map.of(), Map.of()));

        assertThat(run("destroy", "--stack", "prod", "--config-file", copy("Pulumi.prod.yaml"), "--yes")).isZero();

        assertThat(out).doesNotContain("Type the stack name");
        verify(ops).destroy(any());
    }

    @Test
    void destroyOfADevStackDoesNotAsk() throws Exception {
        when(ops.destroy(any())).thenReturn(new OperationResult(Operation.DESTROY, Map.of(), Map.of()));

        assertThat(run("destroy", "--stack", "dev", "--config-file", copy("Pulumi.dev.yaml"))).isZero();

        verify(ops).destroy(any());
    }
}
