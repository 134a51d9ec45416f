package org.orthweb.automation;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Which stack, where its state lives and how its secrets are encrypted.
 *
 * @param project              Pulumi project name (when the workspace directory has a project
 *                             file, such as the project folder's Pulumi.yaml, the file's name)
 * @param stack                stack name
 * @param config               where the configuration comes from
 * @param backendUrl           state backend, e.g. {@code s3://bucket}, {@code file:///var/lib/orthweb};
 *                             empty: the CLI's current login
 * @param secretsProvider      for new stacks: {@code passphrase}, {@code awskms://alias/x}...;
 *                             empty: the backend's default
 * @param workDir              workspace directory for a {@link ConfigSource.Typed} config; empty:
 *                             a temporary one (the Pulumi.&lt;stack&gt;.yaml written there is
 *                             rewritten from the typed config on every run)
 * @param environmentVariables extra variables for the Pulumi CLI (PULUMI_CONFIG_PASSPHRASE,
 *                             AWS_PROFILE...); the process's own are inherited
 */
public record DeploymentSettings(String project, String stack, ConfigSource config, Optional<String> backendUrl,
                                 Optional<String> secretsProvider, Optional<Path> workDir,
                                 Map<String, String> environmentVariables) {

    public DeploymentSettings {
        Objects.requireNonNull(project, "project");
        Objects.requireNonNull(stack, "stack");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(backendUrl, "backendUrl");
        Objects.requireNonNull(secretsProvider, "secretsProvider");
        Objects.requireNonNull(workDir, "workDir");
        environmentVariables = Map.copyOf(environmentVariables);
    }

    /** The workspace directory: the project directory, the chosen one, or none (temporary). */
    public Optional<Path> workspaceDirectory() {
        if (config instanceof ConfigSource.ProjectDirectory p) {
            return Optional.of(p.directory());
        }
        return workDir;
    }

    /** What the Pulumi CLI gets on top of the process environment. */
    public Map<String, String> cliEnvironment() {
        var env = new java.util.LinkedHashMap<>(environmentVariables);
        backendUrl.ifPresent(url -> env.put("PULUMI_BACKEND_URL", url));
        return env;
    }
}
