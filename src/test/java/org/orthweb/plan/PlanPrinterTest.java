package org.orthweb.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.orthweb.support.TestStacks;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The plan as people read it: legend, markers, full values, summaries; and the JSON keeps all. */
class PlanPrinterTest {

    private final Plan prod = TestStacks.shipped("prod");
    private final Plan dev = TestStacks.shipped("dev");

    private static Set<Marker> markers(Plan plan, String name) {
        return plan.named(name).markers();
    }

    /** The shipped prod file in single-host mode (prod itself runs in HA mode). */
    private final Plan prodSingle = TestStacks.shippedWith("prod", "  orthweb:ha:\n    enabled: false\n");

    @Test
    void patientDataIsWhereTheOutputsSayTheDataStoresAndHostsAre() {
        assertThat(markers(prodSingle, "storage-data")).contains(Marker.PHI);
        assertThat(markers(prodSingle, "storage-logs")).doesNotContain(Marker.PHI);
        assertThat(markers(prodSingle, "database-instance")).contains(Marker.PHI);
        assertThat(markers(prodSingle, "host-1")).contains(Marker.PHI);
        assertThat(markers(prodSingle, "host-template")).doesNotContain(Marker.PHI);
        assertThat(prodSingle.resources()).filteredOn(r -> r.markers().contains(Marker.PHI))
                .extracting(Plan.PlannedResource::name)
                .containsExactlyInAnyOrder("storage-data", "database-instance", "host-1", "host-2");
        // HA mode: the group named by hostGroupName runs the hosts; the balancer only passes bytes
        assertThat(prod.resources()).filteredOn(r -> r.markers().contains(Marker.PHI))
                .extracting(Plan.PlannedResource::name)
                .containsExactlyInAnyOrder("storage-data", "database-instance", "host-group");
    }

    @Test
    void internetFacingAreTheHostsThePublicRulesAndTheGateway() {
        assertThat(markers(prodSingle, "host-1")).contains(Marker.INTERNET);
        assertThat(markers(prod, "network-igw")).contains(Marker.INTERNET);
        // prod admits documentation networks (public blocks), dev the whole internet
        assertThat(markers(prodSingle, "firewall-dicom-1")).contains(Marker.INTERNET);
        assertThat(markers(dev, "firewall-https-1")).contains(Marker.INTERNET);
        // HA mode: the balancer, the client rules on its group, and the group's hosts (public subnets)
        assertThat(markers(prod, "balancer-nlb")).contains(Marker.INTERNET);
        assertThat(markers(prod, "balancer-dicom-1")).contains(Marker.INTERNET);
        assertThat(markers(prod, "host-group")).contains(Marker.INTERNET);
        assertThat(markers(prod, "balancer-hosts-from-lb-443")).doesNotContain(Marker.INTERNET);
        // egress, rules between security groups, private things: not reachable from outside
        assertThat(markers(prod, "firewall-https-out")).doesNotContain(Marker.INTERNET);
        assertThat(markers(prod, "database-from-hosts")).doesNotContain(Marker.INTERNET);
        assertThat(markers(prod, "database-instance")).doesNotContain(Marker.INTERNET);
        assertThat(markers(prod, "storage-data")).doesNotContain(Marker.INTERNET);
        assertThat(markers(prod, "network-vpc")).isEmpty();
    }

    @Test
    void rulesFromPrivateNetworksOnlyAreNotInternetFacing() {
        Plan plan = TestStacks.plan("t", TestStacks.yaml("dev", """
                  orthweb:network:
                    webClientCidrs: [192.168.0.0/16]
                    dicomClientCidrs: [10.20.0.0/16, 198.51.100.0/24]
                """));
        assertThat(markers(plan, "firewall-https-1")).doesNotContain(Marker.INTERNET);
        assertThat(markers(plan, "firewall-dicom-1")).doesNotContain(Marker.INTERNET);
        assertThat(markers(plan, "firewall-dicom-2")).contains(Marker.INTERNET);
        assertThat(Markers.isPublic("0.0.0.0/0")).isTrue();
        assertThat(Markers.isPublic("172.16.0.0/12")).isFalse();
        assertThat(Markers.isPublic("172.32.0.0/16")).isTrue();
        assertThat(Markers.isPublic("100.64.1.0/24")).isFalse();
    }

