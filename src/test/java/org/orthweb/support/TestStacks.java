package org.orthweb.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.orthweb.config.ConfigParser;
import org.orthweb.config.RawConfig;
import org.orthweb.config.StackConfig;
import org.orthweb.plan.OfflinePlan;
import org.orthweb.plan.Plan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs the program under the mock engine for tests; plans of the fixture stack files are cached.
 *
 * <p>The fixtures ({@code src/test/resources/stacks/Pulumi.<stack>.yaml}) are the stack files as
 * shipped. Tests read them, never the project's own {@code Pulumi.<stack>.yaml}, which belong to
 * the user: editing them as the README says must not break the build. The policy tests are the
 * exception on purpose: they run over every stack file of the project.
 */
public final class TestStacks {

    private static final Map<String, Plan> CACHE = new ConcurrentHashMap<>();
    private static final ObjectMapper JSON = new ObjectMapper();

    private TestStacks() {
    }

    /** Where the fixture stack files are (Maven runs tests from the project directory). */
    public static final Path FIXTURES = Path.of("src/test/resources/stacks").toAbsolutePath();

    /** The fixture copy of a shipped stack file, e.g. "dev" for Pulumi.dev.yaml as shipped. */
    public static Path stackFile(String stack) {
        return FIXTURES.resolve("Pulumi." + stack + ".yaml");
    }

    /** Plan of a stack file as shipped (its fixture copy), e.g. "dev" for Pulumi.dev.yaml. */
    public static Plan shipped(String stack) {
        return CACHE.computeIfAbsent(stack, s -> OfflinePlan.run(config(s)));
    }

    /** Config of a stack file as shipped (its fixture copy). */
    public static StackConfig config(String stack) {
        return ConfigParser.parse(stack, RawConfig.fromStackFile(stackFile(stack)));
    }

    /** Config from stack-file YAML text. */
    public static StackConfig config(String stack, String yaml) {
        return ConfigParser.parse(stack, RawConfig.fromStackYaml(yaml, "Pulumi." + stack + ".yaml"));
    }

    public static Plan plan(String stack, String yaml) {
        return OfflinePlan.run(config(stack, yaml));
    }

    /**
     * Plan of a stack file as shipped (its fixture copy) with extra config lines appended, e.g.
     * {@code "  orthweb:ha:\n    enabled: false\n"} (a key the file does not already set).
     */
    public static Plan shippedWith(String stack, String extra) {
        try {
            return plan(stack, java.nio.file.Files.readString(stackFile(stack)).stripTrailing() + "\n" + extra);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A minimal stack file of the given environment plus extra config lines. */
    public static String yaml(String environment, String extra) {
        return """
                config:
                  aws:region: eu-central-1
                  orthweb:environment: %s
                  orthweb:owner: test-team
                """.formatted(environment) + extra;
    }

    public static JsonNode json(Object policyText) {
        try {
            return JSON.readTree(String.valueOf(policyText));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Launch-template user data as cloud-init reads it: base64, then gzip. */
    public static String decodeUserData(Object userData) {
        return org.orthweb.cloudinit.UserDataFiles.decode(String.valueOf(userData));
    }

    /**
     * Everything a host of the plan receives, as one text: the launch template's user data
     * (decoded) followed by every file of the host bundle the user data loads from S3.
     */
    public static String hostText(Plan plan) {
        StringBuilder text = new StringBuilder(decodeUserData(plan.named("host-template").inputs().get("userData")));
        hostBundle(plan).values().forEach(content -> text.append('\n').append(content));
        return text.toString();
    }

    /** The files of the plan's host bundle (the S3 object the user data's loader fetches). */
    public static Map<String, String> hostBundle(Plan plan) {
        Object base64 = plan.named("host-bundle").inputs().get("contentBase64");
        return org.orthweb.cloudinit.HostBundle.read(java.util.Base64.getDecoder().decode(String.valueOf(base64)));
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }
}
