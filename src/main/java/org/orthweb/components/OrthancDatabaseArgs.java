package org.orthweb.components;

import com.pulumi.core.Output;
import org.orthweb.config.StackConfig;
import org.orthweb.naming.Naming;

import java.util.List;

/**
 * @param naming                 physical names and Name tags
 * @param database               the database settings from stack config
 * @param vpcId                  the VPC
 * @param privateSubnetIds       subnets of the subnet group (two AZs at least)
 * @param clientSecurityGroupId  the hosts' group: the only one admitted on 5432
 * @param kmsKeyArn              key for storage, secret, logs and Performance Insights
 * @param logRetentionDays       retention of the exported PostgreSQL logs
 * @param hardened               deletion protection, final snapshot, protect, long recovery windows
 */
public record OrthancDatabaseArgs(
        Naming naming,
        StackConfig.Database database,
        Output<String> vpcId,
        List<Output<String>> privateSubnetIds,
        Output<String> clientSecurityGroupId,
        Output<String> kmsKeyArn,
        int logRetentionDays,
        boolean hardened) {

    public OrthancDatabaseArgs {
        privateSubnetIds = List.copyOf(privateSubnetIds);
        if (privateSubnetIds.size() < 2) {
            throw new IllegalArgumentException("an RDS subnet group needs subnets in at least two AZs");
        }
    }
}
