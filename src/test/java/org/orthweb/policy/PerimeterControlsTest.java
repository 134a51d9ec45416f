package org.orthweb.policy;

import org.junit.jupiter.api.DisplayName;
import org.orthweb.cloudinit.Layout;
import org.orthweb.components.DataEventTrail;
import org.orthweb.plan.Plan.PlannedResource;
import org.orthweb.plan.PlanMocks;
import org.orthweb.policy.PolicyStack.Statement;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.orthweb.policy.PolicyStack.list;
import static org.orthweb.policy.PolicyStack.map;
import static org.orthweb.policy.PolicyStack.num;
import static org.orthweb.policy.PolicyStack.statements;
import static org.orthweb.policy.PolicyStack.str;
import static org.orthweb.policy.PolicyStack.strings;

/**
 * The data perimeter of threat-model findings H4, M5, M6, L6, L7 and the cloud part of H5: the
 * host role's credentials work only through the stack's endpoints and services, the master DB
 * secret closes after provisioning, the data bucket and the endpoints admit only the stack's
 * principals, S3 data events are recorded, audit logs are kept six years when hardened.
 */
@DisplayName("Data perimeter")
class PerimeterControlsTest {

    // ---- plan lookups ------------------------------------------------------------------------

    /** The role of the hosts' instance profile. */
    static PlannedResource hostRole(PolicyStack s) {
        String roleName = str(s.single(Types.INSTANCE_PROFILE), "role");
        return s.ofType(Types.ROLE).stream().filter(r -> s.id(r.name()).equals(roleName)).findFirst()
                .orElseThrow(() -> new AssertionError("no role for the instance profile"));
    }

    /** The host role's inline policy. */
    static PlannedResource hostPolicy(PolicyStack s) {
        String roleId = s.id(hostRole(s).name());
        List<PlannedResource> found = s.ofType(Types.ROLE_POLICY).stream().filter(p -> roleId.equals(str(p, "role"))).toList();
        assertThat(found).as("the host role's inline policy").hasSize(1);
        return found.get(0);
    }

    static PlannedResource s3Endpoint(PolicyStack s) {
        List<PlannedResource> found = s.ofType(Types.VPC_ENDPOINT).stream()
                .filter(e -> str(e, "serviceName").equals("com.amazonaws." + s.config().region() + ".s3")).toList();
        assertThat(found).as("S3 gateway endpoint").hasSize(1);
        return found.get(0);
    }

    static Optional<PlannedResource> interfaceEndpoint(PolicyStack s, String service) {
        return s.ofType(Types.VPC_ENDPOINT).stream()
                .filter(e -> str(e, "serviceName").equals("com.amazonaws." + s.config().region() + "." + service))
                .findFirst();
    }

    /** True when a statement is pinned to a VPC endpoint or to the calling AWS service. */
    static boolean pinned(Statement st) {
        return st.condition().values().stream().anyMatch(block -> map(block).containsKey("aws:SourceVpce")
                || map(block).containsKey("kms:ViaService"));
    }

    /** Host role statements without a network or service condition ("policy statement" names). */
    static List<String> unpinnedHostStatements(PolicyStack s) {
        PlannedResource policy = hostPolicy(s);
        return statements(policy.inputs().get("policy")).stream().filter(st -> !pinned(st))
                // rds-db:connect has no network to pin (hostRoleIsPinnedToTheStacksEndpoints)
                .filter(st -> st.actions().stream().noneMatch(a -> a.startsWith("rds-db:")))
                .map(st -> policy.name() + " " + st.sid()).toList();
    }

    private static String service(String action) {
        return action.substring(0, action.indexOf(':'));
    }

    // ---- H4, L7: where and through what the role's credentials work ------------------------

