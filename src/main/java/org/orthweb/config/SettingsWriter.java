package org.orthweb.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.lang.reflect.RecordComponent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The serializer from typed configuration back to the values a user would write: the inverse of
 * {@link SettingsReader}, generic over the declarations (a new setting needs no code here).
 * Records become mappings of their {@link Setting} components, an empty {@code Optional} is left
 * out, domain types are written by their {@link Codecs codec}, maps in key order.
 */
public final class SettingsWriter {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private SettingsWriter() {
    }

    /**
     * The top-level values of a stack config by full key ("aws:region", "orthweb:network"), as
     * JSON; absent optional values, and sections that hold nothing else, are left out.
     */
    public static Map<String, JsonNode> topLevel(StackConfig config) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (RecordComponent c : Declarations.settings(StackConfig.class)) {
            JsonNode value = write(get(c, config));
            // a section with nothing set (only absent optional values) is left out like an absent key
            if (value != null && !(value.isObject() && value.isEmpty())) {
                out.put(Declarations.key(c, null), value);
            }
        }
        return out;
    }

    /** One value as JSON; null for an empty {@code Optional}. */
    public static JsonNode write(Object value) {
        if (value instanceof Optional<?> optional) {
            return optional.map(SettingsWriter::write).orElse(null);
        }
        if (value instanceof JsonNode node) {
            return node.deepCopy();
        }
        if (value instanceof String s) {
            return NODES.textNode(s);
        }
        if (value instanceof Integer i) {
            return NODES.numberNode(i);
        }
        if (value instanceof Boolean b) {
            return NODES.booleanNode(b);
        }
        if (value instanceof List<?> list) {
            ArrayNode array = NODES.arrayNode();
            list.forEach(item -> array.add(write(item)));
            return array;
        }
        if (value instanceof Map<?, ?> map) {
            ObjectNode object = NODES.objectNode();
            new TreeMap<>(map).forEach((k, v) -> object.set(String.valueOf(k), write(v)));
            return object;
        }
        if (value != null && Declarations.isSection(value.getClass())) {
            ObjectNode object = NODES.objectNode();
            for (RecordComponent c : Declarations.settings(value.getClass())) {
                JsonNode field = write(get(c, value));
                if (field != null) {
                    object.set(c.getName(), field);
                }
            }
            return object;
        }
        if (value != null) {
            @SuppressWarnings("unchecked")
            var codec = (Codecs.Codec<Object>) Codecs.of(value.getClass());
            if (codec != null) {
                return NODES.textNode(codec.format().apply(value));
            }
        }
        throw new IllegalArgumentException("no writer for a setting of type "
                + (value == null ? "null" : value.getClass().getName()) + "; add a codec to Codecs");
    }

    private static Object get(RecordComponent c, Object record) {
        try {
            var accessor = c.getAccessor();
            accessor.setAccessible(true);
            return accessor.invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + c.getName(), e);
        }
    }
}
