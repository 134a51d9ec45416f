package org.orthweb.plan;

import java.util.List;
import java.util.Map;

/**
 * What the offline plan found: every resource the program registers, with its inputs as the
 * engine would receive them, and the stack outputs. Secret values are already masked.
 *
 * @param stack     stack name
 * @param resources in registration order
 * @param outputs   stack outputs by name
 */
public record Plan(String stack, List<PlannedResource> resources, Map<String, Object> outputs) {

    /** The string that stands for every secret value in a plan. */
    public static final String SECRET = "[secret]";

    /**
     * @param type    Pulumi type token
     * @param name    logical name
     * @param parent  logical name of the parent resource, or null at the top of the stack
     * @param inputs  inputs with secrets masked
     * @param id       the placeholder id the mock provider assigned
     * @param computed attributes the provider computes (ARN, endpoint...), as placeholders
     * @param markers  what a reader must notice (internet-facing, patient data, protect, cost);
     *                 see {@link Markers}
     */
    public record PlannedResource(String type, String name, String parent, Map<String, Object> inputs, String id,
                                  Map<String, Object> computed, java.util.Set<Marker> markers) {

        public PlannedResource {
            markers = markers.isEmpty() ? java.util.Set.of() : java.util.Collections.unmodifiableSet(
                    java.util.EnumSet.copyOf(markers));
        }

        /** The same resource with these markers. */
        PlannedResource withMarkers(java.util.Set<Marker> set) {
            return new PlannedResource(type, name, parent, inputs, id, computed, set);
        }

        /** An input or computed attribute (inputs win), or null. */
        public Object get(String key) {
            return inputs.containsKey(key) ? inputs.get(key) : computed.get(key);
        }
    }

    /** Direct children of the named resource (null: the top level), in registration order. */
    public List<PlannedResource> childrenOf(String parent) {
        return resources.stream().filter(r -> java.util.Objects.equals(r.parent(), parent)).toList();
    }

    public List<PlannedResource> ofType(String type) {
        return resources.stream().filter(r -> r.type().equals(type)).toList();
    }

    public PlannedResource named(String name) {
        return resources.stream().filter(r -> r.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no resource named " + name));
    }
}
