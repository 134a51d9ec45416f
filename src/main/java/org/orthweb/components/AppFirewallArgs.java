package org.orthweb.components;

import com.pulumi.core.Output;
import org.orthweb.naming.Naming;
import org.orthweb.net.Cidr;
import org.orthweb.orthanc.OrthancSettings;

import java.util.List;

/**
 * With {@code behindBalancer} (high-availability mode) the hosts' group gets no client CIDR rule:
 * the lists belong to the balancer's group, and {@link SiteBalancer} adds the only rules that
 * admit 443 and 11112, from the balancer's group.
 *
 * @param naming           physical names and Name tags
 * @param vpcId            the VPC of the hosts
 * @param webClientCidrs   who may reach HTTPS (443)
 * @param dicomClientCidrs who may reach DICOM TLS (11112)
 * @param behindBalancer   high-availability mode: the clients reach the balancer, not the hosts
 * @param orthancEgress    where Orthanc may connect out besides HTTPS: the declared modalities and
 *                         peers ({@link OrthancSettings#egress}), each one rule
 */
public record AppFirewallArgs(Naming naming, Output<String> vpcId, List<Cidr> webClientCidrs,
                              List<Cidr> dicomClientCidrs, boolean behindBalancer,
                              List<OrthancSettings.Egress> orthancEgress) {

    /** Single-host mode, no declared modalities or peers. */
    public AppFirewallArgs(Naming naming, Output<String> vpcId, List<Cidr> webClientCidrs, List<Cidr> dicomClientCidrs) {
        this(naming, vpcId, webClientCidrs, dicomClientCidrs, false, List.of());
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
