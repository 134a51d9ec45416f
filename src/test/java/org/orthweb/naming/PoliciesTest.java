package org.orthweb.naming;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PoliciesTest {

    /** Map.of's order varies between JVM runs: the text of a policy must not depend on it. */
    @Test
    void policyTextDoesNotDependOnTheOrderMapsAreBuiltIn() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("Principal", Policies.service("logs.amazonaws.com"));
        a.put("Resource", "*");
        a.put("Condition", Map.of("StringEquals", Map.of("aws:SourceAccount", "1", "s3:x-amz-acl", "x")));
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("Condition", new LinkedHashMap<>(Map.of("StringEquals", new LinkedHashMap<>(Map.of("s3:x-amz-acl", "x",
                "aws:SourceAccount", "1")))));
        b.put("Resource", "*");
        b.put("Principal", Policies.service("logs.amazonaws.com"));

        String first = Policies.document(List.of(Policies.statement("S", "Allow", "kms:Decrypt", a)));
        String second = Policies.document(List.of(Policies.statement("S", "Allow", "kms:Decrypt", b)));
        assertThat(first).isEqualTo(second);
    }
}
