package org.orthweb.policy;

import org.junit.jupiter.api.DisplayName;
import org.orthweb.config.ConfigRules;
import org.orthweb.plan.Plan.PlannedResource;
import org.orthweb.plan.PlanMocks;
import org.orthweb.policy.PolicyStack.Statement;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.orthweb.policy.PolicyStack.list;
import static org.orthweb.policy.PolicyStack.map;
import static org.orthweb.policy.PolicyStack.num;
import static org.orthweb.policy.PolicyStack.statements;
import static org.orthweb.policy.PolicyStack.str;

/** The data bucket and the log bucket. */
@DisplayName("S3")
class S3ControlsTest {

    /** The DICOM data bucket: the one exported as dataBucketName. */
    static PlannedResource dataBucket(PolicyStack s) {
        return bucketNamed(s, s.plan().outputs().get("dataBucketName"));
    }

    /** The log bucket: the one exported as logBucketName. */
    static PlannedResource logBucket(PolicyStack s) {
        return bucketNamed(s, s.plan().outputs().get("logBucketName"));
    }

    private static PlannedResource bucketNamed(PolicyStack s, Object name) {
        List<PlannedResource> found = s.where(Types.BUCKET, "bucket", name);
        assertThat(found).as("bucket %s", name).hasSize(1);
        return found.get(0);
    }

    /** Resources of a bucket sub-resource type attached to this bucket (by its id). */
    static List<PlannedResource> of(PolicyStack s, String type, PlannedResource bucket) {
        return s.where(type, "bucket", s.id(bucket.name()));
    }

    private static PlannedResource one(PolicyStack s, String type, PlannedResource bucket) {
        List<PlannedResource> found = of(s, type, bucket);
        assertThat(found).as("%s of %s", type, bucket.name()).hasSize(1);
        return found.get(0);
    }

    @ForEachStack
    @DisplayName("custom: exactly two buckets (data, logs), no legacy aws:s3/bucket, no ACL resources")
    void custom_bucketInventory(String stack) {
        var s = PolicyStack.of(stack);
        assertThat(s.ofType(Types.BUCKET)).containsExactlyInAnyOrder(dataBucket(s), logBucket(s));
        assertThat(s.ofType(Types.BUCKET_LEGACY)).isEmpty();
        assertThat(s.ofType(Types.BUCKET_ACL)).as("ACLs are disabled (BucketOwnerEnforced)").isEmpty();
        assertThat(str(dataBucket(s), "bucket")).endsWith("-orthbucket");
        for (var b : s.ofType(Types.BUCKET)) {
            assertThat(b.inputs()).as("no legacy inline bucket settings on %s", b.name())
                    .doesNotContainKeys("acl", "policy", "loggings", "serverSideEncryptionConfigurations", "versionings",
                            "lifecycleRules", "website", "grants", "corsRules");
        }
    }

    @ForEachStack
    @DisplayName("CKV_AWS_53, CKV_AWS_54, CKV_AWS_55, CKV_AWS_56, S3.8: one public access block per bucket, all four flags true")
    void CKV_AWS_53_54_55_56_S3_8_publicAccessBlock(String stack) {
        var s = PolicyStack.of(stack);
        assertThat(s.ofType(Types.BUCKET_PAB)).hasSameSizeAs(s.ofType(Types.BUCKET));
        for (var bucket : s.ofType(Types.BUCKET)) {
            var pab = one(s, Types.BUCKET_PAB, bucket).inputs();
            for (String flag : List.of("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")) {
                assertThat(pab.get(flag)).as("%s %s", bucket.name(), flag).isEqualTo(true);
            }
        }
    }

    @ForEachStack
    @DisplayName("CKV_AWS_19, CKV_AWS_145: SSE aws:kms with the CMK and bucket keys on both buckets")
    void CKV_AWS_19_CKV_AWS_145_encryption(String stack) {
        var s = PolicyStack.of(stack);
        for (var bucket : s.ofType(Types.BUCKET)) {
            var rules = list(one(s, Types.BUCKET_SSE, bucket).inputs().get("rules"));
            assertThat(rules).as("SSE rules of %s", bucket.name()).hasSize(1);
            var rule = map(rules.get(0));
            var def = map(rule.get("applyServerSideEncryptionByDefault"));
            assertThat(def.get("sseAlgorithm")).isEqualTo("aws:kms");
            assertThat(def.get("kmsMasterKeyId")).as("key of %s", bucket.name()).isEqualTo(s.keyArn());
            assertThat(rule.get("bucketKeyEnabled")).isEqualTo(true);
        }
    }

