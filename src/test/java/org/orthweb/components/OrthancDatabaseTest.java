package org.orthweb.components;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.orthweb.plan.Plan;
import org.orthweb.support.TestStacks;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.orthweb.support.TestStacks.map;

class OrthancDatabaseTest {

    private final Plan dev = TestStacks.shipped("dev");
    private final Plan prod = TestStacks.shipped("prod");

    @Test
    void databaseAdmitsOnlyTheHostSecurityGroupOn5432() {
        String dbSg = dev.named("database-sg").id();
        var ingress = dev.ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").stream()
                .filter(r -> dbSg.equals(r.inputs().get("securityGroupId"))).toList();
        assertThat(ingress).hasSize(1);
        assertThat(ingress.get(0).inputs()).containsEntry("referencedSecurityGroupId", dev.named("firewall-sg").id())
                .containsEntry("fromPort", 5432L).containsEntry("toPort", 5432L).doesNotContainKey("cidrIpv4");
        assertThat(dev.named("database-instance").inputs().get("vpcSecurityGroupIds")).isEqualTo(List.of(dbSg));
    }

    @Test
    void instanceSettingsFollowTheEnvironment() {
        var d = dev.named("database-instance").inputs();
        var p = prod.named("database-instance").inputs();
        assertThat(d).containsEntry("multiAz", false).containsEntry("deletionProtection", false)
                .containsEntry("skipFinalSnapshot", true).doesNotContainKey("finalSnapshotIdentifier");
        assertThat(p).containsEntry("multiAz", true).containsEntry("deletionProtection", true)
                .containsEntry("skipFinalSnapshot", false).containsEntry("deleteAutomatedBackups", false)
                .containsEntry("performanceInsightsEnabled", true);
        assertThat(String.valueOf(p.get("finalSnapshotIdentifier"))).endsWith("-orthancdb-final");
        for (var in : List.of(d, p)) {
            assertThat(in).containsEntry("engine", "postgres").containsEntry("storageEncrypted", true)
                    .containsEntry("storageType", "gp3").containsEntry("publiclyAccessible", false)
                    .containsEntry("iamDatabaseAuthenticationEnabled", true).containsEntry("monitoringInterval", 60L)
                    .containsEntry("enabledCloudwatchLogsExports", List.of("postgresql", "upgrade"))
                    .containsEntry("manageMasterUserPassword", true).doesNotContainKey("password")
                    .containsEntry("username", "orthweb_admin");
        }
        assertThat(d.get("kmsKeyId")).isEqualTo(dev.named("encryption-key").get("arn"));
        assertThat(d.get("monitoringRoleArn")).isEqualTo(dev.named("database-monitoring-role").get("arn"));
    }

    @Test
    void parameterGroupForcesTlsAndLogsConnections() {
        var params = prod.named("database-params");
        assertThat(params.inputs()).containsEntry("family", "postgres17");
        var byName = ((List<?>) params.inputs().get("parameters")).stream().map(TestStacks::map)
                .collect(java.util.stream.Collectors.toMap(m -> m.get("name"), m -> m.get("value")));
        assertThat(byName).containsEntry("rds.force_ssl", "1").containsEntry("log_connections", "1")
                .containsEntry("log_disconnections", "1").containsEntry("ssl_min_protocol_version", "TLSv1.2");
        assertThat(prod.named("database-instance").inputs()).containsEntry("parameterGroupName", params.inputs().get("name"));
    }

    @Test
    void logGroupsArePreCreatedForTheInstanceIdentifierEncryptedWithRetention() {
        Object identifier = prod.named("database-instance").inputs().get("identifier");
        for (String log : List.of("postgresql", "upgrade")) {
            var group = prod.named("database-log-" + log).inputs();
            assertThat(group).containsEntry("name", "/aws/rds/instance/" + identifier + "/" + log)
                    .containsEntry("retentionInDays", 365L)
                    .containsEntry("kmsKeyId", prod.named("encryption-key").get("arn"));
        }
    }

    @Test
    void masterCredentialIsManagedAndRotatedByRdsUnderTheStackKey() {
        var db = dev.named("database-instance");
        assertThat(db.inputs()).containsEntry("manageMasterUserPassword", true)
                .containsEntry("masterUserSecretKmsKeyId", dev.named("encryption-key").get("arn"))
                .doesNotContainKey("password");
        // no password of ours: no generator and no secret of ours for it
        assertThat(dev.resources()).noneMatch(r -> r.name().startsWith("database-master"));
        // the hosts (DB_SECRET_ARN) and the stack output name the secret RDS made
        Object managed = ((java.util.Map<?, ?>) ((List<?>) db.get("masterUserSecrets")).get(0)).get("secretArn");
        assertThat(String.valueOf(managed)).contains(":secret:rds!db-");
        assertThat(dev.outputs().get("dbSecretArn")).isEqualTo(managed);
    }

