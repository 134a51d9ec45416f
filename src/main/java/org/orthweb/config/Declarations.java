package org.orthweb.config;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads the declarations ({@link Setting}, {@link Default}, {@link Range}, {@link Check}) of the
 * configuration records: the keys, their types and what the README table shows. Supported types:
 * {@code String}, {@code int}/{@code Integer}, {@code boolean}/{@code Boolean}, domain types of
 * {@link Codecs}, nested records (sections), {@code Optional<T>} (an optional value or section),
 * {@code List<T>} (of scalars or of records), {@code Map<String, String>}, {@code Map<String, R>} of
 * records (entries by name) and {@code ObjectNode} (a JSON object taken as written).
 */
public final class Declarations {

    /** The namespace of this program's keys. */
    public static final String NAMESPACE = "orthweb";

    private Declarations() {
    }

    /** One row of the configuration reference. */
    public record Row(String key, String type, String allowed, String devDefault, String hardenedDefault,
                      boolean secret, String description) {
    }

    /** The components of a configuration record that are settings (others are context). */
    public static List<RecordComponent> settings(Class<?> record) {
        List<RecordComponent> out = new ArrayList<>();
        for (RecordComponent c : record.getRecordComponents()) {
            if (c.isAnnotationPresent(Setting.class)) {
                out.add(c);
            }
        }
        return out;
    }

    /** "orthweb:network" for a top-level component ({@code parent} null), else "parent.name". */
    public static String key(RecordComponent c, String parent) {
        if (parent != null) {
            return parent + "." + c.getName();
        }
        String explicit = c.getAnnotation(Setting.class).key();
        return explicit.isEmpty() ? NAMESPACE + ":" + c.getName() : explicit;
    }

    /** Top-level keys of {@link StackConfig}, as written in stack files. */
    public static Set<String> topLevelKeys() {
        return settings(StackConfig.class).stream().map(c -> key(c, null))
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /** Top-level keys that may be stored as secrets: those holding a setting declared secret. */
    public static Set<String> secretAllowedKeys() {
        Set<String> keys = new LinkedHashSet<>();
        for (RecordComponent c : settings(StackConfig.class)) {
            if (holdsSecret(c.getGenericType(), c.getAnnotation(Setting.class))) {
                keys.add(key(c, null));
            }
        }
        return keys;
    }

    private static boolean holdsSecret(Type type, Setting setting) {
        if (setting.secret()) {
            return true;
        }
        Class<?> record = recordIn(type);
        return record != null && settings(record).stream()
                .anyMatch(c -> holdsSecret(c.getGenericType(), c.getAnnotation(Setting.class)));
    }

    /** The record type in {@code T}, {@code Optional<T>} or {@code List<T>}, or null. */
    static Class<?> recordIn(Type type) {
        Class<?> raw = raw(type);
        if (Declarations.isSection(raw)) {
            return raw;
        }
        if (raw == Optional.class || raw == List.class || raw == Map.class) {
            Class<?> inner = raw(argument(type, raw == Map.class ? 1 : 0));
            return Declarations.isSection(inner) ? inner : null;
        }
        return null;
    }

    /** A record that is a section (a mapping of settings), not a domain type with a codec. */
    static boolean isSection(Class<?> type) {
        return type.isRecord() && Codecs.of(type) == null;
    }

    static Class<?> raw(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        return (Class<?>) ((ParameterizedType) type).getRawType();
    }

    static Type argument(Type type, int index) {
        return ((ParameterizedType) type).getActualTypeArguments()[index];
    }

    /** Every row of the configuration reference, in declaration order, sections flattened. */
    public static List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        addRows(StackConfig.class, null, false, rows);
        return rows;
    }

