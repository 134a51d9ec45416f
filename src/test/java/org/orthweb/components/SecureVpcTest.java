package org.orthweb.components;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.orthweb.plan.Plan;
import org.orthweb.support.TestStacks;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@SuppressWarnings("unchecked")
class SecureVpcTest {

    private static final String SUBNET = "aws:ec2/subnet:Subnet";

    @ParameterizedTest(name = "azCount {0}: {1} public, {2} private")
    @CsvSource({"1, 1, 2", "2, 2, 2", "3, 3, 3"})
    void publicSubnetPerHostZoneAndPrivateSubnetsInTwoZonesAtLeast(int azCount, int publics, int privates) {
        Plan plan = TestStacks.plan("t", TestStacks.yaml("dev", """
                  orthweb:network:
                    azCount: %d
                """.formatted(azCount)));
        var subnets = plan.ofType(SUBNET);
        assertThat(subnets.stream().filter(s -> Boolean.TRUE.equals(s.inputs().get("mapPublicIpOnLaunch")))).hasSize(publics);
        assertThat(subnets.stream().filter(s -> Boolean.FALSE.equals(s.inputs().get("mapPublicIpOnLaunch")))).hasSize(privates);
        assertThat(subnets).extracting(s -> s.inputs().get("availabilityZone")).doesNotContainNull();
        // The database subnet group spans every private subnet.
        assertThat((List<?>) plan.named("database-subnets").inputs().get("subnetIds")).hasSize(privates);
    }

    @Test
    void routingOnlyPublicTableReachesTheInternetAndS3EndpointServesBoth() {
        Plan plan = TestStacks.shipped("dev");
        var routes = plan.ofType("aws:ec2/route:Route");
        assertThat(routes).hasSize(1);
        assertThat(routes.get(0).inputs()).containsEntry("destinationCidrBlock", "0.0.0.0/0")
                .containsEntry("routeTableId", plan.named("network-public-rt").id())
                .containsEntry("gatewayId", plan.named("network-igw").id());
        assertThat(plan.named("network-private-rt").inputs()).doesNotContainKey("routes");
        assertThat(plan.ofType("aws:ec2/natGateway:NatGateway")).isEmpty();
        var s3 = plan.named("network-s3-endpoint");
        assertThat(s3.inputs()).containsEntry("vpcEndpointType", "Gateway").containsEntry("serviceName", "com.amazonaws.us-east-1.s3");
        assertThat((List<Object>) s3.inputs().get("routeTableIds"))
                .containsExactlyInAnyOrder(plan.named("network-public-rt").id(), plan.named("network-private-rt").id());
        // every private subnet is associated with the private table
        plan.ofType("aws:ec2/routeTableAssociation:RouteTableAssociation").stream()
                .filter(a -> a.name().contains("private"))
                .forEach(a -> assertThat(a.inputs()).containsEntry("routeTableId", plan.named("network-private-rt").id()));
    }

    @Test
    void defaultSecurityGroupIsLockedAndFlowLogsCaptureAllTraffic() {
        Plan plan = TestStacks.shipped("dev");
        assertThat(plan.named("network-default-sg").inputs()).containsEntry("ingress", List.of()).containsEntry("egress", List.of());
        var flow = plan.named("network-flow-log");
        assertThat(flow.inputs()).containsEntry("trafficType", "ALL").containsEntry("logDestinationType", "s3")
                .containsEntry("maxAggregationInterval", 600L)
                .containsEntry("logDestination", plan.named("storage-logs").get("arn") + "/flowlog/")
                .containsEntry("vpcId", plan.named("network-vpc").id());
    }

    @Test
    void interfaceEndpointsOnlyWhenConfiguredInPrivateSubnetsWithPrivateDns() {
        assertThat(TestStacks.shipped("dev").ofType("aws:ec2/vpcEndpoint:VpcEndpoint")).hasSize(1);
        Plan prod = TestStacks.shipped("prod");
        var privateIds = prod.ofType(SUBNET).stream().filter(s -> s.name().contains("private")).map(Plan.PlannedResource::id).toList();
        var interfaces = prod.ofType("aws:ec2/vpcEndpoint:VpcEndpoint").stream()
                .filter(e -> "Interface".equals(e.inputs().get("vpcEndpointType"))).toList();
        assertThat(interfaces).extracting(e -> e.inputs().get("serviceName"))
                .containsExactly("com.amazonaws.us-east-1.secretsmanager");
        for (var endpoint : interfaces) {
            assertThat(endpoint.inputs()).containsEntry("privateDnsEnabled", true)
                    .containsEntry("securityGroupIds", List.of(prod.named("network-endpoints-sg").id()));
            assertThat((List<Object>) endpoint.inputs().get("subnetIds")).containsExactlyInAnyOrderElementsOf(privateIds);
        }
        assertThat(prod.named("network-endpoints-https-from-vpc").inputs()).containsEntry("cidrIpv4", "172.17.0.0/16")
                .containsEntry("fromPort", 443L).containsEntry("toPort", 443L);
    }
}
