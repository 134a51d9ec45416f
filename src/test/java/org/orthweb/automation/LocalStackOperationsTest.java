package org.orthweb.automation;

import com.pulumi.automation.CommandResult;
import com.pulumi.automation.OperationType;
import com.pulumi.automation.StackNotFoundException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The deployer through Pulumi's real LocalWorkspace and WorkspaceStack, with a scripted Pulumi
 * CLI underneath: checks the command lines our calls become (config set-all without --path,
 * secrets as --secret, exact plugin versions, inline up) and how their answers come back
 * (outputs with secret flags, the change summary, engine events). What the real CLI and engine
 * then do is verified only against a real Pulumi CLI.
 */
class LocalStackOperationsTest {

    @TempDir
    Path dir;

    private Map<String, String> env;
    private final List<ProgressEvent> progress = new ArrayList<>();
    private boolean stackExists = true;

    private static final String OUTPUTS_MASKED = "{\"dataBucketName\":\"brave-otter-orthbucket\",\"dbSecretArn\":\"[secret]\"}";
    private static final String OUTPUTS_CLEAR = "{\"dataBucketName\":\"brave-otter-orthbucket\",\"dbSecretArn\":\"arn:aws:secretsmanager:db\"}";
    private static final String HISTORY = "[{\"kind\":\"update\",\"startTime\":\"2026-11-28T04:00:00.000Z\","
            + "\"endTime\":\"2026-11-28T04:20:00.000Z\",\"message\":\"\",\"environment\":{},\"config\":{},"
            + "\"result\":\"succeeded\",\"version\":1,\"resourceChanges\":{\"create\":41,\"same\":1}}]";

    private final ScriptedPulumiCommand cli = new ScriptedPulumiCommand((args, options) -> {
        String line = String.join(" ", args);
        if (line.startsWith("stack select") && !line.contains("--create") && !stackExists) {
            throw new StackNotFoundException(new CommandResult(255, "", "error: no stack named 'dev' found"));
        }
        if (line.startsWith("config --show-secrets --json")) {
            return ScriptedPulumiCommand.ok("{\"orthweb:site\":{\"value\":\"{\\\"name\\\":\\\"old.example.org\\\"}\",\"secret\":false}}");
        }
        if (line.startsWith("stack output --json --show-secrets")) {
            return ScriptedPulumiCommand.ok(OUTPUTS_CLEAR);
        }
        if (line.startsWith("stack output --json")) {
            return ScriptedPulumiCommand.ok(OUTPUTS_MASKED);
        }
        if (line.startsWith("stack history")) {
            return ScriptedPulumiCommand.ok(HISTORY);
        }
        if (args.get(0).equals("preview")) {
            options.onEngineEvent().accept(Fixtures.summary(Map.of(OperationType.CREATE, 42)));
        }
        if (args.get(0).equals("up")) {
            options.onEngineEvent().accept(Fixtures.pre(OperationType.CREATE, "aws:ec2/vpc:Vpc", "network-vpc"));
            options.onEngineEvent().accept(Fixtures.outputs(OperationType.CREATE, "aws:ec2/vpc:Vpc", "network-vpc"));
        }
        return null;
    });

    @BeforeEach
    void cliOnPath() throws Exception {
        env = Fixtures.envWithPulumi(dir);
    }

    private OrthwebDeployer deployer(String stack, org.orthweb.config.StackConfig config) {
        return OrthwebDeployer.builder()
                .stack(stack)
                .config(config)
                .backendUrl("file://" + dir.resolve("state"))
                .workDir(dir)
                .environmentVariable("PULUMI_CONFIG_PASSPHRASE", "test")
                .listener(progress::add)
                .processEnvironment(env)
                .opener(LocalStackOperations.using(cli))
                .build();
    }

