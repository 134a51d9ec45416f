package org.orthweb.cli;

import org.orthweb.automation.Operation;
import org.orthweb.automation.OperationResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "up", mixinStandardHelpOptions = true,
        description = {"Create or update the stack in AWS, showing each resource as it changes; prints the "
                + "outputs at the end (secrets as [secret]).",
                "Creates the stack in the backend if it does not exist. Needs the Pulumi CLI, a backend and "
                        + "AWS credentials."})
final class UpCommand extends DeployCommand {

    @Option(names = "--show-secrets", description = "Print secret outputs in clear text.")
    boolean showSecrets;

    @Override
    public Integer call() {
        var deployer = deployer(Operation.UP, new ProgressPrinter(out(), false));
        OperationResult result = deployer.up();
        out().println("up of stack '" + stack.stack() + "' done: " + result.describeChanges());
        printOutputs(out(), result.outputs(), showSecrets);
        return Cli.OK;
    }
}
