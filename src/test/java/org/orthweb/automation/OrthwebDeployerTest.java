package org.orthweb.automation;

import com.pulumi.Context;
import com.pulumi.automation.CommandException;
import com.pulumi.automation.CommandResult;
import com.pulumi.automation.ConfigValue;
import com.pulumi.automation.OperationType;
import com.pulumi.automation.events.EngineEvent;
import com.pulumi.test.PulumiTest;
import com.pulumi.test.TestOptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mockito.ArgumentCaptor;
import org.mockito.InOrder;
import org.orthweb.config.ConfigException;
import org.orthweb.config.RawConfig;
import org.orthweb.config.StackConfig;
import org.orthweb.plan.PlanMocks;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/** The logic around the stack operations, with a mock in place of Pulumi's WorkspaceStack. */
class OrthwebDeployerTest {

    @TempDir
    Path dir;

    private final StackOperations ops = mock(StackOperations.class);
    private final List<DeploymentSettings> opened = new ArrayList<>();
    private final List<Boolean> created = new ArrayList<>();
    private final List<ProgressEvent> progress = new ArrayList<>();
    private Map<String, String> env;

    @BeforeEach
    void cliOnPath() throws Exception {
        env = Fixtures.envWithPulumi(dir);
    }

    private OrthwebDeployer.Builder deployer() {
        return OrthwebDeployer.builder()
                .processEnvironment(env)
                .listener(progress::add)
                .opener((settings, create) -> {
                    opened.add(settings);
                    created.add(create);
                    return ops;
                });
    }

    /** ConfigValue has no equals: compare as text, secrets marked. */
    private static Map<String, String> plain(Map<String, ConfigValue> values) {
        Map<String, String> plain = new LinkedHashMap<>();
        values.forEach((k, v) -> plain.put(k, (v.isSecret() ? "secret:" : "") + v.value()));
        return plain;
    }

    @SuppressWarnings("unchecked")
    private Consumer<Context> programGivenToUp() throws Exception {
        ArgumentCaptor<Consumer<Context>> program = ArgumentCaptor.forClass(Consumer.class);
        verify(ops).up(program.capture(), any());
        return program.getValue();
    }

    /** Runs an inline program under the mock engine and returns the region its AWS provider got. */
    private static String regionRegisteredBy(Consumer<Context> program, String stack) {
        PlanMocks mocks = new PlanMocks("eu-west-1", stack);
        try {
            PulumiTest.withMocks(mocks)
                    .withOptions(TestOptions.builder().projectName("orthweb").stackName(stack).preview(false).build())
                    .runTest(program);
        } finally {
            PulumiTest.cleanup();
        }
        return mocks.registrations().stream().filter(r -> r.type().equals("pulumi:providers:aws"))
                .findFirst().orElseThrow().inputs().get("region").toString();
    }

    @Test
    void upInstallsThePluginsThenWritesTheConfigThenRunsWithIt() throws Exception {
        StackConfig config = Fixtures.devWith("clinic-a", Map.of("aws:region", Fixtures.text("eu-central-1")),
                Set.of("orthweb:host"));
        when(ops.config()).thenReturn(Map.of(
                "orthweb:site", new ConfigValue("{\"name\":\"old.example.org\"}"),
                "aws:profile", new ConfigValue("clinic")));
        when(ops.up(any(), any())).thenReturn(new OperationResult(Operation.UP,
                Map.of(OperationType.CREATE, 42), Map.of("dbSecretArn", new StackOutput("arn:aws:secret", true))));

        OperationResult result = deployer().stack("clinic-a").config(config).build().up();

        InOrder order = inOrder(ops);
        for (ProviderPlugin plugin : ProviderPlugin.required()) {
            order.verify(ops).installPlugin(plugin);
        }
        order.verify(ops).removeConfig(List.of("orthweb:site"));
        @SuppressWarnings("unchecked")
        ArgumentCaptor<Map<String, ConfigValue>> written = ArgumentCaptor.forClass(Map.class);
        order.verify(ops).setConfig(written.capture());
        order.verify(ops).up(any(), any());
        order.verify(ops).close();
        assertThat(created).containsExactly(true);
        assertThat(plain(written.getValue())).isEqualTo(plain(StackConfigValues.toStackConfig(config)));
        assertThat(regionRegisteredBy(programGivenToUp(), "clinic-a")).isEqualTo("eu-central-1");
        assertThat(result.outputs().get("dbSecretArn").secret()).isTrue();
        assertThat(result.changedCount()).isEqualTo(42);
    }

