package org.orthweb.automation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The Pulumi project file of a directory ({@code Pulumi.yaml}, {@code Pulumi.yml} or
 * {@code Pulumi.json}, looked for in that order, as pulumi-java's {@code LocalWorkspace} does).
 *
 * <p>Why it matters: given inline project settings, pulumi-java 1.36.1's {@code LocalWorkspace}
 * compares them with this file field by field (description, runtime options, project config)
 * and refuses any difference with "Custom ProjectSettings passed in code conflict with settings
 * found on disk" ({@code LocalWorkspace.initializeProjectSettings}; the inline-program factories
 * always pass default settings for the project name). A workspace over a directory that has
 * one must therefore be opened without project settings, so that Pulumi uses the file as
 * {@code pulumi up} would.
 */
final class ProjectFile {

    /** Extensions in pulumi-java's order ({@code LocalWorkspace.SETTINGS_EXTENSIONS}). */
    static final List<String> NAMES = List.of("Pulumi.yaml", "Pulumi.yml", "Pulumi.json");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private ProjectFile() {
    }

    /** The project file of {@code dir}, if it has one. */
    static Optional<Path> in(Path dir) {
        return NAMES.stream().map(dir::resolve).filter(Files::isRegularFile).findFirst();
    }

    /**
     * The project name the file declares ({@code name:}); JSON is YAML, so one reader serves all three.
     *
     * @throws IllegalArgumentException if the file cannot be read or names no project
     */
    static String name(Path file) {
        JsonNode root;
        try {
            root = YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException("the Pulumi project file " + file + " cannot be read: "
                    + e.getMessage().lines().findFirst().orElse(""), e);
        }
        String name = root == null ? "" : root.path("name").asText("");
        if (name.isBlank()) {
            throw new IllegalArgumentException("the Pulumi project file " + file + " has no 'name'; add "
                    + "`name: orthweb` (or your project's name) to it");
        }
        return name;
    }
}