    @ForEachStack
    @DisplayName("custom (network perimeter), H4: host role S3 only via the stack's S3 gateway endpoint, Secrets Manager via its endpoint when configured (else EX-10), logs under EX-10")
    void hostRoleIsPinnedToTheStacksEndpoints(String stack) {
        var s = PolicyStack.of(stack);
        String s3Vpce = s.id(s3Endpoint(s).name());
        Optional<String> secretsVpce = interfaceEndpoint(s, "secretsmanager").map(e -> s.id(e.name()));
        PlannedResource policy = hostPolicy(s);
        List<Statement> all = statements(policy.inputs().get("policy"));
        assertThat(all).isNotEmpty();
        for (Statement st : all) {
            String where = policy.name() + " " + st.sid();
            Set<String> services = Set.copyOf(st.actions().stream().map(PerimeterControlsTest::service).toList());
            assertThat(services).as("%s mixes services", where).hasSize(1);
            String svc = services.iterator().next();
            switch (svc) {
                case "s3" -> assertThat(st.condition("StringEquals", "aws:SourceVpce")).as(where).isEqualTo(s3Vpce);
                case "secretsmanager" -> {
                    if (secretsVpce.isPresent()) {
                        assertThat(st.condition("StringEquals", "aws:SourceVpce")).as(where).isEqualTo(secretsVpce.get());
                    } else {
                        assertThat(PolicyExceptions.covers("custom (network perimeter)", s, where)).as(where).isTrue();
                    }
                }
                case "kms" -> assertThat(st.condition("StringEquals", "kms:ViaService")).as(where).isNotNull();
                case "logs" -> assertThat(PolicyExceptions.covers("custom (network perimeter)", s, where)).as(where).isTrue();
                // IAM database authentication: the host signs the token itself and hands it to the
                // database, which checks it; no request reaches an AWS endpoint, so there is no
                // network key to pin. Scoped instead to the two application roles' dbuser ARNs.
                case "rds-db" -> assertThat(st.resources()).as(where)
                        .containsExactlyInAnyOrderElementsOf(IamControlsTest.dbUserArns(s));
                default -> throw new AssertionError(where + ": the host role has no business with " + svc);
            }
        }
    }

    @ForEachStack
    @DisplayName("L7: the host role uses the CMK only via S3 (this bucket's encryption context) and Secrets Manager (these secrets' context)")
    void hostRoleUsesTheKeyOnlyThroughItsServices(String stack) {
        var s = PolicyStack.of(stack);
        String region = s.config().region();
        String bucket = s.arn(S3ControlsTest.dataBucket(s).name());
        // every secret the host reads: not the DICOM peers' keys, which only operators read
        List<String> secrets = new java.util.ArrayList<>(s.ofType(Types.SECRET).stream()
                .filter(x -> !PolicyStack.str(x, "name").endsWith("/orthweb/dicom-peers"))
                .map(x -> s.arn(x.name())).toList());
        // the master credential's secret (RDS's, under the stack key) until provisioning closes it
        secrets.add(IamControlsTest.masterSecretArn(s));
        List<Statement> kms = statements(hostPolicy(s).inputs().get("policy")).stream()
                .filter(st -> st.actions().stream().anyMatch(a -> a.startsWith("kms:"))).toList();
        assertThat(kms).as("key statements").hasSize(2);
        for (Statement st : kms) {
            assertThat(st.actions()).isSubsetOf("kms:Decrypt", "kms:GenerateDataKey");
            Object via = st.condition("StringEquals", "kms:ViaService");
            if (("s3." + region + ".amazonaws.com").equals(via)) {
                assertThat(strings(st.condition("StringLike", "kms:EncryptionContext:aws:s3:arn")))
                        .as("%s: S3 encryption context", st.sid()).isNotEmpty().isSubsetOf(bucket, bucket + "/*");
            } else if (("secretsmanager." + region + ".amazonaws.com").equals(via)) {
                assertThat(strings(st.condition("StringEquals", "kms:EncryptionContext:SecretARN")))
                        .as("%s: secret encryption context", st.sid()).containsExactlyInAnyOrderElementsOf(secrets);
                assertThat(st.actions()).as("secrets are only read").containsExactly("kms:Decrypt");
            } else {
                throw new AssertionError(st.sid() + ": kms:ViaService " + via + " is neither S3 nor Secrets Manager");
            }
        }
    }

    // ---- M6: the master credential closes after provisioning ---------------------------------

