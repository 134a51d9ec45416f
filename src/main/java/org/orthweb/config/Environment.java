package org.orthweb.config;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Environment code, used in the Environment tag and to pick defaults. prd and stg are
 * "hardened" (staging rehearses production, so it gets production's safety); dev and tst are
 * cheap and disposable.
 */
public enum Environment {
    PRD("prd", true),
    STG("stg", true),
    TST("tst", false),
    DEV("dev", false);

    private final String code;
    private final boolean hardened;

    Environment(String code, boolean hardened) {
        this.code = code;
        this.hardened = hardened;
    }

    public String code() {
        return code;
    }

    /** Production-grade safety: multi-AZ, deletion protection, long retention, protect. */
    public boolean hardened() {
        return hardened;
    }

    public static Environment fromCode(String code) {
        for (Environment e : values()) {
            if (e.code.equals(code)) {
                return e;
            }
        }
        throw new IllegalArgumentException("must be one of " + allowed());
    }

    public static String allowed() {
        return Arrays.stream(values()).map(Environment::code).collect(Collectors.joining(", "));
    }
}
