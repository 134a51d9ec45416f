package org.orthweb.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.orthweb.cost.CostEstimate;

/**
 * Renders a {@link Plan} as one JSON document (everything) or as a tree for people: a legend,
 * {@code +} for each resource (an offline plan has no state, so every resource is created),
 * its {@link Marker}s, and its settings with full values, policy documents summarised statement
 * by statement, tags as key=value and user data by size. {@link Options#wide()} prints every
 * input exactly as in the JSON instead of summarising.
 */
public final class PlanPrinter {

    /**
     * How the text is printed.
     *
     * @param wide     every input exactly as in the JSON
     * @param costs    per-resource monthly figures for the {@code [cost]} markers
     * @param estimate the stack's monthly cost summary printed after the resources, or null
     */
    public record Options(boolean wide, ResourceCosts costs, CostEstimate estimate) {
        public static final Options DEFAULT = new Options(false, ResourceCosts.NONE, null);

        public Options(boolean wide, ResourceCosts costs) {
            this(wide, costs, null);
        }

        /** Markers and summary from one estimate. */
        public static Options of(boolean wide, CostEstimate estimate) {
            return new Options(wide, ResourceCosts.of(estimate), estimate);
        }
    }

    /** The legend printed above every text plan; one line per symbol. */
    public static final List<String> LEGEND = legend();

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final ObjectMapper COMPACT = new ObjectMapper();
    private static final int WIDTH = 110;
    private static final String USER_DATA = "userData";

    private PlanPrinter() {
    }

    private static List<String> legend() {
        List<String> lines = new ArrayList<>();
        lines.add(String.format("  %-11s %s", "+", "create (an offline plan has no state: everything is new here; "
                + "`preview` compares with the real stack)"));
        for (Marker m : Marker.values()) {
            lines.add(String.format("  %-11s %s", "[" + m.label() + "]", m.meaning()));
        }
        lines.add("  Settings show full values; policies are summarised per statement (effect, actions, principal,");
        lines.add("  resources, conditions), user data by size (`render` writes it out); --wide or --json show all.");
        return List.copyOf(lines);
    }

    public static String json(Plan plan) {
        return json(plan, ResourceCosts.NONE);
    }

    /**
     * One JSON document with the cost estimate: each resource's {@code monthlyCost} and a top-level
     * {@code monthlyCost} {priceRegion, priceDate, stackRegion, currency, lines, totalUsd,
     * usageCharges, unpriced}.
     */
    public static String json(Plan plan, CostEstimate estimate) {
        return json(plan, ResourceCosts.of(estimate), estimate, Map.of());
    }

    /**
     * The same, with where the hosts' image comes from as {@code hostImage} ({@link HostImage#json})
     * and, per modality called over DICOM TLS, when its {@code caCertificate} expires as
     * {@code modalityCaExpiry} (name to ISO-8601 instant).
     */
    public static String json(Plan plan, CostEstimate estimate, HostImage hostImage,
                              Map<String, java.time.Instant> modalityCaExpiry) {
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("hostImage", hostImage.json());
        Map<String, String> expiry = new LinkedHashMap<>();
        modalityCaExpiry.forEach((name, at) -> expiry.put(name, at.toString()));
        extra.put("modalityCaExpiry", expiry);
        return json(plan, ResourceCosts.of(estimate), estimate, extra);
    }

    /** One JSON document: {stack, legend, resources (with markers and monthlyCost), outputs}. */
    public static String json(Plan plan, ResourceCosts costs) {
        return json(plan, costs, null, Map.of());
    }

