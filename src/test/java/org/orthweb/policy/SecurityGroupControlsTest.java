package org.orthweb.policy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.orthweb.config.ConfigException;
import org.orthweb.config.ConfigParser;
import org.orthweb.config.RawConfig;
import org.orthweb.plan.Plan.PlannedResource;
import org.orthweb.policy.Topology.Rule;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.orthweb.policy.PolicyStack.list;
import static org.orthweb.policy.PolicyStack.str;
import static org.orthweb.policy.PolicyStack.strings;

/** Security groups and their rules. */
@DisplayName("Security groups")
class SecurityGroupControlsTest {

    static final int HTTPS = 443;
    static final int DICOM_TLS = 11112;
    static final int POSTGRES = 5432;
    /** Keycloak's cluster (JGroups, its failure detection): between the site's hosts only (issue 13). */
    static final Set<Long> KEYCLOAK_CLUSTER = Set.of(7800L, 57800L);
    /** Ports that must never be open to the world (CKV_AWS_24/25/260, CKV_AWS_277 = all ports). */
    static final List<Integer> NEVER_FROM_WORLD = List.of(22, 3389, 80, 5432);

    @ForEachStack
    @DisplayName("CKV_AWS_23: every SG and rule has a description; no SG mixes inline rules with rule resources")
    void CKV_AWS_23_descriptionsAndNoMixedRules(String stack) {
        var s = PolicyStack.of(stack);
        for (PlannedResource sg : s.ofType(Types.SG)) {
            assertThat(str(sg, "description")).as("description of %s", sg.name()).isNotBlank()
                    .isNotEqualTo("Managed by Pulumi").isNotEqualTo("Managed by Terraform");
            boolean inline = !list(sg.inputs().get("ingress")).isEmpty() || !list(sg.inputs().get("egress")).isEmpty();
            String id = s.id(sg.name());
            boolean separate = !s.where(Types.SG_INGRESS, "securityGroupId", id).isEmpty()
                    || !s.where(Types.SG_EGRESS, "securityGroupId", id).isEmpty()
                    || !s.where(Types.SG_RULE_LEGACY, "securityGroupId", id).isEmpty();
            assertThat(inline && separate).as("%s mixes inline rules and rule resources", sg.name()).isFalse();
        }
        for (Rule rule : Topology.allRules(s)) {
            assertThat(rule.description()).as("description of rule %s", rule.resource()).isNotBlank();
        }
        // every rule resource belongs to a security group of this stack
        Set<String> groups = new HashSet<>(s.ids(s.ofType(Types.SG)));
        for (String type : List.of(Types.SG_INGRESS, Types.SG_EGRESS, Types.SG_RULE_LEGACY)) {
            s.ofType(type).forEach(r -> assertThat(groups).as("group of %s", r.name()).contains(str(r, "securityGroupId")));
        }
    }

    @ForEachStack
    @DisplayName("CKV_AWS_24, CKV_AWS_25, CKV_AWS_260, CKV_AWS_277, EC2.19, EC2.13, EC2.21: nothing from 0.0.0.0/0 or ::/0 on 22/3389/80/5432/all ports; no port 22 at all")
    void CKV_AWS_24_25_260_277_EC2_19_13_21_noDangerousIngress(String stack) {
        var s = PolicyStack.of(stack);
        List<Rule> ingress = new java.util.ArrayList<>();
        for (PlannedResource sg : s.ofType(Types.SG)) {
            ingress.addAll(Topology.ingress(s, sg));
        }
        assertThat(ingress).isNotEmpty();
        for (Rule rule : ingress) {
            assertThat(rule.coversPort(22)).as("%s opens port 22 (SSM replaces SSH)", rule.resource()).isFalse();
            assertThat(rule.allPorts()).as("%s opens all ports/protocols", rule.resource()).isFalse();
            if (rule.fromWorld()) {
                for (int port : NEVER_FROM_WORLD) {
                    assertThat(rule.coversPort(port)).as("%s opens %d to the world", rule.resource(), port).isFalse();
                }
                assertThat(List.of((long) HTTPS, (long) DICOM_TLS)).as("%s: world-open port range", rule.resource())
                        .contains(rule.fromPort()).contains(rule.toPort());
                assertThat(rule.fromPort()).isEqualTo(rule.toPort());
            }
        }
    }