    @ForEachStack
    @DisplayName("CKV_AWS_21: versioning Enabled on both buckets")
    void CKV_AWS_21_versioning(String stack) {
        var s = PolicyStack.of(stack);
        for (var bucket : s.ofType(Types.BUCKET)) {
            var v = map(one(s, Types.BUCKET_VERSIONING, bucket).inputs().get("versioningConfiguration"));
            assertThat(v.get("status")).as("versioning of %s", bucket.name()).isEqualTo("Enabled");
            assertThat(v.get("mfaDelete")).isIn(null, "Disabled");
        }
    }

    @ForEachStack
    @DisplayName("CKV_AWS_18, S3.9: data bucket access-logged to the log bucket under a prefix (log bucket: EX-04)")
    void CKV_AWS_18_S3_9_accessLogging(String stack) {
        var s = PolicyStack.of(stack);
        var data = dataBucket(s);
        var logging = one(s, Types.BUCKET_LOGGING, data);
        assertThat(str(logging, "targetBucket")).isEqualTo(s.id(logBucket(s).name()));
        assertThat(str(logging, "targetPrefix")).isNotBlank().endsWith("/");
        for (var bucket : s.ofType(Types.BUCKET)) {
            if (of(s, Types.BUCKET_LOGGING, bucket).isEmpty()) {
                assertThat(PolicyExceptions.covers("CKV_AWS_18", s, bucket.name()))
                        .as("%s is not access-logged and no exception covers it", bucket.name()).isTrue();
            }
        }
    }

    @ForEachStack
    @DisplayName("S3.5: both buckets deny s3:* without TLS (aws:SecureTransport false) and below TLS 1.2")
    void S3_5_tlsOnly(String stack) {
        var s = PolicyStack.of(stack);
        for (var bucket : s.ofType(Types.BUCKET)) {
            String arn = s.arn(bucket.name());
            var policy = statements(one(s, Types.BUCKET_POLICY, bucket).inputs().get("policy"));
            assertThat(policy).as("%s denies non-TLS", bucket.name()).anySatisfy(st -> {
                assertThat(st.allow()).isFalse();
                assertThat(st.principal()).isIn("*", Map.of("AWS", "*"));
                assertThat(st.actions()).contains("s3:*");
                assertThat(st.resources()).contains(arn, arn + "/*");
                assertThat(st.condition("Bool", "aws:SecureTransport")).isIn("false", false);
            });
            assertThat(policy).as("%s denies TLS < 1.2", bucket.name()).anySatisfy(st -> {
                assertThat(st.allow()).isFalse();
                assertThat(st.actions()).contains("s3:*");
                assertThat(st.resources()).contains(arn, arn + "/*");
                assertThat(String.valueOf(st.condition("NumericLessThan", "s3:TlsVersion"))).isEqualTo("1.2");
            });
        }
    }

    @ForEachStack
    @DisplayName("CKV_AWS_70, S3.6: bucket policies allow no \"*\" principal and no foreign account")
    void CKV_AWS_70_S3_6_noPublicOrForeignAllow(String stack) {
        var s = PolicyStack.of(stack);
        for (var policy : s.ofType(Types.BUCKET_POLICY)) {
            for (Statement st : statements(policy.inputs().get("policy"))) {
                assertThat(st.raw()).as("%s %s", policy.name(), st.sid()).doesNotContainKeys("NotPrincipal");
                if (!st.allow()) {
                    continue;
                }
                assertThat(st.principal()).as("%s %s principal", policy.name(), st.sid())
                        .isNotEqualTo("*").isInstanceOf(Map.class);
                assertThat(st.awsPrincipals()).allMatch(p -> p.equals("arn:aws:iam::" + PlanMocks.ACCOUNT + ":root")
                        || p.startsWith("arn:aws:iam::" + PlanMocks.ACCOUNT + ":role/"), "this account only");
                // service principals write on this account's behalf only
                if (!st.servicePrincipals().isEmpty()) {
                    assertThat(st.condition("StringEquals", "aws:SourceAccount")).as("%s aws:SourceAccount", st.sid())
                            .isEqualTo(PlanMocks.ACCOUNT);
                }
            }
        }
    }

