package org.orthweb.cli;

import com.pulumi.automation.OperationType;

import org.orthweb.automation.ProgressEvent;
import org.orthweb.automation.ProgressListener;

import java.io.PrintWriter;

/**
 * Live progress on the terminal: steps that change something, as they start and finish, and the
 * engine's warnings and errors. Unchanged resources stay quiet. For a preview only the planned
 * changes are listed.
 */
final class ProgressPrinter implements ProgressListener {

    private final PrintWriter out;
    private final boolean preview;

    ProgressPrinter(PrintWriter out, boolean preview) {
        this.out = out;
        this.preview = preview;
    }

    @Override
    public void onProgress(ProgressEvent event) {
        String line = lineFor(event);
        if (line != null) {
            out.println(line);
            out.flush();
        }
    }

    /** The EC2 instance type: its replacement is a host's, and says so loudly. */
    static final String INSTANCE = "aws:ec2/instance:Instance";

    String lineFor(ProgressEvent event) {
        return switch (event.kind()) {
            case STARTED -> !event.isChange() ? null
                    : preview ? "  " + ProgressEvent.verb(event.operation()) + " " + event.type() + " " + event.name()
                    + hostReplacement(event)
                    : event.describe() + hostReplacement(event);
            case FINISHED -> preview || !event.isChange() ? null : event.describe();
            case FAILED, WARNING, ERROR, INFO -> event.describe();
            case SUMMARY -> null;
        };
    }

    /**
     * A host replaced: the instance is terminated and a new one boots (minutes of downtime per host
     * unless others serve). Names the settings that cause it.
     */
    static String hostReplacement(ProgressEvent event) {
        boolean replaced = event.operation() == OperationType.REPLACE || event.operation() == OperationType.CREATE_REPLACEMENT;
        return replaced && INSTANCE.equals(event.type())
                ? "\n    !! HOST REPLACED: " + event.name() + " is terminated and a new instance boots; a change of one of "
                + String.join(", ", org.orthweb.components.OrthancHost.HOST_REPLACING_SETTINGS) + " causes this"
                : "";
    }
}