    @ForEachStack
    @DisplayName("custom (master secret), M6: the host reads the master DB secret only while it lacks the provisioning tag, and may set only that tag")
    void masterSecretClosesAfterProvisioning(String stack) {
        var s = PolicyStack.of(stack);
        String db = IamControlsTest.masterSecretArn(s);
        String tag = Layout.DB_PROVISIONED_TAG;
        List<Statement> all = statements(hostPolicy(s).inputs().get("policy"));
        List<Statement> reads = all.stream().filter(st -> st.actions().contains("secretsmanager:GetSecretValue")
                && st.resources().contains(db)).toList();
        assertThat(reads).as("a statement reads the master secret").hasSize(1);
        assertThat(reads.get(0).resources()).containsExactly(db);
        assertThat(reads.get(0).condition("Null", "secretsmanager:ResourceTag/" + tag)).isEqualTo("true");

        List<Statement> tagging = all.stream().filter(st -> st.actions().stream().anyMatch(a -> a.contains("Tag"))).toList();
        assertThat(tagging).hasSize(1).allSatisfy(st -> {
            assertThat(st.actions()).containsExactly("secretsmanager:TagResource");
            assertThat(st.resources()).containsExactly(db);
            assertThat(st.condition("Null", "aws:RequestTag/" + tag)).isEqualTo("false");
            assertThat(strings(st.condition("ForAllValues:StringEquals", "aws:TagKeys"))).containsExactly(tag);
        });
        assertThat(all).as("no way to remove the tag or change the secret").noneMatch(st -> st.actions().stream()
                .anyMatch(a -> a.matches("secretsmanager:(Untag|Put|Update|Delete|Restore|Rotate).*")));
        // the secret is RDS's (managed master password), not a resource of the program: no update
        // of the stack can remove the tag
        assertThat(s.ofType(Types.SECRET)).noneMatch(x -> s.arn(x.name()).equals(db));
    }

    // ---- M5: the data bucket and the endpoints admit only the stack's principals --------------

    @ForEachStack
    @DisplayName("custom (data perimeter), H4, M5: data bucket denies instance credentials outside their VPC's endpoints, and object reads/writes to anyone but the host role")
    void dataBucketPerimeter(String stack) {
        var s = PolicyStack.of(stack);
        PlannedResource data = S3ControlsTest.dataBucket(s);
        String bucket = s.arn(data.name());
        String role = s.arn(hostRole(s).name());
        List<Statement> denies = statements(S3ControlsTest.of(s, Types.BUCKET_POLICY, data).get(0).inputs().get("policy"))
                .stream().filter(st -> !st.allow()).toList();
        assertThat(denies).as("network perimeter for EC2 role credentials").anySatisfy(st -> {
            assertThat(st.actions()).containsExactly("s3:*");
            assertThat(st.resources()).containsExactlyInAnyOrder(bucket, bucket + "/*");
            assertThat(st.principal()).isEqualTo("*");
            assertThat(st.condition("Null", "aws:ec2InstanceSourceVPC")).isEqualTo("false");
            assertThat(st.condition("StringNotEquals", "aws:SourceVpc")).isEqualTo("${aws:ec2InstanceSourceVPC}");
            assertThat(st.condition("BoolIfExists", "aws:ViaAWSService")).isEqualTo("false");
            assertThat(st.condition()).hasSize(3);
        });
        assertThat(denies).as("object data only for the host role").anySatisfy(st -> {
            assertThat(st.actions()).contains("s3:GetObject", "s3:PutObject");
            assertThat(st.resources()).containsExactly(bucket + "/*");
            assertThat(st.condition("ArnNotEquals", "aws:PrincipalArn")).isEqualTo(role);
            assertThat(st.condition("BoolIfExists", "aws:PrincipalIsAWSService")).isEqualTo("false");
            assertThat(st.condition()).hasSize(2);
        });
    }