    @ForEachStack
    @DisplayName("custom: log bucket policy admits S3 access logs from the data bucket, VPC flow-log delivery and (hardened) the data-event trail only")
    void custom_logBucketPolicy(String stack) {
        var s = PolicyStack.of(stack);
        String logArn = s.arn(logBucket(s).name());
        String dataArn = s.arn(dataBucket(s).name());
        String prefix = str(one(s, Types.BUCKET_LOGGING, dataBucket(s)), "targetPrefix");
        var policy = statements(one(s, Types.BUCKET_POLICY, logBucket(s)).inputs().get("policy"));
        List<Statement> allows = policy.stream().filter(Statement::allow).toList();

        assertThat(allows).as("S3 server access logs").anySatisfy(st -> {
            assertThat(st.servicePrincipals()).containsExactly("logging.s3.amazonaws.com");
            assertThat(st.actions()).containsExactly("s3:PutObject");
            assertThat(st.resources()).containsExactly(logArn + "/" + prefix + "*");
            assertThat(st.condition("ArnLike", "aws:SourceArn")).isEqualTo(dataArn);
            assertThat(st.condition("StringEquals", "aws:SourceAccount")).isEqualTo(PlanMocks.ACCOUNT);
        });
        assertThat(allows).as("flow-log delivery writes").anySatisfy(st -> {
            assertThat(st.servicePrincipals()).containsExactly("delivery.logs.amazonaws.com");
            assertThat(st.actions()).containsExactly("s3:PutObject");
            assertThat(st.resources()).allMatch(r -> r.startsWith(logArn + "/") && r.contains("AWSLogs/" + PlanMocks.ACCOUNT + "/"));
            assertThat(st.condition("StringEquals", "s3:x-amz-acl")).isEqualTo("bucket-owner-full-control");
            assertThat(st.condition("StringEquals", "aws:SourceAccount")).isEqualTo(PlanMocks.ACCOUNT);
        });
        assertThat(allows).as("flow-log delivery checks the ACL").anySatisfy(st -> {
            assertThat(st.servicePrincipals()).containsExactly("delivery.logs.amazonaws.com");
            assertThat(st.actions()).contains("s3:GetBucketAcl").isSubsetOf("s3:GetBucketAcl", "s3:ListBucket");
            assertThat(st.resources()).containsExactly(logArn);
            assertThat(st.condition("StringEquals", "aws:SourceAccount")).isEqualTo(PlanMocks.ACCOUNT);
        });
        List<String> writers = new java.util.ArrayList<>(List.of("logging.s3.amazonaws.com", "delivery.logs.amazonaws.com"));
        if (s.hardened()) {
            // CloudTrail, for exactly the stack's trail (PerimeterControlsTest checks what it writes)
            writers.add("cloudtrail.amazonaws.com");
            String trail = s.arn(s.single(Types.CLOUDTRAIL_TRAIL).name());
            assertThat(allows.stream().filter(st -> st.servicePrincipals().contains("cloudtrail.amazonaws.com")))
                    .hasSize(2).allSatisfy(st -> {
                        assertThat(st.condition("StringEquals", "aws:SourceArn")).isEqualTo(trail);
                        assertThat(st.condition("StringEquals", "aws:SourceAccount")).isEqualTo(PlanMocks.ACCOUNT);
                    });
        }
        // nobody else
        assertThat(allows.stream().flatMap(st -> st.servicePrincipals().stream()).distinct())
                .containsExactlyInAnyOrderElementsOf(writers);
        assertThat(allows).allMatch(st -> st.awsPrincipals().isEmpty(), "no AWS principal is allowed on the log bucket");
        // the data bucket's policy allows nothing: access is through the host role's identity policy
        // (its Deny statements, the data perimeter, are checked in PerimeterControlsTest)
        assertThat(statements(one(s, Types.BUCKET_POLICY, dataBucket(s)).inputs().get("policy")))
                .noneMatch(Statement::allow);
    }

