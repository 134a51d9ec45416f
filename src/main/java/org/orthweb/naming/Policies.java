package org.orthweb.naming;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds IAM and resource policy documents as JSON from plain maps, so that no policy is a
 * hand-concatenated string and every statement can be asserted on after parsing.
 */
public final class Policies {

    /**
     * Keys sorted: statements are built from {@code Map.of}, whose order changes from one JVM run
     * to the next, and a policy's text must not change when nothing else does (no spurious diffs
     * in {@code pulumi preview}, identical offline plans).
     */
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private Policies() {
    }

    public static String document(List<Map<String, Object>> statements) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("Version", "2012-10-17");
        doc.put("Statement", statements);
        try {
            return JSON.writeValueAsString(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One statement; {@code extra} holds Principal, Condition or Resource entries. */
    public static Map<String, Object> statement(String sid, String effect, Object actions, Map<String, Object> extra) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("Sid", sid);
        s.put("Effect", effect);
        s.put("Action", actions);
        s.putAll(extra);
        return s;
    }

    public static Map<String, Object> service(String principal) {
        return Map.of("Service", principal);
    }

    /** Trust policy letting exactly one AWS service assume a role. */
    public static String assumeRoleBy(String servicePrincipal) {
        return document(List.of(statement("AssumeBy" + servicePrincipal.split("\\.")[0].replace("-", ""),
                "Allow", "sts:AssumeRole", Map.of("Principal", service(servicePrincipal)))));
    }

    public static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
