package org.orthweb.policy;

import org.junit.jupiter.api.DisplayName;
import org.orthweb.plan.PlanMocks;
import org.orthweb.policy.PolicyStack.Statement;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.orthweb.policy.PolicyStack.num;
import static org.orthweb.policy.PolicyStack.statements;

/** The customer managed key (CMK): rotation, deletion window, key policy. */
@DisplayName("KMS key")
class KmsControlsTest {

    @ForEachStack
    @DisplayName("CKV_AWS_7, CKV_AWS_227, KMS.4, AG:cmk-backing-key-rotation-enabled: rotation on, enabled, deletion window (30 in prod)")
    void CKV_AWS_7_CKV_AWS_227_KMS_4_rotationAndDeletionWindow(String stack) {
        var s = PolicyStack.of(stack);
        var key = s.key().inputs();
        assertThat(key.get("enableKeyRotation")).as("enableKeyRotation").isEqualTo(true);
        assertThat(key.get("isEnabled")).as("isEnabled").isNotEqualTo(false);
        assertThat(key.get("deletionWindowInDays")).as("deletionWindowInDays is set").isNotNull();
        long window = num(key.get("deletionWindowInDays"));
        assertThat(window).as("deletionWindowInDays").isBetween(7L, 30L);
        if (s.hardened()) {
            assertThat(window).as("deletionWindowInDays in a hardened stack").isEqualTo(30L);
            // losing the key loses every bucket object, DB snapshot and secret it encrypts
            assertThat(s.protect(s.key().name())).as("Pulumi protect on the key").isTrue();
        }
        // the one key is the key: no AWS-managed default keys hidden behind "aws/..." aliases
        assertThat(key.get("customerMasterKeySpec")).isIn(null, "SYMMETRIC_DEFAULT");
        assertThat(key.get("keyUsage")).isIn(null, "ENCRYPT_DECRYPT");
    }

    @ForEachStack
    @DisplayName("CKV2_AWS_64, CKV_AWS_33, KMS.5: explicit key policy, no Allow to *, service principals bound to this account by the condition keys each service documents")
    void CKV2_AWS_64_CKV_AWS_33_KMS_5_keyPolicy(String stack) {
        var s = PolicyStack.of(stack);
        var policy = s.key().inputs().get("policy");
        assertThat(policy).as("explicit key policy").isInstanceOf(String.class);
        List<Statement> statements = statements(policy);
        assertThat(statements).isNotEmpty();
        String root = "arn:aws:iam::" + PlanMocks.ACCOUNT + ":root";
        String logs = "logs." + s.config().region() + ".amazonaws.com";
        // the condition keys each service documents for KMS key policies (sources in
        // EncryptionKey.keyPolicy); a key the service does not send silently denies it
        Map<String, Set<String>> documented = Map.of(
                logs, Set.of("kms:EncryptionContext:aws:logs:arn"),
                "delivery.logs.amazonaws.com", Set.of("aws:SourceAccount", "aws:SourceArn"),
                "logging.s3.amazonaws.com", Set.of("kms:EncryptionContext:aws:s3:arn"),
                "cloudwatch.amazonaws.com", Set.of("aws:SourceAccount", "aws:SourceArn"),
                "cloudtrail.amazonaws.com", Set.of("aws:SourceAccount", "aws:SourceArn",
                        "kms:EncryptionContext:aws:cloudtrail:arn"));
        Set<String> allowedServices = new java.util.HashSet<>(documented.keySet());
        allowedServices.remove("cloudtrail.amazonaws.com");
        if (s.hardened()) {
            // the data-event trail encrypts its log files (bound to the trail in PerimeterControlsTest);
            // CloudTrail documents aws:SourceArn, aws:SourceAccount and its encryption context
            allowedServices.add("cloudtrail.amazonaws.com");
        }
        boolean rootAdministers = false;
        for (Statement st : statements) {
            assertThat(st.raw()).as("no NotPrincipal/NotAction in the key policy: %s", st.sid())
                    .doesNotContainKeys("NotPrincipal", "NotAction");
            if (!st.allow()) {
                continue;
            }
            Object principal = st.principal();
            assertThat(principal).as("principal of %s", st.sid()).isInstanceOf(Map.class).isNotEqualTo("*");
            assertThat(st.awsPrincipals()).as("AWS principals of %s", st.sid()).doesNotContain("*")
                    .allMatch(p -> p.equals(root), "only this account's root");
            if (!st.awsPrincipals().isEmpty()) {
                rootAdministers = true;
                assertThat(st.servicePrincipals()).isEmpty();
            }
            for (String service : st.servicePrincipals()) {
                assertThat(allowedServices).as("service principal %s in %s", service, st.sid()).contains(service);
                Map<String, Object> conditions = conditionValues(st);
                assertThat(conditions).as("%s (%s) is conditioned", st.sid(), service).isNotEmpty();
                assertThat(documented.get(service)).as("condition keys of %s (%s): only those the service documents",
                        st.sid(), service).containsAll(conditions.keySet());
                // each condition pins this account (and the stack's own names where there are any)
                conditions.forEach((k, v) -> assertThat(String.valueOf(v)).as("%s %s", st.sid(), k)
                        .matches(x -> x.contains(PlanMocks.ACCOUNT) || x.contains(":s3:::" + s.prefix() + "-"),
                                "names this account or the stack's buckets"));
                assertThat(st.actions()).as("a service may use the key, never administer it (%s)", st.sid())
                        .noneMatch(a -> a.equals("kms:*") || a.startsWith("kms:Create") || a.startsWith("kms:Put")
                                || a.startsWith("kms:Delete") || a.startsWith("kms:Schedule") || a.startsWith("kms:Disable")
                                || a.startsWith("kms:Update") || a.equals("*"));
            }
        }
        assertThat(rootAdministers).as("the account root administers the key through IAM").isTrue();
        // each service the design needs is named
        assertThat(statements.stream().flatMap(st -> st.servicePrincipals().stream()).distinct())
                .containsExactlyInAnyOrderElementsOf(allowedServices);
    }

    @ForEachStack
    @DisplayName("custom: one CMK encrypts S3, RDS, Secrets Manager, EBS and CloudWatch logs")
    void custom_oneKeyEverywhere(String stack) {
        var s = PolicyStack.of(stack);
        String key = s.keyArn();
        assertThat(key).startsWith("arn:aws:kms:" + s.config().region() + ":" + PlanMocks.ACCOUNT + ":key/");
        s.ofType(Types.BUCKET_SSE).forEach(r -> assertThat(r.inputs().toString()).contains(key));
        s.ofType(Types.DB_INSTANCE).forEach(r -> assertThat(r.inputs().get("kmsKeyId")).isEqualTo(key));
        s.ofType(Types.SECRET).forEach(r -> assertThat(r.inputs().get("kmsKeyId")).isEqualTo(key));
        s.ofType(Types.LOG_GROUP).forEach(r -> assertThat(r.inputs().get("kmsKeyId")).isEqualTo(key));
        s.ofType(Types.LAUNCH_TEMPLATE).forEach(r -> assertThat(r.inputs().toString()).contains(key));
    }

    /** Condition key to value, over all operators of a statement. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> conditionValues(Statement st) {
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        if (st.raw().get("Condition") instanceof Map<?, ?> ops) {
            for (Object byKey : ops.values()) {
                out.putAll((Map<String, Object>) byKey);
            }
        }
        return out;
    }
}
