package org.orthweb.cli;

import org.orthweb.automation.Operation;
import org.orthweb.automation.OperationResult;
import picocli.CommandLine.Command;

@Command(name = "refresh", mixinStandardHelpOptions = true,
        description = {"Read the real state of the stack's resources from AWS into the stack's state "
                + "(for example after a change made in the console).",
                "The stack must exist. Needs the Pulumi CLI, the backend and AWS credentials."})
final class RefreshCommand extends DeployCommand {

    @Override
    public Integer call() {
        var deployer = deployer(Operation.REFRESH, new ProgressPrinter(out(), false));
        OperationResult result = deployer.refresh();
        out().println("refresh of stack '" + stack.stack() + "' done: " + result.describeChanges());
        out().flush();
        return Cli.OK;
    }
}
