package org.orthweb.components;

import org.junit.jupiter.api.Test;
import org.orthweb.plan.Plan;
import org.orthweb.support.TestStacks;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hosts' security group under the mock engine: egress to exactly the declared modalities and
 * peers of orthweb:orthanc (address and port each), next to the program's own rules, and the
 * called AE title output follows orthweb:orthanc.aeTitle.
 */
class OrthancEgressTest {

    private static final String EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";

    static Plan plan(String orthanc) {
        return TestStacks.plan("dev", TestStacks.yaml("dev", orthanc));
    }

    static java.util.List<String> hostEgress(Plan plan) {
        String sg = plan.named("firewall-sg").id();
        String self = sg;
        return plan.ofType(EGRESS).stream().filter(r -> sg.equals(r.inputs().get("securityGroupId")))
                .map(r -> r.inputs().get("ipProtocol") + " " + ((Number) r.inputs().get("fromPort")).intValue() + "-"
                        + ((Number) r.inputs().get("toPort")).intValue() + " "
                        + r.inputs().getOrDefault("cidrIpv4", self.equals(r.inputs().get("referencedSecurityGroupId"))
                        ? "self" : r.inputs().get("referencedSecurityGroupId")))
                .filter(s -> !s.contains(" 5432-5432 ")) // the database's rule, owned by the database component
                .toList();
    }

    @Test
    void egressIsOpenedToExactlyTheDeclaredModalitiesAndPeers() {
        Plan plan = plan("""
                  orthweb:orthanc:
                    aeTitle: CLINIC
                    modalities:
                      main-pacs: {aeTitle: MAINPACS, host: 10.20.0.5, port: 104}
                      cloud-pacs: {aeTitle: CLOUDPACS, host: pacs.example.org, port: 11112, egressCidr: 192.0.2.0/28}
                    peers:
                      research: {url: "http://198.51.100.7:8042/"}
                      hq: {url: "https://orthanc.hq.example.org/"}
                """);
        assertThat(hostEgress(plan)).containsExactlyInAnyOrder(
                "tcp 443-443 0.0.0.0/0", "tcp 7800-7800 self", "tcp 57800-57800 self",
                "tcp 104-104 10.20.0.5/32", "tcp 11112-11112 192.0.2.0/28", "tcp 8042-8042 198.51.100.7/32");
        assertThat(String.valueOf(plan.named("firewall-orthanc-out-modality-main-pacs").inputs().get("description")))
                .isEqualTo("DICOM to modality main-pacs (MAINPACS) at 10.20.0.5/32:104");
        assertThat(plan.outputs().get(org.orthweb.DicomOutputs.CALLED_AE_TITLE)).isEqualTo("CLINIC");
    }

    @Test
    void withoutDeclaredModalitiesOnlyTheProgramsOwnEgress() {
        assertThat(hostEgress(plan(""))).containsExactlyInAnyOrder("tcp 443-443 0.0.0.0/0", "tcp 7800-7800 self",
                "tcp 57800-57800 self");
    }
}
