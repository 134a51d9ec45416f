package org.orthweb.automation;

import com.pulumi.automation.AutomationException;
import com.pulumi.automation.CommandException;
import com.pulumi.automation.CommandResult;
import com.pulumi.automation.ConcurrentUpdateException;
import com.pulumi.automation.StackNotFoundException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Error texts are the Pulumi CLI's own (3.x), as the Automation API wraps them. */
class FailuresTest {

    private static CommandResult stderr(String text) {
        return new CommandResult(255, "Updating (dev)\n", text);
    }

    @Test
    void aLockedStackSaysHowToReleaseTheLock() {
        var e = Failures.of(Operation.UP, "dev", new ConcurrentUpdateException(stderr(
                "error: [409] Conflict: Another update is currently in progress.\n")), List.of());

        assertThat(e.reason()).isEqualTo(DeploymentException.Reason.CONCURRENT_UPDATE);
        assertThat(e.details()).containsExactly("[409] Conflict: Another update is currently in progress.");
        assertThat(e.getMessage()).startsWith("up of stack 'dev' failed: [409] Conflict")
                .contains("pulumi cancel --stack dev");
    }

    @Test
    void aMissingStackSaysToRunUpOrCheckTheBackend() {
        var e = Failures.of(Operation.OUTPUTS, "clinic-a", new StackNotFoundException(stderr(
                "error: no stack named 'clinic-a' found\n")), List.of());

        assertThat(e.reason()).isEqualTo(DeploymentException.Reason.STACK_NOT_FOUND);
        assertThat(e.hint()).contains("Run `up` first").contains("--backend");
    }

    @Test
    void aMissingPassphraseNamesTheVariables() {
        var e = Failures.of(Operation.PREVIEW, "dev", new CommandException(stderr(
                "error: getting secrets manager: passphrase must be set with PULUMI_CONFIG_PASSPHRASE or "
                        + "PULUMI_CONFIG_PASSPHRASE_FILE environment variables\n")), List.of());

        assertThat(e.reason()).isEqualTo(DeploymentException.Reason.SECRETS);
        assertThat(e.hint()).contains("PULUMI_CONFIG_PASSPHRASE");
    }

    @Test
    void aBackendLoginProblemSaysHowToLogIn() {
        var e = Failures.of(Operation.UP, "dev", new CommandException(stderr(
                "error: PULUMI_ACCESS_TOKEN must be set for login during non-interactive CLI sessions\n")), List.of());

        assertThat(e.reason()).isEqualTo(DeploymentException.Reason.BACKEND);
        assertThat(e.hint()).contains("pulumi login").contains("--backend");
    }

    @Test
    void missingAwsCredentialsSeenAsAnEngineErrorAreNamed() {
        var e = Failures.of(Operation.UP, "dev", new CommandException(stderr("error: update failed\n")),
                List.of("pulumi:providers:aws aws: unable to validate AWS credentials.\n"
                        + "No valid credential sources found."));

        assertThat(e.reason()).isEqualTo(DeploymentException.Reason.CLOUD_CREDENTIALS);
        assertThat(e.details()).startsWith("pulumi:providers:aws aws: unable to validate AWS credentials.",
                "No valid credential sources found.");
        assertThat(e.hint()).contains("AWS_PROFILE");
    }

    @Test
    void anyOtherFailureKeepsTheEngineErrorsAndTheCliErrorLines() {
        var e = Failures.of(Operation.UP, "prod", new CommandException(stderr(
                "warning: something minor\nerror: update failed\n")),
                List.of("aws:rds/instance:Instance database-instance: InvalidParameterCombination: "
                        + "RDS does not support creating a DB instance with the following combination"));

        assertThat(e.reason()).isEqualTo(DeploymentException.Reason.OPERATION_FAILED);
        assertThat(e.details()).containsExactly(
                "aws:rds/instance:Instance database-instance: InvalidParameterCombination: RDS does not support "
                        + "creating a DB instance with the following combination",
                "update failed");
        assertThat(e.getMessage()).contains("up of stack 'prod' failed:\n  aws:rds/instance")
                .contains("What to do: correct what the lines above name").contains("then run up again")
                .contains("`pulumi stack history --stack prod`");
    }

    @Test
    void withoutErrorLinesTheLastLinesOfStderrAreKept() {
        var e = Failures.of(Operation.REFRESH, "dev", new CommandException(stderr("one\ntwo\nthree\nfour\n")),
                List.of());

        assertThat(e.details()).containsExactly("two", "three", "four");
    }

