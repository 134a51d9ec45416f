package org.orthweb.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads raw JSON values into declared configuration records, collecting every problem (each
 * naming its key) instead of stopping at the first. Generic over the declarations: a new setting
 * needs no code here.
 *
 * <p>Absent and YAML {@code null} are the same: the declared default applies (or the key is
 * required, or an {@code Optional} is empty). An explicitly empty string is refused for every key,
 * with or without a default: a value written down empty is a mistake to report, not a request for
 * the default.
 */
public final class SettingsReader {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final EnvironmentProfile profile;
    private final String environmentCode;
    private final Set<String> secretKeys;
    private final List<String> problems;
    /** Values read so far by full key ("orthweb:network.azCount"), for cross-field rules and ${...} defaults. */
    private final Map<String, Object> values = new LinkedHashMap<>();

    /**
     * @param environment the stack's environment (selects the defaults), or null while reading the
     *                    environment itself (then only settings without per-profile defaults may be read)
     * @param secretKeys  top-level keys stored as secrets: their values are never echoed
     * @param problems    where problems are added
     */
    public SettingsReader(Environment environment, Set<String> secretKeys, List<String> problems) {
        this.profile = environment == null ? null : EnvironmentProfile.of(environment);
        this.environmentCode = environment == null ? null : environment.code();
        this.secretKeys = secretKeys;
        this.problems = problems;
    }

    /** Values read so far, by full key. */
    public Map<String, Object> values() {
        return values;
    }

