package org.orthweb.policy;

import org.junit.jupiter.api.DisplayName;
import org.orthweb.plan.Plan.PlannedResource;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.orthweb.policy.PolicyStack.map;
import static org.orthweb.policy.PolicyStack.str;
import static org.orthweb.policy.PolicyStack.strings;

/** VPC, subnets, routing, endpoints, flow logs, default security group. */
@DisplayName("Network")
class NetworkControlsTest {

    @ForEachStack
    @DisplayName("CKV2_AWS_11, EC2.6: VPC flow log to the log bucket (s3), all traffic")
    void CKV2_AWS_11_EC2_6_flowLog(String stack) {
        var s = PolicyStack.of(stack);
        var vpc = s.single(Types.VPC);
        List<PlannedResource> logs = s.where(Types.FLOW_LOG, "vpcId", s.id(vpc.name()));
        assertThat(logs).as("flow logs of the VPC").hasSize(1);
        var log = logs.get(0);
        assertThat(str(log, "logDestinationType")).isEqualTo("s3");
        String logBucketArn = s.arn(S3ControlsTest.logBucket(s).name());
        assertThat(str(log, "logDestination")).as("destination is the log bucket")
                .matches(java.util.regex.Pattern.quote(logBucketArn) + "(/.*)?");
        // ALL is preferred (the reference logged REJECT only)
        assertThat(str(log, "trafficType")).isEqualTo("ALL");
        // the log bucket policy admits flow-log delivery under exactly this prefix
        String prefix = str(log, "logDestination").substring(logBucketArn.length());
        String policy = str(s.where(Types.BUCKET_POLICY, "bucket", s.id(S3ControlsTest.logBucket(s).name())).get(0), "policy");
        assertThat(PolicyStack.statements(policy)).anyMatch(st -> st.allow()
                && st.servicePrincipals().contains("delivery.logs.amazonaws.com")
                && st.resources().stream().anyMatch(r -> r.startsWith(logBucketArn + prefix)));
    }

    @ForEachStack
    @DisplayName("CKV2_AWS_12, EC2.2: the VPC's default security group adopted with no ingress and no egress")
    void CKV2_AWS_12_EC2_2_defaultSecurityGroup(String stack) {
        var s = PolicyStack.of(stack);
        var vpcId = s.id(s.single(Types.VPC).name());
        List<PlannedResource> defaults = s.where(Types.DEFAULT_SG, "vpcId", vpcId);
        assertThat(defaults).as("default SG of the VPC adopted").hasSize(1);
        var sg = defaults.get(0);
        assertThat(sg.inputs()).containsKeys("ingress", "egress");
        assertThat(PolicyStack.list(sg.inputs().get("ingress"))).as("ingress").isEmpty();
        assertThat(PolicyStack.list(sg.inputs().get("egress"))).as("egress").isEmpty();
        // and no separate rule resource adds to it
        String id = s.id(sg.name());
        assertThat(s.where(Types.SG_INGRESS, "securityGroupId", id)).isEmpty();
        assertThat(s.where(Types.SG_EGRESS, "securityGroupId", id)).isEmpty();
        assertThat(s.where(Types.SG_RULE_LEGACY, "securityGroupId", id)).isEmpty();
        // nothing attaches it
        assertThat(s.plan().resources().stream().filter(r -> r != sg).map(r -> r.inputs().toString()))
                .noneMatch(text -> text.contains(id));
    }

    @ForEachStack
    @DisplayName("CKV_AWS_130, EC2.15: private subnets do not map public IPs (public subnets: EX-01)")
    void CKV_AWS_130_EC2_15_noPublicIpOnLaunch(String stack) {
        var s = PolicyStack.of(stack);
        assertThat(Topology.privateSubnets(s)).as("private subnets").isNotEmpty();
        for (PlannedResource subnet : Topology.privateSubnets(s)) {
            assertThat(subnet.inputs().get("mapPublicIpOnLaunch")).as("%s mapPublicIpOnLaunch", subnet.name())
                    .isIn(false, null);
            assertThat(subnet.inputs().get("assignIpv6AddressOnCreation")).isIn(false, null);
        }
        for (PlannedResource subnet : s.ofType(Types.SUBNET)) {
            if (Boolean.TRUE.equals(subnet.inputs().get("mapPublicIpOnLaunch"))) {
                assertThat(PolicyExceptions.covers("CKV_AWS_130", s, subnet.name()))
                        .as("%s maps public IPs and no exception covers it", subnet.name()).isTrue();
            }
        }
    }