    @Test
    void aCliThatCannotBeStartedIsTheMissingCli() {
        var e = Failures.of(Operation.UP, "dev", new AutomationException(new IOException(
                "Cannot run program \"pulumi\": error=2, No such file or directory")), List.of());

        assertThat(e.reason()).isEqualTo(DeploymentException.Reason.PULUMI_CLI_MISSING);
        assertThat(e.hint()).contains("Install the Pulumi CLI");
    }

    @Test
    void aTooOldCliIsUnusableAndSaysWhichVersionIsNeeded() {
        var e = Failures.of(Operation.UP, "dev", new AutomationException(
                "Minimum version requirement failed. The minimum CLI version requirement is 3.95.0, "
                        + "your current CLI version is 3.40.0."), List.of());

        assertThat(e.reason()).isEqualTo(DeploymentException.Reason.PULUMI_CLI_MISSING);
        assertThat(e.hint()).contains("3.95.0 or newer");
    }

    @Test
    void aPluginFailureSaysHowToInstallItBeforehand() {
        var e = Failures.plugin(Operation.UP, "dev", new ProviderPlugin("aws", "6.83.0"), new CommandException(
                stderr("error: [resource plugin aws-6.83.0] downloading failed: dial tcp: lookup failed\n")));

        assertThat(e.reason()).isEqualTo(DeploymentException.Reason.PLUGIN);
        assertThat(e.hint()).contains("pulumi plugin install resource aws 6.83.0");
        assertThat(e.details()).singleElement().asString().contains("downloading failed");
    }

    /** A "what to do" names something to run or set: a command, option or variable in backquotes. */
    private static final java.util.regex.Pattern CONCRETE = java.util.regex.Pattern.compile("`[^`]+`");

    @Test
    void everyWhatToDoNamesACommandToRun() throws Exception {
        List<DeploymentException> failures = new java.util.ArrayList<>();
        for (Operation op : Operation.values()) {
            for (String stderr : List.of("error: something the engine said\n",
                    "error: [409] Conflict: Another update is currently in progress.\n",
                    "error: no stack named 'dev' found\n",
                    "error: passphrase must be set with PULUMI_CONFIG_PASSPHRASE\n",
                    "error: PULUMI_ACCESS_TOKEN must be set for login during non-interactive CLI sessions\n",
                    "error: No valid credential sources found\n")) {
                Exception cause = stderr.contains("[409]") ? new ConcurrentUpdateException(stderr(stderr))
                        : stderr.contains("no stack named") ? new StackNotFoundException(stderr(stderr))
                        : new CommandException(stderr(stderr));
                failures.add(Failures.of(op, "dev", cause, List.of()));
            }
            failures.add(Failures.of(op, "dev", new AutomationException(new IOException(
                    "Cannot run program \"pulumi\": error=2, No such file or directory")), List.of()));
            failures.add(Failures.of(op, "dev", new AutomationException("Minimum version requirement failed"), List.of()));
            failures.add(Failures.of(op, "dev", new IllegalStateException("anything else"), List.of()));
            failures.add(Failures.plugin(op, "dev", new ProviderPlugin("aws", "6.83.0"), new CommandException(
                    stderr("error: downloading failed\n"))));
        }
        var home = java.nio.file.Files.createTempDirectory("home");
        var bin = java.nio.file.Files.createDirectories(home.resolve(".pulumi/bin"));
        java.nio.file.Files.writeString(bin.resolve("pulumi"), "#!/bin/sh\n");
        bin.resolve("pulumi").toFile().setExecutable(true);
        for (var env : List.of(java.util.Map.of("PATH", "/nonexistent"),
                java.util.Map.of("PATH", "/nonexistent", "HOME", home.toString()))) {
            try {
                PulumiCli.require(env, Operation.UP);
            } catch (DeploymentException e) {
                failures.add(e);
            }
        }

        assertThat(failures).extracting(DeploymentException::reason).containsAll(
                java.util.EnumSet.allOf(DeploymentException.Reason.class));
        assertThat(failures).allSatisfy(e -> {
            assertThat(e.hint()).as(e.getMessage()).containsPattern(CONCRETE);
            assertThat(e.getMessage()).contains("\nWhat to do: " + e.hint());
        });
    }
}