    @Test
    void theSecretKeyIsWrittenAsASecret() throws Exception {
        StackConfig config = Fixtures.devWith("dev", Map.of(), Set.of("orthweb:host"));
        when(ops.config()).thenReturn(Map.of());

        deployer().stack("dev").config(config).build().preview();

        @SuppressWarnings("unchecked")
        ArgumentCaptor<Map<String, ConfigValue>> written = ArgumentCaptor.forClass(Map.class);
        verify(ops).setConfig(written.capture());
        assertThat(written.getValue().get("orthweb:host").isSecret()).isTrue();
        assertThat(written.getValue().get("orthweb:owner").isSecret()).isFalse();
        assertThat(written.getValue().get("orthweb:network").isSecret()).isFalse();
        verify(ops).preview(any(), any());
    }

    @Test
    void withAProjectDirectoryPulumisConfigIsReadValidatedAndUsedButNotWritten() throws Exception {
        Map<String, ConfigValue> inStack = new LinkedHashMap<>(StackConfigValues.toStackConfig(Fixtures.prod()));
        inStack.put("aws:region", new ConfigValue("ap-southeast-2"));
        inStack.put("orthweb:host", new ConfigValue(inStack.get("orthweb:host").value(), true));
        when(ops.config()).thenReturn(inStack);

        deployer().stack("prod").projectDirectory(dir).build().up();

        verify(ops, never()).setConfig(any());
        verify(ops, never()).removeConfig(any());
        assertThat(opened.get(0).workspaceDirectory()).contains(dir);
        assertThat(regionRegisteredBy(programGivenToUp(), "prod")).isEqualTo("ap-southeast-2");
    }

    @Test
    void anInvalidConfigInTheProjectStopsBeforeUp() throws Exception {
        Map<String, ConfigValue> inStack = new LinkedHashMap<>(StackConfigValues.toStackConfig(Fixtures.dev()));
        inStack.put("orthweb:environment", new ConfigValue("qa"));
        when(ops.config()).thenReturn(inStack);

        assertThatThrownBy(() -> deployer().stack("dev").projectDirectory(dir).build().up())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("orthweb:environment");
        verify(ops, never()).up(any(), any());
        verify(ops).close();
    }

    @Test
    void placeholdersAreRefusedBeforeAnyPulumiCommand() {
        StackConfig fromFile = Fixtures.devWith("dev", Map.of("orthweb:host", Fixtures.hostWithUndecryptedKey()),
                Set.of("orthweb:host"));

        assertThatThrownBy(() -> deployer().stack("dev").config(fromFile).build().up())
                .isInstanceOf(ConfigException.class);
        assertThat(opened).isEmpty();
    }

