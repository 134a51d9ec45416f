package org.orthweb.components;

import com.pulumi.core.Output;
import org.orthweb.naming.Naming;
import org.orthweb.net.SubnetPlan;

import java.util.List;

/**
 * @param naming             physical names and Name tags
 * @param aws                account, partition and region
 * @param subnets            the VPC block and its subnets, resolved once from the config
 *                           ({@link SubnetPlan#layout}): public subnets in the first
 *                           {@code publicZoneCount} zones, private subnets in every zone
 * @param availabilityZones  AZ names, in order, at least as many as the layout's zones
 * @param interfaceEndpoints services to reach through interface endpoints in the private subnets
 * @param flowLogBucketArn   log bucket for the VPC flow logs
 */
public record SecureVpcArgs(
        Naming naming,
        AwsContext aws,
        SubnetPlan.Layout subnets,
        Output<List<String>> availabilityZones,
        List<String> interfaceEndpoints,
        Output<String> flowLogBucketArn) {

    public SecureVpcArgs {
        java.util.Objects.requireNonNull(subnets);
        interfaceEndpoints = List.copyOf(interfaceEndpoints);
    }
}
