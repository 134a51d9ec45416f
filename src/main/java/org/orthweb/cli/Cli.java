package org.orthweb.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The command line: {@code java -jar target/orthweb.jar <command>}. Exit codes: 0 success,
 * 1 operation failed, 2 invalid configuration or usage, 3 Pulumi CLI not found.
 */
@Command(name = "orthweb",
        mixinStandardHelpOptions = true,
        versionProvider = Cli.Version.class,
        description = "Orthanc DICOM server on AWS: plan offline, render cloud-init, deploy with Pulumi.",
        subcommands = {PlanCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:success",
                "1:the operation failed",
                "2:invalid configuration or usage",
                "3:the Pulumi CLI was not found (only commands that deploy need it)"})
public final class Cli implements Runnable {

    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int INVALID = 2;
    public static final int NO_PULUMI = 3;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    /** Runs the command line and returns the exit code (no System.exit, for tests). */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Cli());
        cli.setExitCodeExceptionMapper(e -> e instanceof org.orthweb.config.ConfigException ? INVALID : FAILED);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            // Users get one clear line, never a stack trace.
            commandLine.getErr().println(e instanceof org.orthweb.config.ConfigException
                    ? e.getMessage() : "error: " + e.getMessage());
            return commandLine.getExitCodeExceptionMapper().getExitCode(e);
        });
        cli.setParameterExceptionHandler((e, args) -> {
            e.getCommandLine().getErr().println(e.getMessage());
            e.getCommandLine().getErr().println("Try '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            return INVALID;
        });
        return cli;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Cli.class.getPackage().getImplementationVersion();
            return new String[]{"orthweb " + (v == null ? "development build" : v)};
        }
    }
}