    @ForEachStack
    @DisplayName("EC2.18, custom: app SG ingress exactly tcp 443 from the web CIDRs and tcp 11112 from the DICOM CIDRs (HA mode: from the balancer's group only, the CIDRs on the balancer's group); hardened stacks refuse 0.0.0.0/0 on 11112")
    void EC2_18_appSecurityGroupIngress(String stack) {
        var s = PolicyStack.of(stack);
        var net = s.config().network();
        assertThat(net.webClientCidrs()).as("web client CIDRs").isNotEmpty();
        assertThat(net.dicomClientCidrs()).as("DICOM client CIDRs").isNotEmpty();
        var app = Topology.appSecurityGroup(s);
        String appId = s.id(app.name());
        Set<String> actual = new HashSet<>();
        Set<Long> cluster = new HashSet<>();
        for (Rule rule : Topology.ingress(s, app)) {
            assertThat(rule.protocol()).isEqualTo("tcp");
            assertThat(rule.fromPort()).isEqualTo(rule.toPort());
            if (KEYCLOAK_CLUSTER.contains(rule.fromPort())) {
                // Keycloak's cluster port: from the group's own members (the site's hosts), no CIDR
                assertThat(rule.referencedGroup()).as("%s: from the hosts' own group only", rule.resource()).isEqualTo(appId);
                assertThat(rule.cidrs()).isEmpty();
                cluster.add(rule.fromPort());
                continue;
            }
            if (s.config().ha().enabled()) {
                // HA mode: 443 and 11112 from the balancer's group only, never from a CIDR
                assertThat(rule.cidrs()).as("%s: no CIDR on the hosts in HA mode", rule.resource()).isEmpty();
                assertThat(rule.referencedGroup()).as("%s: from the balancer's group", rule.resource())
                        .isEqualTo(s.single(Types.LOAD_BALANCER).inputs().get("securityGroups") instanceof List<?> l
                                ? String.valueOf(l.get(0)) : null);
                actual.add(rule.fromPort() + " balancer");
                continue;
            }
            assertThat(rule.referencedGroup()).as("%s: from CIDRs only", rule.resource()).isNull();
            assertThat(rule.cidrs()).hasSize(1);
            actual.add(rule.fromPort() + " " + rule.cidrs().get(0));
        }
        if (s.config().ha().enabled()) {
            assertThat(actual).containsExactlyInAnyOrder(HTTPS + " balancer", DICOM_TLS + " balancer");
            assertThat(cluster).isEqualTo(KEYCLOAK_CLUSTER);
            assertThat(Topology.ingress(s, app)).hasSize(2 + KEYCLOAK_CLUSTER.size());
            // the client lists live on the balancer's group, exactly
            var lbSg = Topology.securityGroupWithId(s, String.valueOf(((List<?>) s.single(Types.LOAD_BALANCER)
                    .inputs().get("securityGroups")).get(0)));
            Set<String> lbRules = new HashSet<>();
            for (Rule rule : Topology.ingress(s, lbSg)) {
                assertThat(rule.cidrs()).hasSize(1);
                lbRules.add(rule.fromPort() + " " + rule.cidrs().get(0));
            }
            Set<String> lbExpected = new HashSet<>();
            net.webClientCidrs().forEach(c -> lbExpected.add(HTTPS + " " + c));
            net.dicomClientCidrs().forEach(c -> lbExpected.add(DICOM_TLS + " " + c));
            assertThat(lbRules).containsExactlyInAnyOrderElementsOf(lbExpected);
            if (s.hardened()) {
                assertThat(Topology.ingress(s, lbSg)).noneMatch(r -> r.fromPort() == DICOM_TLS && r.fromWorld());
            }
            return;
        }
        Set<String> expected = new HashSet<>();
        net.webClientCidrs().forEach(c -> expected.add(HTTPS + " " + c));
        net.dicomClientCidrs().forEach(c -> expected.add(DICOM_TLS + " " + c));
        assertThat(actual).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(cluster).isEqualTo(KEYCLOAK_CLUSTER);
        assertThat(Topology.ingress(s, app)).hasSize(expected.size() + KEYCLOAK_CLUSTER.size());
        if (s.hardened()) {
            assertThat(Topology.ingress(s, app)).as("DICOM from the whole internet in a hardened stack")
                    .noneMatch(r -> r.fromPort() == DICOM_TLS && r.fromWorld());
            assertThat(net.dicomClientCidrs()).noneMatch(c -> c.isAnywhere());
        }
    }

    @ForEachStack
    @DisplayName("CKV2_AWS_5, custom: DB SG only admits tcp 5432 from the app SG and is attached to the DB")
    void CKV2_AWS_5_dbSecurityGroup(String stack) {
        var s = PolicyStack.of(stack);
        var db = Topology.dbSecurityGroup(s);
        String appId = s.id(Topology.appSecurityGroup(s).name());
        var ingress = Topology.ingress(s, db);
        assertThat(ingress).as("ingress of the DB SG").isNotEmpty().allSatisfy(rule -> {
            assertThat(rule.protocol()).isEqualTo("tcp");
            assertThat(rule.fromPort()).isEqualTo(POSTGRES);
            assertThat(rule.toPort()).isEqualTo(POSTGRES);
            if (rule.referencedGroup() != null) {
                assertThat(rule.referencedGroup()).isEqualTo(appId);
                assertThat(rule.cidrs()).isEmpty();
            } else {
                assertThat(rule.cidrs()).containsExactly(s.config().network().vpcCidr().toString());
            }
        });
        assertThat(Topology.egress(s, db)).as("the DB initiates nothing").isEmpty();
    }

