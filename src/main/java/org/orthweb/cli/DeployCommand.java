package org.orthweb.cli;

import org.orthweb.automation.ConfigSource;
import org.orthweb.automation.Operation;
import org.orthweb.automation.OrthwebDeployer;
import org.orthweb.automation.ProgressListener;
import org.orthweb.automation.PulumiCli;
import org.orthweb.automation.StackOutput;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/** What the commands that need the Pulumi CLI share: options, the checks, the deployer. */
abstract class DeployCommand implements Callable<Integer> {

    @ParentCommand
    Cli cli;

    @Spec
    CommandSpec spec;

    @Mixin
    StackOptions stack;

    @Mixin
    BackendOptions backend;

    /**
     * The Pulumi CLI is checked first (exit 3 says what to install, whatever the config), then
     * the stack file is validated offline (exit 2), and only then does anything run.
     */
    OrthwebDeployer deployer(Operation op, ProgressListener listener) {
        CliContext context = cli.context();
        PulumiCli.require(context.environment(), op);
        ConfigSource source = ConfigSource.fromStackFile(stack.stack(), stack.configFile());
        return OrthwebDeployer.builder()
                .stack(stack.stack())
                .configSource(source)
                .backendUrl(backend.backendUrl)
                .secretsProvider(backend.secretsProvider)
                .listener(listener)
                .opener(context.opener())
                .processEnvironment(context.environment())
                .build();
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** Outputs by name, secrets shown as [secret] unless asked. */
    static void printOutputs(PrintWriter out, Map<String, StackOutput> outputs, boolean showSecrets) {
        new TreeMap<>(outputs).forEach((name, output) ->
                out.println(name + ": " + (output.secret() && !showSecrets ? StackOutput.MASK : output.value())));
        out.flush();
    }
}
