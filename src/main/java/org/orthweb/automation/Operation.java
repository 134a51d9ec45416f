package org.orthweb.automation;

/** The stack operations the deployer runs, named as Pulumi names them. */
public enum Operation {
    PREVIEW("preview"),
    UP("up"),
    REFRESH("refresh"),
    DESTROY("destroy"),
    OUTPUTS("outputs");

    private final String command;

    Operation(String command) {
        this.command = command;
    }

    /** The Pulumi CLI command that does the same. */
    public String command() {
        return command;
    }
}