    @ForEachStack
    @DisplayName("custom (endpoint policies), M5: S3, Secrets Manager and KMS endpoints admit the host role on the stack's own bucket, secrets and key only")
    void endpointPolicies(String stack) {
        var s = PolicyStack.of(stack);
        String role = s.arn(hostRole(s).name());
        String bucket = s.arn(S3ControlsTest.dataBucket(s).name());
        String logBucketName = str(S3ControlsTest.logBucket(s), "bucket");
        List<String> secrets = new java.util.ArrayList<>(s.ofType(Types.SECRET).stream().map(x -> s.arn(x.name())).toList());
        // and the master credential's secret, which RDS made
        secrets.add(IamControlsTest.masterSecretArn(s));
        Map<String, List<String>> ownResources = new java.util.HashMap<>();
        ownResources.put("com.amazonaws." + s.config().region() + ".s3", List.of(bucket, bucket + "/*"));
        ownResources.put("com.amazonaws." + s.config().region() + ".secretsmanager", secrets);
        ownResources.put("com.amazonaws." + s.config().region() + ".kms", List.of(s.keyArn()));
        int checked = 0;
        for (PlannedResource endpoint : s.ofType(Types.VPC_ENDPOINT)) {
            List<String> own = ownResources.get(str(endpoint, "serviceName"));
            if (own == null) {
                continue; // ssm, ssmmessages, ec2messages, ec2: default policy (see EndpointPolicies)
            }
            checked++;
            assertThat(endpoint.inputs()).as("%s: one policy, as a separate resource", endpoint.name()).doesNotContainKey("policy");
            List<PlannedResource> policies = s.where(Types.VPC_ENDPOINT_POLICY, "vpcEndpointId", s.id(endpoint.name()));
            assertThat(policies).as("policy of %s", endpoint.name()).hasSize(1);
            for (Statement st : statements(policies.get(0).inputs().get("policy"))) {
                String where = policies.get(0).name() + " " + st.sid();
                assertThat(st.allow()).as(where).isTrue();
                if ("*".equals(st.principal())) {
                    assertThat(PolicyExceptions.covers("custom (endpoint policies)", s, where)).as(where).isTrue();
                    assertThat(st.actions()).containsExactly("s3:GetObject");
                    assertThat(st.resources()).as(where).allMatch(r -> r.startsWith("arn:aws:s3:::") && r.endsWith("/*")
                            && !r.contains(logBucketName) && !r.startsWith(bucket));
                } else {
                    assertThat(st.awsPrincipals()).as(where).containsExactly(role);
                    assertThat(st.resources()).as(where).isNotEmpty().isSubsetOf(own);
                    assertThat(st.actions()).as(where).noneMatch(a -> a.endsWith("*"));
                }
            }
        }
        assertThat(checked).as("the S3 endpoint and the configured kms/secretsmanager endpoints")
                .isEqualTo(1 + (int) s.config().network().interfaceEndpoints().stream()
                        .filter(e -> e.equals("kms") || e.equals("secretsmanager")).count());
    }

    @ForEachStack
    @DisplayName("custom (egress allow-list), M5: the hosts' only egress to the internet is tcp 443 (EX-12)")
    void hostEgressToTheInternet(String stack) {
        var s = PolicyStack.of(stack);
        for (PlannedResource rule : s.ofType(Types.SG_EGRESS)) {
            if ("0.0.0.0/0".equals(str(rule, "cidrIpv4")) || "::/0".equals(str(rule, "cidrIpv6"))) {
                assertThat(str(rule, "ipProtocol")).isEqualTo("tcp");
                assertThat(num(rule.inputs().get("fromPort"))).isEqualTo(443);
                assertThat(num(rule.inputs().get("toPort"))).isEqualTo(443);
                assertThat(PolicyExceptions.covers("custom (egress allow-list)", s, rule.name())).as(rule.name()).isTrue();
            }
        }
    }

    // ---- H5 (cloud part), L5: S3 data events and audit log retention ---------------------------

