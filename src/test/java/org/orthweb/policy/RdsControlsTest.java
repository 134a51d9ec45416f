package org.orthweb.policy;

import org.junit.jupiter.api.DisplayName;
import org.orthweb.config.ConfigRules;
import org.orthweb.plan.Plan;
import org.orthweb.plan.Plan.PlannedResource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.orthweb.policy.PolicyStack.list;
import static org.orthweb.policy.PolicyStack.map;
import static org.orthweb.policy.PolicyStack.num;
import static org.orthweb.policy.PolicyStack.statements;
import static org.orthweb.policy.PolicyStack.str;
import static org.orthweb.policy.PolicyStack.strings;

/** The Orthanc index database (RDS PostgreSQL). */
@DisplayName("RDS")
class RdsControlsTest {

    static final Set<String> CURRENT_CAS = Set.of("rds-ca-rsa2048-g1", "rds-ca-rsa4096-g1", "rds-ca-ecc384-g1");

    static PlannedResource db(PolicyStack s) {
        return s.single(Types.DB_INSTANCE);
    }

    static Map<String, String> parameters(PlannedResource group) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Object p : list(group.inputs().get("parameters"))) {
            out.put(String.valueOf(map(p).get("name")), String.valueOf(map(p).get("value")));
        }
        return out;
    }

    static PlannedResource parameterGroup(PolicyStack s) {
        List<PlannedResource> groups = s.where(Types.DB_PARAMETER_GROUP, "name", db(s).inputs().get("parameterGroupName"));
        assertThat(groups).as("the DB's parameter group is one of ours").hasSize(1);
        return groups.get(0);
    }

    @ForEachStack
    @DisplayName("CKV_AWS_16, RDS.3, AG:rds-storage-encrypted: storage encrypted with the CMK")
    void CKV_AWS_16_RDS_3_storageEncrypted(String stack) {
        var s = PolicyStack.of(stack);
        assertThat(db(s).inputs().get("storageEncrypted")).isEqualTo(true);
        assertThat(db(s).inputs().get("kmsKeyId")).isEqualTo(s.keyArn());
    }

    @ForEachStack
    @DisplayName("CKV_AWS_17, RDS.2: not publicly accessible")
    void CKV_AWS_17_RDS_2_notPublic(String stack) {
        var s = PolicyStack.of(stack);
        assertThat(db(s).inputs().get("publiclyAccessible")).isIn(false, null);
    }

    @ForEachStack
    @DisplayName("RDS.18: subnet group of private subnets only, used by the DB")
    void RDS_18_privateSubnetGroup(String stack) {
        var s = PolicyStack.of(stack);
        List<PlannedResource> groups = s.where(Types.DB_SUBNET_GROUP, "name", db(s).inputs().get("dbSubnetGroupName"));
        assertThat(groups).as("the DB's subnet group is one of ours").hasSize(1);
        Set<String> privateIds = Topology.ids(s, Topology.privateSubnets(s));
        Set<String> publicIds = Topology.ids(s, Topology.publicSubnets(s));
        List<String> subnets = strings(groups.get(0).inputs().get("subnetIds"));
        assertThat(subnets).as("subnets of the DB subnet group").hasSizeGreaterThanOrEqualTo(2)
                .doesNotContainAnyElementsOf(publicIds).allMatch(privateIds::contains);
    }

    @ForEachStack
    @DisplayName("CKV_AWS_157, RDS.5: multi-AZ (hardened stacks)")
    void CKV_AWS_157_RDS_5_multiAz(String stack) {
        var s = PolicyStack.of(stack);
        if (s.hardened()) {
            assertThat(db(s).inputs().get("multiAz")).isEqualTo(true);
        }
        assertThat(db(s).inputs().get("multiAz")).as("as configured").isEqualTo(s.config().database().multiAz());
    }

    @ForEachStack
    @DisplayName("CKV_AWS_133, RDS.11: backups retained 7-35 days in a set window")
    void CKV_AWS_133_RDS_11_backups(String stack) {
        var s = PolicyStack.of(stack);
        long days = num(db(s).inputs().get("backupRetentionPeriod"));
        assertThat(days).isBetween((long) ConfigRules.MIN_BACKUP_DAYS, (long) ConfigRules.MAX_BACKUP_DAYS);
        assertThat(str(db(s), "backupWindow")).matches("\\d\\d:\\d\\d-\\d\\d:\\d\\d");
        assertThat(str(db(s), "maintenanceWindow")).isNotBlank();
    }

    @ForEachStack
    @DisplayName("CKV_AWS_293, RDS.8: deletion protection, final snapshot, automated backups kept; Pulumi protect (hardened stacks)")
    void CKV_AWS_293_RDS_8_deletionProtection(String stack) {
        var s = PolicyStack.of(stack);
        if (!s.hardened()) {
            return;
        }
        var in = db(s).inputs();
        assertThat(in.get("deletionProtection")).isEqualTo(true);
        assertThat(in.get("skipFinalSnapshot")).isEqualTo(false);
        assertThat(str(db(s), "finalSnapshotIdentifier")).isNotBlank();
        assertThat(in.get("deleteAutomatedBackups")).isEqualTo(false);
        assertThat(s.protect(db(s).name())).as("Pulumi protect").isTrue();
    }

    @ForEachStack
    @DisplayName("CKV_AWS_129, RDS.9: postgresql and upgrade logs exported into pre-created CMK-encrypted log groups with retention")
    void CKV_AWS_129_RDS_9_logExports(String stack) {
        var s = PolicyStack.of(stack);
        List<String> exports = strings(db(s).inputs().get("enabledCloudwatchLogsExports"));
        assertThat(exports).contains("postgresql", "upgrade");
        for (String log : exports) {
            String name = "/aws/rds/instance/" + str(db(s), "identifier") + "/" + log;
            List<PlannedResource> groups = s.where(Types.LOG_GROUP, "name", name);
            assertThat(groups).as("log group %s pre-created", name).hasSize(1);
            assertThat(groups.get(0).inputs().get("kmsKeyId")).isEqualTo(s.keyArn());
            assertThat(num(groups.get(0).inputs().get("retentionInDays"))).isPositive();
        }
    }

    @ForEachStack
    @DisplayName("CKV_AWS_118, RDS.6: enhanced monitoring at an allowed interval with a role trusting monitoring.rds.amazonaws.com")
    void CKV_AWS_118_RDS_6_enhancedMonitoring(String stack) {
        var s = PolicyStack.of(stack);
        assertThat(num(db(s).inputs().get("monitoringInterval"))).isIn(1L, 5L, 10L, 15L, 30L, 60L);
        String roleArn = str(db(s), "monitoringRoleArn");
        var role = s.ofType(Types.ROLE).stream().filter(r -> s.arn(r.name()).equals(roleArn)).findFirst();
        assertThat(role).as("monitoring role is one of ours").isPresent();
        var trust = statements(role.get().inputs().get("assumeRolePolicy"));
        assertThat(trust).hasSize(1);
        assertThat(trust.get(0).servicePrincipals()).containsExactly("monitoring.rds.amazonaws.com");
        assertThat(s.where(Types.ROLE_POLICY_ATTACHMENT, "role", s.id(role.get().name())))
                .extracting(a -> str(a, "policyArn")).containsExactly(PolicyExceptions.RDS_MONITORING);
    }

    @ForEachStack
    @DisplayName("CKV_AWS_161, CKV_AWS_226, CKV2_AWS_60: IAM DB auth on, minor upgrades on, tags copied to snapshots")
    void CKV_AWS_161_CKV_AWS_226_CKV2_AWS_60(String stack) {
        var s = PolicyStack.of(stack);
        var in = db(s).inputs();
        assertThat(in.get("iamDatabaseAuthenticationEnabled")).isEqualTo(true);
        assertThat(in.get("autoMinorVersionUpgrade")).isIn(true, null);
        assertThat(in.get("copyTagsToSnapshot")).isEqualTo(true);
    }

    @ForEachStack
    @DisplayName("CKV_AWS_211: current CA certificate; engine version as configured, major upgrades only when asked for")
    void CKV_AWS_211_caAndEngine(String stack) {
        var s = PolicyStack.of(stack);
        assertThat(str(db(s), "caCertIdentifier")).isIn(CURRENT_CAS);
        assertThat(str(db(s), "engine")).isEqualTo("postgres");
        assertThat(str(db(s), "engineVersion")).as("major, or pinned major.minor").matches("\\d+(\\.\\d+)?")
                .isEqualTo(s.config().database().engineVersion());
        if (!s.config().database().allowMajorVersionUpgrade()) {
            assertThat(db(s).inputs().get("allowMajorVersionUpgrade")).isIn(false, null);
        }
    }

    @ForEachStack
    @DisplayName("CKV2_AWS_69, HIPAA: parameter group of the engine's family forces TLS (rds.force_ssl=1, TLS 1.2+)")
    void CKV2_AWS_69_forceSsl(String stack) {
        var s = PolicyStack.of(stack);
        var group = parameterGroup(s);
        String major = str(db(s), "engineVersion").split("\\.")[0];
        assertThat(str(group, "family")).isEqualTo("postgres" + major);
        Map<String, String> p = parameters(group);
        assertThat(p).containsEntry("rds.force_ssl", "1");
        assertThat(p).containsEntry("ssl_min_protocol_version", "TLSv1.2");
    }

    @ForEachStack
    @DisplayName("CKV2_AWS_30: statement logging configured, connections and disconnections logged")
    void CKV2_AWS_30_queryLogging(String stack) {
        var s = PolicyStack.of(stack);
        Map<String, String> p = parameters(parameterGroup(s));
        assertThat(p).containsEntry("log_connections", "1").containsEntry("log_disconnections", "1");
        assertThat(p.get("log_statement")).as("log_statement").isIn("ddl", "mod", "all");
        assertThat(p).containsKey("log_min_duration_statement");
        assertThat(Long.parseLong(p.get("log_min_duration_statement"))).isGreaterThanOrEqualTo(0L);
        // the logs may hold PHI: their groups are CMK-encrypted (checked in CKV_AWS_129 / CKV_AWS_158)
        assertThat(strings(db(s).inputs().get("enabledCloudwatchLogsExports"))).contains("postgresql");
    }

    @ForEachStack
    @DisplayName("CKV_AWS_353, CKV_AWS_354: Performance Insights with the CMK (hardened stacks; others: EX-06)")
    void CKV_AWS_353_354_performanceInsights(String stack) {
        var s = PolicyStack.of(stack);
        var in = db(s).inputs();
        if (Boolean.TRUE.equals(in.get("performanceInsightsEnabled"))) {
            assertThat(in.get("performanceInsightsKmsKeyId")).isEqualTo(s.keyArn());
            assertThat(num(in.get("performanceInsightsRetentionPeriod"))).isGreaterThanOrEqualTo(7L);
        } else {
            assertThat(PolicyExceptions.covers("CKV_AWS_353", s, db(s).name()))
                    .as("Performance Insights off and no exception covers it").isTrue();
            assertThat(in.get("performanceInsightsKmsKeyId")).isNull();
        }
        if (s.hardened()) {
            assertThat(in.get("performanceInsightsEnabled")).isEqualTo(true);
        }
    }

    @ForEachStack
    @DisplayName("RDS.25, SecretsManager.1/4 (master): master user not postgres/admin; password generated, stored and rotated by RDS under the stack key")
    void RDS_25_masterCredential(String stack) {
        var s = PolicyStack.of(stack);
        assertThat(str(db(s), "username")).isNotBlank()
                .isNotIn("postgres", "admin", "administrator", "root", "rdsadmin", "master", "sa", "orthanc");
        // RDS generates the password, keeps it in its own secret under our key and rotates it (7 days)
        assertThat(db(s).inputs()).containsEntry("manageMasterUserPassword", true)
                .containsEntry("masterUserSecretKmsKeyId", s.keyArn())
                .doesNotContainKey("password");
        assertThat(s.plan().outputs().get("dbSecretArn")).isEqualTo(IamControlsTest.masterSecretArn(s));
    }
}