    @Test
    void upBecomesTheseCliCommandsAndItsAnswersComeBackTyped() {
        var config = Fixtures.devWith("dev", Map.of(), Set.of("orthweb:host"));

        OperationResult result = deployer("dev", config).up();

        List<String> lines = cli.lines();
        // pulumi-java selects the stack once, then runs the update on the selected stack
        assertThat(lines.get(0)).isEqualTo("stack select --stack dev");
        assertThat(lines).contains("plugin install resource aws v6.83.0 --exact",
                "plugin install resource random v" + com.pulumi.random.RandomProvider.VERSION + " --exact");
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("config rm-all").contains("orthweb:site"));
        String setAll = lines.stream().filter(l -> l.startsWith("config set-all")).findFirst().orElseThrow();
        assertThat(setAll).doesNotContain("--path")
                .contains("--plaintext aws:region=us-east-1")
                .contains("--secret orthweb:host={")
                .contains("--plaintext orthweb:owner=imaging-it")
                .contains("--plaintext orthweb:network={\"vpcCidr\":\"172.17.0.0/16\"");
        String up = lines.stream().filter(l -> l.startsWith("up ")).findFirst().orElseThrow();
        assertThat(up).contains("--client=").contains("--exec-kind auto.inline").contains("--color never");
        // ordering: plugins and config before the update
        assertThat(lines.indexOf(setAll)).isLessThan(lines.indexOf(up));
        assertThat(lines.indexOf("plugin install resource aws v6.83.0 --exact")).isLessThan(lines.indexOf(up));

        assertThat(cli.calls).allSatisfy(call -> assertThat(call.env())
                .containsEntry("PULUMI_BACKEND_URL", "file://" + dir.resolve("state"))
                .containsEntry("PULUMI_CONFIG_PASSPHRASE", "test"));

