package org.orthweb.components;

import com.pulumi.aws.ec2.SecurityGroup;
import com.pulumi.aws.ec2.SecurityGroupArgs;
import com.pulumi.aws.lb.Listener;
import com.pulumi.aws.lb.ListenerArgs;
import com.pulumi.aws.lb.LoadBalancer;
import com.pulumi.aws.lb.LoadBalancerArgs;
import com.pulumi.aws.lb.TargetGroup;
import com.pulumi.aws.lb.TargetGroupArgs;
import com.pulumi.aws.lb.inputs.ListenerDefaultActionArgs;
import com.pulumi.aws.lb.inputs.TargetGroupHealthCheckArgs;
import com.pulumi.aws.lb.inputs.TargetGroupStickinessArgs;
import com.pulumi.aws.vpc.SecurityGroupEgressRule;
import com.pulumi.aws.vpc.SecurityGroupEgressRuleArgs;
import com.pulumi.aws.vpc.SecurityGroupIngressRule;
import com.pulumi.aws.vpc.SecurityGroupIngressRuleArgs;
import com.pulumi.core.Output;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;
import com.pulumi.resources.CustomResourceOptions;
import org.orthweb.cloudinit.Layout;
import org.orthweb.net.Cidr;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The site's one entry point in high-availability mode: an internet-facing network load balancer
 * with a node in each zone, created with its own security group (the client CIDR lists live
 * there), TCP listeners on 443 and 11112 passed through to each host's nginx (TLS and the DICOM
 * client-certificate check stay end to end on the host), one target group per port, both
 * health-checked over HTTPS on nginx's {@link Layout#HEALTH_PATH}, which answers 200 only while
 * Orthanc answers.
 *
 * <p>Facts from the Elastic Load Balancing guide for Network Load Balancers: a balancer created
 * without a security group can never get one ("Update the security groups"); TCP flows idle for
 * {@code tcp.idle_timeout.seconds} (60-6000, default 350) are dropped ("Update the TCP idle
 * timeout"); access logs are written only for TLS listeners ("Access logs for your Network Load
 * Balancer"), so these TCP listeners have none (docs/security.md EX-09).
 */
public final class SiteBalancer extends ComponentResource {

    public static final String TYPE = "orthweb:index:SiteBalancer";
    /**
     * TCP idle timeout of both listeners (seconds): the host's nginx gives an idle DICOM stream and
     * an idle proxied HTTP request 10 minutes ({@code proxy_timeout 10m}, {@code proxy_read_timeout
     * 600s}), longer than the NLB default of 350 s. The balancer must never be the one that cuts
     * a connection the host still holds: a modality that keeps its association open between
     * studies is ended by Orthanc ({@code DicomScpTimeout}) or nginx with a proper close, not by a
     * silently dropped flow that the modality only notices as a reset on its next study.
     */
    public static final int IDLE_TIMEOUT_SECONDS = 600;
    /** Seconds between health checks, and how many in a row mark a target healthy or unhealthy. */
    public static final int HEALTH_INTERVAL_SECONDS = 10;
    public static final int HEALTHY_THRESHOLD = 2;
    public static final int UNHEALTHY_THRESHOLD = 2;
    /**
     * A deregistered host keeps its open connections this long (seconds): a DICOM association or
     * download in progress during a rolling replacement finishes (DICOM) or has a minute (HTTPS).
     */
    public static final int DICOM_DEREGISTRATION_SECONDS = 300;
    public static final int HTTPS_DEREGISTRATION_SECONDS = 60;

    public final Output<String> dnsName;
    public final Output<String> arn;
    /** The balancer's ARN from {@code net/}: CloudWatch's LoadBalancer dimension. */
    public final Output<String> arnSuffix;
    public final Output<String> securityGroupId;
    /** Target groups, in port order 443, 11112 (the auto-scaling group registers into both). */
    public final List<Output<String>> targetGroupArns;
    /** Port (443, 11112) to its target group's ARN from {@code targetgroup/}: CloudWatch's TargetGroup dimension. */
    public final Map<Integer, Output<String>> targetGroupArnSuffixes;

    public SiteBalancer(String name, SiteBalancerArgs args, ComponentResourceOptions options) {
        super(TYPE, name, options);
        var naming = args.naming();
        var child = CustomResourceOptions.builder().parent(this).build();

        var sg = new SecurityGroup(name + "-sg", SecurityGroupArgs.builder()
                .vpcId(args.vpcId())
                .description("Orthanc site load balancer: HTTPS and DICOM TLS from the client networks, to the hosts only")
                .tags(naming.tags("lb-sg"))
                .build(), child);
        var under = CustomResourceOptions.builder().parent(sg).build();
        ingress(name + "-https-", sg, Layout.HTTPS_PORT, args.webClientCidrs(), "HTTPS (web viewer, REST, DICOMweb) from ", under);
        ingress(name + "-dicom-", sg, Layout.DICOM_TLS_PORT, args.dicomClientCidrs(), "DICOM over TLS from ", under);
        for (int port : List.of(Layout.HTTPS_PORT, Layout.DICOM_TLS_PORT)) {
            // traffic and health checks (both on the hosts' own ports) go to the hosts' group only
            new SecurityGroupEgressRule(name + "-to-hosts-" + port, SecurityGroupEgressRuleArgs.builder()
                    .securityGroupId(sg.id())
                    .description("to the Orthanc hosts' nginx on " + port)
                    .ipProtocol("tcp").fromPort(port).toPort(port)
                    .referencedSecurityGroupId(args.hostSecurityGroupId())
                    .build(), under);
            // and the hosts' group admits the balancer's group, nothing else, on the same port
            new SecurityGroupIngressRule(name + "-hosts-from-lb-" + port, SecurityGroupIngressRuleArgs.builder()
                    .securityGroupId(args.hostSecurityGroupId())
                    .description("from the site load balancer (clients and health checks) on " + port)
                    .ipProtocol("tcp").fromPort(port).toPort(port)
                    .referencedSecurityGroupId(sg.id())
                    .build(), under);
        }

        var lb = new LoadBalancer(name + "-nlb", LoadBalancerArgs.builder()
                .name(naming.name("nlb"))
                .loadBalancerType("network")
                .internal(false)
                .subnets(Output.all(args.publicSubnetIds()))
                .securityGroups(sg.id().applyValue(List::of))
                .enableCrossZoneLoadBalancing(true)
                .enableDeletionProtection(args.deletionProtection())
                .tags(naming.tags("nlb"))
                .build(), child);

        List<Output<String>> groups = new ArrayList<>();
        Map<Integer, Output<String>> suffixes = new TreeMap<>();
        for (int port : List.of(Layout.HTTPS_PORT, Layout.DICOM_TLS_PORT)) {
            boolean https = port == Layout.HTTPS_PORT;
            var tg = new TargetGroup(name + "-tg-" + port, TargetGroupArgs.builder()
                    .name(naming.name("tg-" + port))
                    .vpcId(args.vpcId())
                    .port(port)
                    .protocol("TCP")
                    .targetType("instance")
                    .deregistrationDelay(https ? HTTPS_DEREGISTRATION_SECONDS : DICOM_DEREGISTRATION_SECONDS)
                    // archive downloads are jobs held in one host's memory: a client stays on one host
                    .stickiness(TargetGroupStickinessArgs.builder().type("source_ip").enabled(https).build())
                    .healthCheck(healthCheck())
                    .tags(naming.tags("tg-" + port))
                    .build(), CustomResourceOptions.builder().parent(lb).build());
            new Listener(name + "-" + port, ListenerArgs.builder()
                    .loadBalancerArn(lb.arn())
                    .port(port)
                    .protocol("TCP")
                    .tcpIdleTimeoutSeconds(IDLE_TIMEOUT_SECONDS)
                    .defaultActions(ListenerDefaultActionArgs.builder().type("forward").targetGroupArn(tg.arn()).build())
                    .tags(naming.tags("listener-" + port))
                    .build(), CustomResourceOptions.builder().parent(lb).build());
            groups.add(tg.arn());
            suffixes.put(port, tg.arnSuffix());
        }
        this.dnsName = lb.dnsName();
        this.arn = lb.arn();
        this.arnSuffix = lb.arnSuffix();
        this.targetGroupArnSuffixes = java.util.Collections.unmodifiableMap(suffixes);
        this.securityGroupId = sg.id();
        this.targetGroupArns = List.copyOf(groups);
        registerOutputs(Map.of("dnsName", dnsName, "securityGroupId", securityGroupId));
    }

    /**
     * Both target groups check the same thing: HTTPS to nginx on 443 at {@link Layout#HEALTH_PATH},
     * 200 only while Orthanc answers; a host whose Orthanc is down takes no DICOM either.
     */
    static TargetGroupHealthCheckArgs healthCheck() {
        return TargetGroupHealthCheckArgs.builder()
                .enabled(true)
                .protocol("HTTPS")
                .port(String.valueOf(Layout.HTTPS_PORT))
                .path(Layout.HEALTH_PATH)
                .matcher("200")
                .interval(HEALTH_INTERVAL_SECONDS)
                .timeout(6)
                .healthyThreshold(HEALTHY_THRESHOLD)
                .unhealthyThreshold(UNHEALTHY_THRESHOLD)
                .build();
    }

    private static void ingress(String prefix, SecurityGroup sg, int port, List<Cidr> cidrs, String description,
                                CustomResourceOptions options) {
        int i = 0;
        for (var block : cidrs) {
            new SecurityGroupIngressRule(prefix + (++i), SecurityGroupIngressRuleArgs.builder()
                    .securityGroupId(sg.id())
                    .description(description + block)
                    .ipProtocol("tcp").fromPort(port).toPort(port)
                    .cidrIpv4(block.toString())
                    .build(), options);
        }
    }
}
