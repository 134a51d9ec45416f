package org.orthweb.automation;

import com.pulumi.automation.ConcurrentUpdateException;
import com.pulumi.automation.StackNotFoundException;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Maps what the Automation API throws to a {@link DeploymentException} that says what failed and
 * what to do. The Pulumi CLI reports most failures only as text on stderr, so besides the
 * exception types this recognises a few well-known phrases; anything else keeps the engine's
 * own error lines.
 */
final class Failures {

    /** The Automation API of pulumi-java 1.36.1 refuses older CLIs. */
    static final String MINIMUM_CLI_VERSION = "3.95.0";

    private static final int MAX_DETAIL_LINES = 8;

    private Failures() {
    }

    /**
     * @param engineErrors error diagnostics seen as events during the operation (may be empty)
     */
    static DeploymentException of(Operation op, String stack, Throwable error, List<String> engineErrors) {
        String text = textOf(error);
        // the engine's error events often say more than the CLI's exit text (provider errors)
        String lower = (text + "\n" + String.join("\n", engineErrors)).toLowerCase(Locale.ROOT);
        List<String> details = details(text, engineErrors);

        if (lower.contains("cannot run program \"pulumi\"")) {
            return new DeploymentException(DeploymentException.Reason.PULUMI_CLI_MISSING, op, stack,
                    List.of("the Pulumi CLI could not be started"), PulumiCli.INSTALL_HINT, error);
        }
        if (lower.contains("minimum version requirement failed") || lower.contains("failed to get pulumi version")) {
            return new DeploymentException(DeploymentException.Reason.PULUMI_CLI_MISSING, op, stack, details,
                    "install Pulumi CLI " + MINIMUM_CLI_VERSION + " or newer (`pulumi version` shows yours). "
                            + PulumiCli.INSTALL_HINT, error);
        }
        if (error instanceof ConcurrentUpdateException) {
            return new DeploymentException(DeploymentException.Reason.CONCURRENT_UPDATE, op, stack, details,
                    "another update of this stack is running; wait for it to finish. If it was interrupted, "
                            + "`pulumi cancel --stack " + stack + "` releases the lock on Pulumi Cloud; on a "
                            + "self-managed backend, check that no update runs, then delete the stack's lock "
                            + "under .pulumi/locks in the backend.", error);
        }
        if (error instanceof StackNotFoundException || lower.contains("no stack named")) {
            return new DeploymentException(DeploymentException.Reason.STACK_NOT_FOUND, op, stack, details,
                    "this stack does not exist in the backend in use. Run `up` first, or point at the right "
                            + "backend (--backend, PULUMI_BACKEND_URL; `pulumi whoami -v` shows the current one).",
                    error);
        }
        if (lower.contains("passphrase")) {
            return new DeploymentException(DeploymentException.Reason.SECRETS, op, stack, details,
                    "the stack encrypts secrets with a passphrase: `export PULUMI_CONFIG_PASSPHRASE=...` (or "
                            + "PULUMI_CONFIG_PASSPHRASE_FILE=<file>) in this shell, then run " + op.command()
                            + " again (or create the stack with another secrets provider, e.g. "
                            + "`--secrets-provider awskms://alias/orthweb-state`).", error);
        }
        if (lower.contains("pulumi login") || lower.contains("pulumi_access_token") || lower.contains("access token")
                || lower.contains("not logged in")
                || lower.contains("401 unauthorized") || lower.contains("[401]")) {
            return new DeploymentException(DeploymentException.Reason.BACKEND, op, stack, details,
                    "log in to a backend first: `pulumi login` (Pulumi Cloud), or pass --backend with a "
                            + "self-managed one such as file://~/orthweb-state or s3://my-state-bucket.", error);
        }
        if (isAwsCredentials(lower)) {
            return new DeploymentException(DeploymentException.Reason.CLOUD_CREDENTIALS, op, stack, details,
                    "give the AWS provider credentials for the stack's account (AWS_PROFILE, or "
                            + "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or an instance role); "
                            + "`aws sts get-caller-identity` must succeed in the same environment.", error);
        }
        return new DeploymentException(DeploymentException.Reason.OPERATION_FAILED, op, stack, details,
                generic(op, stack), error);
    }

