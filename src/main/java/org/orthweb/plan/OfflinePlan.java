package org.orthweb.plan;

import com.pulumi.core.Output;
import com.pulumi.core.internal.Internal;
import com.pulumi.resources.Resource;
import com.pulumi.resources.ResourceTransformation;
import com.pulumi.test.PulumiTest;
import com.pulumi.test.TestOptions;
import com.pulumi.test.TestResult;
import org.orthweb.OrthwebProgram;
import org.orthweb.config.StackConfig;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real program under Pulumi's mock engine, with no AWS account and no Pulumi CLI: the
 * same {@link OrthwebProgram#define} that {@code pulumi up} runs, with {@link PlanMocks} standing
 * in for the providers.
 */
public final class OfflinePlan {

    /**
     * The mock engine logs program failures with stack traces; the plan reports them itself in
     * one line. Held in a field: java.util.logging keeps loggers only weakly.
     */
    private static final java.util.logging.Logger PULUMI_LOGGER = java.util.logging.Logger.getLogger("com.pulumi");

    private OfflinePlan() {
    }

    /**
     * @throws PlanFailedException when the program itself fails under the mock engine
     */
    public static Plan run(StackConfig config) {
        PULUMI_LOGGER.setLevel(java.util.logging.Level.OFF);
        org.orthweb.CommonPool.ensureParallelism();
        PlanMocks mocks = new PlanMocks(config.region(), config.stack());
        // resource options are not in the mock engine's registrations: record protect on the way
        Set<String> protectedNames = ConcurrentHashMap.newKeySet();
        ResourceTransformation recordProtect = args -> {
            if (args.options().getProtect().orElse(false)) {
                protectedNames.add(args.resource().pulumiResourceName());
            }
            return Optional.empty();
        };
        TestResult result;
        try {
            result = PulumiTest.withMocks(mocks)
                    .withOptions(TestOptions.builder()
                            .projectName(OrthwebProgram.PROJECT)
                            .stackName(config.stack())
                            .preview(false)
                            .resourceTransformations(List.of(recordProtect))
                            .build())
                    .runTest(ctx -> OrthwebProgram.define(ctx, config));
            if (!result.exceptions().isEmpty() || !result.errors().isEmpty()) {
                throw new PlanFailedException(describe(result));
            }
            Map<String, String> parents = parentsByName(result.resources());
            List<Plan.PlannedResource> resources = new ArrayList<>();
            for (PlanMocks.Registration r : mocks.registrations()) {
                @SuppressWarnings("unchecked")
                Map<String, Object> inputs = (Map<String, Object>) Masking.mask(Masking.normalise(r.inputs()));
                @SuppressWarnings("unchecked")
                Map<String, Object> computed = (Map<String, Object>) Masking.mask(Masking.normalise(r.computed()));
                resources.add(new Plan.PlannedResource(r.type(), r.name(),
                        parents.get(r.type() + "::" + r.name()), inputs, r.id(), computed, Set.of()));
            }
            Map<String, Object> outputs = new LinkedHashMap<>();
            for (var entry : new java.util.TreeMap<>(result.outputs()).entrySet()) {
                outputs.put(entry.getKey(), outputValue(entry.getValue()));
            }
            List<Plan.PlannedResource> marked = resources.stream()
                    .map(r -> r.withMarkers(Markers.of(r, resources, outputs, protectedNames.contains(r.name()))))
                    .toList();
            return new Plan(config.stack(), treeOrder(marked), outputs);
        } finally {
            PulumiTest.cleanup();
        }
    }

    private static Object outputValue(Output<?> output) {
        try {
            var internal = Internal.of(output);
            boolean secret = internal.isSecret().get(30, TimeUnit.SECONDS);
            Object value = internal.getDataAsync().get(30, TimeUnit.SECONDS).getValueNullable();
            return secret ? Plan.SECRET : Masking.mask(Masking.normalise(value));
        } catch (Exception e) {
            throw new PlanFailedException("could not resolve a stack output: " + e.getMessage());
        }
    }

    /**
     * The engine sees registrations in whatever order their inputs resolve; the plan lists them
     * depth-first by parent, siblings by name, so that two plans of one stack are identical.
     */
    private static List<Plan.PlannedResource> treeOrder(List<Plan.PlannedResource> resources) {
        List<Plan.PlannedResource> ordered = new ArrayList<>();
        addChildren(resources, null, ordered);
        if (ordered.size() != resources.size()) {
            throw new PlanFailedException("the resource tree is inconsistent: " + resources.size() + " registered, "
                    + ordered.size() + " reachable from the stack");
        }
        return List.copyOf(ordered);
    }

    private static void addChildren(List<Plan.PlannedResource> all, String parent, List<Plan.PlannedResource> out) {
        all.stream().filter(r -> java.util.Objects.equals(r.parent(), parent))
                .sorted(java.util.Comparator.comparing(Plan.PlannedResource::name))
                .forEach(r -> {
                    out.add(r);
                    addChildren(all, r.name(), out);
                });
    }

    /** Parent of each resource, by "type::name", from the components' child sets. */
    private static Map<String, String> parentsByName(List<Resource> resources) {
        Map<String, String> parents = new LinkedHashMap<>();
        for (Resource resource : resources) {
            for (Resource child : resource.pulumiChildResources()) {
                parents.put(child.pulumiResourceType() + "::" + child.pulumiResourceName(), resource.pulumiResourceName());
            }
        }
        return parents;
    }

    private static String describe(TestResult result) {
        List<String> lines = new ArrayList<>();
        result.errors().forEach(e -> lines.add(e.lines().findFirst().orElse(e)));
        for (Exception e : result.exceptions()) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            String message = root.getMessage() == null ? "" : root.getMessage().lines().findFirst().orElse("");
            lines.add(root.getClass().getSimpleName() + ": " + message);
        }
        return "the program failed under the mock engine: " + String.join("; ", lines);
    }

    /** The program failed (a bug, not bad input): reported without a stack trace. */
    public static final class PlanFailedException extends RuntimeException {
        public PlanFailedException(String message) {
            super(message);
        }
    }
}
