package org.orthweb.automation;

import com.pulumi.automation.events.DiagnosticEvent;
import com.pulumi.automation.events.EngineEvent;
import com.pulumi.automation.events.StepEventMetadata;

import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Turns the engine's events into {@link ProgressEvent}s for a listener, counting finished
 * resources. One tracker per operation (the count starts at zero).
 */
public final class ProgressTracker implements Consumer<EngineEvent> {

    private final ProgressListener listener;
    private int done;

    public ProgressTracker(ProgressListener listener) {
        this.listener = listener == null ? ProgressListener.NONE : listener;
    }

    /** Resources finished so far. */
    public synchronized int done() {
        return done;
    }

    @Override
    public synchronized void accept(EngineEvent event) {
        if (event == null) {
            return;
        }
        if (event.resourcePreEvent() != null) {
            step(ProgressEvent.Kind.STARTED, event.resourcePreEvent().metadata());
        } else if (event.resourceOutputsEvent() != null) {
            if (event.resourceOutputsEvent().metadata() != null) {
                done++;
            }
            step(ProgressEvent.Kind.FINISHED, event.resourceOutputsEvent().metadata());
        } else if (event.resourceOperationFailedEvent() != null) {
            step(ProgressEvent.Kind.FAILED, event.resourceOperationFailedEvent().metadata());
        } else if (event.diagnosticEvent() != null) {
            diagnostic(event.diagnosticEvent());
        } else if (event.summaryEvent() != null) {
            var changes = event.summaryEvent().resourceChanges();
            listener.onProgress(new ProgressEvent(ProgressEvent.Kind.SUMMARY, null, null, null, done, null,
                    changes == null ? Map.of() : changes));
        }
    }

    private void step(ProgressEvent.Kind kind, StepEventMetadata step) {
        if (step == null) {
            return;
        }
        listener.onProgress(new ProgressEvent(kind, step.op(), step.type(), nameOf(step.urn()), done, null, Map.of()));
    }

    private void diagnostic(DiagnosticEvent diagnostic) {
        // Ephemeral diagnostics are the engine's status ticker; debug is for Pulumi developers.
        if (Boolean.TRUE.equals(diagnostic.ephemeral()) || diagnostic.message() == null) {
            return;
        }
        String severity = diagnostic.severity() == null ? "" : diagnostic.severity().toLowerCase(Locale.ROOT);
        ProgressEvent.Kind kind;
        if (severity.equals("error")) {
            kind = ProgressEvent.Kind.ERROR;
        } else if (severity.equals("warning")) {
            kind = ProgressEvent.Kind.WARNING;
        } else if (severity.startsWith("info")) {
            kind = ProgressEvent.Kind.INFO;
        } else {
            return;
        }
        String message = diagnostic.message().strip();
        if (message.isEmpty()) {
            return;
        }
        String name = diagnostic.urn() == null || diagnostic.urn().isEmpty() ? null : nameOf(diagnostic.urn());
        listener.onProgress(new ProgressEvent(kind, null, null, name, done, message, Map.of()));
    }

    /** {@code urn:pulumi:dev::orthweb::orthweb:index:SecureVpc$aws:ec2/vpc:Vpc::network-vpc} -> network-vpc. */
    static String nameOf(String urn) {
        if (urn == null) {
            return null;
        }
        int sep = urn.lastIndexOf("::");
        return sep < 0 ? urn : urn.substring(sep + 2);
    }
}
