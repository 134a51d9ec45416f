package org.orthweb.components;

import com.pulumi.core.Output;
import org.orthweb.naming.Naming;
import org.orthweb.net.SubnetPlan;

import java.util.List;

/**
 * @param naming             physical names and Name tags
 * @param aws                account, partition and region
 * @param vpcCidr            the VPC block
 * @param zones              the subnets to create per AZ (from {@link SubnetPlan#carve}); public
 *                           subnets are created for the first {@code publicZoneCount} zones only
 * @param publicZoneCount    how many zones get a public subnet (the hosts' zones)
 * @param availabilityZones  AZ names, in order, at least as many as {@code zones}
 * @param interfaceEndpoints services to reach through interface endpoints in the private subnets
 * @param flowLogBucketArn   log bucket for the VPC flow logs
 */
public record SecureVpcArgs(
        Naming naming,
        AwsContext aws,
        String vpcCidr,
        List<SubnetPlan.ZoneSubnets> zones,
        int publicZoneCount,
        Output<List<String>> availabilityZones,
        List<String> interfaceEndpoints,
        Output<String> flowLogBucketArn) {

    public SecureVpcArgs {
        zones = List.copyOf(zones);
        interfaceEndpoints = List.copyOf(interfaceEndpoints);
        if (publicZoneCount < 1 || publicZoneCount > zones.size()) {
            throw new IllegalArgumentException("publicZoneCount must be 1.." + zones.size());
        }
    }
}