    @ForEachStack
    @DisplayName("CKV2_AWS_5: every security group is attached to something")
    void CKV2_AWS_5_everyGroupAttached(String stack) {
        var s = PolicyStack.of(stack);
        Set<String> attached = new HashSet<>();
        for (String type : List.of(Types.LAUNCH_TEMPLATE, Types.DB_INSTANCE, Types.VPC_ENDPOINT, Types.INSTANCE)) {
            for (PlannedResource r : s.ofType(type)) {
                attached.addAll(strings(r.inputs().get("vpcSecurityGroupIds")));
                attached.addAll(strings(r.inputs().get("securityGroupIds")));
                attached.addAll(strings(r.inputs().get("vpcSecurityGroups")));
            }
        }
        for (PlannedResource lb : s.ofType(Types.LOAD_BALANCER)) {
            attached.addAll(strings(lb.inputs().get("securityGroups")));
        }
        for (PlannedResource sg : s.ofType(Types.SG)) {
            assertThat(attached).as("%s is attached", sg.name()).contains(s.id(sg.name()));
        }
    }

    @ForEachStack
    @DisplayName("CKV_AWS_382: host SG egress only tcp 443 (world), tcp 5432 to the DB SG and the declared modalities' own addresses; no all-protocol egress anywhere")
    void CKV_AWS_382_restrictedEgress(String stack) {
        // the table asks this of prod; the program has one egress design for all stacks, so all are checked
        var s = PolicyStack.of(stack);
        var app = Topology.appSecurityGroup(s);
        String dbId = s.id(Topology.dbSecurityGroup(s).name());
        var egress = Topology.egress(s, app);
        var declared = org.orthweb.orthanc.OrthancSettings.egress(s.config().orthanc()).stream()
                .map(e -> List.of(e.cidr().toString()) + ":" + e.port()).toList();
        assertThat(egress).as("host egress").isNotEmpty().allSatisfy(rule -> {
            assertThat(rule.allProtocols()).isFalse();
            assertThat(rule.protocol()).isEqualTo("tcp");
            assertThat(rule.fromPort()).isEqualTo(rule.toPort());
            if (rule.fromPort() == POSTGRES) {
                assertThat(rule.referencedGroup()).as("5432 only to the DB SG").isEqualTo(dbId);
                assertThat(rule.cidrs()).isEmpty();
            } else if (KEYCLOAK_CLUSTER.contains(rule.fromPort())) {
                assertThat(rule.referencedGroup()).as("Keycloak's cluster only to the hosts' own group")
                        .isEqualTo(s.id(app.name()));
                assertThat(rule.cidrs()).isEmpty();
            } else if (declared.contains(rule.cidrs() + ":" + rule.fromPort())) {
                // a declared modality or peer of orthweb:orthanc: its own block and port, never the world
                assertThat(rule.fromWorld()).as("%s: egress to a declared modality, not the world", rule.resource()).isFalse();
            } else {
                assertThat(rule.fromPort()).as("%s port", rule.resource()).isIn((long) HTTPS, 80L);
            }
        });
        assertThat(egress).anyMatch(r -> r.fromPort() == POSTGRES && dbId.equals(r.referencedGroup()));
        assertThat(egress).anyMatch(r -> r.fromPort() == HTTPS);
        for (Rule rule : Topology.allRules(s)) {
            assertThat(rule.allProtocols() && rule.fromWorld()).as("%s: all protocols to/from the world", rule.resource())
                    .isFalse();
        }
    }

    @ParameterizedTest(name = "environment {0}, {1}")
    @org.junit.jupiter.params.provider.CsvSource({"prd, 0.0.0.0/0", "stg, 0.0.0.0/0", "prd, ::/0"})
    @DisplayName("EC2.18, custom: a hardened stack file with DICOM open to the world is refused before anything is planned")
    void EC2_18_hardenedConfigRefusesWorldDicom(String environment, String cidr, @TempDir Path dir) throws IOException {
        Path file = dir.resolve("Pulumi.hardened.yaml");
        Files.writeString(file, String.join("\n",
                "config:",
                "  aws:region: us-east-1",
                "  orthweb:environment: " + environment,
                "  orthweb:owner: imaging-it",
                "  orthweb:network:",
                "    webClientCidrs: [198.51.100.0/24]",
                "    dicomClientCidrs: [\"" + cidr + "\"]",
                ""));
        assertThatThrownBy(() -> ConfigParser.parse("hardened", RawConfig.fromStackFile(file)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("dicomClientCidrs");
    }
}
