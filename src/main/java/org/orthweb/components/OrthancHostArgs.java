package org.orthweb.components;

import com.pulumi.core.Output;
import org.orthweb.config.StackConfig;
import org.orthweb.naming.Naming;

import java.util.List;

/**
 * @param naming           physical names and Name tags
 * @param aws              account, partition and region
 * @param config           the whole stack config (host, logging, site, images)
 * @param publicSubnetIds  one host per subnet, in order, up to the configured count
 * @param securityGroupId  the hosts' group (from {@link AppFirewall})
 * @param kmsKeyArn        key for the root volumes and the container log group
 * @param bucketName       data bucket name (Orthanc's S3 plugin)
 * @param bucketArn        data bucket ARN (IAM scope)
 * @param dbAddress        database endpoint host
 * @param dbPort           database port
 * @param dbResourceId     database resource id (rds-db:connect scope)
 * @param dbSecretArn      master credential secret
 * @param appSecretArn     application secrets
 * @param siteName         the site's stable DNS name (from {@link SiteAddress}), the same for every host
 * @param addressAllocationIds one Elastic IP allocation per host, in host order (from {@link SiteAddress})
 */
public record OrthancHostArgs(
        Naming naming,
        AwsContext aws,
        StackConfig config,
        List<Output<String>> publicSubnetIds,
        Output<String> securityGroupId,
        Output<String> kmsKeyArn,
        Output<String> bucketName,
        Output<String> bucketArn,
        Output<String> dbAddress,
        Output<Integer> dbPort,
        Output<String> dbResourceId,
        Output<String> dbSecretArn,
        Output<String> appSecretArn,
        Output<String> siteName,
        List<Output<String>> addressAllocationIds) {

    public OrthancHostArgs {
        publicSubnetIds = List.copyOf(publicSubnetIds);
        addressAllocationIds = List.copyOf(addressAllocationIds);
        if (addressAllocationIds.size() != config.host().instanceCount()) {
            throw new IllegalArgumentException("one Elastic IP per host: " + addressAllocationIds.size()
                    + " addresses for " + config.host().instanceCount() + " hosts");
        }
        if (config.host().instanceCount() > publicSubnetIds.size()) {
            throw new IllegalArgumentException("instanceCount exceeds the number of public subnets");
        }
    }
}
