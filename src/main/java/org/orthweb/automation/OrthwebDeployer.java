package org.orthweb.automation;

import com.pulumi.Context;
import com.pulumi.automation.AutomationException;
import com.pulumi.automation.ConfigValue;
import org.orthweb.OrthwebProgram;
import org.orthweb.config.ConfigException;
import org.orthweb.config.ConfigParser;
import org.orthweb.config.StackConfig;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Deploys the Orthweb stack from Java through the Pulumi Automation API, with the program
 * inline (the same {@link OrthwebProgram#define} that {@code pulumi up} runs from the jar).
 *
 * <p>Every operation opens the stack, does its work and closes it, so one deployer can be kept
 * and reused. Before a preview or an up it installs the provider plugins ({@link
 * ProviderPlugin#required()}) and settles the config: a {@link ConfigSource.Typed} config is
 * written to the stack (secret keys as secrets, keys it no longer sets removed); a {@link
 * ConfigSource.ProjectDirectory} config is read back from Pulumi and validated. Progress goes to
 * the listener as the engine's events arrive. Failures are {@link DeploymentException}s (or
 * {@link ConfigException} for invalid configuration) that say what to do.
 *
 * <pre>{@code
 * var deployer = OrthwebDeployer.builder()
 *         .stack("clinic-a")
 *         .config(stackConfig)
 *         .backendUrl("s3://my-pulumi-state")
 *         .secretsProvider("awskms://alias/orthweb-state")
 *         .listener(event -> log.info(event.describe()))
 *         .build();
 * OperationResult result = deployer.up();
 * }</pre>
 */
public final class OrthwebDeployer {

    private final DeploymentSettings settings;
    private final ProgressListener listener;
    private final StackOpener opener;
    private final Map<String, String> processEnvironment;

    private OrthwebDeployer(Builder b) {
        var chosen = new DeploymentSettings(b.project == null ? OrthwebProgram.PROJECT : b.project,
                Objects.requireNonNull(b.stack, "stack is required"),
                Objects.requireNonNull(b.config, "a config, a stack file or a project directory is required"),
                Optional.ofNullable(b.backendUrl), Optional.ofNullable(b.secretsProvider), Optional.ofNullable(b.workDir),
                b.environmentVariables);
        this.settings = withProjectOnDisk(chosen, b.project != null);
        if (settings.config() instanceof ConfigSource.Typed t && !t.config().stack().equals(settings.stack())) {
            throw new IllegalArgumentException("the config was made for stack '" + t.config().stack()
                    + "' but the deployer is for stack '" + settings.stack() + "'");
        }
        this.listener = b.listener;
        this.opener = b.opener;
        this.processEnvironment = b.processEnvironment;
    }

    /**
     * A workspace directory that already has a project file is Pulumi's to read, name included
     * (the stacks live under that name in the backend): its name is used, and a different one
     * chosen in code is refused rather than silently ignored.
     */
    private static DeploymentSettings withProjectOnDisk(DeploymentSettings s, boolean chosenInCode) {
        Optional<Path> file = s.workspaceDirectory().flatMap(ProjectFile::in);
        if (file.isEmpty()) {
            return s;
        }
        String onDisk = ProjectFile.name(file.get());
        if (onDisk.equals(s.project())) {
            return s;
        }
        if (chosenInCode) {
            throw new IllegalArgumentException("the deployer is for project '" + s.project() + "' but " + file.get()
                    + " names project '" + onDisk + "': remove project(...) to use the file's, or change its name: to '"
                    + s.project() + "'");
        }
        return new DeploymentSettings(onDisk, s.stack(), s.config(), s.backendUrl(), s.secretsProvider(), s.workDir(),
                s.environmentVariables());
    }

    public static Builder builder() {
        return new Builder();
    }

    public DeploymentSettings settings() {
        return settings;
    }

    /** What an up would change; changes nothing. */
    public OperationResult preview() {
        return withProgram(Operation.PREVIEW, (ops, program, events) -> ops.preview(program, events));
    }

    /** Creates or updates the stack's resources; the result has the outputs. */
    public OperationResult up() {
        return withProgram(Operation.UP, (ops, program, events) -> ops.up(program, events));
    }

    /** Reads the real state of the stack's resources into its state. */
    public OperationResult refresh() {
        return run(Operation.REFRESH, false, true, (ops, events) -> ops.refresh(events));
    }

    /** Deletes every resource of the stack (the stack itself and its history stay). */
    public OperationResult destroy() {
        return run(Operation.DESTROY, false, true, (ops, events) -> ops.destroy(events));
    }

    /** The stack's outputs, with their secret flags. */
    public Map<String, StackOutput> outputs() {
        return run(Operation.OUTPUTS, false, false, (ops, events) -> ops.outputs());
    }

    // ---- the logic around the stack operations ------------------------------------------------

    private interface ProgramStep {
        OperationResult apply(StackOperations ops, Consumer<Context> program, ProgressTracker events)
                throws AutomationException;
    }

    private interface Step<T> {
        T apply(StackOperations ops, ProgressTracker events) throws AutomationException;
    }

    private OperationResult withProgram(Operation op, ProgramStep step) {
        // A typed config is checked (and turned into stack config) before any Pulumi command runs.
        Map<String, ConfigValue> wanted = settings.config() instanceof ConfigSource.Typed t
                ? StackConfigValues.toStackConfig(t.config()) : null;
        return run(op, true, true, (ops, events) -> {
            StackConfig config = settleConfig(ops, wanted);
            Consumer<Context> program = ctx -> OrthwebProgram.define(ctx, config);
            return step.apply(ops, program, events);
        });
    }

    /** Writes a typed config to the stack, or reads and validates the one Pulumi holds. */
    private StackConfig settleConfig(StackOperations ops, Map<String, ConfigValue> wanted) throws AutomationException {
        if (settings.config() instanceof ConfigSource.Typed t) {
            List<String> stale = StackConfigValues.staleKeys(ops.config(), wanted);
            if (!stale.isEmpty()) {
                ops.removeConfig(stale);
            }
            ops.setConfig(wanted);
            return t.config();
        }
        return ConfigParser.parse(settings.stack(), StackConfigValues.fromStackConfig(ops.config()));
    }

    private <T> T run(Operation op, boolean create, boolean plugins, Step<T> step) {
        PulumiCli.require(processEnvironment, op);
        // the inline program runs in this JVM, on pulumi-java's runner: see CommonPool
        org.orthweb.CommonPool.ensureParallelism();
        List<String> engineErrors = Collections.synchronizedList(new ArrayList<>());
        ProgressTracker events = new ProgressTracker(event -> {
            if (event.kind() == ProgressEvent.Kind.ERROR) {
                engineErrors.add(event.message());
            }
            listener.onProgress(event);
        });
        StackOperations ops;
        try {
            ops = opener.open(settings, create);
        } catch (AutomationException | RuntimeException e) {
            throw Failures.of(op, settings.stack(), e, List.of());
        }
        try (ops) {
            if (plugins) {
                for (ProviderPlugin plugin : ProviderPlugin.required()) {
                    try {
                        ops.installPlugin(plugin);
                    } catch (AutomationException e) {
                        throw Failures.plugin(op, settings.stack(), plugin, e);
                    }
                }
            }
            return step.apply(ops, events);
        } catch (AutomationException e) {
            throw Failures.of(op, settings.stack(), e, List.copyOf(engineErrors));
        }
    }

    /** Settings for a deployer. {@code stack} and one config source are required. */
    public static final class Builder {
        /** null: the project file's name in the workspace directory, else {@link OrthwebProgram#PROJECT}. */
        private String project;
        private String stack;
        private ConfigSource config;
        private String backendUrl;
        private String secretsProvider;
        private Path workDir;
        private final Map<String, String> environmentVariables = new LinkedHashMap<>();
        private ProgressListener listener = ProgressListener.NONE;
        private StackOpener opener = LocalStackOperations::open;
        private Map<String, String> processEnvironment = System.getenv();

        private Builder() {
        }

        /**
         * The Pulumi project name; default: the name in the workspace directory's project file
         * (Pulumi.yaml), else {@value OrthwebProgram#PROJECT}. A different name than that file's is refused.
         */
        public Builder project(String project) {
            this.project = Objects.requireNonNull(project);
            return this;
        }

        public Builder stack(String stack) {
            this.stack = Objects.requireNonNull(stack);
            return this;
        }

        /** A validated config (its stack name must be this deployer's). */
        public Builder config(StackConfig config) {
            this.config = ConfigSource.of(config);
            return this;
        }

        /** A stack file, chosen as {@link ConfigSource#fromStackFile} says; call {@link #stack} first. */
        public Builder stackFile(Path file) {
            this.config = ConfigSource.fromStackFile(Objects.requireNonNull(stack, "call stack(...) before stackFile(...)"),
                    file);
            return this;
        }

        /** A Pulumi project directory: Pulumi reads its Pulumi.&lt;stack&gt;.yaml. */
        public Builder projectDirectory(Path directory) {
            this.config = ConfigSource.projectDirectory(directory);
            return this;
        }

        public Builder configSource(ConfigSource source) {
            this.config = Objects.requireNonNull(source);
            return this;
        }

        /** State backend URL (s3://..., file://..., or a Pulumi Cloud URL); default: the CLI's login. */
        public Builder backendUrl(String url) {
            this.backendUrl = url;
            return this;
        }

        /** Secrets provider for a new stack: passphrase, awskms://..., default: the backend's. */
        public Builder secretsProvider(String provider) {
            this.secretsProvider = provider;
            return this;
        }

        /** Workspace directory for a typed config; default: a temporary one per operation. */
        public Builder workDir(Path dir) {
            this.workDir = dir;
            return this;
        }

        /** A variable for the Pulumi CLI, e.g. PULUMI_CONFIG_PASSPHRASE or AWS_PROFILE. */
        public Builder environmentVariable(String name, String value) {
            this.environmentVariables.put(Objects.requireNonNull(name), Objects.requireNonNull(value));
            return this;
        }

        public Builder listener(ProgressListener listener) {
            this.listener = listener == null ? ProgressListener.NONE : listener;
            return this;
        }

        /** Replaces the real stack operations (tests, or another driver of the same program). */
        public Builder opener(StackOpener opener) {
            this.opener = Objects.requireNonNull(opener);
            return this;
        }

        /** The environment in which to look for the Pulumi CLI; default: this process's. */
        public Builder processEnvironment(Map<String, String> env) {
            this.processEnvironment = Map.copyOf(env);
            return this;
        }

        public OrthwebDeployer build() {
            return new OrthwebDeployer(this);
        }
    }
}
