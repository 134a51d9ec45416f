package org.orthweb.components;

import com.pulumi.core.Output;

import org.orthweb.naming.Naming;

import java.util.Optional;

/**
 * @param naming     physical names and Name tags
 * @param hostCount  hosts of the site, one Elastic IP each (1 or more)
 * @param siteName   the configured DNS name of the site, if any; without one, the first host's
 *                   Elastic IP public DNS name (or the balancer's DNS name) is the site name
 * @param balancerDnsName high-availability mode: the load balancer's DNS name, the one stable
 *                   address; no Elastic IP is allocated ({@code hostCount} is then ignored)
 */
public record SiteAddressArgs(Naming naming, int hostCount, Optional<String> siteName,
                              Optional<Output<String>> balancerDnsName) {

    /** Single-host mode: an Elastic IP per host. */
    public SiteAddressArgs(Naming naming, int hostCount, Optional<String> siteName) {
        this(naming, hostCount, siteName, Optional.empty());
    }

    public SiteAddressArgs {
        balancerDnsName = balancerDnsName == null ? Optional.empty() : balancerDnsName;
        if (hostCount < 1) {
            throw new IllegalArgumentException("hostCount must be at least 1, was " + hostCount);
        }
        siteName = siteName == null ? Optional.empty() : siteName;
    }
}
