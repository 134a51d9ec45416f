package org.orthweb.components;

import com.pulumi.aws.ec2.SecurityGroup;
import com.pulumi.aws.ec2.SecurityGroupArgs;
import com.pulumi.aws.vpc.SecurityGroupEgressRule;
import com.pulumi.aws.vpc.SecurityGroupEgressRuleArgs;
import com.pulumi.aws.vpc.SecurityGroupIngressRule;
import com.pulumi.aws.vpc.SecurityGroupIngressRuleArgs;
import com.pulumi.core.Output;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;
import com.pulumi.resources.CustomResourceOptions;
import org.orthweb.orthanc.OrthancSettings;

import java.util.List;
import java.util.Map;

/**
 * The hosts' security group: in, only HTTPS (443) and DICOM TLS (11112) from the configured
 * client networks, no SSH (SSM replaces it); out, only HTTPS (AWS APIs, package and image
 * registries) and Orthanc's declared modalities and peers at their own addresses and ports; between the group's own members, Keycloak's cluster ports (7800, 57800). The database component adds the one rule to PostgreSQL, because that rule must
 * name the database's own group. Created before the hosts so the database can admit it.
 */
public final class AppFirewall extends ComponentResource {

    public static final String TYPE = "orthweb:index:AppFirewall";
    /** The ports nginx listens on (one place: the application layout). */
    public static final int HTTPS_PORT = org.orthweb.cloudinit.Layout.HTTPS_PORT;
    public static final int DICOM_TLS_PORT = org.orthweb.cloudinit.Layout.DICOM_TLS_PORT;
    public static final int KEYCLOAK_CLUSTER_PORT = org.orthweb.cloudinit.Layout.KEYCLOAK_CLUSTER_PORT;
    public static final int KEYCLOAK_FAILURE_DETECTION_PORT = org.orthweb.cloudinit.Layout.KEYCLOAK_FAILURE_DETECTION_PORT;

    public final Output<String> securityGroupId;

    public AppFirewall(String name, AppFirewallArgs args, ComponentResourceOptions options) {
        super(TYPE, name, options);
        var sg = new SecurityGroup(name + "-sg", SecurityGroupArgs.builder()
                .vpcId(args.vpcId())
                .description("Orthanc hosts: HTTPS and DICOM TLS in, HTTPS and PostgreSQL out")
                .tags(args.naming().tags("app-sg"))
                .build(), CustomResourceOptions.builder().parent(this).build());
        var under = CustomResourceOptions.builder().parent(sg).build();
        if (!args.behindBalancer()) {
            ingress(name + "-https-", sg, HTTPS_PORT, args.webClientCidrs(), "HTTPS (web viewer, REST, DICOMweb) from ", under);
            ingress(name + "-dicom-", sg, DICOM_TLS_PORT, args.dicomClientCidrs(), "DICOM over TLS from ", under);
        }
        new SecurityGroupEgressRule(name + "-https-out", SecurityGroupEgressRuleArgs.builder()
                .securityGroupId(sg.id())
                .description("HTTPS out: AWS APIs, OS packages, container images")
                .ipProtocol("tcp").fromPort(HTTPS_PORT).toPort(HTTPS_PORT)
                .cidrIpv4("0.0.0.0/0")
                .build(), under);
        // Orthanc to the declared modalities and peers: each at its own address and port, never the world
        for (OrthancSettings.Egress e : args.orthancEgress()) {
            new SecurityGroupEgressRule(name + "-orthanc-out-" + e.name(), SecurityGroupEgressRuleArgs.builder()
                    .securityGroupId(sg.id())
                    .description(e.purpose() + " at " + e.cidr() + ":" + e.port())
                    .ipProtocol("tcp").fromPort(e.port()).toPort(e.port())
                    .cidrIpv4(e.cidr().toString())
                    .build(), under);
        }
        // Keycloak's cluster between the site's hosts: members of this group only, both ways
        for (int port : List.of(KEYCLOAK_CLUSTER_PORT, KEYCLOAK_FAILURE_DETECTION_PORT)) {
            new SecurityGroupIngressRule(name + "-keycloak-cluster-in-" + port, SecurityGroupIngressRuleArgs.builder()
                    .securityGroupId(sg.id())
                    .description("Keycloak cluster (JGroups) from the site's other hosts")
                    .ipProtocol("tcp").fromPort(port).toPort(port)
                    .referencedSecurityGroupId(sg.id())
                    .build(), under);
            new SecurityGroupEgressRule(name + "-keycloak-cluster-out-" + port, SecurityGroupEgressRuleArgs.builder()
                    .securityGroupId(sg.id())
                    .description("Keycloak cluster (JGroups) to the site's other hosts")
                    .ipProtocol("tcp").fromPort(port).toPort(port)
                    .referencedSecurityGroupId(sg.id())
                    .build(), under);
        }
        this.securityGroupId = sg.id();

        registerOutputs(Map.of("securityGroupId", securityGroupId));
    }

    /** One rule per client network (numbered), so each shows its CIDR in its description. */
    private static void ingress(String prefix, SecurityGroup sg, int port, java.util.List<org.orthweb.net.Cidr> cidrs, String description,
                                CustomResourceOptions options) {
        int i = 0;
        for (var block : cidrs) {
            String cidr = block.toString();
            new SecurityGroupIngressRule(prefix + (++i), SecurityGroupIngressRuleArgs.builder()
                    .securityGroupId(sg.id())
                    .description(description + cidr)
                    .ipProtocol("tcp").fromPort(port).toPort(port)
                    .cidrIpv4(cidr)
                    .build(), options);
        }
    }
}