    /**
     * Reads each setting of {@code record} from {@code node} (whose field names are the components'
     * names, or the full keys at the top level when {@code parent} is null).
     *
     * @return component name to value; a value is null when it had a problem (already reported)
     */
    public Map<String, Object> readSettings(Class<?> record, JsonNode node, String parent) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (RecordComponent c : Declarations.settings(record)) {
            String key = Declarations.key(c, parent);
            String field = parent == null ? key : c.getName();
            JsonNode value = node == null ? null : node.get(field);
            Object read = readComponent(c, value, key);
            out.put(c.getName(), read);
            if (read != null) {
                values.put(key, read);
            }
        }
        return out;
    }

    /** Reads one declared component: default when absent, then the declared rules. */
    Object readComponent(RecordComponent c, JsonNode node, String key) {
        Type type = c.getGenericType();
        Class<?> raw = Declarations.raw(type);
        Object value;
        if (absent(node)) {
            String fallback = Declarations.defaultFor(c, profile != null && profile.hardened());
            if (fallback == null) {
                if (raw == Optional.class) {
                    return Optional.empty();
                }
                if (Declarations.isSection(raw)) {
                    return readRecord(raw, null, key);
                }
                String allowed = Declarations.allowed(c);
                problems.add(key + " is required" + (allowed.isEmpty() ? "" : ": " + allowed));
                return null;
            }
            if (fallback.equals(Default.REQUIRED)) {
                problems.add(key + " is required in this environment (" + environmentCode + "): "
                        + Declarations.allowed(c));
                return null;
            }
            value = readDefault(type, fallback, key);
        } else {
            value = read(type, node, key, c.getAnnotation(Range.class));
        }
        if (value == null) {
            return null;
        }
        return applyRules(c, value, key);
    }

    private Object readDefault(Type type, String text, String key) {
        if (text.startsWith("${") && text.endsWith("}")) {
            String ref = Declarations.NAMESPACE + ":" + text.substring(2, text.length() - 1);
            Object resolved = values.get(ref);
            if (resolved == null && !values.containsKey(ref)) {
                return null; // the referenced setting had a problem, already reported
            }
            return resolved;
        }
        try {
            return read(type, YAML.readTree(text), key, null);
        } catch (IOException e) {
            throw new IllegalStateException("the declared default of " + key + " is not YAML: " + text, e);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Object applyRules(RecordComponent c, Object value, String key) {
        if (value instanceof String s && s.equals(RawConfig.SECRET_PLACEHOLDER)) {
            return value; // a secure value a stack file holds: only Pulumi can decrypt it to check it
        }
        Object checked = value instanceof Optional<?> o ? o.orElse(null) : value;
        if (checked == null) {
            return value;
        }
        if (checked instanceof String s && s.equals(RawConfig.SECRET_PLACEHOLDER)) {
            return value;
        }
        Range range = c.getAnnotation(Range.class);
        if (range != null) {
            int n = (Integer) checked;
            if (n < range.min() || n > range.max()) {
                problems.add(key + " must be from " + range.min() + " to " + range.max() + " (got " + n + ")");
                return null;
            }
        }
        for (Rule rule : Declarations.rules(c)) {
            try {
                checked = rule.check(checked);
            } catch (IllegalArgumentException e) {
                for (String line : e.getMessage().split("\n")) {
                    problems.add(message(key, checked instanceof String s && isSecret(key) ? line.replace(s, "[secret]") : line));
                }
                return null;
            }
        }
        return value instanceof Optional<?> ? Optional.of(checked) : checked;
    }

    /** Reads a present (non-null) value of a declared type. */
    Object read(Type type, JsonNode node, String key, Range range) {
        Class<?> raw = Declarations.raw(type);
        if (node.isTextual() && node.asText().isBlank()) {
            // whatever the type: a value written down empty is a mistake, not a request for the default
            return scalar(node, key);
        }
        if (raw == Optional.class) {
            Object inner = read(Declarations.argument(type, 0), node, key, range);
            return inner == null ? null : Optional.of(inner);
        }
        if (Declarations.isSection(raw)) {
            return readRecord(raw, node, key);
        }
        if (raw == List.class) {
            return readList(Declarations.argument(type, 0), node, key);
        }
        if (raw == Map.class) {
            Type valueType = Declarations.argument(type, 1);
            return Declarations.isSection(Declarations.raw(valueType)) ? readRecordMap(Declarations.raw(valueType), node, key)
                    : readMap(node, key);
        }
        if (raw == ObjectNode.class) {
            return readObject(node, key);
        }
        String text = scalar(node, key);
        if (text == null) {
            return null;
        }
        if (raw == String.class) {
            return text;
        }
        if (raw == int.class || raw == Integer.class) {
            if (node.isIntegralNumber() && node.canConvertToInt() || text.matches("-?\\d{1,9}")) {
                return node.isIntegralNumber() ? node.asInt() : Integer.parseInt(text);
            }
            problems.add(key + " must be a whole number" + (range == null ? "" : " from " + range.min() + " to " + range.max())
                    + " (got '" + shown(key, text) + "')");
            return null;
        }
        if (raw == boolean.class || raw == Boolean.class) {
            if (node.isBoolean()) {
                return node.asBoolean();
            }
            if (text.equals("true") || text.equals("false")) {
                return Boolean.parseBoolean(text);
            }
            problems.add(key + " must be true or false (got '" + shown(key, text) + "')");
            return null;
        }
        var codec = Codecs.of(raw);
        if (codec == null) {
            throw new IllegalStateException("no reader for setting type " + type + " of " + key);
        }
        try {
            return codec.parse().apply(text);
        } catch (IllegalArgumentException e) {
            problems.add(message(key, shown(key, e.getMessage(), text)));
            return null;
        }
    }

    /** A scalar's text, trimmed; null (with a problem) for containers and empty strings. */
    private String scalar(JsonNode node, String key) {
        if (!node.isValueNode()) {
            problems.add(key + " must be a single value, not a list or mapping");
            return null;
        }
        String text = node.asText().trim();
        if (text.isEmpty()) {
            problems.add(key + (key.endsWith("]") ? " is empty: a list may not hold empty entries"
                    : " is empty: give a value, or remove the key to use its default"));
            return null;
        }
        return text;
    }

    /** A section or list element: unknown fields refused; null when any field had a problem. */
    Object readRecord(Class<?> record, JsonNode node, String key) {
        if (node != null && !node.isObject()) {
            problems.add(key + " must be a mapping with keys " + String.join(", ", names(record)));
            return null;
        }
        if (node != null) {
            Set<String> allowed = names(record);
            node.fieldNames().forEachRemaining(field -> {
                if (!allowed.contains(field)) {
                    problems.add("unknown setting '" + key + "." + field + "'; allowed: " + String.join(", ", allowed));
                }
            });
        }
        Map<String, Object> read = readSettings(record, node, key);
        if (read.containsValue(null)) {
            return null;
        }
        try {
            return construct(record, read, key);
        } catch (ConfigException e) {
            problems.addAll(e.problems());
            return null;
        }
    }

    private List<Object> readList(Type element, JsonNode node, String key) {
        if (!node.isArray()) {
            problems.add(key + " must be a list");
            return null;
        }
        List<Object> out = new ArrayList<>();
        boolean failed = false;
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            String itemKey = key + "[" + i + "]";
            if (absent(item)) {
                problems.add(itemKey + " is empty: a list may not hold empty entries");
                failed = true;
                continue;
            }
            Object value = read(element, item, itemKey, null);
            failed |= value == null;
            out.add(value);
        }
        return failed ? null : List.copyOf(out);
    }

    private Map<String, String> readMap(JsonNode node, String key) {
        if (!node.isObject()) {
            problems.add(key + " must be a mapping of name to value");
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        boolean failed = false;
        var fields = node.fields();
        while (fields.hasNext()) {
            var field = fields.next();
            if (absent(field.getValue())) {
                continue; // null is absent here too: the entry's default applies
            }
            String text = scalar(field.getValue(), key + "." + field.getKey());
            failed |= text == null;
            out.put(field.getKey(), text);
        }
        return failed ? null : out;
    }

    /** A mapping of name to section (such as modalities by name); null when any entry had a problem. */
    private Map<String, Object> readRecordMap(Class<?> record, JsonNode node, String key) {
        if (!node.isObject()) {
            problems.add(key + " must be a mapping of name to " + String.join(", ", names(record)));
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        boolean failed = false;
        var fields = node.fields();
        while (fields.hasNext()) {
            var field = fields.next();
            String entryKey = key + "." + field.getKey();
            if (absent(field.getValue())) {
                problems.add(entryKey + " is empty: give its " + String.join(", ", names(record)));
                failed = true;
                continue;
            }
            Object value = readRecord(record, field.getValue(), entryKey);
            failed |= value == null;
            out.put(field.getKey(), value);
        }
        return failed ? null : out;
    }

    /** A JSON object as written (YAML mapping), or JSON text holding one. */
    private ObjectNode readObject(JsonNode node, String key) {
        JsonNode value = node;
        if (node.isTextual()) {
            try {
                value = YAML.readTree(node.asText());
            } catch (IOException e) {
                problems.add(key + " must be a JSON object; its text is not JSON: "
                        + e.getMessage().lines().findFirst().orElse(""));
                return null;
            }
        }
        if (!(value instanceof ObjectNode object)) {
            problems.add(key + " must be a JSON object (a mapping of option names to values)");
            return null;
        }
        return object.deepCopy();
    }

    /** Builds a record from values by component name (context components included). */
    static Object construct(Class<?> record, Map<String, Object> byName, String key) {
        RecordComponent[] components = record.getRecordComponents();
        Class<?>[] types = new Class<?>[components.length];
        Object[] args = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
            args[i] = byName.get(components[i].getName());
        }
        try {
            var constructor = record.getDeclaredConstructor(types);
            constructor.setAccessible(true);
            return constructor.newInstance(args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof IllegalArgumentException iae) {
                throw new ConfigException(message(key, iae.getMessage()));
            }
            throw new IllegalStateException("cannot build " + record.getSimpleName(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build " + record.getSimpleName(), e);
        }
    }

    private static Set<String> names(Class<?> record) {
        Set<String> names = new TreeSet<>();
        Declarations.settings(record).forEach(c -> names.add(c.getName()));
        return names;
    }

    private static boolean absent(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode();
    }

    /** "key must ...", "key: 'x' is ...", "key.sub ...". */
    static String message(String key, String detail) {
        if (detail.startsWith(".") || detail.startsWith(":") || detail.startsWith("[") || detail.startsWith(" ")) {
            return key + detail;
        }
        if (detail.startsWith("'")) {
            return key + ": " + detail;
        }
        return key + " " + detail;
    }

    private String shown(String key, String text) {
        return isSecret(key) ? "[secret]" : text;
    }

    private String shown(String key, String message, String value) {
        return isSecret(key) ? message.replace(value, "[secret]") : message;
    }

    private boolean isSecret(String key) {
        int dot = key.indexOf('.');
        return secretKeys.contains(dot < 0 ? key : key.substring(0, dot));
    }
}
