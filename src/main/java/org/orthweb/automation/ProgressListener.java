package org.orthweb.automation;

/**
 * Receives progress while an operation runs. Called from the thread that reads the engine's
 * events, one event at a time, in the engine's order; keep it quick.
 */
@FunctionalInterface
public interface ProgressListener {

    ProgressListener NONE = event -> {
    };

    void onProgress(ProgressEvent event);
}