    private static void addRows(Class<?> record, String parent, boolean inOptional, List<Row> rows) {
        for (RecordComponent c : settings(record)) {
            String key = key(c, parent);
            Type type = c.getGenericType();
            Class<?> raw = raw(type);
            Setting s = c.getAnnotation(Setting.class);
            if (Declarations.isSection(raw)) {
                addRows(raw, key, inOptional, rows);
                continue;
            }
            if (raw == Optional.class && Declarations.isSection(raw(argument(type, 0)))) {
                rows.add(new Row(key, "optional section", "", "absent", "absent", false, s.value()));
                addRows(raw(argument(type, 0)), key, true, rows);
                continue;
            }
            if (raw == List.class && Declarations.isSection(raw(argument(type, 0)))) {
                rows.add(new Row(key, "list of mappings", allowed(c), defaultText(c, false), defaultText(c, true),
                        false, s.value()));
                addRows(raw(argument(type, 0)), key + "[]", true, rows);
                continue;
            }
            if (raw == Map.class && Declarations.isSection(raw(argument(type, 1)))) {
                rows.add(new Row(key, "mapping of name to mapping", allowed(c), defaultText(c, false), defaultText(c, true),
                        false, s.value()));
                addRows(raw(argument(type, 1)), key + ".<name>", true, rows);
                continue;
            }
            rows.add(new Row(raw == Map.class ? key + ".<name>" : key, typeLabel(type), allowed(c),
                    defaultText(c, false), defaultText(c, true), s.secret(), s.value()));
        }
    }

    /** What the README calls a type. */
    static String typeLabel(Type type) {
        Class<?> raw = raw(type);
        if (raw == String.class) {
            return "text";
        }
        if (raw == int.class || raw == Integer.class) {
            return "whole number";
        }
        if (raw == boolean.class || raw == Boolean.class) {
            return "true/false";
        }
        if (raw == Optional.class) {
            return "optional " + typeLabel(argument(type, 0));
        }
        if (raw == List.class) {
            return "list of " + typeLabel(argument(type, 0));
        }
        if (raw == Map.class) {
            return "text per name";
        }
        if (raw == com.fasterxml.jackson.databind.node.ObjectNode.class) {
            return "JSON object";
        }
        if (Declarations.isSection(raw)) {
            return "mapping";
        }
        var codec = Codecs.of(raw);
        if (codec == null) {
            throw new IllegalStateException("no reader for setting type " + type + "; add a codec to Codecs");
        }
        return codec.label();
    }

    /** The rules' descriptions, joined. */
    static String allowed(RecordComponent c) {
        List<String> parts = new ArrayList<>();
        Range range = c.getAnnotation(Range.class);
        if (range != null) {
            parts.add(range.min() + "-" + range.max());
        }
        if (c.getType() == Environment.class) {
            parts.add("one of " + Environment.allowed());
        }
        for (Rule<?> rule : rules(c)) {
            parts.add(rule.allowed());
        }
        return String.join("; ", parts);
    }

    static List<Rule<?>> rules(RecordComponent c) {
        Check check = c.getAnnotation(Check.class);
        List<Rule<?>> rules = new ArrayList<>();
        if (check != null) {
            for (Class<? extends Rule<?>> type : check.value()) {
                try {
                    rules.add(type.getDeclaredConstructor().newInstance());
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("rule " + type.getName() + " needs a public no-argument constructor", e);
                }
            }
        }
        return rules;
    }

    /** The default as the README shows it. */
    static String defaultText(RecordComponent c, boolean hardened) {
        String text = defaultFor(c, hardened);
        if (text == null) {
            return raw(c.getGenericType()) == Optional.class ? "none" : "required";
        }
        if (text.equals(Default.REQUIRED)) {
            return "required";
        }
        if (text.startsWith("${")) {
            return "`" + text.substring(2, text.length() - 1) + "`";
        }
        return "`" + text + "`";
    }

    /** The declared default text for a profile, {@link Default#REQUIRED}, or null when none. */
    static String defaultFor(RecordComponent c, boolean hardened) {
        Default d = c.getAnnotation(Default.class);
        if (d == null) {
            return null;
        }
        return hardened && !d.hardened().equals(Default.SAME) ? d.hardened() : d.value();
    }

    /** The configuration reference as a Markdown table (the README's, checked by a test). */
    public static String markdownTable() {
        StringBuilder out = new StringBuilder();
        out.append("| key | type | allowed | dev / tst default | prd / stg default | what it sets |\n");
        out.append("|---|---|---|---|---|---|\n");
        for (Row row : rows()) {
            out.append("| `").append(row.key()).append("` | ").append(row.type()).append(row.secret() ? " (may be secret)" : "")
                    .append(" | ").append(row.allowed()).append(" | ").append(row.devDefault())
                    .append(" | ").append(row.hardenedDefault()).append(" | ").append(row.description()).append(" |\n");
        }
        return out.toString();
    }
}
