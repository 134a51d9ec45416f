package org.orthweb.automation;

import org.orthweb.config.ConfigException;
import org.orthweb.config.ConfigParser;
import org.orthweb.config.RawConfig;
import org.orthweb.config.StackConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Where a deployment's configuration comes from. Two designs, because a {@code secure:} value
 * in a stack file can only be decrypted by Pulumi, with the stack's secrets provider:
 * <ul>
 *   <li>{@link Typed}: the caller's validated {@link StackConfig}. The deployer writes it to the
 *   stack's config (secret keys as secrets) and runs the program with it. For stacks made in
 *   code: one per site, study or customer.</li>
 *   <li>{@link ProjectDirectory}: a directory with {@code Pulumi.yaml} and
 *   {@code Pulumi.<stack>.yaml}, the same files {@code pulumi up} uses. Pulumi reads and
 *   decrypts the config; the deployer reads it back through the workspace, validates it with
 *   the same parser, and changes nothing in the file.</li>
 * </ul>
 */
public sealed interface ConfigSource {

    /** Configuration made in code (or read from a stack file without secure values). */
    record Typed(StackConfig config) implements ConfigSource {
        public Typed {
            Objects.requireNonNull(config, "config");
        }
    }

    /** The Pulumi project directory whose {@code Pulumi.<stack>.yaml} Pulumi reads itself. */
    record ProjectDirectory(Path directory) implements ConfigSource {
        public ProjectDirectory {
            Objects.requireNonNull(directory, "directory");
        }
    }

    static ConfigSource of(StackConfig config) {
        return new Typed(config);
    }

    static ConfigSource projectDirectory(Path directory) {
        return new ProjectDirectory(directory);
    }

    /**
     * Chooses the source for a stack file, after validating it offline (so that a mistake is
     * reported before any Pulumi command runs):
     * <ul>
     *   <li>{@code Pulumi.<stack>.yaml} beside a {@code Pulumi.yaml}: {@link ProjectDirectory}, so
     *   that Pulumi uses the file as it would for {@code pulumi up}, secure values included;</li>
     *   <li>any other file: {@link Typed}, which must not hold {@code secure:} values (we cannot
     *   decrypt them).</li>
     * </ul>
     *
     * @throws ConfigException if the file is missing or invalid, or holds secure values we cannot use
     */
    static ConfigSource fromStackFile(String stack, Path file) {
        RawConfig raw = RawConfig.fromStackFile(file);
        StackConfig config = ConfigParser.parse(stack, raw);
        Path dir = file.toAbsolutePath().normalize().getParent();
        boolean projectFile = file.getFileName().toString().equals("Pulumi." + stack + ".yaml")
                && dir != null && Files.isRegularFile(dir.resolve("Pulumi.yaml"));
        if (projectFile) {
            return new ProjectDirectory(dir);
        }
        if (!raw.secretKeys().isEmpty()) {
            throw new ConfigException("stack file " + file + " holds secure values (" + String.join(", ",
                    new TreeSet<>(raw.secretKeys())) + ") that only Pulumi can decrypt; name it Pulumi." + stack
                    + ".yaml and keep it beside Pulumi.yaml, so that Pulumi reads it with the stack's secrets provider");
        }
        return new Typed(config);
    }
}
