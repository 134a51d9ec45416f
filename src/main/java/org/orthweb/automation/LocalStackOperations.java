package org.orthweb.automation;

import com.pulumi.Context;
import com.pulumi.automation.AutomationException;
import com.pulumi.automation.ConfigValue;
import com.pulumi.automation.DestroyOptions;
import com.pulumi.automation.LocalWorkspace;
import com.pulumi.automation.LocalWorkspaceOptions;
import com.pulumi.automation.OperationType;
import com.pulumi.automation.OutputValue;
import com.pulumi.automation.PluginInstallOptions;
import com.pulumi.automation.PluginKind;
import com.pulumi.automation.PreviewOptions;
import com.pulumi.automation.ProjectRuntimeName;
import com.pulumi.automation.ProjectSettings;
import com.pulumi.automation.PulumiCommand;
import com.pulumi.automation.RefreshOptions;
import com.pulumi.automation.UpOptions;
import com.pulumi.automation.UpdateResult;
import com.pulumi.automation.WorkspaceStack;
import com.pulumi.automation.events.EngineEvent;

import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * {@link StackOperations} on Pulumi's {@link LocalWorkspace} with an inline program: the
 * program runs in this JVM, driven by the Pulumi CLI. Tests run it under a scripted
 * {@link PulumiCommand} (the command lines it produces, the answers it reads back); the engine
 * itself only runs with a real CLI and backend, which this project's CI does not have.
 *
 * <p>pulumi-java 1.36.1 selects the stack once ({@code stack select}) and runs the operation on
 * the selected stack, without {@code --stack}: give each stack its own workspace directory (a
 * temporary one by default) rather than running two stacks from one directory at once.
 */
public final class LocalStackOperations implements StackOperations {

    private final WorkspaceStack stack;
    private final AtomicReference<Consumer<Context>> program;

    private LocalStackOperations(WorkspaceStack stack, AtomicReference<Consumer<Context>> program) {
        this.stack = stack;
        this.program = program;
    }

    /** Creates or selects the stack in a {@link LocalWorkspace} for the settings, with the CLI on PATH. */
    public static StackOperations open(DeploymentSettings settings, boolean create) throws AutomationException {
        return open(settings, create, null);
    }

    /**
     * Opens stacks through the given {@link PulumiCommand} instead of the {@code pulumi} on PATH:
     * the same workspace and stack classes, another way of running the CLI (tests use a scripted one).
     */
    public static StackOpener using(PulumiCommand command) {
        java.util.Objects.requireNonNull(command, "command");
        return (settings, create) -> open(settings, create, command);
    }

    private static StackOperations open(DeploymentSettings settings, boolean create, PulumiCommand command)
            throws AutomationException {
        // The workspace wants its inline program up front, but with a project directory the
        // config (and so the program) is known only after the workspace has read it: delegate.
        AtomicReference<Consumer<Context>> program = new AtomicReference<>(ctx -> {
            throw new IllegalStateException("no program was given for this operation");
        });
        Consumer<Context> inline = ctx -> program.get().accept(ctx);

        var options = LocalWorkspaceOptions.builder()
                .environmentVariables(settings.cliEnvironment())
                .program(inline);
        Optional<Path> dir = settings.workspaceDirectory();
        dir.ifPresent(options::workDir);
        settings.secretsProvider().ifPresent(options::secretsProvider);
        if (command != null) {
            options.pulumiCommand(command);
        }
        // A directory with a project file (the project folder, or a work dir of an earlier run) is
        // used as it is: passing settings would make LocalWorkspace compare them with the file and
        // refuse any difference (see ProjectFile). Without one, the workspace writes a minimal one.
        if (dir.flatMap(ProjectFile::in).isEmpty()) {
            options.projectSettings(ProjectSettings.builder(settings.project(), ProjectRuntimeName.JAVA).build());
        }

        LocalWorkspace workspace = LocalWorkspace.create(options.build());
        WorkspaceStack stack;
        try {
            stack = create
                    ? WorkspaceStack.createOrSelect(settings.stack(), workspace)
                    : WorkspaceStack.select(settings.stack(), workspace);
        } catch (AutomationException | RuntimeException e) {
            closeQuietly(workspace);
            throw e;
        }
        return new LocalStackOperations(stack, program);
    }

    @Override
    public Map<String, ConfigValue> config() throws AutomationException {
        return stack.getAllConfig();
    }

    @Override
    public void setConfig(Map<String, ConfigValue> values) throws AutomationException {
        stack.setAllConfig(values, false);
    }

    @Override
    public void removeConfig(Collection<String> keys) throws AutomationException {
        if (!keys.isEmpty()) {
            stack.removeAllConfig(keys, false);
        }
    }

    @Override
    public void installPlugin(ProviderPlugin plugin) throws AutomationException {
        stack.workspace().installPlugin(plugin.name(), "v" + plugin.version(),
                PluginInstallOptions.builder().kind(PluginKind.RESOURCE).exactVersion(true).build());
    }

    @Override
    public OperationResult preview(Consumer<Context> program, Consumer<EngineEvent> events)
            throws AutomationException {
        this.program.set(program);
        var result = stack.preview(PreviewOptions.builder().onEvent(events).color("never").build());
        return new OperationResult(Operation.PREVIEW, orEmpty(result.changeSummary()), Map.of());
    }

    @Override
    public OperationResult up(Consumer<Context> program, Consumer<EngineEvent> events) throws AutomationException {
        this.program.set(program);
        var result = stack.up(UpOptions.builder().onEvent(events).color("never").build());
        return new OperationResult(Operation.UP, changes(result), outputsOf(result.outputs()));
    }

    @Override
    public OperationResult refresh(Consumer<EngineEvent> events) throws AutomationException {
        var result = stack.refresh(RefreshOptions.builder().onEvent(events).color("never").build());
        return new OperationResult(Operation.REFRESH, changes(result), Map.of());
    }

    @Override
    public OperationResult destroy(Consumer<EngineEvent> events) throws AutomationException {
        var result = stack.destroy(DestroyOptions.builder().onEvent(events).color("never").build());
        return new OperationResult(Operation.DESTROY, changes(result), Map.of());
    }

    @Override
    public Map<String, StackOutput> outputs() throws AutomationException {
        return outputsOf(stack.getOutputs());
    }

    @Override
    public void close() {
        // Closes the workspace too, which removes the temporary directory of an inline program.
        closeQuietly(stack);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // nothing useful to do here: the operation's result, or its error, is what matters
        }
    }

    private static Map<OperationType, Integer> changes(UpdateResult result) {
        return result.summary() == null ? Map.of() : orEmpty(result.summary().resourceChanges());
    }

    private static Map<OperationType, Integer> orEmpty(Map<OperationType, Integer> changes) {
        return changes == null ? Map.of() : changes;
    }

    static Map<String, StackOutput> outputsOf(Map<String, OutputValue> outputs) {
        Map<String, StackOutput> result = new LinkedHashMap<>();
        if (outputs != null) {
            outputs.forEach((name, v) -> result.put(name, new StackOutput(v.value(), v.isSecret())));
        }
        return result;
    }
}
