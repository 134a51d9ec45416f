package org.orthweb.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Stack configuration as the user wrote it: full keys ("orthweb:network") to JSON values, plus
 * which keys hold secrets. Two sources give the same shape, so one parser serves both: a stack
 * file ({@code Pulumi.<stack>.yaml}) and the Pulumi engine (environment variables it hands the
 * program).
 */
public record RawConfig(Map<String, JsonNode> values, Set<String> secretKeys) {

    /**
     * Stands in for a {@code secure:} value that cannot be decrypted offline (no passphrase or
     * cloud secrets provider here). The offline plan masks any value containing it.
     */
    public static final String SECRET_PLACEHOLDER = "__orthweb_secret__";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    public RawConfig {
        values = Map.copyOf(values);
        secretKeys = Set.copyOf(secretKeys);
    }

    /** Reads the {@code config:} block of a Pulumi stack file. */
    public static RawConfig fromStackFile(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException("stack file " + file + " does not exist");
        } catch (IOException e) {
            throw new ConfigException("stack file " + file + " cannot be read: " + firstLine(e.getMessage()));
        }
        return fromStackYaml(text, file.toString());
    }

    /** Reads the {@code config:} block of stack file text; {@code origin} names it in messages. */
    public static RawConfig fromStackYaml(String text, String origin) {
        String file = origin;
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (IOException e) {
            throw new ConfigException("stack file " + file + " is not valid YAML: " + firstLine(e.getMessage()));
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return new RawConfig(Map.of(), Set.of());
        }
        JsonNode config = root.path("config");
        if (config.isMissingNode() || config.isNull()) {
            return new RawConfig(Map.of(), Set.of());
        }
        if (!config.isObject()) {
            throw new ConfigException("stack file " + file + ": 'config' must be a mapping of keys to values");
        }
        Map<String, JsonNode> values = new LinkedHashMap<>();
        Set<String> secrets = new LinkedHashSet<>();
        Iterator<Map.Entry<String, JsonNode>> fields = config.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = qualify(field.getKey());
            JsonNode value = field.getValue();
            if (containsSecure(value)) {
                secrets.add(key);
                value = replaceSecure(value);
            }
            values.put(key, value);
        }
        return new RawConfig(values, secrets);
    }

    /**
     * Reads the configuration the Pulumi engine passes to a program it runs: PULUMI_CONFIG (a JSON
     * object of key to string value; structured values are JSON text) and
     * PULUMI_CONFIG_SECRET_KEYS (a JSON array of the keys that are secret, already decrypted).
     */
    public static RawConfig fromEngineEnvironment(Map<String, String> env) {
        Map<String, JsonNode> values = new LinkedHashMap<>();
        Set<String> secrets = new LinkedHashSet<>();
        try {
            String config = env.getOrDefault("PULUMI_CONFIG", "{}");
            JsonNode node = JSON.readTree(config.isBlank() ? "{}" : config);
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                values.put(qualify(field.getKey()), engineValue(field.getValue()));
            }
            String secretKeys = env.getOrDefault("PULUMI_CONFIG_SECRET_KEYS", "[]");
            for (JsonNode key : JSON.readTree(secretKeys.isBlank() ? "[]" : secretKeys)) {
                secrets.add(qualify(key.asText()));
            }
        } catch (IOException e) {
            throw new ConfigException("the configuration passed by the Pulumi engine is not JSON: "
                    + firstLine(e.getMessage()));
        }
        return new RawConfig(values, secrets);
    }

    /** The engine passes structured values as JSON text and scalars as plain text. */
    private static JsonNode engineValue(JsonNode value) {
        if (!value.isTextual()) {
            return value;
        }
        String text = value.asText().trim();
        if (text.startsWith("{") || text.startsWith("[")) {
            try {
                return JSON.readTree(text);
            } catch (IOException e) {
                return value;
            }
        }
        return value;
    }

    /** "project:key" stays; a bare "key" belongs to the project namespace, as in Pulumi. */
    private static String qualify(String key) {
        return key.contains(":") ? key : "orthweb:" + key;
    }

    private static boolean containsSecure(JsonNode node) {
        if (node.isObject() && node.size() == 1 && node.has("secure")) {
            return true;
        }
        for (JsonNode child : node) {
            if (containsSecure(child)) {
                return true;
            }
        }
        return false;
    }

    private static JsonNode replaceSecure(JsonNode node) {
        if (node.isObject() && node.size() == 1 && node.has("secure")) {
            return JsonNodeFactory.instance.textNode(SECRET_PLACEHOLDER);
        }
        if (node.isObject()) {
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            node.fields().forEachRemaining(f -> copy.set(f.getKey(), replaceSecure(f.getValue())));
            return copy;
        }
        if (node.isArray()) {
            var copy = JsonNodeFactory.instance.arrayNode();
            node.forEach(child -> copy.add(replaceSecure(child)));
            return copy;
        }
        return node;
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }
}
