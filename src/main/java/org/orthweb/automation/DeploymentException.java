package org.orthweb.automation;

import java.util.List;
import java.util.Objects;

/**
 * An operation on a stack failed. The message says what failed (operation, stack, the engine's
 * own error lines) and, on a line of its own, what to do about it; {@link #reason()} lets callers
 * react by kind without parsing text.
 */
public final class DeploymentException extends RuntimeException {

    public enum Reason {
        /** No usable Pulumi CLI: not on PATH, or older than the Automation API accepts. */
        PULUMI_CLI_MISSING,
        /** The stack does not exist in the backend (refresh, destroy, outputs never create it). */
        STACK_NOT_FOUND,
        /** Another update holds the stack's lock. */
        CONCURRENT_UPDATE,
        /** The stack's secrets cannot be encrypted or decrypted (passphrase, KMS key...). */
        SECRETS,
        /** The Pulumi backend refused us (not logged in, bad backend URL, no access). */
        BACKEND,
        /** The AWS provider has no valid credentials. */
        CLOUD_CREDENTIALS,
        /** A provider plugin could not be installed. */
        PLUGIN,
        /** Anything else the engine, a provider or AWS reported. */
        OPERATION_FAILED
    }

    private final Reason reason;
    private final Operation operation;
    private final String stack;
    private final List<String> details;
    private final String hint;

    public DeploymentException(Reason reason, Operation operation, String stack, List<String> details, String hint,
                               Throwable cause) {
        super(format(operation, stack, details, hint), cause);
        this.reason = Objects.requireNonNull(reason);
        this.operation = operation;
        this.stack = stack;
        this.details = List.copyOf(details);
        this.hint = hint;
    }

    public Reason reason() {
        return reason;
    }

    public Operation operation() {
        return operation;
    }

    public String stack() {
        return stack;
    }

    /** The engine's or the CLI's own words about the failure (error lines only). */
    public List<String> details() {
        return details;
    }

    /** What to do about it, for a person. */
    public String hint() {
        return hint;
    }

    private static String format(Operation operation, String stack, List<String> details, String hint) {
        StringBuilder text = new StringBuilder();
        text.append(operation == null ? "operation" : operation.command());
        if (stack != null) {
            text.append(" of stack '").append(stack).append('\'');
        }
        text.append(" failed");
        if (details.size() == 1) {
            text.append(": ").append(details.get(0));
        } else if (!details.isEmpty()) {
            text.append(':');
            details.forEach(d -> text.append("\n  ").append(d));
        }
        if (hint != null && !hint.isBlank()) {
            text.append("\nWhat to do: ").append(hint);
        }
        return text.toString();
    }
}
