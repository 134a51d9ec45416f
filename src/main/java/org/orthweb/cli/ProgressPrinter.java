package org.orthweb.cli;

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

    String lineFor(ProgressEvent event) {
        return switch (event.kind()) {
            case STARTED -> !event.isChange() ? null
                    : preview ? "  " + ProgressEvent.verb(event.operation()) + " " + event.type() + " " + event.name()
                    : event.describe();
            case FINISHED -> preview || !event.isChange() ? null : event.describe();
            case FAILED, WARNING, ERROR, INFO -> event.describe();
            case SUMMARY -> null;
        };
    }
}
