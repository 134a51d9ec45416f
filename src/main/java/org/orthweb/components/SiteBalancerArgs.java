package org.orthweb.components;

import com.pulumi.core.Output;
import org.orthweb.naming.Naming;
import org.orthweb.net.Cidr;

import java.util.List;
import java.util.Objects;

/**
 * What the site's network load balancer needs.
 *
 * @param naming              physical names and Name tags
 * @param vpcId               the stack's VPC
 * @param publicSubnetIds     one public subnet per zone: the balancer has a node in each (two or more)
 * @param hostSecurityGroupId the hosts' group (from {@link AppFirewall}): the balancer's only target
 * @param webClientCidrs      who may reach HTTPS (443) through the balancer
 * @param dicomClientCidrs    who may reach DICOM TLS (11112) through the balancer
 * @param deletionProtection  refuse deletion of the balancer (prd/stg)
 */
public record SiteBalancerArgs(Naming naming, Output<String> vpcId, List<Output<String>> publicSubnetIds,
                               Output<String> hostSecurityGroupId, List<Cidr> webClientCidrs,
                               List<Cidr> dicomClientCidrs, boolean deletionProtection) {

    public SiteBalancerArgs {
        Objects.requireNonNull(naming);
        Objects.requireNonNull(vpcId);
        Objects.requireNonNull(hostSecurityGroupId);
        publicSubnetIds = List.copyOf(publicSubnetIds);
        webClientCidrs = List.copyOf(webClientCidrs);
        dicomClientCidrs = List.copyOf(dicomClientCidrs);
        if (publicSubnetIds.size() < 2) {
            throw new IllegalArgumentException("the load balancer spans two or more zones, got "
                    + publicSubnetIds.size() + " public subnets");
        }
        if (webClientCidrs.isEmpty() || dicomClientCidrs.isEmpty()) {
            throw new IllegalArgumentException("client CIDR lists must not be empty");
        }
    }
}
