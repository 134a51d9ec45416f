package org.orthweb.components;

import com.pulumi.aws.ec2.Eip;
import com.pulumi.aws.ec2.EipArgs;
import com.pulumi.core.Output;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;
import com.pulumi.resources.CustomResourceOptions;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The site's stable addresses, the one place every other part takes them from (user data,
 * outputs, and the site PKI's server certificate names): one Elastic IP per host, allocated apart
 * from the instances, so that an address and its public DNS name survive a host's replacement
 * (a new launch template version replaces the instance; the association moves to the new one).
 * The site name is the configured name, else the first host's Elastic IP public DNS name. In
 * high-availability mode the load balancer's DNS name takes the Elastic IPs' place (none is
 * allocated): the site name is the configured name, else the balancer's name.
 *
 * <p>The public DNS name of an Elastic IP ({@code ec2-a-b-c-d.<region>.compute.amazonaws.com},
 * {@code compute-1} in us-east-1) is assigned by EC2 with the address and resolves because the
 * VPC has DNS hostnames enabled (EC2 User Guide, "Amazon EC2 instance hostnames").
 */
public final class SiteAddress extends ComponentResource {

    public static final String TYPE = "orthweb:index:SiteAddress";

    /** One per host, in host order. */
    public final List<Output<String>> allocationIds;
    public final List<Output<String>> publicIps;
    public final List<Output<String>> publicDnsNames;
    /** The site's DNS name: the same on every host and after any replacement. */
    public final Output<String> siteName;
    /**
     * Every stable name a client may use: the site name first, then each host's Elastic IP public
     * DNS name (without repeats). The names a server certificate must carry.
     */
    public final Output<List<String>> stableNames;

    public SiteAddress(String name, SiteAddressArgs args, ComponentResourceOptions options) {
        super(TYPE, name, options);
        var child = CustomResourceOptions.builder().parent(this).build();
        List<Output<String>> ids = new ArrayList<>();
        List<Output<String>> ips = new ArrayList<>();
        List<Output<String>> dns = new ArrayList<>();
        // high-availability mode: the balancer's name is the address; hosts come and go without one
        int addresses = args.balancerDnsName().isPresent() ? 0 : args.hostCount();
        for (int i = 1; i <= addresses; i++) {
            var eip = new Eip(name + "-" + i, EipArgs.builder()
                    .domain("vpc")
                    .tags(args.naming().tags("host-" + i + "-address"))
                    .build(), child);
            ids.add(eip.allocationId());
            ips.add(eip.publicIp());
            dns.add(eip.publicDns());
        }
        this.allocationIds = List.copyOf(ids);
        this.publicIps = List.copyOf(ips);
        this.publicDnsNames = List.copyOf(args.balancerDnsName().isPresent() ? List.of() : dns);
        if (args.balancerDnsName().isPresent()) {
            dns.add(args.balancerDnsName().get());
        }
        this.siteName = args.siteName().map(Output::of).orElse(dns.get(0));
        this.stableNames = Output.tuple(siteName, Output.all(dns)).applyValue(t -> stableNames(t.t1, t.t2));
        registerOutputs(Map.of("siteName", siteName, "stableNames", stableNames,
                "publicIps", Output.all(publicIps)));
    }

    /** The site name first, then the hosts' names, each once. */
    static List<String> stableNames(String siteName, List<String> hostNames) {
        var names = new LinkedHashSet<String>();
        names.add(siteName);
        names.addAll(hostNames);
        return List.copyOf(names);
    }
}
