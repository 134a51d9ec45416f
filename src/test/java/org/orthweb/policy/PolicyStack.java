package org.orthweb.policy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pulumi.resources.ResourceTransformation;
import com.pulumi.test.Mocks;
import com.pulumi.test.PulumiTest;
import com.pulumi.test.TestOptions;
import com.pulumi.test.TestResult;
import org.orthweb.OrthwebProgram;
import org.orthweb.config.ConfigParser;
import org.orthweb.config.RawConfig;
import org.orthweb.config.StackConfig;
import org.orthweb.plan.OfflinePlan;
import org.orthweb.plan.Plan;
import org.orthweb.plan.PlanMocks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One stack file under policy test: its parsed config, the offline {@link Plan} (resource inputs
 * as the engine receives them), and what the plan does not carry: the id and provider-computed
 * attributes (ARNs) the mocks answered for each resource, so that a test can check that one
 * resource references another, and the resource options ({@code protect},
 * {@code retainOnDelete}), recorded by a stack transformation. Built once per stack file and
 * cached for the whole test run.
 */
final class PolicyStack {

    private static final Pattern STACK_FILE = Pattern.compile("Pulumi\\.([^.]+)\\.ya?ml");
    private static final Map<String, PolicyStack> CACHE = new ConcurrentHashMap<>();
    /** The mock engine keeps global state: one program run at a time. */
    private static final Object ENGINE = new Object();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the mocks answered for one resource, and the options it was registered with. */
    record Facts(String id, Map<String, Object> state, boolean protect, boolean retainOnDelete,
                 List<String> ignoreChanges, String provider) {
    }

    private final String stack;
    private final Path file;
    private final StackConfig config;
    private final Plan plan;
    private final Map<String, Facts> facts;

    private PolicyStack(String stack, Path file, StackConfig config, Plan plan, Map<String, Facts> facts) {
        this.stack = stack;
        this.file = file;
        this.config = config;
        this.plan = plan;
        this.facts = facts;
    }

    /** Project root: Maven runs tests from the module directory. */
    static Path projectRoot() {
        return Path.of("").toAbsolutePath();
    }

    /**
     * Where the stack files under test are: the project directory, or the directory named by the
     * system property {@value #STACK_DIR_PROPERTY} (a test that runs this suite over other files).
     */
    static Path stackDir() {
        String dir = System.getProperty(STACK_DIR_PROPERTY);
        return dir == null ? projectRoot() : Path.of(dir).toAbsolutePath();
    }

    static final String STACK_DIR_PROPERTY = "orthweb.policy.stackDir";

