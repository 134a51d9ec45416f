package org.orthweb.cli;

import org.orthweb.config.ConfigParser;
import org.orthweb.config.RawConfig;
import org.orthweb.config.StackConfig;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code --stack} and {@code --config-file}, shared by every command. */
public final class StackOptions {

    @Option(names = {"-s", "--stack"}, required = true, paramLabel = "NAME",
            description = "Stack name, e.g. dev or prod.")
    String stack;

    @Option(names = {"-c", "--config-file"}, paramLabel = "FILE",
            description = "Stack file to read (default: Pulumi.<stack>.yaml in the current directory).")
    Path configFile;

    public String stack() {
        return stack;
    }

    public Path configFile() {
        return configFile != null ? configFile : Path.of("Pulumi." + stack + ".yaml");
    }

    /** Reads and validates the stack file. */
    public StackConfig load() {
        return ConfigParser.parse(stack, RawConfig.fromStackFile(configFile()));
    }
}
