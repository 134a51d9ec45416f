package org.orthweb.components;

import com.pulumi.core.Output;
import org.orthweb.naming.Naming;
import org.orthweb.net.Cidr;

import java.util.List;

/**
 * @param naming           physical names and Name tags
 * @param vpcId            the VPC of the hosts
 * @param webClientCidrs   who may reach HTTPS (443)
 * @param dicomClientCidrs who may reach DICOM TLS (11112)
 */
public record AppFirewallArgs(Naming naming, Output<String> vpcId, List<Cidr> webClientCidrs,
                              List<Cidr> dicomClientCidrs) {

    public AppFirewallArgs {
        webClientCidrs = List.copyOf(webClientCidrs);
        dicomClientCidrs = List.copyOf(dicomClientCidrs);
        if (webClientCidrs.isEmpty() || dicomClientCidrs.isEmpty()) {
            throw new IllegalArgumentException("client CIDR lists must not be empty");
        }
    }
}
