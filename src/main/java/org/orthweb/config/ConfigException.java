package org.orthweb.config;

import java.util.List;

/**
 * Invalid stack configuration. Carries every problem found (not just the first), each naming
 * the key and what is allowed, so a user fixes the stack file in one pass.
 */
public final class ConfigException extends RuntimeException {

    private final List<String> problems;

    public ConfigException(List<String> problems) {
        super(format(problems));
        this.problems = List.copyOf(problems);
    }

    public ConfigException(String problem) {
        this(List.of(problem));
    }

    public List<String> problems() {
        return problems;
    }

    private static String format(List<String> problems) {
        if (problems.size() == 1) {
            return "invalid configuration: " + problems.get(0);
        }
        return "invalid configuration:\n  - " + String.join("\n  - ", problems);
    }
}