    @Test
    void monitoringRoleTrustsOnlyRdsMonitoring() {
        JsonNode trust = TestStacks.json(dev.named("database-monitoring-role").inputs().get("assumeRolePolicy"));
        assertThat(trust.get("Statement")).hasSize(1);
        assertThat(trust.at("/Statement/0/Principal/Service").asText()).isEqualTo("monitoring.rds.amazonaws.com");
        assertThat(map(dev.named("database-monitoring-policy").inputs()).get("policyArn"))
                .isEqualTo("arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole");
    }

    // ---------------------------------------------------------------- versions and upgrades (issue 14)

    private static Plan withDatabase(String environment, String databaseLines) {
        String extra = "  orthweb:database:\n" + databaseLines;
        if (environment.equals("prd")) {
            extra += "  orthweb:network:\n    webClientCidrs: [198.51.100.0/24]\n    dicomClientCidrs: [203.0.113.0/24]\n"
                    + "  orthweb:alerts:\n    emails: [ops@example.org]\n";
        }
        return TestStacks.plan(environment.equals("prd") ? "prod" : "dev", TestStacks.yaml(environment, extra));
    }

    @Test
    void theShippedStacksRunAMajorOnlyVersionSoRdsMinorUpgradesNeverLookLikeDrift() {
        for (Plan plan : List.of(dev, prod)) {
            assertThat(plan.named("database-instance").inputs()).containsEntry("engineVersion", "17")
                    .containsEntry("autoMinorVersionUpgrade", true).doesNotContainKey("allowMajorVersionUpgrade");
            assertThat(plan.named("database-params").inputs()).containsEntry("family", "postgres17");
        }
    }

    @Test
    void aPinnedVersionIsPassedAsWrittenWithItsMajorsFamily() {
        Plan pinned = withDatabase("dev", "    engineVersion: \"16.8\"\n");
        assertThat(pinned.named("database-instance").inputs()).containsEntry("engineVersion", "16.8");
        assertThat(pinned.named("database-params").inputs()).containsEntry("family", "postgres16");
    }

    @Test
    void aMajorUpgradeIsAllowedOnlyWhenTheSettingSaysSo() {
        Plan allowed = withDatabase("dev", "    engineVersion: \"17\"\n    allowMajorVersionUpgrade: true\n");
        assertThat(allowed.named("database-instance").inputs()).containsEntry("allowMajorVersionUpgrade", true);
        Plan notAllowed = withDatabase("dev", "    engineVersion: \"17\"\n    allowMajorVersionUpgrade: false\n");
        assertThat(notAllowed.named("database-instance").inputs()).doesNotContainKey("allowMajorVersionUpgrade");
    }

    /**
     * From 16 to 17 the parameter group's family changes, which forces a new group: its name changes
     * with the major, so the new group can exist beside the old one (Pulumi creates the replacement
     * first) and the instance is pointed at it in the same update as the engine version.
     */
    @Test
    void theParameterGroupFollowsTheMajorUnderANewNameAndTheInstanceUsesIt() {
        Plan before = withDatabase("prd", "    engineVersion: \"16\"\n");
        Plan after = withDatabase("prd", "    engineVersion: \"17\"\n    allowMajorVersionUpgrade: true\n");
        var oldGroup = before.named("database-params").inputs();
        var newGroup = after.named("database-params").inputs();
        assertThat(oldGroup).containsEntry("family", "postgres16");
        assertThat(newGroup).containsEntry("family", "postgres17");
        assertThat(String.valueOf(oldGroup.get("name"))).endsWith("-postgres16");
        assertThat(String.valueOf(newGroup.get("name"))).endsWith("-postgres17");
        assertThat(after.named("database-instance").inputs()).containsEntry("parameterGroupName", newGroup.get("name"))
                .containsEntry("engineVersion", "17").containsEntry("allowMajorVersionUpgrade", true);
        // the same parameters in both families (they all exist in postgres16 and postgres17)
        assertThat(newGroup.get("parameters")).isEqualTo(oldGroup.get("parameters"));
    }

    /** Hardened stacks change the database in its maintenance window; disposable ones at once. */
    @Test
    void hardenedStacksApplyChangesInTheMaintenanceWindow() {
        assertThat(prod.named("database-instance").inputs()).containsEntry("applyImmediately", false)
                .containsEntry("maintenanceWindow", OrthancDatabase.MAINTENANCE_WINDOW);
        assertThat(dev.named("database-instance").inputs()).containsEntry("applyImmediately", true);
        assertThat(withDatabase("prd", "    engineVersion: \"17\"\n    allowMajorVersionUpgrade: true\n")
                .named("database-instance").inputs()).containsEntry("applyImmediately", false);
    }
}
