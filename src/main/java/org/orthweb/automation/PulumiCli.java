package org.orthweb.automation;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the Pulumi CLI the Automation API will run. pulumi-java 1.36.1 starts it as plain
 * {@code pulumi}, resolved on PATH (it has no option for another location), so only PATH counts;
 * a CLI found only under PULUMI_HOME or ~/.pulumi/bin gives a better message. Never downloads
 * anything. The environment is a parameter so that tests do not touch the real one.
 */
public final class PulumiCli {

    static final String INSTALL_HINT = "Install the Pulumi CLI (see https://www.pulumi.com/docs/install/), "
            + "make sure `pulumi version` works in this shell, then run the command again.";

    private PulumiCli() {
    }

    /** The {@code pulumi} executable on the PATH of {@code env}, if any. */
    public static Optional<Path> find(Map<String, String> env) {
        for (Path dir : split(env.get("PATH"))) {
            for (String name : executableNames()) {
                Path candidate = dir.resolve(name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * @throws DeploymentException with reason {@link DeploymentException.Reason#PULUMI_CLI_MISSING}
     *                             and a message that says how to install it
     */
    public static Path require(Map<String, String> env, Operation op) {
        Optional<Path> found = find(env);
        if (found.isPresent()) {
            return found.get();
        }
        String detail = "the Pulumi CLI (pulumi) was not found on PATH; preview, up, refresh, destroy, outputs and "
                + "dicom-client need it (plan and render do not)";
        String hint = offPath(env)
                .map(p -> "it is installed at " + p + " but that directory is not on PATH: add "
                        + p.getParent() + " to PATH, then run the command again.")
                .orElse(INSTALL_HINT);
        throw new DeploymentException(DeploymentException.Reason.PULUMI_CLI_MISSING, op, null, List.of(detail),
                hint, null);
    }

    /** A CLI installed where Pulumi's installer puts it, but not on PATH. */
    static Optional<Path> offPath(Map<String, String> env) {
        List<Path> dirs = new ArrayList<>();
        String pulumiHome = env.get("PULUMI_HOME");
        if (pulumiHome != null && !pulumiHome.isBlank()) {
            dirs.add(Path.of(pulumiHome, "bin"));
        }
        String home = env.get("HOME");
        if (home == null || home.isBlank()) {
            home = env.get("USERPROFILE");
        }
        if (home != null && !home.isBlank()) {
            dirs.add(Path.of(home, ".pulumi", "bin"));
        }
        for (Path dir : dirs) {
            for (String name : executableNames()) {
                Path candidate = dir.resolve(name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    private static List<Path> split(String path) {
        List<Path> dirs = new ArrayList<>();
        if (path == null) {
            return dirs;
        }
        for (String entry : path.split(File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            try {
                dirs.add(Path.of(entry));
            } catch (InvalidPathException e) {
                // a malformed PATH entry cannot hold the CLI
            }
        }
        return dirs;
    }

    private static List<String> executableNames() {
        boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
        return windows ? List.of("pulumi.exe", "pulumi.cmd", "pulumi") : List.of("pulumi");
    }
}