    @ForEachStack
    @DisplayName("custom (S3 data events), H5: hardened stacks record the data bucket's object events in an encrypted, validated trail delivered to the log bucket")
    void dataEventTrail(String stack) {
        var s = PolicyStack.of(stack);
        List<PlannedResource> trails = s.ofType(Types.CLOUDTRAIL_TRAIL);
        if (!s.hardened()) {
            assertThat(trails).isEmpty();
            return;
        }
        assertThat(trails).hasSize(1);
        PlannedResource trail = trails.get(0);
        String trailArn = s.arn(trail.name());
        String data = s.arn(S3ControlsTest.dataBucket(s).name());
        PlannedResource logBucket = S3ControlsTest.logBucket(s);
        String log = s.arn(logBucket.name());
        assertThat(str(trail, "s3BucketName")).isEqualTo(str(logBucket, "bucket"));
        assertThat(str(trail, "kmsKeyId")).isEqualTo(s.keyArn());
        assertThat(trail.inputs().get("enableLogFileValidation")).isEqualTo(true);
        assertThat(trail.inputs().get("enableLogging")).isNotEqualTo(false);
        List<Map<String, Object>> fields = new ArrayList<>();
        list(trail.inputs().get("advancedEventSelectors")).forEach(sel -> list(map(sel).get("fieldSelectors"))
                .forEach(f -> fields.add(map(f))));
        assertThat(fields).anySatisfy(f -> {
            assertThat(f.get("field")).isEqualTo("eventCategory");
            assertThat(strings(f.get("equals"))).containsExactly("Data");
        });
        assertThat(fields).anySatisfy(f -> {
            assertThat(f.get("field")).isEqualTo("resources.type");
            assertThat(strings(f.get("equals"))).containsExactly("AWS::S3::Object");
        });
        assertThat(fields).anySatisfy(f -> {
            assertThat(f.get("field")).isEqualTo("resources.ARN");
            assertThat(strings(f.get("startsWiths"))).containsExactly(data + "/");
        });

        String prefix = str(trail, "s3KeyPrefix");
        assertThat(prefix).isNotBlank();
        List<Statement> logPolicy = statements(S3ControlsTest.of(s, Types.BUCKET_POLICY, logBucket).get(0).inputs().get("policy"));
        assertThat(logPolicy).as("CloudTrail may write the trail's files, for this trail only").anySatisfy(st -> {
            assertThat(st.servicePrincipals()).containsExactly("cloudtrail.amazonaws.com");
            assertThat(st.actions()).containsExactly("s3:PutObject");
            assertThat(st.resources()).containsExactly(log + "/" + prefix + "/AWSLogs/" + PlanMocks.ACCOUNT + "/*");
            assertThat(st.condition("StringEquals", "aws:SourceArn")).isEqualTo(trailArn);
            assertThat(st.condition("StringEquals", "s3:x-amz-acl")).isEqualTo("bucket-owner-full-control");
        });
        assertThat(logPolicy).as("CloudTrail checks the ACL").anySatisfy(st -> {
            assertThat(st.servicePrincipals()).containsExactly("cloudtrail.amazonaws.com");
            assertThat(st.actions()).containsExactly("s3:GetBucketAcl");
            assertThat(st.resources()).containsExactly(log);
            assertThat(st.condition("StringEquals", "aws:SourceArn")).isEqualTo(trailArn);
        });
        List<Statement> key = statements(s.key().inputs().get("policy"));
        assertThat(key).as("the key encrypts this trail's files").anySatisfy(st -> {
            assertThat(st.servicePrincipals()).containsExactly("cloudtrail.amazonaws.com");
            assertThat(st.actions()).containsExactly("kms:GenerateDataKey*");
            assertThat(st.condition("StringEquals", "aws:SourceArn")).isEqualTo(trailArn);
            assertThat(st.condition("StringLike", "kms:EncryptionContext:aws:cloudtrail:arn"))
                    .isEqualTo("arn:aws:cloudtrail:*:" + PlanMocks.ACCOUNT + ":trail/*");
        });
        assertThat(key).filteredOn(st -> st.servicePrincipals().contains("cloudtrail.amazonaws.com"))
                .allSatisfy(st -> assertThat(st.condition("StringEquals", "aws:SourceArn")).isEqualTo(trailArn));
    }

    @ForEachStack
    @DisplayName("L5: hardened stacks keep the audit trail six years: log bucket expiry and container log group retention >= 2192 days")
    void auditLogRetention(String stack) {
        var s = PolicyStack.of(stack);
        if (!s.hardened()) {
            return;
        }
        // six years as CloudWatch Logs counts them (HIPAA 45 CFR 164.316(b)(2)(i))
        long sixYears = 2192;
        var rules = list(S3ControlsTest.of(s, Types.BUCKET_LIFECYCLE, S3ControlsTest.logBucket(s)).get(0).inputs().get("rules"));
        assertThat(rules).map(PolicyStack::map).filteredOn(r -> r.get("expiration") != null).isNotEmpty()
                .allSatisfy(r -> assertThat(num(map(r.get("expiration")).get("days"))).isGreaterThanOrEqualTo(sixYears));
        Object group = s.plan().outputs().get("containerLogGroup");
        if (group != null) {
            assertThat(s.where(Types.LOG_GROUP, "name", group)).hasSize(1)
                    .allSatisfy(g -> assertThat(num(g.inputs().get("retentionInDays"))).isGreaterThanOrEqualTo(sixYears));
        }
    }
}
