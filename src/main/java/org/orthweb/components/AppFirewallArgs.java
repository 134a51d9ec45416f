package org.orthweb.components;

import com.pulumi.core.Output;
import org.orthweb.naming.Naming;
import org.orthweb.net.Cidr;
import org.orthweb.orthanc.OrthancSettings;

import java.util.List;

/**
 * @param naming           physical names and Name tags
 * @param vpcId            the VPC of the hosts
 * @param webClientCidrs   who may reach HTTPS (443)
 * @param dicomClientCidrs who may reach DICOM TLS (11112)
 * @param orthancEgress    where Orthanc may connect out besides HTTPS: the declared modalities and
 *                         peers ({@link OrthancSettings#egress}), each one rule
 */
public record AppFirewallArgs(Naming naming, Output<String> vpcId, List<Cidr> webClientCidrs,
                              List<Cidr> dicomClientCidrs, List<OrthancSettings.Egress> orthancEgress) {

    /** No declared modalities or peers. */
    public AppFirewallArgs(Naming naming, Output<String> vpcId, List<Cidr> webClientCidrs, List<Cidr> dicomClientCidrs) {
        this(naming, vpcId, webClientCidrs, dicomClientCidrs, List.of());
    }

    public AppFirewallArgs {
        webClientCidrs = List.copyOf(webClientCidrs);
        dicomClientCidrs = List.copyOf(dicomClientCidrs);
        orthancEgress = List.copyOf(orthancEgress);
        if (webClientCidrs.isEmpty() || dicomClientCidrs.isEmpty()) {
            throw new IllegalArgumentException("client CIDR lists must not be empty");
        }
    }
}