    @ForEachStack
    @DisplayName("custom: only the public route table has 0.0.0.0/0 (to the IGW); private route tables have no default route; no NAT")
    void custom_routing(String stack) {
        var s = PolicyStack.of(stack);
        var vpcId = s.id(s.single(Types.VPC).name());
        var igw = s.single(Types.INTERNET_GATEWAY);
        assertThat(str(igw, "vpcId")).isEqualTo(vpcId);
        String igwId = s.id(igw.name());
        assertThat(s.ofType(Types.NAT_GATEWAY)).as("no NAT gateway: private subnets never reach the internet").isEmpty();
        assertThat(s.ofType(Types.EGRESS_ONLY_IGW)).isEmpty();

        var internet = Topology.internetRouteTables(s);
        assertThat(internet).as("exactly one public route table").hasSize(1);
        for (PlannedResource rt : s.ofType(Types.ROUTE_TABLE)) {
            assertThat(str(rt, "vpcId")).isEqualTo(vpcId);
            List<String> defaults = Topology.defaultRoutes(s, rt);
            if (internet.contains(rt)) {
                assertThat(defaults).as("default routes of %s", rt.name()).containsExactly(igwId);
            } else {
                assertThat(defaults).as("default routes of private table %s", rt.name()).isEmpty();
            }
        }
        // every route's target is the IGW (only the public default route exists)
        for (PlannedResource route : s.ofType(Types.ROUTE)) {
            assertThat(str(route, "gatewayId")).as("target of %s", route.name()).isEqualTo(igwId);
            assertThat(str(route, "routeTableId")).isEqualTo(s.id(internet.get(0).name()));
        }
        // every subnet is explicitly associated (none falls back to the main table)
        for (PlannedResource subnet : s.ofType(Types.SUBNET)) {
            assertThat(Topology.routeTableOf(s, subnet)).as("route table of %s", subnet.name()).isNotNull();
            assertThat(str(subnet, "vpcId")).isEqualTo(vpcId);
        }
        // public subnets: one per host zone; private subnets: at least one per host zone
        assertThat(Topology.publicSubnets(s)).hasSize(s.config().network().azCount());
        assertThat(Topology.privateSubnets(s).size()).isGreaterThanOrEqualTo(2);
    }

    @ForEachStack
    @DisplayName("custom: S3 gateway endpoint on com.amazonaws.<region>.s3 serving the public and private route tables")
    void custom_s3GatewayEndpoint(String stack) {
        var s = PolicyStack.of(stack);
        var vpcId = s.id(s.single(Types.VPC).name());
        List<PlannedResource> s3 = s.where(Types.VPC_ENDPOINT, "serviceName", "com.amazonaws." + s.config().region() + ".s3");
        assertThat(s3).hasSize(1);
        var ep = s3.get(0);
        assertThat(str(ep, "vpcEndpointType")).isEqualTo("Gateway");
        assertThat(str(ep, "vpcId")).isEqualTo(vpcId);
        assertThat(strings(ep.inputs().get("routeTableIds"))).as("route tables served (the reference had none)")
                .containsExactlyInAnyOrderElementsOf(s.ids(s.ofType(Types.ROUTE_TABLE)));
    }

    @ForEachStack
    @DisplayName("EC2.10: interface endpoints (when configured) with private DNS, in the private subnets, SG only tcp 443 from the VPC CIDR")
    void EC2_10_interfaceEndpoints(String stack) {
        var s = PolicyStack.of(stack);
        var vpcCidr = s.config().network().vpcCidr().toString();
        List<PlannedResource> endpoints = s.where(Types.VPC_ENDPOINT, "vpcEndpointType", "Interface");
        assertThat(endpoints.stream().map(e -> str(e, "serviceName")))
                .as("interface endpoints = the configured list")
                .containsExactlyInAnyOrderElementsOf(s.config().network().interfaceEndpoints().stream()
                        .map(svc -> "com.amazonaws." + s.config().region() + "." + svc).toList());
        Set<String> privateIds = Topology.ids(s, Topology.privateSubnets(s));
        for (PlannedResource ep : endpoints) {
            assertThat(ep.inputs().get("privateDnsEnabled")).as("%s privateDnsEnabled", ep.name()).isEqualTo(true);
            assertThat(strings(ep.inputs().get("subnetIds"))).as("%s subnets", ep.name())
                    .containsExactlyInAnyOrderElementsOf(privateIds);
            List<String> groups = strings(ep.inputs().get("securityGroupIds"));
            assertThat(groups).isNotEmpty();
            for (String g : groups) {
                var sg = Topology.securityGroupWithId(s, g);
                var ingress = Topology.ingress(s, sg);
                assertThat(ingress).as("ingress of %s", sg.name()).isNotEmpty().allSatisfy(rule -> {
                    assertThat(rule.protocol()).isEqualTo("tcp");
                    assertThat(rule.fromPort()).isEqualTo(443);
                    assertThat(rule.toPort()).isEqualTo(443);
                    assertThat(rule.cidrs()).containsExactly(vpcCidr);
                    assertThat(rule.referencedGroup()).isNull();
                });
                assertThat(Topology.egress(s, sg)).as("egress of %s", sg.name()).isEmpty();
            }
        }
        // the endpoint group exists only when endpoints do
        if (endpoints.isEmpty()) {
            assertThat(s.ofType(Types.SG).stream().map(g -> s.id(g.name())))
                    .as("with no interface endpoints, the only security groups are the hosts' and the DB's")
                    .containsExactlyInAnyOrder(s.id(Topology.appSecurityGroup(s).name()), s.id(Topology.dbSecurityGroup(s).name()));
        }
    }

    @ForEachStack
    @DisplayName("custom: the VPC has DNS hostnames and support on, and the configured CIDR")
    void custom_vpc(String stack) {
        var s = PolicyStack.of(stack);
        var vpc = s.single(Types.VPC);
        assertThat(str(vpc, "cidrBlock")).isEqualTo(s.config().network().vpcCidr().toString());
        assertThat(vpc.inputs().get("enableDnsHostnames")).isEqualTo(true);
        assertThat(vpc.inputs().get("enableDnsSupport")).isIn(true, null);
        assertThat(map(vpc.inputs().get("tags"))).containsKey("Name");
    }
}
