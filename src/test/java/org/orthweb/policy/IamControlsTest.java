package org.orthweb.policy;

import org.orthweb.cloudinit.Layout;
import org.junit.jupiter.api.DisplayName;
import org.orthweb.plan.Plan.PlannedResource;
import org.orthweb.plan.PlanMocks;
import org.orthweb.policy.PolicyStack.Statement;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.orthweb.policy.PolicyStack.statements;
import static org.orthweb.policy.PolicyStack.str;

/** IAM roles, their trust and permission policies, and every policy document in the plan. */
@DisplayName("IAM")
class IamControlsTest {

    /** Identity policies: inline role policies and managed policies the program writes. */
    static List<PlannedResource> identityPolicies(PolicyStack s) {
        List<PlannedResource> out = new ArrayList<>(s.ofType(Types.ROLE_POLICY));
        out.addAll(s.ofType(Types.IAM_POLICY));
        return out;
    }

    /** The ARNs the host role may touch: the stack's own bucket, secrets, key, log group, DB users. */
    static Set<String> hostScope(PolicyStack s) {
        Set<String> scope = new HashSet<>();
        String bucket = s.arn(S3ControlsTest.dataBucket(s).name());
        scope.add(bucket);
        scope.add(bucket + "/*");
        s.ofType(Types.SECRET).forEach(x -> scope.add(s.arn(x.name())));
        scope.add(masterSecretArn(s));
        scope.addAll(dbUserArns(s));
        scope.add(s.keyArn());
        Object group = s.plan().outputs().get("containerLogGroup");
        s.ofType(Types.LOG_GROUP).stream().filter(g -> str(g, "name").equals(group)).forEach(g -> {
            scope.add(s.arn(g.name()) + ":*");
            scope.add(s.arn(g.name()) + ":log-stream:*");
        });
        return scope;
    }

    /** The master credential's secret, which RDS creates and manages (the mocks answer its ARN). */
    @SuppressWarnings("unchecked")
    static String masterSecretArn(PolicyStack s) {
        var db = s.single(Types.DB_INSTANCE);
        var secrets = (List<Map<String, Object>>) s.attribute(db.name(), "masterUserSecrets");
        assertThat(secrets).as("RDS manages the master password").hasSize(1);
        return String.valueOf(secrets.get(0).get("secretArn"));
    }

    /** rds-db:connect resources of exactly the two application roles, in the stack's region and account. */
    static List<String> dbUserArns(PolicyStack s) {
        var db = s.single(Types.DB_INSTANCE);
        String[] key = s.keyArn().split(":");
        String resourceId = String.valueOf(s.attribute(db.name(), "resourceId"));
        return List.of(Layout.ORTHANC_DB, Layout.KEYCLOAK_DB).stream().map(user -> "arn:" + key[1] + ":rds-db:"
                + key[3] + ":" + key[4] + ":dbuser:" + resourceId + "/" + user).toList();
    }

    @ForEachStack
    @DisplayName("CKV_AWS_60, CKV_AWS_61: each role trusts exactly its intended service, never * or an account")
    void CKV_AWS_60_CKV_AWS_61_trust(String stack) {
        var s = PolicyStack.of(stack);
        var db = s.single(Types.DB_INSTANCE);
        for (PlannedResource role : s.ofType(Types.ROLE)) {
            String intended;
            boolean profile = s.ofType(Types.INSTANCE_PROFILE).stream().anyMatch(p -> s.id(role.name()).equals(str(p, "role")));
            if (profile) {
                intended = "ec2.amazonaws.com";
            } else if (s.arn(role.name()).equals(str(db, "monitoringRoleArn"))) {
                intended = "monitoring.rds.amazonaws.com";
            } else if (s.ofType(Types.BACKUP_SELECTION).stream().anyMatch(sel -> s.arn(role.name()).equals(str(sel, "iamRoleArn")))) {
                intended = "backup.amazonaws.com";
            } else {
                throw new AssertionError("role " + role.name() + " has no known use: extend this test with its intended principal");
            }
            var trust = statements(role.inputs().get("assumeRolePolicy"));
            assertThat(trust).as("trust of %s", role.name()).hasSize(1);
            Statement st = trust.get(0);
            assertThat(st.allow()).isTrue();
            assertThat(st.actions()).containsExactly("sts:AssumeRole");
            assertThat(st.principal()).as("principal of %s", role.name()).isEqualTo(Map.of("Service", intended));
            assertThat(st.raw()).doesNotContainKeys("NotPrincipal", "NotAction");
        }
    }

