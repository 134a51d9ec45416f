package org.orthweb.naming;

import com.pulumi.core.Output;
import org.orthweb.config.StackConfig;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Physical names and tags. Every AWS name and Name tag is {@code <prefix>-<what>}, where the
 * prefix is the stack's generated pet name (as in the reference), so two stacks in one account
 * never collide and a resource in the console leads back to its stack.
 */
public final class Naming {

    private final Output<String> prefix;
    private final Map<String, String> stackTags;

    /**
     * @param prefix    the stack's generated name prefix
     * @param stackTags the stack-wide tags ({@link #defaultTags}), for what the provider's default
     *                  tags do not reach
     */
    public Naming(Output<String> prefix, Map<String, String> stackTags) {
        this.prefix = prefix;
        this.stackTags = Map.copyOf(stackTags);
    }

    public Output<String> prefix() {
        return prefix;
    }

    /** {@code <prefix>-<what>}. */
    public Output<String> name(String what) {
        return prefix.applyValue(p -> p + "-" + what);
    }

    /** The per-resource tags: only Name; the stack-wide tags come from the provider's defaults. */
    public Output<Map<String, String>> tags(String what) {
        return name(what).applyValue(n -> Map.of("Name", n));
    }

    /**
     * The stack tags plus Name, for what AWS creates on the stack's behalf and the provider's
     * default tags never reach: a launch template's tag specifications (instances, volumes,
     * network interfaces), AWS Backup's recovery points. Directly created resources get the
     * stack tags from the provider and need only {@link #tags}.
     */
    public Output<Map<String, String>> stackTags(String what) {
        return name(what).applyValue(n -> {
            Map<String, String> tags = new LinkedHashMap<>(stackTags);
            tags.put("Name", n);
            return tags;
        });
    }

    /** The stack-wide tags, without Name (for tag-based filters such as a cost budget's). */
    public Map<String, String> stackTags() {
        return stackTags;
    }

    /**
     * Tags every resource gets through the AWS provider's defaultTags (one place, not per
     * resource): Environment, Owner, Application, plus the stack for traceability.
     */
    public static Map<String, String> defaultTags(StackConfig config) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("Environment", config.environment().code());
        tags.put("Owner", config.owner());
        tags.put("Application", "Orthanc");
        tags.put("Stack", config.stack());
        tags.put("ManagedBy", "pulumi");
        return tags;
    }
}
