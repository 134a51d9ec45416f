package org.orthweb.plan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
        if (value instanceof Double d && d == Math.rint(d) && !d.isInfinite() && Math.abs(d) < 1e15) {
            return d.longValue();
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), normalise(v)));
            return out;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            list.forEach(v -> out.add(normalise(v)));
            return out;
        }
        return value;
    }

    static Object mask(Object value) {
        if (value instanceof String s && s.contains(PlanMocks.SECRET_MARKER)) {
            return Plan.SECRET;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), mask(v)));
            return out;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            list.forEach(v -> out.add(mask(v)));
            return out;
        }
        return value;
    }
}