    /**
     * What to do when the engine's own words (the details) are all we know: each names a command
     * that shows more or continues, never just "fix it".
     */
    static String generic(Operation op, String stack) {
        String logs = "`pulumi stack history --stack " + stack + "` and the engine's log (`pulumi %s --stack "
                + stack + " --logtostderr -v=3` in the project folder) show more";
        return switch (op) {
            case OUTPUTS -> "`pulumi stack ls` (with the same --backend or PULUMI_BACKEND_URL) lists the stacks of "
                    + "this project; check that '" + stack + "' is among them and has been deployed (`up`).";
            case PREVIEW -> "nothing was changed. Correct what the lines above name (a setting in Pulumi." + stack
                    + ".yaml, a permission, a quota), then run preview again; " + logs.formatted("preview") + ".";
            default -> "correct what the lines above name (a setting in Pulumi." + stack + ".yaml, a permission, a "
                    + "quota), then run " + op.command() + " again: what already changed is recorded in the stack's "
                    + "state, so the next run continues from there; " + logs.formatted(op.command()) + ".";
        };
    }

    /** A provider plugin could not be installed. */
    static DeploymentException plugin(Operation op, String stack, ProviderPlugin plugin, Throwable error) {
        return new DeploymentException(DeploymentException.Reason.PLUGIN, op, stack,
                details(textOf(error), List.of()),
                "the Pulumi CLI could not install provider plugin " + plugin + ". It downloads plugins from "
                        + "the internet: allow that, or install it beforehand with `pulumi plugin install "
                        + "resource " + plugin.name() + " " + plugin.version() + "`.", error);
    }

    private static boolean isAwsCredentials(String lower) {
        return lower.contains("no valid credential sources") || lower.contains("nocredentialproviders")
                || lower.contains("unable to locate credentials") || lower.contains("expiredtoken")
                || lower.contains("invalidclienttokenid") || lower.contains("failed to refresh cached credentials")
                || lower.contains("security token included in the request is invalid");
    }

    /** The exception's text; for a CLI failure that is "code: N / stdout: ... / stderr: ...". */
    private static String textOf(Throwable error) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = error; t != null && text.length() < 100_000; t = t.getCause()) {
            if (t.getMessage() != null) {
                text.append(t.getMessage()).append('\n');
            }
        }
        return text.toString();
    }

    /**
     * The lines that say what went wrong: the engine's error diagnostics if any, else the
     * CLI's {@code error:} lines, else the last lines of its stderr.
     */
    static List<String> details(String text, List<String> engineErrors) {
        Set<String> lines = new LinkedHashSet<>();
        engineErrors.forEach(e -> e.lines().map(String::strip).filter(l -> !l.isEmpty()).forEach(lines::add));
        String stderr = section(text, "stderr:");
        for (String line : stderr.lines().map(String::strip).toList()) {
            if (line.startsWith("error:")) {
                lines.add(line.substring("error:".length()).strip());
            }
        }
        if (lines.isEmpty()) {
            List<String> tail = stderr.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
            if (tail.isEmpty()) {
                tail = text.lines().map(String::strip).filter(l -> !l.isEmpty())
                        .filter(l -> !l.startsWith("code:") && !l.equals("stdout:") && !l.equals("stderr:"))
                        .toList();
            }
            lines.addAll(tail.subList(Math.max(0, tail.size() - 3), tail.size()));
        }
        List<String> result = new ArrayList<>(lines);
        return result.size() > MAX_DETAIL_LINES ? result.subList(0, MAX_DETAIL_LINES) : result;
    }

    /** The text after a "stderr:" heading, or the whole text when there is none. */
    private static String section(String text, String heading) {
        int at = text.indexOf(heading);
        return at < 0 ? (text.contains("stdout:") ? "" : text) : text.substring(at + heading.length());
    }
}
