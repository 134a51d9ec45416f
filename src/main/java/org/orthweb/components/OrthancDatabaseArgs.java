package org.orthweb.components;

import com.pulumi.core.Output;
import org.orthweb.config.EnvironmentProfile;
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
 * @param safeguards             what protects the data from deletion, by name
 */
public record OrthancDatabaseArgs(
        Naming naming,
        StackConfig.Database database,
        Output<String> vpcId,
        List<Output<String>> privateSubnetIds,
        Output<String> clientSecurityGroupId,
        Output<String> kmsKeyArn,
        int logRetentionDays,
        Safeguards safeguards) {

    public OrthancDatabaseArgs {
        privateSubnetIds = List.copyOf(privateSubnetIds);
        java.util.Objects.requireNonNull(safeguards);
        if (privateSubnetIds.size() < 2) {
            throw new IllegalArgumentException("an RDS subnet group needs subnets in at least two AZs");
        }
    }

    /**
     * @param protect                  Pulumi protect on the instance and its master secret
     * @param deletionProtection       RDS deletion protection
     * @param finalSnapshot            a final snapshot on delete, automated backups kept
     * @param performanceInsights      Performance Insights (7 days, encrypted with the key)
     * @param applyImmediately         apply changes now rather than in the maintenance window
     * @param secretRecoveryWindowDays days the deleted master secret can be restored (7-30)
     */
    public record Safeguards(boolean protect, boolean deletionProtection, boolean finalSnapshot,
                             boolean performanceInsights, boolean applyImmediately, int secretRecoveryWindowDays) {

        /** The environment profile's safeguards for a database. */
        public static Safeguards of(EnvironmentProfile profile) {
            return new Safeguards(profile.protect(), profile.deletionProtection(), profile.finalSnapshot(),
                    profile.performanceInsights(), profile.applyChangesImmediately(), profile.secretRecoveryWindowDays());
        }
    }
}
