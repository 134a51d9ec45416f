package org.orthweb.cli;

import org.orthweb.automation.LocalStackOperations;
import org.orthweb.automation.StackOpener;

import java.io.InputStream;
import java.util.Map;
import java.util.Objects;

/**
 * What the command line takes from its surroundings, injectable so that tests need neither a
 * real environment nor a terminal nor the Pulumi CLI.
 *
 * @param environment the process environment (where to look for the Pulumi CLI)
 * @param in          where confirmations are read from
 * @param interactive whether a person can answer on {@code in} (a terminal is attached)
 * @param opener      how stacks are opened (the Automation API, or a fake)
 */
public record CliContext(Map<String, String> environment, InputStream in, boolean interactive, StackOpener opener) {

    public CliContext {
        environment = Map.copyOf(environment);
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(opener, "opener");
    }

    public static CliContext system() {
        return new CliContext(System.getenv(), System.in, System.console() != null, LocalStackOperations::open);
    }
}
