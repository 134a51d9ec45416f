package org.orthweb.automation;

import com.pulumi.automation.OperationType;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One step of a running operation, as the deployer reports it to a {@link ProgressListener}.
 * Made from Pulumi's engine events by {@link ProgressTracker}; our own type so that listeners do
 * not depend on the engine's event model.
 *
 * @param kind      what happened
 * @param operation what the engine does to the resource (create, update, delete...); null for
 *                  diagnostics and the summary
 * @param type      resource type token, e.g. {@code aws:ec2/vpc:Vpc}; null when not about a resource
 * @param name      logical resource name (the last part of the URN); null when not about a resource
 * @param done      resources finished so far in this operation
 * @param message   diagnostic text (warnings, errors, program output); null otherwise
 * @param changes   for {@link Kind#SUMMARY}: resources per kind of change; empty otherwise
 */
public record ProgressEvent(Kind kind, OperationType operation, String type, String name, int done, String message,
                            Map<OperationType, Integer> changes) {

    public enum Kind {
        /** The engine starts a step on a resource (or plans one, in a preview). */
        STARTED,
        /** The step finished; {@code done} counts it. */
        FINISHED,
        /** The step failed. */
        FAILED,
        /** A warning or an error from the engine, a provider or the program. */
        WARNING,
        ERROR,
        /** Informational output (for example the program's own messages). */
        INFO,
        /** The operation ended; {@code changes} has the totals. */
        SUMMARY
    }

    public ProgressEvent {
        Objects.requireNonNull(kind, "kind");
        changes = Map.copyOf(changes);
    }

    /** A word for what the engine does: create, update, delete, replace, unchanged... */
    public static String verb(OperationType op) {
        if (op == null) {
            return "";
        }
        return switch (op) {
            case SAME -> "unchanged";
            case CREATE_REPLACEMENT -> "create replacement";
            case DELETE_REPLACED -> "delete replaced";
            default -> op.name().toLowerCase(Locale.ROOT).replace('_', ' ');
        };
    }

    /** Whether the step changes something (unchanged resources and reads do not). */
    public boolean isChange() {
        return operation != null && operation != OperationType.SAME && operation != OperationType.READ;
    }

    private String about() {
        return name == null ? "" : name + ": ";
    }

    /** One line for a person: "[12] create aws:ec2/vpc:Vpc network-vpc done" (12 resources done), or the message. */
    public String describe() {
        return switch (kind) {
            case STARTED -> "... " + verb(operation) + " " + type + " " + name;
            case FINISHED -> "[" + done + "] " + verb(operation) + " " + type + " " + name + " done";
            case FAILED -> "[" + done + "] " + verb(operation) + " " + type + " " + name + " FAILED";
            case WARNING -> "warning: " + about() + message;
            case ERROR -> "error: " + about() + message;
            case INFO -> message;
            case SUMMARY -> "summary: " + OperationResult.describe(changes);
        };
    }
}