    @ForEachStack
    @DisplayName("CKV_AWS_62, CKV_AWS_63, CKV_AWS_355, CKV_AWS_286-290, IAM.1, IAM.21: no wildcard actions; resources scoped to the stack's bucket, secrets, key, log group, rds-db:connect as the two application roles")
    void CKV_AWS_62_63_355_286_290_IAM_1_21_leastPrivilege(String stack) {
        var s = PolicyStack.of(stack);
        Set<String> scope = hostScope(s);
        assertThat(identityPolicies(s)).isNotEmpty();
        for (PlannedResource policy : identityPolicies(s)) {
            for (Statement st : statements(policy.inputs().get("policy"))) {
                String where = policy.name() + " " + st.sid();
                assertThat(st.raw()).as(where).doesNotContainKeys("NotAction", "NotResource", "Principal");
                assertThat(st.allow()).as("%s: identity policies only allow", where).isTrue();
                for (String action : st.actions()) {
                    assertThat(action).as(where).isNotEqualTo("*").doesNotEndWith(":*").contains(":");
                    String service = action.substring(0, action.indexOf(':'));
                    // privilege escalation, credentials exposure, permissions management (CKV_AWS_286/287/289)
                    assertThat(service).as("%s: %s", where, action).isNotIn("iam", "sts", "organizations", "lambda");
                    assertThat(action).as(where).doesNotContainPattern("(?i)(Put|Delete|Create|Attach|Update)[A-Za-z]*Policy")
                            .doesNotContainPattern("(?i)PutBucketAcl|PutObjectAcl|PassRole|CreateGrant|ScheduleKeyDeletion");
                }
                assertThat(st.resources()).as("%s resources", where).isNotEmpty().doesNotContain("*")
                        .allMatch(scope::contains, "within the stack's own ARNs " + scope);
            }
        }
        // and the host gets what the design needs
        var host = s.ofType(Types.ROLE_POLICY);
        List<Statement> all = host.stream().flatMap(p -> statements(p.inputs().get("policy")).stream()).toList();
        // every secret but the DICOM peers' keys, which only operators read (orthweb dicom-client)
        s.ofType(Types.SECRET).forEach(sec -> {
            boolean peerKeys = PolicyStack.str(sec, "name").endsWith("/orthweb/dicom-peers");
            boolean readable = all.stream().anyMatch(st -> st.actions().contains("secretsmanager:GetSecretValue")
                    && st.resources().contains(s.arn(sec.name())));
            assertThat(readable).as("host reads %s", sec.name()).isEqualTo(!peerKeys);
        });
        // and the master credential until provisioning closes it (tag condition, PerimeterControlsTest)
        assertThat(all).anyMatch(st -> st.actions().contains("secretsmanager:GetSecretValue")
                && st.resources().contains(masterSecretArn(s)));
        // L6 (reversed by credential rotation): IAM database authentication for exactly the two
        // application roles, which have no password; never the master user, never a wildcard
        List<String> connect = all.stream().filter(st -> st.actions().stream().anyMatch(a -> a.startsWith("rds-db:")))
                .flatMap(st -> st.resources().stream()).toList();
        assertThat(connect).containsExactlyInAnyOrderElementsOf(dbUserArns(s));
        assertThat(all).filteredOn(st -> st.actions().stream().anyMatch(a -> a.startsWith("rds-db:")))
                .allMatch(st -> st.actions().equals(List.of("rds-db:connect")));
        assertThat(all).anyMatch(st -> st.actions().contains("s3:GetObject")
                && st.resources().contains(s.arn(S3ControlsTest.dataBucket(s).name()) + "/*"));
        assertThat(all).anyMatch(st -> st.actions().contains("kms:Decrypt") && st.resources().equals(List.of(s.keyArn())));
        if (s.config().logging().containerLogs()) {
            assertThat(all).anyMatch(st -> st.actions().contains("logs:PutLogEvents"));
        }
    }

    @ForEachStack
    @DisplayName("KMS.1, KMS.2: no kms:* and no kms:Decrypt on Resource *; KMS actions only on the CMK")
    void KMS_1_KMS_2_kmsScoped(String stack) {
        var s = PolicyStack.of(stack);
        for (PlannedResource policy : identityPolicies(s)) {
            for (Statement st : statements(policy.inputs().get("policy"))) {
                if (st.actions().stream().anyMatch(a -> a.startsWith("kms:"))) {
                    assertThat(st.actions()).doesNotContain("kms:*");
                    assertThat(st.resources()).as("%s %s", policy.name(), st.sid()).containsExactly(s.keyArn());
                }
            }
        }
    }

