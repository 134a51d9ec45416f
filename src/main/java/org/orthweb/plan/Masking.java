package org.orthweb.plan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Makes mock-engine values presentable and safe: the engine hands inputs with every number as a
 * double and secrets unwrapped, so integral doubles become integers and any string carrying the
 * secret marker (a generated secret, or a value derived from one such as a JSON credential, or a
 * {@code secure:} config value) becomes {@link Plan#SECRET}.
 */
final class Masking {

    private Masking() {
    }

    static Object normalise(Object value) {
        return walk(value, v -> v instanceof Double d && d == Math.rint(d) && !d.isInfinite() && Math.abs(d) < 1e15
                ? (Object) d.longValue() : v);
    }

    static Object mask(Object value) {
        return walk(value, v -> v instanceof String s && s.contains(PlanMocks.SECRET_MARKER) ? Plan.SECRET : v);
    }

    /** Copies maps and lists, applying {@code leaf} to every other value. */
    private static Object walk(Object value, UnaryOperator<Object> leaf) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), walk(v, leaf)));
            return out;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            list.forEach(v -> out.add(walk(v, leaf)));
            return out;
        }
        return leaf.apply(value);
    }
}
