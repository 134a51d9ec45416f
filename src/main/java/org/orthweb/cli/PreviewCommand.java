package org.orthweb.cli;

import org.orthweb.automation.Operation;
import org.orthweb.automation.OperationResult;
import picocli.CommandLine.Command;

@Command(name = "preview", mixinStandardHelpOptions = true,
        description = {"Show what `up` would change in AWS, without changing anything.",
                "Runs the program inline through the Pulumi Automation API: needs the Pulumi CLI, a backend "
                        + "and AWS credentials."})
final class PreviewCommand extends DeployCommand {

    @Override
    public Integer call() {
        var deployer = deployer(Operation.PREVIEW, new ProgressPrinter(out(), true));
        OperationResult result = deployer.preview();
        out().println("preview of stack '" + stack.stack() + "': " + result.describeChanges());
        out().flush();
        return Cli.OK;
    }
}