    private static String json(Plan plan, ResourceCosts costs, CostEstimate estimate, Map<String, Object> extra) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("stack", plan.stack());
        Map<String, String> legend = new LinkedHashMap<>();
        for (Marker m : Marker.values()) {
            legend.put(m.label(), m.meaning());
        }
        doc.put("legend", legend);
        doc.put("resources", plan.resources().stream().map(r -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", r.type());
            m.put("name", r.name());
            m.put("parent", r.parent());
            m.put("id", r.id());
            m.put("markers", r.markers().stream().map(Marker::label).toList());
            m.put("monthlyCost", r.markers().contains(Marker.COST) ? costs.monthlyUsd(r).orElse(null) : null);
            m.put("inputs", new TreeMap<>(r.inputs()));
            m.put("computed", new TreeMap<>(r.computed()));
            return m;
        }).toList());
        doc.put("outputs", plan.outputs());
        doc.putAll(extra);
        if (estimate != null) {
            Map<String, Object> cost = new LinkedHashMap<>();
            cost.put("priceRegion", estimate.priceRegion());
            cost.put("priceDate", estimate.priceDate());
            cost.put("stackRegion", estimate.stackRegion());
            cost.put("currency", "USD");
            cost.put("lines", estimate.lines());
            cost.put("totalUsd", estimate.totalUsd());
            cost.put("usageCharges", estimate.usageCharges());
            cost.put("unpriced", estimate.unpriced());
            doc.put("monthlyCost", cost);
        }
        try {
            return JSON.writeValueAsString(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String text(Plan plan) {
        return text(plan, Options.DEFAULT);
    }

    /** Legend, resource tree by component with markers and settings, counts, then the outputs. */
    public static String text(Plan plan, Options options) {
        StringBuilder out = new StringBuilder();
        out.append("Offline plan of stack '").append(plan.stack()).append("' (mock engine; no AWS account used)\n\n");
        out.append("Legend:\n");
        LEGEND.forEach(l -> out.append(l).append('\n'));
        out.append('\n');
        tree(plan, null, 0, options, out);

        Map<String, Integer> perType = new TreeMap<>();
        plan.resources().forEach(r -> perType.merge(r.type(), 1, Integer::sum));
        out.append("\n").append(plan.resources().size()).append(" resources to create:\n");
        perType.forEach((type, count) -> out.append(String.format("  %3d  %s%n", count, type)));
        out.append("\nMarked:");
        for (Marker m : Marker.values()) {
            long n = plan.resources().stream().filter(r -> r.markers().contains(m)).count();
            out.append(' ').append('[').append(m.label()).append("] ").append(n);
        }
        if (options.estimate() != null) {
            out.append("\n\n").append(costSummary(options.estimate()));
        }
        out.append("\n\nOutputs:\n");
        plan.outputs().forEach((k, v) -> out.append("  ").append(k).append(": ").append(v).append('\n'));
        return out.toString();
    }

    /**
     * The estimate as text: the total ("at least" when a kind has no price), one line per priced
     * kind, what is charged by use, and the kinds without a price.
     */
    public static String costSummary(CostEstimate e) {
        StringBuilder out = new StringBuilder();
        // a kind without a price is left out of the total, so the total is then only a floor
        out.append(String.format(Locale.ROOT, "Estimated fixed monthly cost: %s$%.2f (on-demand list prices of %s, %s%s)%n",
                e.unpriced().isEmpty() ? "" : "at least ", e.totalUsd(), e.priceRegion(), e.priceDate(), e.stackRegion().equals(e.priceRegion()) ? ""
                        : "; the stack deploys to " + e.stackRegion() + ", whose prices differ"));
        for (CostEstimate.Line l : e.lines()) {
            out.append(String.format(Locale.ROOT, "  %9.2f  %s (%s)%n", l.monthlyUsd(), l.kind(), l.quantityText()));
        }
        out.append("  Not included, charged by use: ").append(String.join("; ", e.usageCharges())).append('.');
        if (!e.unpriced().isEmpty()) {
            out.append("\n  No price in the table for: ").append(String.join(", ", e.unpriced()))
                    .append(" (the total leaves them out).");
        }
        return out.toString();
    }

    private static void tree(Plan plan, String parent, int depth, Options options, StringBuilder out) {
        for (Plan.PlannedResource r : plan.childrenOf(parent)) {
            String indent = "  ".repeat(depth);
            out.append(indent).append("+ ").append(r.name()).append("  (").append(r.type()).append(')');
            for (Marker m : r.markers()) {
                out.append(" [").append(m.label());
                if (m == Marker.COST) {
                    options.costs().monthlyUsd(r).ifPresent(usd ->
                            out.append(String.format(Locale.ROOT, " ~$%.2f/month", usd)));
                }
                out.append(']');
            }
            out.append('\n');
            String settingsIndent = indent + "      ";
            for (String line : settings(r.inputs(), options.wide(), WIDTH - settingsIndent.length())) {
                out.append(settingsIndent).append(line).append('\n');
            }
            tree(plan, r.name(), depth + 1, options, out);
        }
    }

    /**
     * The settings of a resource as lines: scalars and small structures as {@code key=value}
     * (full values, wrapped between settings), then one block per tag map, policy document and
     * user data. Engine-internal keys ({@code __...}) are left out.
     */
    static List<String> settings(Map<String, Object> inputs, boolean wide, int width) {
        List<String> plain = new ArrayList<>();
        List<String> blocks = new ArrayList<>();
        new TreeMap<>(inputs).forEach((key, value) -> {
            if (key.startsWith("__")) {
                return;
            }
            if (wide) {
                plain.add(key + "=" + value);
                return;
            }
            Optional<List<Map<String, Object>>> statements = policyStatements(value);
            if (statements.isPresent()) {
                blocks.add(key + ": " + statements.get().size() + " statement" + (statements.get().size() == 1 ? "" : "s"));
                statements.get().forEach(s -> blocks.add("  " + statement(s)));
            } else if (key.equals("tags") && value instanceof Map<?, ?> tags) {
                blocks.add("tags: " + keyValues(tags));
            } else if (key.equals("defaultTags") && defaultTags(value).isPresent()) {
                blocks.add("defaultTags (on every resource): " + keyValues(defaultTags(value).get()));
            } else if (key.equals(USER_DATA) && value instanceof String text) {
                blocks.add(USER_DATA + ": " + text.length() + " characters (base64 of gzip cloud-init; "
                        + "`render --out DIR` writes it out)");
            } else {
                plain.add(key + "=" + value);
            }
        });
        List<String> lines = wrap(plain, width);
        lines.addAll(blocks);
        return lines;
    }

    /** Joins settings with ", " into lines of at most {@code width}, never cutting one. */
    private static List<String> wrap(List<String> items, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String item : items) {
            if (line.length() > 0 && line.length() + 2 + item.length() > width) {
                lines.add(line.append(',').toString());
                line = new StringBuilder();
            } else if (line.length() > 0) {
                line.append(", ");
            }
            line.append(item);
        }
        if (line.length() > 0) {
            lines.add(line.toString());
        }
        return lines;
    }

    private static String keyValues(Map<?, ?> map) {
        List<String> pairs = new ArrayList<>();
        new TreeMap<>(map).forEach((k, v) -> pairs.add(k + "=" + v));
        return String.join(", ", pairs);
    }

    /** A provider's default tags, which the engine hands over as JSON text {"tags": {...}}. */
    private static Optional<Map<String, Object>> defaultTags(Object value) {
        if (!(value instanceof String text) || !text.startsWith("{")) {
            return Optional.empty();
        }
        try {
            Map<String, Object> doc = COMPACT.readValue(text, new TypeReference<Map<String, Object>>() {
            });
            @SuppressWarnings("unchecked")
            Map<String, Object> tags = doc.get("tags") instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
            return Optional.ofNullable(tags);
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    /** The statements of an IAM, bucket or key policy given as JSON text; empty for anything else. */
    static Optional<List<Map<String, Object>>> policyStatements(Object value) {
        if (!(value instanceof String text) || !text.startsWith("{") || !text.contains("\"Statement\"")) {
            return Optional.empty();
        }
        try {
            Map<String, Object> doc = COMPACT.readValue(text, new TypeReference<Map<String, Object>>() {
            });
            Object statements = doc.get("Statement");
            List<?> list = statements instanceof List<?> l ? l : statements == null ? List.of() : List.of(statements);
            List<Map<String, Object>> out = new ArrayList<>();
            for (Object s : list) {
                if (!(s instanceof Map<?, ?>)) {
                    return Optional.empty();
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> statement = (Map<String, Object>) s;
                out.add(statement);
            }
            return Optional.of(out);
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    /** "Allow a, b to P on R if Condition (Sid)": every part of the statement, compactly. */
    static String statement(Map<String, Object> s) {
        StringBuilder text = new StringBuilder(String.valueOf(s.getOrDefault("Effect", "?")));
        text.append(' ').append(list(s.containsKey("Action") ? s.get("Action") : s.get("NotAction")));
        if (s.containsKey("NotAction")) {
            text.insert(text.indexOf(" ") + 1, "all but ");
        }
        if (s.containsKey("Principal")) {
            text.append(" to ").append(principal(s.get("Principal")));
        }
        if (s.containsKey("Resource")) {
            text.append(" on ").append(list(s.get("Resource")));
        }
        if (s.get("Condition") instanceof Map<?, ?> conditions && !conditions.isEmpty()) {
            List<String> parts = new ArrayList<>();
            new TreeMap<>(conditions).forEach((operator, entries) -> {
                if (entries instanceof Map<?, ?> m) {
                    new TreeMap<>(m).forEach((k, v) -> parts.add(operator + " " + k + "=" + list(v)));
                }
            });
            text.append(" if ").append(String.join(" and ", parts));
        }
        if (s.containsKey("Sid")) {
            text.append(" (").append(s.get("Sid")).append(')');
        }
        return text.toString();
    }

    private static String principal(Object principal) {
        if (principal instanceof Map<?, ?> m) {
            List<String> parts = new ArrayList<>();
            new TreeMap<>(m).forEach((kind, who) -> parts.add(kind + " " + list(who)));
            return String.join(", ", parts);
        }
        return String.valueOf(principal);
    }

    private static String list(Object value) {
        return value instanceof List<?> l ? String.join(", ", l.stream().map(String::valueOf).toList())
                : String.valueOf(value);
    }
}
