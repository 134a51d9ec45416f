package org.orthweb.plan;

import org.orthweb.net.Cidr;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Decides each resource's {@link Marker}s from the plan itself, so that they follow the program:
 * <ul>
 *   <li>{@link Marker#INTERNET}: an EC2 instance, or an auto-scaling group's subnets, that give
 *   public addresses ({@code mapPublicIpOnLaunch}); an internet-facing load balancer; a
 *   security-group ingress rule whose source is a public network (any IPv4 CIDR outside the
 *   private, shared, loopback and link-local ranges); the internet gateway.</li>
 *   <li>{@link Marker#PHI}: what the stack's own outputs name as the data stores and the hosts:
 *   the bucket {@code dataBucketName} (DICOM files), the database at {@code dbEndpoint} (the
 *   Orthanc index: patient names, identifiers, study descriptions), the instances in
 *   {@code hostIds} or the auto-scaling group {@code hostGroupName} (they receive, cache and
 *   serve studies).</li>
 *   <li>{@link Marker#PROTECT}: the resource was registered with Pulumi's {@code protect} option.</li>
 *   <li>{@link Marker#COST}: the resource's type is billed while it exists (a fixed price or a
 *   usage charge in {@link org.orthweb.cost.CostEstimate}); an interface VPC endpoint is, a
 *   gateway one is not.</li>
 *   <li>{@link Marker#REPLACES_HOST}: the EC2 instances and their launch template (a new template
 *   version replaces the instances).</li>
 * </ul>
 */
public final class Markers {


    private static final String INSTANCE = "aws:ec2/instance:Instance";
    private static final String AUTOSCALING_GROUP = "aws:autoscaling/group:Group";
    private static final String LOAD_BALANCER = "aws:lb/loadBalancer:LoadBalancer";
    private static final String LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";
    private static final String SUBNET = "aws:ec2/subnet:Subnet";
    private static final String BUCKET = "aws:s3/bucketV2:BucketV2";
    private static final String DB_INSTANCE = "aws:rds/instance:Instance";
    private static final String VPC_ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint";
    private static final List<String> INGRESS_RULES = List.of(
            "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
            "aws:ec2/securityGroupRule:SecurityGroupRule");

    private Markers() {
    }

    /**
     * @param resource the resource to mark
     * @param all      every resource of the plan (to follow a subnet id)
     * @param outputs  the stack outputs (they name the data stores and hosts)
     * @param protect  whether it was registered with {@code protect}
     */
    static Set<Marker> of(Plan.PlannedResource resource, List<Plan.PlannedResource> all, Map<String, Object> outputs,
                          boolean protect) {
        Set<Marker> markers = EnumSet.noneOf(Marker.class);
        if (internetFacing(resource, all)) {
            markers.add(Marker.INTERNET);
        }
        if (holdsPatientData(resource, outputs)) {
            markers.add(Marker.PHI);
        }
        if (protect) {
            markers.add(Marker.PROTECT);
        }
        if (billed(resource)) {
            markers.add(Marker.COST);
        }
        if (resource.type().equals(INSTANCE) || resource.type().equals(LAUNCH_TEMPLATE)) {
            markers.add(Marker.REPLACES_HOST);
        }
        return markers;
    }

    /** Billed while it exists: the cost estimator's one list of priced and usage-charged kinds. */
    static boolean billed(Plan.PlannedResource r) {
        return org.orthweb.cost.CostEstimate.billed(r);
    }

    private static boolean internetFacing(Plan.PlannedResource r, List<Plan.PlannedResource> all) {
        if (r.type().equals("aws:ec2/internetGateway:InternetGateway")) {
            return true;
        }
        if (r.type().equals(INSTANCE)) {
            if (Boolean.TRUE.equals(r.inputs().get("associatePublicIpAddress"))) {
                return true;
            }
            return publicSubnet(r.inputs().get("subnetId"), all);
        }
        if (r.type().equals(AUTOSCALING_GROUP) && r.inputs().get("vpcZoneIdentifiers") instanceof List<?> subnets) {
            return subnets.stream().anyMatch(id -> publicSubnet(id, all));
        }
        if (r.type().equals(LOAD_BALANCER)) {
            return !Boolean.TRUE.equals(r.inputs().get("internal"));
        }
        if (INGRESS_RULES.contains(r.type()) && !"egress".equals(r.inputs().get("type"))) {
            Object cidr = r.inputs().containsKey("cidrIpv4") ? r.inputs().get("cidrIpv4") : r.inputs().get("cidrBlocks");
            List<?> cidrs = cidr instanceof List<?> list ? list : cidr == null ? List.of() : List.of(cidr);
            return cidrs.stream().anyMatch(c -> isPublic(String.valueOf(c)));
        }
        return false;
    }

    private static boolean publicSubnet(Object subnetId, List<Plan.PlannedResource> all) {
        return all.stream().anyMatch(s -> s.type().equals(SUBNET) && Objects.equals(s.id(), subnetId)
                && Boolean.TRUE.equals(s.inputs().get("mapPublicIpOnLaunch")));
    }

    private static boolean holdsPatientData(Plan.PlannedResource r, Map<String, Object> outputs) {
        return switch (r.type()) {
            case BUCKET -> Objects.equals(r.inputs().get("bucket"), outputs.get("dataBucketName"));
            case DB_INSTANCE -> r.get("address") != null
                    && String.valueOf(outputs.get("dbEndpoint")).startsWith(r.get("address") + ":");
            case INSTANCE -> outputs.get("hostIds") instanceof List<?> ids && ids.contains(r.id());
            case AUTOSCALING_GROUP -> outputs.get("hostGroupName") != null
                    && Objects.equals(outputs.get("hostGroupName"), r.get("name"));
            default -> false;
        };
    }

    /** Ranges that are not the internet: RFC 1918, shared (RFC 6598), loopback, link-local. */
    private static final List<Cidr> NOT_INTERNET = List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("172.16.0.0/12"),
            Cidr.parse("192.168.0.0/16"), Cidr.parse("100.64.0.0/10"), Cidr.parse("127.0.0.0/8"),
            Cidr.parse("169.254.0.0/16"));

    /** Whether an IPv4 CIDR reaches beyond those ranges (0.0.0.0/0 and any public block do). */
    static boolean isPublic(String cidr) {
        Cidr block;
        try {
            block = Cidr.parse(cidr);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return NOT_INTERNET.stream().noneMatch(range -> range.contains(block));
    }
}
