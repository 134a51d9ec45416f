package org.orthweb.components;

import com.pulumi.aws.ec2.DefaultSecurityGroup;
import com.pulumi.aws.ec2.DefaultSecurityGroupArgs;
import com.pulumi.aws.ec2.FlowLog;
import com.pulumi.aws.ec2.FlowLogArgs;
import com.pulumi.aws.ec2.InternetGateway;
import com.pulumi.aws.ec2.InternetGatewayArgs;
import com.pulumi.aws.ec2.Route;
import com.pulumi.aws.ec2.RouteArgs;
import com.pulumi.aws.ec2.RouteTable;
import com.pulumi.aws.ec2.RouteTableArgs;
import com.pulumi.aws.ec2.RouteTableAssociation;
import com.pulumi.aws.ec2.RouteTableAssociationArgs;
import com.pulumi.aws.ec2.SecurityGroup;
import com.pulumi.aws.ec2.SecurityGroupArgs;
import com.pulumi.aws.ec2.Subnet;
import com.pulumi.aws.ec2.SubnetArgs;
import com.pulumi.aws.ec2.Vpc;
import com.pulumi.aws.ec2.VpcArgs;
import com.pulumi.aws.ec2.VpcEndpoint;
import com.pulumi.aws.ec2.VpcEndpointArgs;
import com.pulumi.aws.ec2.inputs.FlowLogDestinationOptionsArgs;
import com.pulumi.aws.vpc.SecurityGroupIngressRule;
import com.pulumi.aws.vpc.SecurityGroupIngressRuleArgs;
import com.pulumi.core.Output;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.Resource;
import org.orthweb.net.SubnetPlan;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The network: a VPC with a public subnet per host zone (internet gateway route) and a private
 * subnet per zone (no route out at all: no NAT), an S3 gateway endpoint on both route tables,
 * optional interface endpoints, the default security group locked down, and flow logs of all
 * traffic to the log bucket.
 */
public final class SecureVpc extends ComponentResource {

    public static final String TYPE = "orthweb:index:SecureVpc";
    /** Flow log records are aggregated over this many seconds (the reference's 10 minutes). */
    public static final int FLOW_LOG_AGGREGATION_SECONDS = 600;

    public final Output<String> vpcId;
    public final String vpcCidr;
    public final List<Output<String>> publicSubnetIds;
    public final List<Output<String>> privateSubnetIds;
    public final Output<String> publicRouteTableId;
    public final Output<String> privateRouteTableId;
    /** The S3 gateway endpoint: policies pin the host's S3 access to it ({@code aws:SourceVpce}). */
    public final Output<String> s3EndpointId;
    /** Interface endpoint ids by service name ("kms", "secretsmanager"...), as configured. */
    public final Map<String, Output<String>> interfaceEndpointIds;