    @ForEachStack
    @DisplayName("CKV2_AWS_65, S3.12: ownership BucketOwnerEnforced (ACLs disabled) on both buckets")
    void CKV2_AWS_65_S3_12_ownership(String stack) {
        var s = PolicyStack.of(stack);
        for (var bucket : s.ofType(Types.BUCKET)) {
            var rule = map(one(s, Types.BUCKET_OWNERSHIP, bucket).inputs().get("rule"));
            assertThat(rule.get("objectOwnership")).as("%s", bucket.name()).isEqualTo("BucketOwnerEnforced");
        }
    }

    @ForEachStack
    @DisplayName("CKV2_AWS_61, CKV_AWS_300, S3.13: lifecycle aborts incomplete uploads, expires noncurrent versions; log expiry >= retention")
    void CKV2_AWS_61_CKV_AWS_300_S3_13_lifecycle(String stack) {
        var s = PolicyStack.of(stack);
        for (var bucket : s.ofType(Types.BUCKET)) {
            var rules = list(one(s, Types.BUCKET_LIFECYCLE, bucket).inputs().get("rules")).stream().map(PolicyStack::map)
                    .filter(r -> "Enabled".equals(r.get("status")))
                    .filter(r -> appliesToWholeBucket(r.get("filter"))).toList();
            assertThat(rules).as("%s aborts incomplete multipart uploads", bucket.name())
                    .anyMatch(r -> num(map(r.get("abortIncompleteMultipartUpload")).getOrDefault("daysAfterInitiation", 0L)) >= 1);
            assertThat(rules).as("%s expires noncurrent versions", bucket.name())
                    .anyMatch(r -> num(map(r.get("noncurrentVersionExpiration")).getOrDefault("noncurrentDays", 0L)) >= 1);
        }
        // log objects live at least as long as the configured log retention (and a year when hardened)
        var logRules = list(one(s, Types.BUCKET_LIFECYCLE, logBucket(s)).inputs().get("rules")).stream().map(PolicyStack::map)
                .filter(r -> "Enabled".equals(r.get("status")) && r.get("expiration") != null).toList();
        assertThat(logRules).as("log expiry rule").isNotEmpty().allSatisfy(r -> {
            long days = num(map(r.get("expiration")).get("days"));
            assertThat(days).isGreaterThanOrEqualTo(s.config().logging().retentionDays());
            if (s.hardened()) {
                assertThat(days).isGreaterThanOrEqualTo(ConfigRules.HARDENED_MIN_RETENTION_DAYS);
            }
        });
        // DICOM objects never expire: only noncurrent versions do
        var dataRules = list(one(s, Types.BUCKET_LIFECYCLE, dataBucket(s)).inputs().get("rules"));
        assertThat(dataRules).noneMatch(r -> map(r).get("expiration") != null);
    }

    private static boolean appliesToWholeBucket(Object filter) {
        if (filter == null) {
            return true;
        }
        var f = map(filter);
        return f.keySet().stream().allMatch(k -> k.equals("prefix")) && "".equals(String.valueOf(f.getOrDefault("prefix", "")));
    }

    @ForEachStack
    @DisplayName("custom: data bucket forceDestroy false and Pulumi protect/retainOnDelete (hardened stacks)")
    void custom_dataBucketKeptInProd(String stack) {
        var s = PolicyStack.of(stack);
        var data = dataBucket(s);
        if (s.hardened()) {
            assertThat(data.inputs().get("forceDestroy")).as("forceDestroy").isIn(false, null);
            assertThat(s.protect(data.name()) || s.retainOnDelete(data.name())).as("protect or retainOnDelete").isTrue();
            // the log bucket holds the audit trail: same treatment
            var logs = logBucket(s);
            assertThat(logs.inputs().get("forceDestroy")).isIn(false, null);
            assertThat(s.protect(logs.name()) || s.retainOnDelete(logs.name())).isTrue();
        }
    }
}
