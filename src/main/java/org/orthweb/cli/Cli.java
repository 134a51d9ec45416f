package org.orthweb.cli;

import org.orthweb.automation.DeploymentException;
import org.orthweb.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.Objects;

/**
 * The command line: {@code java -jar target/orthweb.jar <command>}. Exit codes: 0 success,
 * 1 operation failed, 2 invalid configuration or usage, 3 Pulumi CLI not found.
 */
@Command(name = "orthweb",
        mixinStandardHelpOptions = true,
        versionProvider = Cli.Version.class,
        description = {"Orthanc DICOM server on AWS: plan offline, render cloud-init, run locally, deploy with Pulumi.",
                "plan (and render) work offline; preview, up, refresh, destroy and outputs drive the Pulumi CLI "
                        + "through the Automation API, with the program running inside this process."},
        subcommands = {PlanCommand.class, RenderCommand.class, LocalCommand.class, PreviewCommand.class, UpCommand.class, RefreshCommand.class,
                DestroyCommand.class, OutputsCommand.class, DicomClientCommand.class, VpnClientCommand.class,
                SettingsCommand.class, AmiCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:success",
                "1:the operation failed (or a destroy was not confirmed)",
                "2:invalid configuration or usage",
                "3:the Pulumi CLI was not found on PATH, or is older than 3.95 (only preview, up, refresh, destroy, "
                        + "outputs and dicom-client need it)"})
public final class Cli implements Runnable {

    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int INVALID = 2;
    public static final int NO_PULUMI = 3;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final CliContext context;

    public Cli() {
        this(CliContext.system());
    }

    public Cli(CliContext context) {
        this.context = Objects.requireNonNull(context);
    }

    CliContext context() {
        return context;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    /** Runs the command line and returns the exit code (no System.exit, for tests). */
    public static int run(String... args) {
        return commandLine(CliContext.system()).execute(args);
    }

    public static CommandLine commandLine() {
        return commandLine(CliContext.system());
    }

    public static CommandLine commandLine(CliContext context) {
        CommandLine cli = new CommandLine(new Cli(context));
        // every command's --help lists the exit codes, from the one list above
        var codes = cli.getCommandSpec().usageMessage().exitCodeList();
        cli.getSubcommands().values().forEach(sub -> sub.getCommandSpec().usageMessage()
                .exitCodeListHeading("%nExit codes:%n").exitCodeList(codes));
        cli.setExitCodeExceptionMapper(Cli::exitCode);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            // Users get a clear message, never a stack trace.
            commandLine.getErr().println(e instanceof ConfigException || e instanceof DeploymentException
                    ? e.getMessage() : "error: " + e.getMessage());
            commandLine.getErr().flush();
            return exitCode(e);
        });
        cli.setParameterExceptionHandler((e, args) -> {
            e.getCommandLine().getErr().println(e.getMessage());
            e.getCommandLine().getErr().println("Try '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            e.getCommandLine().getErr().flush();
            return INVALID;
        });
        return cli;
    }

    static int exitCode(Throwable e) {
        if (e instanceof ConfigException) {
            return INVALID;
        }
        if (e instanceof DeploymentException d && d.reason() == DeploymentException.Reason.PULUMI_CLI_MISSING) {
            return NO_PULUMI;
        }
        return FAILED;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Cli.class.getPackage().getImplementationVersion();
            return new String[]{"orthweb " + (v == null ? "development build" : v)};
        }
    }
}
