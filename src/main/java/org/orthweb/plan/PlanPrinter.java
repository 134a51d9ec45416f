package org.orthweb.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Renders a {@link Plan} as one JSON document or as a readable tree. */
public final class PlanPrinter {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** Inputs too bulky for the summary (they are in the JSON). */
    private static final List<String> BULKY = List.of("policy", "assumeRolePolicy", "userData", "tags", "secretString");

    private PlanPrinter() {
    }

    public static String json(Plan plan) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("stack", plan.stack());
        doc.put("resources", plan.resources().stream().map(r -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", r.type());
            m.put("name", r.name());
            m.put("parent", r.parent());
            m.put("id", r.id());
            m.put("inputs", new TreeMap<>(r.inputs()));
            m.put("computed", new TreeMap<>(r.computed()));
            return m;
        }).toList());
        doc.put("outputs", plan.outputs());
        try {
            return JSON.writeValueAsString(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Resource tree by component, each with its short scalar settings, then the outputs. */
    public static String text(Plan plan) {
        StringBuilder out = new StringBuilder();
        out.append("Offline plan of stack '").append(plan.stack()).append("' (mock engine; no AWS account used)\n\n");
        tree(plan, null, 1, out);
        Map<String, Integer> perType = new TreeMap<>();
        plan.resources().forEach(r -> perType.merge(r.type(), 1, Integer::sum));
        out.append("\n").append(plan.resources().size()).append(" resources:\n");
        perType.forEach((type, count) -> out.append(String.format("  %3d  %s%n", count, type)));
        out.append("\nOutputs:\n");
        plan.outputs().forEach((k, v) -> out.append("  ").append(k).append(": ").append(v).append('\n'));
        return out.toString();
    }

    private static void tree(Plan plan, String parent, int depth, StringBuilder out) {
        for (Plan.PlannedResource r : plan.childrenOf(parent)) {
            out.append("  ".repeat(depth)).append(r.type().startsWith("orthweb:") ? "+ " : "- ")
                    .append(r.name()).append("  (").append(r.type()).append(")\n");
            String settings = settings(r.inputs());
            if (!settings.isEmpty()) {
                out.append("  ".repeat(depth + 2)).append(settings).append('\n');
            }
            tree(plan, r.name(), depth + 1, out);
        }
    }

    private static String settings(Map<String, Object> inputs) {
        StringBuilder s = new StringBuilder();
        new TreeMap<>(inputs).forEach((k, v) -> {
            if (BULKY.contains(k) || k.startsWith("__")) {
                return;
            }
            String text = String.valueOf(v);
            if (text.length() > 70) {
                text = text.substring(0, 67) + "...";
            }
            if (s.length() > 0) {
                s.append(", ");
            }
            s.append(k).append('=').append(text);
        });
        return s.toString();
    }
}
