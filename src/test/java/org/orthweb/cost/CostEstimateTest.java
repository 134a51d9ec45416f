package org.orthweb.cost;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.orthweb.plan.Plan;
import org.orthweb.plan.Plan.PlannedResource;
import org.orthweb.support.TestStacks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class CostEstimateTest {

    static final PriceTable PRICES = PriceTable.shipped();

    static PlannedResource res(String type, String name, String id, Map<String, Object> inputs) {
        return new PlannedResource(type, name, "parent", inputs, id, Map.of(), java.util.Set.of());
    }

    static PlannedResource template(String type, int rootGiB) {
        return res(CostEstimate.LAUNCH_TEMPLATE, "tpl", "lt-1", Map.of("instanceType", type,
                "blockDeviceMappings", List.of(Map.of("deviceName", "/dev/xvda",
                        "ebs", Map.of("volumeType", "gp3", "volumeSize", rootGiB)))));
    }

    static PlannedResource publicSubnet(String id) {
        return res(CostEstimate.SUBNET, id, id, Map.of("mapPublicIpOnLaunch", true));
    }

    static PlannedResource instance(String name, String subnet) {
        return res(CostEstimate.EC2_INSTANCE, name, "i-" + name, Map.of("launchTemplate", Map.of("id", "lt-1"),
                "subnetId", subnet));
    }

    static Plan plan(PlannedResource... resources) {
        return new Plan("t", List.of(resources), Map.of());
    }

    /**
     * The reference footprint the day-two issue names: 2 t3.medium hosts with 20 GB gp3 and a public
     * IPv4 each, a db.t4g.medium multi-AZ with 30 GB gp3, one KMS key, one secret. Worked out by hand
     * from the us-east-1 list prices: 2*0.0416*730 + 2*20*0.08 + 2*0.005*730 + 0.065*2*730 + 30*0.23
     * + 1 + 0.40 = 174.436, "about $174 a month".
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
            "1   | instance          | 1 instance",
            "5   | alarm             | 5 alarms",
            "2   | address           | 2 addresses",
            "3   | Availability Zone | 3 Availability Zones",
            "20  | GiB               | 20 GiB",
            "1.5 | GiB               | 1.5 GiB",
            "0   | load balancer     | 0 load balancers"})
    void aLineSaysItsQuantityInEnglish(double quantity, String unit, String text) {
        assertThat(new CostEstimate.Line("kind", quantity, unit, 1).quantityText()).isEqualTo(text);
    }

    @Test
    void referenceFootprintCostsAbout174DollarsAMonth() {
        CostEstimate e = CostEstimate.of(plan(template("t3.medium", 20), publicSubnet("s1"), publicSubnet("s2"),
                instance("a", "s1"), instance("b", "s2"),
                res(CostEstimate.RDS_INSTANCE, "db", "db-1", Map.of("engine", "postgres", "instanceClass",
                        "db.t4g.medium", "multiAz", true, "allocatedStorage", 30, "storageType", "gp3")),
                res(CostEstimate.KMS_KEY, "key", "k", Map.of()),
                res(CostEstimate.SECRET, "secret", "s", Map.of())), PRICES);
        assertThat(e.totalUsd()).isCloseTo(174.44, within(0.005));
        assertThat(e.unpriced()).isEmpty();
        assertThat(e.lines()).extracting(CostEstimate.Line::kind).contains("EC2 instance t3.medium",
                "RDS PostgreSQL db.t4g.medium multi-AZ", "public IPv4 address", "EBS gp3 volume");
        assertThat(e.usageCharges()).anyMatch(u -> u.contains("data transfer out"));
    }

    @Test
    void anElasticIpReplacesTheInstancesOwnAddressAndIsChargedOnce() {
        PlannedResource eip = res(CostEstimate.EIP, "eip", "eipalloc-1", Map.of());
        PlannedResource assoc = res(CostEstimate.EIP_ASSOCIATION, "assoc", "eipassoc-1",
                Map.of("instanceId", "i-a", "allocationId", "eipalloc-1"));
        CostEstimate e = CostEstimate.of(plan(template("t3.medium", 20), publicSubnet("s1"),
                instance("a", "s1"), eip, assoc), PRICES);
        assertThat(e.lines()).filteredOn(l -> l.kind().equals("public IPv4 address"))
                .singleElement().satisfies(l -> assertThat(l.quantity()).isEqualTo(1.0));
    }

    @Test
    void privateInstancesCarryNoAddressCharge() {
        CostEstimate e = CostEstimate.of(plan(template("t3.medium", 20),
                res(CostEstimate.SUBNET, "s1", "s1", Map.of("mapPublicIpOnLaunch", false)),
                instance("a", "s1")), PRICES);
        assertThat(e.lines()).extracting(CostEstimate.Line::kind).doesNotContain("public IPv4 address");
    }

    @Test
    void anAutoScalingGroupIsChargedForItsDesiredCapacity() {
        CostEstimate e = CostEstimate.of(plan(template("t3.medium", 20), publicSubnet("s1"),
                res(CostEstimate.AUTOSCALING_GROUP, "asg", "asg-1", Map.of("launchTemplate", Map.of("id", "lt-1"),
                        "desiredCapacity", 3, "minSize", 2, "vpcZoneIdentifiers", List.of("s1")))), PRICES);
        assertThat(e.lines()).filteredOn(l -> l.kind().equals("EC2 instance t3.medium")).singleElement()
                .satisfies(l -> assertThat(l.quantity()).isEqualTo(3.0));
        assertThat(e.totalUsd()).isCloseTo(3 * (0.0416 * 730 + 20 * 0.08 + 0.005 * 730), within(0.01));
    }

    @Test
    void interfaceEndpointsArePerZoneAndGatewayEndpointsAreFree() {
        CostEstimate e = CostEstimate.of(plan(
                res(CostEstimate.VPC_ENDPOINT, "kms", "vpce-1", Map.of("vpcEndpointType", "Interface",
                        "serviceName", "com.amazonaws.us-east-1.kms", "subnetIds", List.of("a", "b"))),
                res(CostEstimate.VPC_ENDPOINT, "s3", "vpce-2", Map.of("vpcEndpointType", "Gateway",
                        "serviceName", "com.amazonaws.us-east-1.s3"))), PRICES);
        assertThat(e.totalUsd()).isCloseTo(2 * 0.01 * 730, within(0.005));
    }

    @Test
    void kindsAndSizesWithoutAPriceAreListedNotCountedAsFree() {
        CostEstimate e = CostEstimate.of(plan(
                res("aws:ec2/natGateway:NatGateway", "nat", "nat-1", Map.of()),
                res(CostEstimate.EC2_INSTANCE, "big", "i-big", Map.of("instanceType", "u-24tb1.metal")),
                res(CostEstimate.RDS_INSTANCE, "db", "db-1", Map.of("engine", "postgres", "instanceClass",
                        "db.x2g.16xlarge", "multiAz", false, "allocatedStorage", 20, "storageType", "io2"))), PRICES);
        assertThat(e.unpriced()).contains("aws:ec2/natGateway:NatGateway",
                "aws:ec2/instance:Instance u-24tb1.metal", "aws:rds/instance:Instance postgres db.x2g.16xlarge",
                "RDS storage type io2");
        assertThat(e.totalUsd()).isZero();
        // the headline does not present the partial sum as the whole
        assertThat(org.orthweb.plan.PlanPrinter.costSummary(e)).startsWith("Estimated fixed monthly cost: at least $0.00 ")
                .contains("No price in the table for: ").contains("db.x2g.16xlarge");
    }

    @Test
    void theShippedTableHasEveryFieldAndNamesItsRegionAndDate() {
        assertThat(PRICES.region()).isEqualTo("us-east-1");
        assertThat(PRICES.date()).matches("\\d{4}-\\d{2}-\\d{2}");
        assertThat(PRICES.hoursPerMonth()).isEqualTo(730);
        assertThat(PRICES.ec2InstanceHourly()).containsKey("t3.medium");
    }

    /** A new resource kind in the program without a price (or a "no fixed charge" entry) fails here. */
    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyKindTheShippedStacksCreateIsPriced(String stack) {
        CostEstimate e = CostEstimate.of(TestStacks.shipped(stack), PRICES);
        assertThat(e.unpriced()).as("kinds without a price").isEmpty();
        assertThat(e.totalUsd()).isPositive();
        List<String> kinds = new ArrayList<>(e.lines().stream().map(CostEstimate.Line::kind).toList());
        assertThat(kinds).anyMatch(k -> k.startsWith("EC2 instance")).anyMatch(k -> k.startsWith("RDS PostgreSQL"));
    }

    /** The plan shows the estimate: the total and lines in the text, the same figures in the JSON. */
    @Test
    void thePlanPrintsTheEstimateInTextAndJson() throws Exception {
        Plan dev = TestStacks.shipped("dev");
        CostEstimate e = CostEstimate.of(dev, PRICES);
        String text = org.orthweb.plan.PlanPrinter.text(dev, org.orthweb.plan.PlanPrinter.Options.of(false, e));
        assertThat(text).contains(String.format(java.util.Locale.ROOT, "Estimated fixed monthly cost: $%.2f", e.totalUsd()))
                .contains("EC2 instance t3.medium").contains("Not included, charged by use:")
                .containsPattern("database-instance .*\\[cost ~\\$\\d+\\.\\d\\d/month]");
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(org.orthweb.plan.PlanPrinter.json(dev, e));
        assertThat(json.at("/monthlyCost/totalUsd").asDouble()).isEqualTo(e.totalUsd());
        assertThat(json.at("/monthlyCost/priceDate").asText()).isEqualTo(PRICES.date());
        double sum = 0;
        for (var r : json.get("resources")) {
            sum += r.path("monthlyCost").asDouble(0);
        }
        assertThat(sum).as("the per-resource shares add up to the total").isCloseTo(e.totalUsd(), within(0.05));
    }

    /**
     * The operations kinds (backup vaults, plan, selection, the copy region's key and provider,
     * topic, subscriptions, alarms, budget) are priced or listed as having no fixed charge, and
     * each alarm costs its $0.10 a month.
     */
    @Test
    void operationsKindsArePricedOrListedAsUsageBased() {
        var plan = TestStacks.plan("ops", TestStacks.yaml("prd", """
                  orthweb:network:
                    dicomClientCidrs: [203.0.113.0/24]
                  orthweb:alerts:
                    emails: [ops@example.org, pacs@example.org]
                  orthweb:backup:
                    copyRegion: eu-west-1
                  orthweb:budget:
                    monthlyLimitUsd: 300
                """));
        CostEstimate e = CostEstimate.of(plan, PRICES);
        assertThat(e.unpriced()).as("kinds without a price").isEmpty();
        int alarms = plan.ofType("aws:cloudwatch/metricAlarm:MetricAlarm").size();
        // prd runs in HA mode: no per-instance status checks, one unhealthy-target alarm per target group
        assertThat(alarms).as("2 target groups x 1 unhealthy-target alarm + 3 database alarms").isEqualTo(5);
        assertThat(e.lines()).anySatisfy(l -> {
            assertThat(l.kind()).isEqualTo("CloudWatch alarm");
            assertThat(l.monthlyUsd()).isEqualTo(0.50);
        });
        assertThat(e.lines()).anySatisfy(l -> {
            assertThat(l.kind()).isEqualTo("KMS customer managed key");
            assertThat(l.quantity()).as("the stack's key and the copy region's key").isEqualTo(2);
        });
        assertThat(e.usageCharges()).anyMatch(u -> u.startsWith("AWS Backup storage"));
    }

    /** Every kind orthweb:vpn adds is priced or listed; each subnet association is an hourly charge. */
    @Test
    void theVpnsKindsArePricedAndEachAssociationCostsItsHours() {
        String vpn = """
                  orthweb:vpn:
                    clientCidr: 10.250.0.0/22
                    clients: [{name: alice}]
                """;
        CostEstimate one = CostEstimate.of(TestStacks.plan("vpn1", TestStacks.yaml("dev", vpn)), PRICES);
        CostEstimate two = CostEstimate.of(TestStacks.plan("vpn2", TestStacks.yaml("dev", vpn + "    subnetAssociations: 2\n")), PRICES);
        CostEstimate none = CostEstimate.of(TestStacks.plan("novpn", TestStacks.yaml("dev", "")), PRICES);
        assertThat(one.unpriced()).as("kinds without a price").isEmpty();
        assertThat(two.unpriced()).isEmpty();
        double perAssociation = PRICES.clientVpnAssociationHourly() * PRICES.hoursPerMonth();
        // the VPN's fixed charges: its associations and the secret holding the clients' keys
        assertThat(one.totalUsd() - none.totalUsd()).isCloseTo(perAssociation + PRICES.secretMonth(), within(0.005));
        assertThat(two.totalUsd() - one.totalUsd()).isCloseTo(perAssociation, within(0.005));
        assertThat(one.lines()).anyMatch(l -> l.kind().equals("Client VPN subnet association"));
        assertThat(one.usageCharges()).anyMatch(u -> u.contains("Client VPN connection-hours"));
    }
}