    /** Every stack file of the project ({@code Pulumi.<stack>.yaml}), discovered, not listed. */
    static List<String> stackNames() {
        try (Stream<Path> files = Files.list(stackDir())) {
            List<String> names = files.map(p -> STACK_FILE.matcher(p.getFileName().toString()))
                    .filter(Matcher::matches).map(m -> m.group(1)).sorted().toList();
            if (names.isEmpty()) {
                throw new IllegalStateException("no Pulumi.<stack>.yaml under " + stackDir());
            }
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Method source for parameterised tests: one argument per stack file. */
    static Stream<String> stacks() {
        return stackNames().stream();
    }

    static PolicyStack of(String stack) {
        synchronized (ENGINE) {
            // keyed by file: the same stack name may be run from another directory (see stackDir)
            return CACHE.computeIfAbsent(stackFile(stack).toString(), file -> load(stack));
        }
    }

    /** The stack files loaded so far in this JVM. */
    static java.util.Set<String> loadedFiles() {
        return java.util.Set.copyOf(CACHE.keySet());
    }

    /**
     * The stack file with {@code orthweb:vpn} added ({@link #VPN_SECTION}), so that a control about
     * what the VPN opens is checked against every stack file with the VPN on, not only off.
     */
    static PolicyStack withVpn(String stack) {
        synchronized (ENGINE) {
            // keyed by file, as of(): the same stack name may be run from another directory (see stackDir)
            Path file = stackFile(stack);
            return CACHE.computeIfAbsent(file + "+vpn", k -> {
                // merged as a key, not appended as text: a stack file need not end inside its config block
                RawConfig base = RawConfig.fromStackFile(file);
                Map<String, com.fasterxml.jackson.databind.JsonNode> values = new LinkedHashMap<>(base.values());
                values.putAll(RawConfig.fromStackYaml("config:\n" + VPN_SECTION, "the VPN section").values());
                StackConfig config = ConfigParser.parse(stack, new RawConfig(values, base.secretKeys()));
                return new PolicyStack(stack, file, config, OfflinePlan.run(config), record(config));
            });
        }
    }

    /** The VPN section {@link #withVpn} adds (a client block outside the shipped VPCs). */
    static final String VPN_SECTION = """
              orthweb:vpn:
                clientCidr: 10.250.0.0/22
                clients:
                  - name: alice
                  - name: ct-site-b
            """;

    private static PolicyStack load(String stack) {
        Path file = stackFile(stack);
        StackConfig config = ConfigParser.parse(stack, RawConfig.fromStackFile(file));
        Plan plan = OfflinePlan.run(config);
        return new PolicyStack(stack, file, config, plan, record(config));
    }

    private static Path stackFile(String stack) {
        for (String ext : List.of(".yaml", ".yml")) {
            Path p = stackDir().resolve("Pulumi." + stack + ext);
            if (Files.exists(p)) {
                return p;
            }
        }
        throw new IllegalArgumentException("no stack file for " + stack);
    }

    /**
     * Runs the program once more under the same mocks, recording each resource's mock answer
     * (id, ARN...) and its options. The mocks are deterministic, so ids equal those the offline
     * plan's inputs refer to.
     */
    private static Map<String, Facts> record(StackConfig config) {
        PlanMocks planMocks = new PlanMocks(config.region(), config.stack());
        Map<String, Mocks.ResourceResult> answers = new ConcurrentHashMap<>();
        Map<String, String> providers = new ConcurrentHashMap<>();
        Map<String, boolean[]> options = new ConcurrentHashMap<>();
        Map<String, List<String>> ignored = new ConcurrentHashMap<>();
        Mocks recording = new Mocks() {
            @Override
            public CompletableFuture<ResourceResult> newResourceAsync(ResourceArgs args) {
                return planMocks.newResourceAsync(args).thenApply(r -> {
                    answers.put(args.name, r);
                    if (args.provider != null) {
                        providers.put(args.name, args.provider);
                    }
                    return r;
                });
            }

            @Override
            public CompletableFuture<Map<String, Object>> callAsync(CallArgs args) {
                return planMocks.callAsync(args);
            }
        };
        ResourceTransformation recordOptions = args -> {
            var o = args.options();
            options.put(args.resource().pulumiResourceName(),
                    new boolean[]{o.getProtect().orElse(false), o.getRetainOnDelete().orElse(false)});
            ignored.put(args.resource().pulumiResourceName(),
                    o.getIgnoreChanges() == null ? List.of() : List.copyOf(o.getIgnoreChanges()));
            return Optional.empty();
        };
        try {
            TestResult result = PulumiTest.withMocks(recording)
                    .withOptions(TestOptions.builder()
                            .projectName(OrthwebProgram.PROJECT)
                            .stackName(config.stack())
                            .preview(false)
                            .resourceTransformations(List.of(recordOptions))
                            .build())
                    .runTest(ctx -> OrthwebProgram.define(ctx, config));
            if (!result.exceptions().isEmpty() || !result.errors().isEmpty()) {
                throw new IllegalStateException("program failed: " + result.errors() + " " + result.exceptions());
            }
        } finally {
            PulumiTest.cleanup();
        }
        Map<String, Facts> facts = new LinkedHashMap<>();
        answers.forEach((name, r) -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> state = r.state instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
            boolean[] o = options.getOrDefault(name, new boolean[]{false, false});
            facts.put(name, new Facts(r.id.orElse(null), state, o[0], o[1], ignored.getOrDefault(name, List.of()),
                    providers.get(name)));
        });
        return facts;
    }

    // ---- accessors ------------------------------------------------------------------------

    String name() {
        return stack;
    }

    Path file() {
        return file;
    }

    StackConfig config() {
        return config;
    }

    Plan plan() {
        return plan;
    }

    /** prd and stg: the stacks the table's "prod" rows apply to. */
    boolean hardened() {
        return config.hardened();
    }

    List<Plan.PlannedResource> ofType(String type) {
        return plan.ofType(type);
    }

    Plan.PlannedResource named(String name) {
        return plan.named(name);
    }

    /** The single resource of a type (fails if there are none or several). */
    Plan.PlannedResource single(String type) {
        List<Plan.PlannedResource> all = ofType(type);
        if (all.size() != 1) {
            throw new AssertionError("stack " + stack + ": expected exactly one " + type + ", found " + all.size());
        }
        return all.get(0);
    }

    Facts facts(String resourceName) {
        return Objects.requireNonNull(facts.get(resourceName), () -> "no mock answer recorded for " + resourceName);
    }

    String id(String resourceName) {
        return facts(resourceName).id();
    }

    String arn(String resourceName) {
        return String.valueOf(facts(resourceName).state().get("arn"));
    }

    /** A provider-computed attribute the mocks answered (e.g. resourceId of the DB). */
    Object attribute(String resourceName, String key) {
        return facts(resourceName).state().get(key);
    }

    boolean protect(String resourceName) {
        return facts(resourceName).protect();
    }

    boolean retainOnDelete(String resourceName) {
        return facts(resourceName).retainOnDelete();
    }

    /** The property paths the resource was registered to ignore in diffs. */
    List<String> ignoreChanges(String resourceName) {
        return facts(resourceName).ignoreChanges();
    }

    /** The stack's customer managed key (a backup copy region adds a key of its own there). */
    Plan.PlannedResource key() {
        return named("encryption-key");
    }

    /** The stack's generated name prefix, as the mocks answered it. */
    String prefix() {
        return id("name-prefix");
    }

    /**
     * The provider reference the resource was registered with ({@code <urn>::<id>}), or null for
     * the engine's default provider.
     */
    String provider(String resourceName) {
        return facts(resourceName).provider();
    }

    String keyArn() {
        return arn(key().name());
    }

    /** Resources of {@code type} whose input {@code input} equals {@code value}. */
    List<Plan.PlannedResource> where(String type, String input, Object value) {
        return ofType(type).stream().filter(r -> Objects.equals(r.inputs().get(input), value)).toList();
    }

    /** The ids of the named resources. */
    List<String> ids(Collection<Plan.PlannedResource> resources) {
        List<String> out = new ArrayList<>();
        resources.forEach(r -> out.add(id(r.name())));
        return out;
    }

    @Override
    public String toString() {
        return stack;
    }

    // ---- input helpers --------------------------------------------------------------------

    static String str(Plan.PlannedResource r, String input) {
        Object v = r.inputs().get(input);
        return v == null ? null : String.valueOf(v);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return value == null ? Map.of() : (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object value) {
        if (value == null) {
            return List.of();
        }
        return value instanceof List<?> l ? (List<Object>) l : List.of(value);
    }

    static List<String> strings(Object value) {
        return list(value).stream().map(String::valueOf).toList();
    }

    static long num(Object value) {
        if (value instanceof Number n) {
            return n.longValue();
        }
        throw new AssertionError("not a number: " + value);
    }

    /** Parses an IAM / bucket / key policy document (inputs carry them as JSON text). */
    static List<Statement> statements(Object policyJson) {
        if (!(policyJson instanceof String text)) {
            throw new AssertionError("policy is not JSON text: " + policyJson);
        }
        try {
            Map<String, Object> doc = JSON.readValue(text, new TypeReference<Map<String, Object>>() {
            });
            if (!"2012-10-17".equals(doc.get("Version"))) {
                throw new AssertionError("policy version is not 2012-10-17: " + doc.get("Version"));
            }
            List<Statement> out = new ArrayList<>();
            for (Object s : list(doc.get("Statement"))) {
                out.add(new Statement(map(s)));
            }
            return out;
        } catch (IOException e) {
            throw new AssertionError("policy is not valid JSON: " + e.getMessage());
        }
    }

    /** One policy statement with Action/Resource normalised to lists. */
    record Statement(Map<String, Object> raw) {
        String sid() {
            return String.valueOf(raw.get("Sid"));
        }

        boolean allow() {
            return "Allow".equals(raw.get("Effect"));
        }

        List<String> actions() {
            return strings(raw.get("Action"));
        }

        List<String> resources() {
            return strings(raw.get("Resource"));
        }

        Object principal() {
            return raw.get("Principal");
        }

        /** Service principals named (empty when the principal is not a service). */
        List<String> servicePrincipals() {
            return principal() instanceof Map<?, ?> m ? strings(m.get("Service")) : List.of();
        }

        List<String> awsPrincipals() {
            return principal() instanceof Map<?, ?> m ? strings(m.get("AWS")) : List.of();
        }

        Map<String, Object> condition() {
            return map(raw.get("Condition"));
        }

        /** The value of a condition key under an operator, or null. */
        Object condition(String operator, String key) {
            return map(condition().get(operator)).get(key);
        }

        @Override
        public String toString() {
            return raw.toString();
        }
    }
}