    @Test
    void protectFollowsTheResourceOptionAndCostTheBilledTypes() {
        assertThat(markers(prod, "database-instance")).contains(Marker.PROTECT, Marker.COST);
        assertThat(markers(prod, "storage-data")).contains(Marker.PROTECT);
        assertThat(markers(dev, "database-instance")).doesNotContain(Marker.PROTECT).contains(Marker.COST);
        assertThat(markers(dev, "storage-data")).doesNotContain(Marker.PROTECT);
        assertThat(markers(prod, "encryption-key")).contains(Marker.COST);
        assertThat(markers(prod, "network-secretsmanager-endpoint")).contains(Marker.COST);
        assertThat(markers(prod, "network-s3-endpoint")).doesNotContain(Marker.COST); // gateway endpoints are free
        assertThat(markers(prod, "host-role")).doesNotContain(Marker.COST);
        assertThat(markers(prod, "network-public-1")).isEmpty();
    }

    @Test
    void theTextHasALegendAndMarksEachResourceAsItsMarkersSay() {
        String text = PlanPrinter.text(prod);

        assertThat(text).contains("Legend:");
        assertThat(PlanPrinter.LEGEND).anySatisfy(l -> assertThat(l).startsWith("  +  ").contains("create"));
        for (Marker m : Marker.values()) {
            assertThat(PlanPrinter.LEGEND).as("legend of " + m).anySatisfy(l ->
                    assertThat(l).startsWith("  [" + m.label() + "]").contains(m.meaning()));
        }
        assertThat(text).doesNotContainPattern("(?m)^\\s*- ");
        for (Plan.PlannedResource r : prod.resources()) {
            StringBuilder header = new StringBuilder("+ " + r.name() + "  (" + r.type() + ")");
            r.markers().forEach(m -> header.append(" [").append(m.label()).append(']'));
            assertThat(text).as(r.name()).containsPattern("(?m)^\\s*" + java.util.regex.Pattern.quote(header.toString()) + "$");
        }
    }

    @Test
    void securitySettingsAreShownInFullAndPoliciesStatementByStatement() {
        String text = PlanPrinter.text(prod);

        assertThat(text).contains("httpTokens=required").contains("httpPutResponseHopLimit=2")
                .contains("performanceInsightsKmsKeyId=arn:aws:kms:us-east-1:123456789012:key/")
                .doesNotContain("...");
        assertThat(text).containsPattern("policy: \\d+ statements")
                .contains("Allow s3:GetObject, s3:PutObject, s3:DeleteObject, s3:AbortMultipartUpload, "
                        + "s3:ListMultipartUploadParts on arn:aws:s3:::")
                .containsPattern("Deny s3:\\* to \\* on arn:aws:s3:::\\S+, arn:aws:s3:::\\S+ if Bool "
                        + "aws:SecureTransport=false \\(DenyInsecureTransport\\)")
                .contains("defaultTags (on every resource): Application=Orthanc, Environment=prd")
                .containsPattern("userData: \\d+ characters");
        String userData = String.valueOf(prod.named("host-template").inputs().get("userData"));
        assertThat(text).doesNotContain(userData).doesNotContain("\"Statement\"");
    }

    @Test
    void wideShowsEveryInputAsIs() {
        String wide = PlanPrinter.text(prod, new PlanPrinter.Options(true, ResourceCosts.NONE));

        assertThat(wide).contains(String.valueOf(prod.named("host-template").inputs().get("userData")))
                .contains(String.valueOf(prod.named("host-access").inputs().get("policy")));
    }

    @Test
    void theJsonKeepsEverythingWithMarkersAndACostHook() throws Exception {
        ResourceCosts fixed = r -> r.type().equals("aws:rds/instance:Instance") ? Optional.of(12.5) : Optional.empty();
        JsonNode doc = new ObjectMapper().readTree(PlanPrinter.json(prod, fixed));

        for (Marker m : Marker.values()) {
            assertThat(doc.get("legend").get(m.label()).asText()).isEqualTo(m.meaning());
        }
        for (JsonNode r : doc.get("resources")) {
            Plan.PlannedResource planned = prod.named(r.get("name").asText());
            List<String> labels = new ArrayList<>();
            r.get("markers").forEach(l -> labels.add(l.asText()));
            assertThat(labels).as(planned.name()).isEqualTo(planned.markers().stream().map(Marker::label).toList());
            assertThat(r.get("inputs").size()).isEqualTo(planned.inputs().size());
        }
        assertThat(doc.get("resources").findValues("monthlyCost")).filteredOn(JsonNode::isNumber)
                .singleElement().extracting(JsonNode::asDouble).isEqualTo(12.5);
        assertThat(PlanPrinter.text(prod, new PlanPrinter.Options(false, fixed)))
                .contains("+ database-instance  (aws:rds/instance:Instance) [PHI] [protect] [cost ~$12.50/month]");
    }
}
