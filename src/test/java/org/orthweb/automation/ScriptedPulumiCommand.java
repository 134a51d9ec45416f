package org.orthweb.automation;

import com.pulumi.automation.AutomationException;
import com.pulumi.automation.CommandResult;
import com.pulumi.automation.CommandRunOptions;
import com.pulumi.automation.PulumiCommand;
import com.pulumi.automation.Version;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Stands in for the Pulumi CLI under Pulumi's own LocalWorkspace and WorkspaceStack: records
 * every command line they build and answers from a script, so that our use of those classes runs
 * for real without the CLI. It is not an engine: an inline program is never run by it.
 */
final class ScriptedPulumiCommand implements PulumiCommand {

    /** Answers one command, or throws as the real CLI driver does on failure. */
    interface Script {
        CommandResult answer(List<String> args, CommandRunOptions options) throws AutomationException;
    }

    record Call(List<String> args, Map<String, String> env) {
        String line() {
            return String.join(" ", args);
        }
    }

    private final Script script;
    final List<Call> calls = new ArrayList<>();

    ScriptedPulumiCommand(Script script) {
        this.script = script;
    }

    @Override
    public Version version() {
        return Version.of(3, 200, 0);
    }

    @Override
    public synchronized CommandResult run(List<String> args, CommandRunOptions options) throws AutomationException {
        calls.add(new Call(List.copyOf(args), options.additionalEnv() == null ? Map.of() : Map.copyOf(options.additionalEnv())));
        CommandResult result = script.answer(args, options);
        return result != null ? result : new CommandResult(0, "", "");
    }

    List<String> lines() {
        return calls.stream().map(Call::line).toList();
    }

    static CommandResult ok(String stdout) {
        return new CommandResult(0, stdout, "");
    }
}