    public SecureVpc(String name, SecureVpcArgs args, ComponentResourceOptions options) {
        super(TYPE, name, options);
        var naming = args.naming();
        this.vpcCidr = args.subnets().vpc().toString();

        var vpc = new Vpc(name + "-vpc", VpcArgs.builder()
                .cidrBlock(vpcCidr)
                .enableDnsHostnames(true)
                .enableDnsSupport(true)
                .tags(naming.tags("vpc"))
                .build(), child());
        this.vpcId = vpc.id();

        // Adopt the default security group and strip its rules: nothing may use it by accident.
        new DefaultSecurityGroup(name + "-default-sg", DefaultSecurityGroupArgs.builder()
                .vpcId(vpc.id())
                .ingress(List.of())
                .egress(List.of())
                .tags(naming.tags("default-sg-unused"))
                .build(), under(vpc));

        var igw = new InternetGateway(name + "-igw", InternetGatewayArgs.builder()
                .vpcId(vpc.id())
                .tags(naming.tags("igw"))
                .build(), under(vpc));

        var publicRt = new RouteTable(name + "-public-rt", RouteTableArgs.builder()
                .vpcId(vpc.id())
                .tags(naming.tags("public-rt"))
                .build(), under(vpc));
        new Route(name + "-public-default-route", RouteArgs.builder()
                .routeTableId(publicRt.id())
                .destinationCidrBlock("0.0.0.0/0")
                .gatewayId(igw.id())
                .build(), under(publicRt));
        // Private subnets get their own table with only the local route (and S3 below): without
        // it they would fall back to the VPC's main table, which nobody here controls.
        var privateRt = new RouteTable(name + "-private-rt", RouteTableArgs.builder()
                .vpcId(vpc.id())
                .tags(naming.tags("private-rt"))
                .build(), under(vpc));

        List<Output<String>> publicIds = new ArrayList<>();
        List<Output<String>> privateIds = new ArrayList<>();
        for (SubnetPlan.ZoneSubnets zone : args.subnets().zones()) {
            int i = zone.zoneIndex();
            Output<String> az = args.availabilityZones().applyValue(names -> names.get(i));
            String suffix = String.valueOf(i + 1);
            if (i < args.subnets().publicZoneCount()) {
                var pub = new Subnet(name + "-public-" + suffix, SubnetArgs.builder()
                        .vpcId(vpc.id())
                        .cidrBlock(zone.publicSubnet().toString())
                        .availabilityZone(az)
                        // hosts serve HTTPS and DICOM directly: public IPs are the design here
                        .mapPublicIpOnLaunch(true)
                        .tags(naming.tags("public-" + suffix))
                        .build(), under(vpc));
                new RouteTableAssociation(name + "-public-" + suffix + "-rta", RouteTableAssociationArgs.builder()
                        .subnetId(pub.id())
                        .routeTableId(publicRt.id())
                        .build(), under(pub));
                publicIds.add(pub.id());
            }
            var priv = new Subnet(name + "-private-" + suffix, SubnetArgs.builder()
                    .vpcId(vpc.id())
                    .cidrBlock(zone.privateSubnet().toString())
                    .availabilityZone(az)
                    .mapPublicIpOnLaunch(false)
                    .tags(naming.tags("private-" + suffix))
                    .build(), under(vpc));
            new RouteTableAssociation(name + "-private-" + suffix + "-rta", RouteTableAssociationArgs.builder()
                    .subnetId(priv.id())
                    .routeTableId(privateRt.id())
                    .build(), under(priv));
            privateIds.add(priv.id());
        }
        this.publicSubnetIds = List.copyOf(publicIds);
        this.privateSubnetIds = List.copyOf(privateIds);
        this.publicRouteTableId = publicRt.id();
        this.privateRouteTableId = privateRt.id();

        // The reference's S3 endpoint had no route tables, so it carried no traffic; ours serves both.
        var s3Endpoint = new VpcEndpoint(name + "-s3-endpoint", VpcEndpointArgs.builder()
                .vpcId(vpc.id())
                .serviceName("com.amazonaws." + args.aws().region() + ".s3")
                .vpcEndpointType("Gateway")
                .routeTableIds(Output.all(publicRt.id(), privateRt.id()))
                .tags(naming.tags("s3-endpoint"))
                .build(), under(vpc));
        this.s3EndpointId = s3Endpoint.id();

        Map<String, Output<String>> interfaceIds = new java.util.LinkedHashMap<>();
        if (!args.interfaceEndpoints().isEmpty()) {
            var endpointSg = new SecurityGroup(name + "-endpoints-sg", SecurityGroupArgs.builder()
                    .vpcId(vpc.id())
                    .description("Interface endpoints: HTTPS from inside the VPC only")
                    .tags(naming.tags("endpoints-sg"))
                    .build(), under(vpc));
            new SecurityGroupIngressRule(name + "-endpoints-https-from-vpc", SecurityGroupIngressRuleArgs.builder()
                    .securityGroupId(endpointSg.id())
                    .description("HTTPS to AWS APIs from the VPC")
                    .ipProtocol("tcp")
                    .fromPort(443)
                    .toPort(443)
                    .cidrIpv4(vpcCidr)
                    .build(), under(endpointSg));
            for (String service : args.interfaceEndpoints()) {
                var endpoint = new VpcEndpoint(name + "-" + service + "-endpoint", VpcEndpointArgs.builder()
                        .vpcId(vpc.id())
                        .serviceName("com.amazonaws." + args.aws().region() + "." + service)
                        .vpcEndpointType("Interface")
                        .privateDnsEnabled(true)
                        .subnetIds(Output.all(privateIds))
                        .securityGroupIds(endpointSg.id().applyValue(List::of))
                        .tags(naming.tags(service + "-endpoint"))
                        .build(), under(vpc));
                interfaceIds.put(service, endpoint.id());
            }
        }
        this.interfaceEndpointIds = java.util.Collections.unmodifiableMap(interfaceIds);

        new FlowLog(name + "-flow-log", FlowLogArgs.builder()
                .vpcId(vpc.id())
                .trafficType("ALL")
                .logDestinationType("s3")
                .logDestination(args.flowLogBucketArn().applyValue(arn -> arn + "/" + DicomStorage.FLOW_LOG_PREFIX))
                .maxAggregationInterval(FLOW_LOG_AGGREGATION_SECONDS)
                .destinationOptions(FlowLogDestinationOptionsArgs.builder()
                        .fileFormat("plain-text")
                        .perHourPartition(true)
                        .hiveCompatiblePartitions(false)
                        .build())
                .tags(naming.tags("flow-log"))
                .build(), under(vpc));

        registerOutputs(Map.of("vpcId", vpcId, "publicSubnetIds", Output.all(publicSubnetIds),
                "privateSubnetIds", Output.all(privateSubnetIds)));
    }

    /** The endpoints, for policies that pin the hosts' requests to them. */
    public StackEndpoints endpoints() {
        return new StackEndpoints(s3EndpointId, interfaceEndpointIds);
    }

    private CustomResourceOptions child() {
        return CustomResourceOptions.builder().parent(this).build();
    }

    private static CustomResourceOptions under(Resource parent) {
        return CustomResourceOptions.builder().parent(parent).build();
    }
}