    @Test
    void aConfigForAnotherStackIsAProgrammingError() {
        assertThatThrownBy(() -> deployer().stack("prod").config(Fixtures.dev()).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'dev'").hasMessageContaining("'prod'");
    }

    @Test
    void withoutTheCliNothingIsOpened() throws Exception {
        env = Fixtures.envWithoutPulumi(dir);

        assertThatThrownBy(() -> deployer().stack("dev").config(Fixtures.dev()).build().destroy())
                .isInstanceOfSatisfying(DeploymentException.class,
                        e -> assertThat(e.reason()).isEqualTo(DeploymentException.Reason.PULUMI_CLI_MISSING));
        assertThat(opened).isEmpty();
    }

    @Test
    void aPluginThatCannotBeInstalledStopsTheOperationAndSaysWhich() throws Exception {
        doThrow(new CommandException(new CommandResult(1, "", "error: could not download plugin\n")))
                .when(ops).installPlugin(new ProviderPlugin("aws", "6.83.0"));

        assertThatThrownBy(() -> deployer().stack("dev").config(Fixtures.dev()).build().up())
                .isInstanceOfSatisfying(DeploymentException.class, e -> {
                    assertThat(e.reason()).isEqualTo(DeploymentException.Reason.PLUGIN);
                    assertThat(e.hint()).contains("aws 6.83.0");
                });
        verify(ops, never()).up(any(), any());
        verify(ops).close();
    }

    @Test
    void progressReachesTheListenerAndEngineErrorsReachTheException() throws Exception {
        when(ops.config()).thenReturn(Map.of());
        doAnswer(call -> {
            Consumer<EngineEvent> events = call.getArgument(1);
            events.accept(Fixtures.pre(OperationType.CREATE, "aws:ec2/vpc:Vpc", "network-vpc"));
            events.accept(Fixtures.outputs(OperationType.CREATE, "aws:ec2/vpc:Vpc", "network-vpc"));
            events.accept(Fixtures.diagnostic("error", Fixtures.urn("aws:rds/instance:Instance", "database-instance"),
                    "creating RDS DB Instance: InsufficientDBInstanceCapacity", false));
            throw new CommandException(new CommandResult(255, "", "error: update failed\n"));
        }).when(ops).up(any(), any());

        assertThatThrownBy(() -> deployer().stack("dev").config(Fixtures.dev()).build().up())
                .isInstanceOfSatisfying(DeploymentException.class, e -> {
                    assertThat(e.reason()).isEqualTo(DeploymentException.Reason.OPERATION_FAILED);
                    assertThat(e.details()).containsExactly(
                            "creating RDS DB Instance: InsufficientDBInstanceCapacity", "update failed");
                });
        assertThat(progress).extracting(ProgressEvent::kind).containsExactly(ProgressEvent.Kind.STARTED,
                ProgressEvent.Kind.FINISHED, ProgressEvent.Kind.ERROR);
        assertThat(progress.get(1).done()).isEqualTo(1);
        verify(ops).close();
    }

    @Test
    void refreshAndDestroyNeverCreateTheStackNorTouchItsConfig() throws Exception {
        when(ops.refresh(any())).thenReturn(new OperationResult(Operation.REFRESH, Map.of(), Map.of()));
        when(ops.destroy(any())).thenReturn(new OperationResult(Operation.DESTROY,
                Map.of(OperationType.DELETE, 42), Map.of()));
        var deployer = deployer().stack("dev").config(Fixtures.dev()).build();

        deployer.refresh();
        OperationResult destroyed = deployer.destroy();

        assertThat(created).containsExactly(false, false);
        verify(ops, never()).setConfig(any());
        verify(ops, never()).config();
        assertThat(destroyed.describeChanges()).isEqualTo("delete 42");
        // the providers are needed to delete and to read resources
        verify(ops, org.mockito.Mockito.times(2)).installPlugin(new ProviderPlugin("aws", "6.83.0"));
    }

    @Test
    void outputsOnlyReadTheStack() throws Exception {
        when(ops.outputs()).thenReturn(Map.of("siteUrls", new StackOutput(List.of("https://a.example.org/"), false)));

        var outputs = deployer().stack("dev").config(Fixtures.dev()).build().outputs();

        assertThat(outputs.get("siteUrls").value()).isEqualTo(List.of("https://a.example.org/"));
        assertThat(created).containsExactly(false);
        verify(ops, never()).installPlugin(any());
    }

    @Test
    void backendAndPassphraseReachTheCliEnvironment() {
        var settings = deployer().stack("dev").config(Fixtures.dev()).backendUrl("s3://state-bucket")
                .secretsProvider("passphrase").environmentVariable("PULUMI_CONFIG_PASSPHRASE", "pw").build().settings();

        assertThat(settings.cliEnvironment()).containsEntry("PULUMI_BACKEND_URL", "s3://state-bucket")
                .containsEntry("PULUMI_CONFIG_PASSPHRASE", "pw");
        assertThat(settings.secretsProvider()).contains("passphrase");
        assertThat(settings.workspaceDirectory()).isEmpty();
    }
}
