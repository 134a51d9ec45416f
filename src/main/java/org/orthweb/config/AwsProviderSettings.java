package org.orthweb.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.pulumi.aws.ProviderArgs;
import com.pulumi.aws.inputs.ProviderDefaultTagsArgs;
import com.pulumi.core.Output;
import com.pulumi.core.annotations.Import;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The user's {@code aws:} provider settings (everything in the {@code aws:} namespace but
 * {@code aws:region}, which is a setting of ours), checked and handed to every AWS provider the
 * program creates, so that no key a user sets is ignored.
 *
 * <p>Why this class exists: the program creates explicit providers ({@code new Provider("aws",
 * ...)}); an explicit provider does not read the stack's {@code aws:} config (only the default
 * provider does), so without this a {@code aws:profile} or {@code aws:allowedAccountIds} would be
 * silently dropped and the deployment would use whatever credentials the shell has.
 *
 * <p>Every configuration key of the Pulumi AWS provider is classified in {@link #KEYS}: the keys
 * are the {@code @Import} names of {@code com.pulumi.aws.ProviderArgs} of pulumi-aws 6.83.0 (the
 * provider's configuration reference, "aws" package, Configuration page, lists the same keys), plus
 * keys of older releases that users still copy from old docs. A test fails when {@code ProviderArgs}
 * gains a key this table does not classify.
 *
 * <p>Values are bound to {@code ProviderArgs} generically: a key's JSON value (a stack file's YAML,
 * or the engine's JSON text) is converted to the builder's parameter type (text, true/false,
 * whole number, list, text map, nested args such as {@code assumeRole}), so a wrong shape is
 * reported at parse time with the key, before any resource is registered. A key stored as a
 * secret reaches the provider as a secret.
 *
 * <p>Default tags: the user's {@code aws:defaultTags.tags} are merged with the program's tags
 * (Environment, Owner, Application, Stack, ManagedBy); a user tag that names one of ours with a
 * different value is refused (the program's tags drive the budget filter and the policy tests, so
 * neither side may silently win). The same merged tags go to the launch template's tag
 * specifications.
 *
 * @param values    full key ({@code aws:profile}) to value as written, {@code aws:region} excluded
 * @param secretKeys the keys among them stored as secrets
 */
public record AwsProviderSettings(Map<String, JsonNode> values, Set<String> secretKeys) {

    /** What happens to one {@code aws:} key. */
    public enum Handling {
        /** Handed to every AWS provider of the stack as written. */
        PASSED,
        /** Handed on only when stored as a secret ({@code pulumi config set --secret}): a credential. */
        PASSED_IF_SECRET,
        /** Merged with the program's own value (default tags). */
        MERGED,
        /** A setting of this program (read, validated and handed on by it). */
        SETTING,
        /** Refused with the reason. */
        REFUSED
    }

    /** The handling of one key and why. */
    public record KeyRule(Handling handling, String why) {
    }

    private static final String NS = "aws:";

    /** Every documented {@code aws:} key, one entry each: what the program does with it and why. */
    public static final Map<String, KeyRule> KEYS = keys();

    private static Map<String, KeyRule> keys() {
        Map<String, KeyRule> k = new TreeMap<>();
        String credential = "a static credential: it reaches the provider only as a secret (pulumi config set --secret), "
                + "better a profile (aws:profile) or the environment";
        k.put("accessKey", new KeyRule(Handling.PASSED_IF_SECRET, credential));
        k.put("secretKey", new KeyRule(Handling.PASSED_IF_SECRET, credential));
        k.put("token", new KeyRule(Handling.PASSED_IF_SECRET, credential));
        k.put("region", new KeyRule(Handling.SETTING, "the stack's region, validated by the program; "
                + "the backup copy's provider uses orthweb:backup.copyRegion instead"));
        k.put("defaultTags", new KeyRule(Handling.MERGED, "merged with the program's tags; a tag of the program "
                + "(Environment, Owner, Application, Stack, ManagedBy, Name) with another value is refused"));
        k.put("ignoreTags", new KeyRule(Handling.PASSED, "passed on, except that the program's own tag keys may not "
                + "be ignored (the budget and the policies rely on them)"));
        k.put("insecure", new KeyRule(Handling.REFUSED, "it turns off TLS certificate verification of every AWS API "
                + "call; for a TLS-inspecting proxy give its CA with aws:customCaBundle"));
        // keys of earlier provider releases, still in old docs and stack files
        k.put("skipGetEc2Platforms", new KeyRule(Handling.REFUSED, "removed in pulumi-aws 6 (the provider no longer "
                + "reads it); delete it"));
        k.put("s3ForcePathStyle", new KeyRule(Handling.REFUSED, "renamed in pulumi-aws 6: use aws:s3UsePathStyle"));
        k.put("sharedCredentialsFile", new KeyRule(Handling.REFUSED, "replaced in pulumi-aws 6 by the list "
                + "aws:sharedCredentialsFiles"));
        k.put("skipMetadataApiCheck", new KeyRule(Handling.PASSED, "passed on"));
        for (String passed : List.of("allowedAccountIds", "forbiddenAccountIds", "profile", "sharedConfigFiles",
                "sharedCredentialsFiles", "assumeRole", "assumeRoleWithWebIdentity", "customCaBundle",
                "ec2MetadataServiceEndpoint", "ec2MetadataServiceEndpointMode", "endpoints", "httpProxy", "httpsProxy",
                "noProxy", "maxRetries", "retryMode", "s3UsEast1RegionalEndpoint", "s3UsePathStyle",
                "skipCredentialsValidation", "skipRegionValidation", "skipRequestingAccountId", "stsRegion",
                "tokenBucketRateLimiterCapacity", "useDualstackEndpoint", "useFipsEndpoint")) {
            k.put(passed, new KeyRule(Handling.PASSED, "passed on"));
        }
        return java.util.Collections.unmodifiableMap(k);
    }

    /** The program's tag keys: a user's default tags may not change them, nor ignore them. */
    public static final Set<String> PROGRAM_TAG_KEYS = Set.of("Environment", "Owner", "Application", "Stack",
            "ManagedBy", "Name");

    public AwsProviderSettings {
        values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
        secretKeys = Set.copyOf(secretKeys);
    }

    /** No provider settings. */
    public static AwsProviderSettings none() {
        return new AwsProviderSettings(Map.of(), Set.of());
    }

    /**
     * The {@code aws:} keys of a raw config, each checked against {@link #KEYS} and bound to
     * {@code ProviderArgs} once (so a wrong shape is found now). Problems name the key.
     *
     * @param raw      the values as written
     * @param problems where problems are added
     * @return the settings to hand on (region excluded; refused keys left out)
     */
    public static AwsProviderSettings read(RawConfig raw, List<String> problems) {
        Map<String, JsonNode> values = new LinkedHashMap<>();
        Set<String> secrets = new LinkedHashSet<>();
        for (Map.Entry<String, JsonNode> e : new TreeMap<>(raw.values()).entrySet()) {
            if (!e.getKey().startsWith(NS)) {
                continue;
            }
            String name = e.getKey().substring(NS.length());
            KeyRule rule = KEYS.get(name);
            boolean secret = raw.secretKeys().contains(e.getKey());
            if (rule == null) {
                problems.add("'" + e.getKey() + "' is not a setting of the Pulumi AWS provider (pulumi-aws 6.83.0); "
                        + "known: " + String.join(", ", KEYS.keySet()));
                continue;
            }
            switch (rule.handling()) {
                case SETTING -> {
                    continue;
                }
                case REFUSED -> {
                    problems.add(e.getKey() + " is refused: " + rule.why());
                    continue;
                }
                case PASSED_IF_SECRET -> {
                    if (!secret) {
                        problems.add(e.getKey() + " must be stored as a secret (pulumi config set --secret " + e.getKey()
                                + "): it is a credential, and a plain value lands in the stack file and the state; "
                                + "better use aws:profile or the AWS_* environment variables");
                        continue;
                    }
                }
                default -> {
                }
            }
            List<String> found = new ArrayList<>();
            if (!undecrypted(e.getValue())) {
                bindValue(field(ProviderArgs.class, name), e.getValue(), e.getKey(), found);
            }
            problems.addAll(found);
            if (found.isEmpty()) {
                values.put(e.getKey(), e.getValue());
                if (secret) {
                    secrets.add(e.getKey());
                }
            }
        }
        var settings = new AwsProviderSettings(values, secrets);
        settings.accountRules(problems);
        return settings;
    }

    /** Account guards the provider would only reject at deploy time. */
    private void accountRules(List<String> problems) {
        if (values.containsKey(NS + "allowedAccountIds") && values.containsKey(NS + "forbiddenAccountIds")) {
            problems.add("aws:allowedAccountIds and aws:forbiddenAccountIds exclude each other (the provider refuses "
                    + "both): keep one");
        }
        for (String key : List.of(NS + "allowedAccountIds", NS + "forbiddenAccountIds")) {
            JsonNode ids = values.get(key);
            if (ids != null && !secretKeys.contains(key)) {
                for (JsonNode id : ids) {
                    if (!id.asText().matches("[0-9]{12}") && !id.asText().contains(RawConfig.SECRET_PLACEHOLDER)) {
                        problems.add(key + " must list 12-digit AWS account ids (got '" + id.asText() + "')");
                    }
                }
            }
        }
    }

    /** The user's default tags ({@code aws:defaultTags.tags}), empty when none. */
    public Map<String, String> userTags() {
        Map<String, String> tags = new LinkedHashMap<>();
        JsonNode node = values.get(NS + "defaultTags");
        if (node != null) {
            node.path("tags").fields().forEachRemaining(f -> tags.put(f.getKey(), f.getValue().asText()));
        }
        return tags;
    }

    /**
     * The user's default tags merged with the program's.
     *
     * @param ours the program's stack tags
     * @return the user's tags, then ours (insertion order)
     * @throws ConfigException if a user tag names one of ours with another value, or ignoreTags names one of ours
     */
    public Map<String, String> mergedTags(Map<String, String> ours) {
        List<String> problems = tagConflicts(ours);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        Map<String, String> merged = new LinkedHashMap<>(userTags());
        merged.putAll(ours);
        return merged;
    }

    /** What {@link #mergedTags} refuses, each problem naming the key. */
    public List<String> tagConflicts(Map<String, String> ours) {
        List<String> problems = new ArrayList<>();
        userTags().forEach((tag, value) -> {
            if (tag.equals("Name")) {
                problems.add("aws:defaultTags.tags.Name is refused: every resource gets its own Name tag from the program");
            } else if (ours.containsKey(tag) && !ours.get(tag).equals(value)) {
                problems.add("aws:defaultTags.tags." + tag + " ('" + value + "') conflicts with the program's " + tag
                        + " tag ('" + ours.get(tag) + "'): remove it" + (tag.equals("Owner") ? " and set orthweb:owner"
                        : tag.equals("Environment") ? " and set orthweb:environment" : ""));
            }
        });
        JsonNode ignore = values.get(NS + "ignoreTags");
        if (ignore != null) {
            for (JsonNode key : ignore.path("keys")) {
                if (PROGRAM_TAG_KEYS.contains(key.asText())) {
                    problems.add("aws:ignoreTags.keys may not name the program's tag " + key.asText()
                            + " (the budget filter and the policy checks rely on it)");
                }
            }
            for (JsonNode prefix : ignore.path("keyPrefixes")) {
                PROGRAM_TAG_KEYS.stream().filter(t -> t.startsWith(prefix.asText())).findFirst().ifPresent(t ->
                        problems.add("aws:ignoreTags.keyPrefixes '" + prefix.asText() + "' would ignore the program's tag "
                                + t + " (the budget filter and the policy checks rely on it)"));
            }
        }
        return problems;
    }

    /**
     * The arguments of one AWS provider of the stack: the user's settings, the given region and
     * the given (already merged) default tags. Secret keys are handed on as secrets.
     *
     * @param region      region of this provider (the stack's, or the backup copy's)
     * @param defaultTags tags every resource of this provider gets ({@link #mergedTags})
     */
    public ProviderArgs providerArgs(String region, Map<String, String> defaultTags) {
        ProviderArgs.Builder builder = ProviderArgs.builder();
        values.forEach((key, value) -> {
            String name = key.substring(NS.length());
            if (name.equals("defaultTags")) {
                return;
            }
            Field field = field(ProviderArgs.class, name);
            List<String> problems = new ArrayList<>();
            // a secure: value the offline plan cannot decrypt stays its (secret) placeholder
            Object bound = undecrypted(value) ? value.asText() : bindValue(field, value, key, problems);
            if (!problems.isEmpty()) {
                throw new ConfigException(problems);
            }
            Output<Object> output = secretKeys.contains(key) ? Output.ofSecret(bound) : Output.of(bound);
            invoke(outputSetter(ProviderArgs.Builder.class, field.getName()), builder, output);
        });
        return builder.region(region)
                .defaultTags(ProviderDefaultTagsArgs.builder().tags(defaultTags).build())
                .build();
    }

    /** A whole value that stands for a {@code secure:} value nobody decrypted (offline plan). */
    private static boolean undecrypted(JsonNode value) {
        return value.isTextual() && value.asText().equals(RawConfig.SECRET_PLACEHOLDER);
    }

    // ---- binding JSON to pulumi-aws input types -----------------------------------------------

    /** The field of an args class whose {@code @Import} name is {@code name}, or null. */
    static Field field(Class<?> args, String name) {
        for (Field f : args.getDeclaredFields()) {
            Import imp = f.getAnnotation(Import.class);
            if (imp != null && (imp.name().isEmpty() ? f.getName() : imp.name()).equals(name)) {
                return f;
            }
        }
        return null;
    }

    /** The {@code @Import} names of an args class: the keys it accepts. */
    public static Set<String> importNames(Class<?> args) {
        Set<String> names = new TreeSet<>();
        for (Field f : args.getDeclaredFields()) {
            Import imp = f.getAnnotation(Import.class);
            if (imp != null) {
                names.add(imp.name().isEmpty() ? f.getName() : imp.name());
            }
        }
        return names;
    }

    /** The value type of an args field ({@code T} of {@code Output<T>}). */
    private static Type valueType(Field field) {
        Type t = field.getGenericType();
        if (t instanceof ParameterizedType p && p.getRawType() == Output.class) {
            return p.getActualTypeArguments()[0];
        }
        return t;
    }

    private static Object bindValue(Field field, JsonNode node, String key, List<String> problems) {
        return bind(valueType(field), node, key, problems);
    }

    /**
     * Converts a JSON value to a pulumi-aws input type: String, Boolean, Integer, Double,
     * {@code List<T>}, {@code Map<String, String>} or an args class (by its static {@code builder()}).
     * Scalars may come as text (the engine hands every value over as text).
     */
    static Object bind(Type type, JsonNode node, String key, List<String> problems) {
        Class<?> raw = type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
        if (raw == String.class) {
            if (node.isValueNode() && !node.isNull()) {
                return node.asText();
            }
            problems.add(key + " must be text");
            return null;
        }
        if (raw == Boolean.class) {
            String text = node.asText();
            if (node.isBoolean() || text.equals("true") || text.equals("false")) {
                return Boolean.valueOf(text);
            }
            problems.add(key + " must be true or false (got '" + text + "')");
            return null;
        }
        if (raw == Integer.class) {
            if (node.isIntegralNumber() || node.asText().matches("-?[0-9]{1,9}")) {
                return Integer.valueOf(node.asText());
            }
            problems.add(key + " must be a whole number (got '" + node.asText() + "')");
            return null;
        }
        if (raw == Double.class) {
            try {
                return Double.valueOf(node.asText());
            } catch (NumberFormatException e) {
                problems.add(key + " must be a number (got '" + node.asText() + "')");
                return null;
            }
        }
        if (raw == List.class) {
            if (!node.isArray()) {
                problems.add(key + " must be a list");
                return null;
            }
            Type element = ((ParameterizedType) type).getActualTypeArguments()[0];
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < node.size(); i++) {
                out.add(bind(element, node.get(i), key + "[" + i + "]", problems));
            }
            return out;
        }
        if (raw == Map.class) {
            if (!node.isObject()) {
                problems.add(key + " must be a mapping of names to text");
                return null;
            }
            Map<String, String> out = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                var f = fields.next();
                if (!f.getValue().isValueNode() || f.getValue().isNull()) {
                    problems.add(key + "." + f.getKey() + " must be text");
                } else {
                    out.put(f.getKey(), f.getValue().asText());
                }
            }
            return out;
        }
        return bindArgs(raw, node, key, problems);
    }

    private static Object bindArgs(Class<?> args, JsonNode node, String key, List<String> problems) {
        if (!node.isObject()) {
            problems.add(key + " must be a mapping with the keys " + String.join(", ", importNames(args)));
            return null;
        }
        Object builder = invoke(method(args, "builder"), null);
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            var f = fields.next();
            Field field = field(args, f.getKey());
            if (field == null) {
                problems.add(key + "." + f.getKey() + " is not a key of " + key + "; allowed: "
                        + String.join(", ", importNames(args)));
                continue;
            }
            Object value = bind(valueType(field), f.getValue(), key + "." + f.getKey(), problems);
            if (value != null) {
                invoke(outputSetter(builder.getClass(), field.getName()), builder, Output.of(value));
            }
        }
        return invoke(method(builder.getClass(), "build"), builder);
    }

    private static Method method(Class<?> type, String name) {
        for (Method m : type.getMethods()) {
            if (m.getName().equals(name) && m.getParameterCount() == 0) {
                return m;
            }
        }
        throw new IllegalStateException(type.getName() + " has no method " + name + "()");
    }

    /** The builder method that takes an {@code Output} (every generated args builder has one per field). */
    private static Method outputSetter(Class<?> builder, String name) {
        for (Method m : builder.getMethods()) {
            if (m.getName().equals(name) && m.getParameterCount() == 1 && m.getParameterTypes()[0] == Output.class
                    && !Modifier.isStatic(m.getModifiers())) {
                return m;
            }
        }
        throw new IllegalStateException(builder.getName() + " has no " + name + "(Output) method");
    }

    private static Object invoke(Method m, Object target, Object... args) {
        try {
            return m.invoke(target, args);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException(m + " failed: " + e.getCause(), e.getCause());
        }
    }
}
