package org.orthweb.components;

import org.orthweb.naming.Naming;

import java.util.Optional;

/**
 * @param naming     physical names and Name tags
 * @param hostCount  hosts of the site, one Elastic IP each (1 or more)
 * @param siteName   the configured DNS name of the site, if any; without one, the first host's
 *                   Elastic IP public DNS name is the site name
 */
public record SiteAddressArgs(Naming naming, int hostCount, Optional<String> siteName) {

    public SiteAddressArgs {
        if (hostCount < 1) {
            throw new IllegalArgumentException("hostCount must be at least 1, was " + hostCount);
        }
        siteName = siteName == null ? Optional.empty() : siteName;
    }
}
