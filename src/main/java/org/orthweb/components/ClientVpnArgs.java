package org.orthweb.components;

import com.pulumi.core.Output;
import org.orthweb.config.StackConfig;
import org.orthweb.naming.Naming;

import java.util.List;
import java.util.Objects;

/**
 * @param naming              physical names and Name tags
 * @param stack               the stack's name (in the certificates' subjects)
 * @param settings            {@code orthweb:vpn}, validated
 * @param vpcId               the VPC the endpoint serves
 * @param vpcCidr             the VPC's block: the authorization rule's target and the resolver's base
 * @param privateSubnetIds    the private subnets, one per zone; the first {@code subnetAssociations} are associated
 * @param hostSecurityGroupId the hosts' group, which admits the VPN's group on HTTPS, DICOM TLS and plain DICOM
 * @param kmsKeyArn           the stack's key: the connection log group and the clients' secret
 * @param logRetentionDays    days CloudWatch keeps the connection log
 * @param recoveryWindowDays  days a deleted secret can be restored (7-30)
 * @param protect             Pulumi protect on the secret and log group (hardened environments)
 */
public record ClientVpnArgs(Naming naming, String stack, StackConfig.Vpn settings, Output<String> vpcId, String vpcCidr,
                            List<Output<String>> privateSubnetIds, Output<String> hostSecurityGroupId,
                            Output<String> kmsKeyArn, int logRetentionDays, int recoveryWindowDays, boolean protect) {

    public ClientVpnArgs {
        Objects.requireNonNull(naming, "naming");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(vpcId, "vpcId");
        Objects.requireNonNull(hostSecurityGroupId, "hostSecurityGroupId");
        Objects.requireNonNull(kmsKeyArn, "kmsKeyArn");
        privateSubnetIds = List.copyOf(privateSubnetIds);
        if (settings.subnetAssociations() > privateSubnetIds.size()) {
            throw new IllegalArgumentException("vpn.subnetAssociations (" + settings.subnetAssociations()
                    + ") exceeds the private subnets (" + privateSubnetIds.size() + ")");
        }
    }
}
