package org.orthweb;

import com.pulumi.Pulumi;
import org.orthweb.cli.Cli;
import org.orthweb.config.ConfigException;
import org.orthweb.config.ConfigParser;
import org.orthweb.config.RawConfig;
import org.orthweb.config.StackConfig;

/**
 * One jar, two roles. Started by the Pulumi engine (it sets PULUMI_MONITOR and passes no
 * arguments) it runs the program; started by a person it is the command line.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        // before any program runs, whichever role: see CommonPool (Java 25 on two CPUs)
        try {
            CommonPool.ensureParallelism();
        } catch (IllegalStateException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(Cli.INVALID);
        }
        if (args.length == 0 && System.getenv("PULUMI_MONITOR") != null) {
            System.exit(runUnderEngine());
        }
        System.exit(Cli.run(args));
    }

    /**
     * Validates the engine's config before connecting to it, so that a bad value is one clear
     * message in {@code pulumi up}'s output (and nothing is registered), not a stack trace.
     */
    private static int runUnderEngine() {
        StackConfig config;
        try {
            String stack = System.getenv().getOrDefault("PULUMI_STACK", "stack");
            config = ConfigParser.parse(stack, RawConfig.fromEngineEnvironment(System.getenv()));
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            return Cli.INVALID;
        }
        Pulumi.run(ctx -> OrthwebProgram.define(ctx, config));
        return Cli.OK;
    }
}