    @ForEachStack
    @DisplayName("CKV_AWS_274, IAM.2: no admin/full-access managed policies; each role managed one way; no IAM users or groups")
    void CKV_AWS_274_IAM_2_attachments(String stack) {
        var s = PolicyStack.of(stack);
        for (PlannedResource a : s.ofType(Types.ROLE_POLICY_ATTACHMENT)) {
            String arn = str(a, "policyArn");
            assertThat(arn).doesNotContain("AdministratorAccess").doesNotContain("FullAccess").doesNotContain("PowerUserAccess");
            assertThat(PolicyExceptions.covers("CKV_AWS_274", s, a.name()))
                    .as("managed policy %s on %s is not in the documented list (EX-08)", arn, a.name()).isTrue();
        }
        for (PlannedResource role : s.ofType(Types.ROLE)) {
            // attachments and inline policies are separate resources: the role itself declares none
            assertThat(role.inputs()).as("%s managed one way only", role.name())
                    .doesNotContainKeys("managedPolicyArns", "inlinePolicies");
            for (String type : List.of(Types.ROLE_POLICY, Types.ROLE_POLICY_ATTACHMENT)) {
                s.ofType(type).forEach(p -> assertThat(s.ids(s.ofType(Types.ROLE))).contains(str(p, "role")));
            }
        }
        assertThat(s.plan().resources()).as("no exclusive or user/group attachments")
                .noneMatch(r -> r.type().startsWith("aws:iam/user") || r.type().startsWith("aws:iam/group")
                        || r.type().equals("aws:iam/policyAttachment:PolicyAttachment")
                        || r.type().startsWith("aws:iam/accessKey"));
    }

    @ForEachStack
    @DisplayName("regression: no Allow statement in any policy document has Action * / service:* or Resource * (key policy: EX-07)")
    void regression_noWildcardsAnywhere(String stack) {
        var s = PolicyStack.of(stack);
        String root = "arn:aws:iam::" + PlanMocks.ACCOUNT + ":root";
        int documents = 0;
        for (PlannedResource r : s.plan().resources()) {
            for (var input : r.inputs().entrySet()) {
                if (input.getKey().equals("policy") || input.getKey().equals("assumeRolePolicy")) {
                    // a masked or non-JSON policy would escape this check
                    assertThat(input.getValue()).as("%s.%s is a readable JSON document", r.name(), input.getKey())
                            .isInstanceOf(String.class).asString().startsWith("{");
                }
                if (!(input.getValue() instanceof String text) || !text.trim().startsWith("{") || !text.contains("\"Statement\"")) {
                    continue;
                }
                documents++;
                boolean keyPolicy = r.type().equals(Types.KMS_KEY) && input.getKey().equals("policy");
                for (Statement st : statements(text)) {
                    String where = r.name() + "." + input.getKey() + " " + st.sid();
                    if (!st.allow()) {
                        continue;
                    }
                    assertThat(st.raw()).as(where).doesNotContainKeys("NotAction", "NotResource", "NotPrincipal");
                    boolean wildcardResource = st.resources().contains("*");
                    if (wildcardResource) {
                        assertThat(keyPolicy && PolicyExceptions.covers("wildcard regression", s, r.name()))
                                .as("%s: Resource * outside a key policy", where).isTrue();
                    }
                    for (String action : st.actions()) {
                        boolean wildcard = action.equals("*") || action.endsWith(":*");
                        if (wildcard) {
                            assertThat(keyPolicy && action.equals("kms:*") && st.awsPrincipals().equals(List.of(root))
                                    && st.servicePrincipals().isEmpty())
                                    .as("%s: wildcard action %s (only the key policy's account-root statement may)", where, action)
                                    .isTrue();
                        }
                    }
                    if ("*".equals(st.principal()) || st.awsPrincipals().contains("*")) {
                        assertThat(PolicyExceptions.covers("wildcard regression", s, r.name() + " " + st.sid()))
                                .as("%s: principal * (only EX-11's read-only AWS-owned downloads may)", where).isTrue();
                    }
                }
            }
        }
        assertThat(documents).as("policy documents found").isGreaterThanOrEqualTo(6);
    }
}