        assertThat(result.changes()).containsEntry(OperationType.CREATE, 41).containsEntry(OperationType.SAME, 1);
        assertThat(result.outputs().get("dbSecretArn")).isEqualTo(new StackOutput("arn:aws:secretsmanager:db", true));
        assertThat(result.outputs().get("dataBucketName")).isEqualTo(new StackOutput("brave-otter-orthbucket", false));
        assertThat(progress).extracting(ProgressEvent::kind, ProgressEvent::done).containsExactly(
                org.assertj.core.api.Assertions.tuple(ProgressEvent.Kind.STARTED, 0),
                org.assertj.core.api.Assertions.tuple(ProgressEvent.Kind.FINISHED, 1));
    }

    @Test
    void previewCreatesAMissingStackWithTheChosenSecretsProvider() {
        stackExists = false;
        var deployer = OrthwebDeployer.builder().stack("dev").config(Fixtures.dev())
                .secretsProvider("awskms://alias/orthweb-state").workDir(dir)
                .processEnvironment(env).opener(LocalStackOperations.using(cli)).build();

        OperationResult preview = deployer.preview();

        assertThat(preview.changes()).containsExactly(Map.entry(OperationType.CREATE, 42));
        assertThat(cli.lines()).anySatisfy(l -> assertThat(l).startsWith("stack init")
                .contains("--secrets-provider awskms://alias/orthweb-state").contains("dev"));
        assertThat(cli.lines()).anySatisfy(l -> assertThat(l).startsWith("preview "));
    }

    @Test
    void outputsOfAStackThatDoesNotExistSayWhatToDo() {
        stackExists = false;

        assertThatThrownBy(() -> deployer("dev", Fixtures.dev()).outputs())
                .isInstanceOfSatisfying(DeploymentException.class, e -> {
                    assertThat(e.reason()).isEqualTo(DeploymentException.Reason.STACK_NOT_FOUND);
                    assertThat(e.getMessage()).contains("outputs of stack 'dev' failed: no stack named 'dev' found");
                });
        assertThat(cli.lines()).noneMatch(l -> l.startsWith("stack init"));
    }

    /**
     * The project folder as a user has it: the real Pulumi.yaml (description, runtime binary,
     * project config) beside a stack file holding a {@code secure:} value, as Pulumi writes it.
     */
    private Path projectFolder() throws Exception {
        return Fixtures.projectFolder(dir, Map.of("Pulumi.dev.yaml", Fixtures.devStackFileWithSecureKey()));
    }

    @Test
    void previewFromTheProjectFolderUsesItsOwnPulumiYamlAndStackFile() throws Exception {
        Path project = projectFolder();
        var answers = new ScriptedPulumiCommand((args, options) -> {
            String line = String.join(" ", args);
            if (line.startsWith("config --show-secrets --json")) {
                return ScriptedPulumiCommand.ok(Fixtures.devStackConfigDecrypted());
            }
            if (args.get(0).equals("preview")) {
                options.onEngineEvent().accept(Fixtures.summary(Map.of(OperationType.CREATE, 42)));
            }
            return null;
        });
        var deployer = OrthwebDeployer.builder().stack("dev").stackFile(project.resolve("Pulumi.dev.yaml"))
                .processEnvironment(env).opener(LocalStackOperations.using(answers)).build();

        OperationResult preview = deployer.preview();

        assertThat(preview.changes()).containsExactly(Map.entry(OperationType.CREATE, 42));
        List<String> lines = answers.lines();
        assertThat(lines.get(0)).isEqualTo("stack select --stack dev");
        assertThat(lines).contains("config --show-secrets --json --stack dev");
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("preview "));
        assertThat(lines).noneMatch(l -> l.startsWith("config set") || l.startsWith("config rm"));
        // the project's files are Pulumi's to read: nothing rewrote them
        assertThat(Files.readString(project.resolve("Pulumi.yaml")))
                .isEqualTo(Files.readString(Fixtures.PROJECT.resolve("Pulumi.yaml")));
        assertThat(Files.readString(project.resolve("Pulumi.dev.yaml"))).isEqualTo(Fixtures.devStackFileWithSecureKey());
    }

    @Test
    void everyDeployCommandRunsFromTheProjectFolderThroughTheCommandLine() throws Exception {
        Path project = projectFolder();
        for (String command : List.of("preview", "up", "refresh", "destroy", "outputs")) {
            var answers = new ScriptedPulumiCommand((args, options) -> {
                String line = String.join(" ", args);
                if (line.startsWith("config --show-secrets --json")) {
                    return ScriptedPulumiCommand.ok(Fixtures.devStackConfigDecrypted());
                }
                if (line.startsWith("stack output") || line.startsWith("stack history")) {
                    return ScriptedPulumiCommand.ok(line.startsWith("stack output") ? OUTPUTS_MASKED : HISTORY);
                }
                if (args.get(0).equals("preview")) {
                    options.onEngineEvent().accept(Fixtures.summary(Map.of(OperationType.CREATE, 42)));
                }
                return null;
            });
            var context = new org.orthweb.cli.CliContext(env, java.io.InputStream.nullInputStream(), false,
                    LocalStackOperations.using(answers));
            var cli = org.orthweb.cli.Cli.commandLine(context);
            var err = new java.io.StringWriter();
            cli.setOut(new java.io.PrintWriter(new java.io.StringWriter()));
            cli.setErr(new java.io.PrintWriter(err, true));

            int exit = cli.execute(command, "--stack", "dev", "--config-file", project.resolve("Pulumi.dev.yaml").toString());

            assertThat(exit).as(command + ": " + err).isZero();
            assertThat(answers.lines()).as(command).first().isEqualTo("stack select --stack dev");
            String verb = command.equals("outputs") ? "stack output" : command;
            assertThat(answers.lines()).as(command).anySatisfy(l -> assertThat(l).startsWith(verb + " "));
            assertThat(answers.lines()).as(command).noneMatch(l -> l.startsWith("config set") || l.startsWith("stack init"));
            if (command.equals("preview") || command.equals("up")) {
                assertThat(answers.lines()).as(command).contains("config --show-secrets --json --stack dev");
            }
        }
    }

    @Test
    void aProjectNameChosenInCodeThatThePulumiYamlContradictsIsRefusedBeforeAnyCommand() throws Exception {
        Path project = projectFolder();

        assertThatThrownBy(() -> OrthwebDeployer.builder().project("clinics").stack("dev")
                .projectDirectory(project).processEnvironment(env).opener(LocalStackOperations.using(cli)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("names project 'orthweb'")
                .hasMessageContaining("remove project(...)");
        assertThat(cli.calls).isEmpty();
        // without a choice in code, the file's name is the project
        var deployer = OrthwebDeployer.builder().stack("dev").projectDirectory(project).processEnvironment(env)
                .opener(LocalStackOperations.using(cli)).build();
        assertThat(deployer.settings().project()).isEqualTo("orthweb");
    }

    @Test
    void destroySelectsInstallsAndDestroys() {
        deployer("dev", Fixtures.dev()).destroy();

        List<String> lines = cli.lines();
        assertThat(lines.get(0)).isEqualTo("stack select --stack dev");
        assertThat(lines).contains("plugin install resource aws v6.83.0 --exact");
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("destroy --yes"));
        assertThat(lines).noneMatch(l -> l.startsWith("config") || l.startsWith("stack init"));
    }
}
