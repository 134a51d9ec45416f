package org.orthweb.automation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pulumi.automation.ConfigValue;
import org.orthweb.config.ConfigException;
import org.orthweb.config.RawConfig;
import org.orthweb.config.SettingsWriter;
import org.orthweb.config.StackConfig;

import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Translates between our typed config and Pulumi stack config values, both ways.
 *
 * <p>To the stack: one value per declared top-level key ({@link SettingsWriter}), as
 * {@code pulumi config set} would store it; an absent optional value is not written.
 * Structured values (network, host...) are JSON text, set without {@code --path}: the engine
 * hands them to a program as that text, and {@link RawConfig#fromEngineEnvironment} reads it
 * back, so a config written here parses to the same {@link StackConfig}. With {@code --path}
 * an empty list cannot be written and elements left over from a longer list would stay. Keys in
 * {@link StackConfig#secretKeys()} are written as secrets.
 *
 * <p>From the stack: the values Pulumi read and decrypted become a {@link RawConfig}, through
 * the same reader the program uses under the engine.
 */
public final class StackConfigValues {

    /** Namespaces only this program writes (aws: may hold the user's own provider settings). */
    static final List<String> OWNED_NAMESPACES = List.of("orthweb:");

    private static final ObjectMapper JSON = new ObjectMapper();

    private StackConfigValues() {
    }

    /**
     * The stack config for a typed config, keyed "orthweb:network", "aws:region"...
     *
     * @throws ConfigException if the config still holds placeholders for secure values of a stack
     *                         file (they cannot be deployed; use a {@link ConfigSource.ProjectDirectory})
     */
    public static Map<String, ConfigValue> toStackConfig(StackConfig cfg) {
        // every declared setting, by the one serializer: a new setting needs no line here
        Map<String, Object> plain = new LinkedHashMap<>();
        SettingsWriter.topLevel(cfg).forEach((key, value) -> plain.put(key, value.isValueNode() ? value.asText() : value));
        // the user's own aws: provider settings (profile, account guards...) travel with the config
        cfg.awsProvider().values().forEach((key, value) -> plain.put(key, value.isValueNode() ? value.asText() : value));

        Map<String, ConfigValue> values = new LinkedHashMap<>();
        TreeSet<String> placeholders = new TreeSet<>();
        plain.forEach((key, value) -> {
            String text = value instanceof String s ? s : json(value);
            if (text.contains(RawConfig.SECRET_PLACEHOLDER)) {
                placeholders.add(key);
            }
            values.put(key, new ConfigValue(text, cfg.secretKeys().contains(key) || cfg.awsProvider().secretKeys().contains(key)));
        });
        if (!placeholders.isEmpty()) {
            throw new ConfigException(String.join(", ", placeholders) + " came from secure values of a stack file, "
                    + "which only Pulumi can decrypt; deploy from the project directory instead "
                    + "(ConfigSource.projectDirectory, or the Pulumi.<stack>.yaml beside Pulumi.yaml on the command line)");
        }
        return values;
    }

    /** The config Pulumi read (and decrypted) for a stack, as the program's reader sees it. */
    public static RawConfig fromStackConfig(Map<String, ConfigValue> values) {
        ObjectNode config = object();
        var secretKeys = JsonNodeFactory.instance.arrayNode();
        values.forEach((key, value) -> {
            config.put(key, value.value());
            if (value.isSecret()) {
                secretKeys.add(key);
            }
        });
        return RawConfig.fromEngineEnvironment(Map.of(
                "PULUMI_CONFIG", json(config),
                "PULUMI_CONFIG_SECRET_KEYS", json(secretKeys)));
    }

    /** Keys of ours in {@code existing} that {@code wanted} no longer sets (they would linger). */
    static List<String> staleKeys(Map<String, ConfigValue> existing, Map<String, ConfigValue> wanted) {
        return existing.keySet().stream()
                .filter(k -> OWNED_NAMESPACES.stream().anyMatch(k::startsWith))
                .filter(k -> !wanted.containsKey(k))
                .sorted()
                .toList();
    }

    private static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
