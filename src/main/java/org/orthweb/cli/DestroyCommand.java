package org.orthweb.cli;

import org.orthweb.automation.Operation;
import org.orthweb.automation.OperationResult;
import org.orthweb.config.StackConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

@Command(name = "destroy", mixinStandardHelpOptions = true,
        description = {"Delete every resource of the stack, showing each as it goes.",
                "A hardened stack (environment prd or stg) asks you to type the stack name first, unless --yes; "
                        + "without a terminal to ask on it refuses (exit 2). The stack must exist. Needs the "
                        + "Pulumi CLI, the backend and AWS credentials."})
final class DestroyCommand extends DeployCommand {

    @Option(names = {"-y", "--yes"}, description = "Do not ask for confirmation.")
    boolean yes;

    @Override
    public Integer call() {
        // a certificate of the stack file that has expired since the last up must not stop a destroy
        var deployer = org.orthweb.config.CertificateClock.withoutExpiry(() ->
                deployer(Operation.DESTROY, new ProgressPrinter(out(), false)));
        // deployer(...) has validated the stack file, so this cannot fail
        StackConfig config = org.orthweb.config.CertificateClock.withoutExpiry(stack::load);
        if (!yes && config.hardened() && !confirmed(config)) {
            err().println("not confirmed: nothing was destroyed");
            err().flush();
            return Cli.FAILED;
        }
        OperationResult result = deployer.destroy();
        out().println("destroy of stack '" + stack.stack() + "' done: " + result.describeChanges());
        out().flush();
        return Cli.OK;
    }

    /** Asks for the stack name on the terminal; hardened stacks hold patient data. */
    private boolean confirmed(StackConfig config) {
        String environment = config.environment().code();
        CliContext context = cli.context();
        if (!context.interactive()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "destroy of stack '" + stack.stack()
                    + "' (environment " + environment + ") needs confirmation, and there is no terminal to ask on; "
                    + "pass --yes to confirm");
        }
        out().println("Stack '" + stack.stack() + "' is a " + environment + " environment: destroy deletes its "
                + "hosts, database and DICOM storage.");
        out().print("Type the stack name (" + stack.stack() + ") to destroy it: ");
        out().flush();
        try {
            String answer = new BufferedReader(new InputStreamReader(context.in(), StandardCharsets.UTF_8)).readLine();
            return answer != null && answer.strip().equals(stack.stack());
        } catch (IOException e) {
            return false;
        }
    }
}
