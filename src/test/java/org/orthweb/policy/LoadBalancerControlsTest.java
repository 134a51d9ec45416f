package org.orthweb.policy;

import org.junit.jupiter.api.DisplayName;
import org.orthweb.plan.Plan.PlannedResource;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.orthweb.policy.PolicyStack.map;
import static org.orthweb.policy.PolicyStack.num;

/**
 * The HA rows of the security controls: the network load balancer, its listeners and the
 * auto-scaling group. A stack in single-host mode has none of them (checked too).
 */
@DisplayName("Load balancer and auto-scaling")
class LoadBalancerControlsTest {

    static boolean ha(PolicyStack s) {
        return s.config().ha().enabled();
    }

    @ForEachStack
    @DisplayName("HA mode exactly when orthweb:ha.enabled: one balancer and one group, else none and one instance per host")
    void haModeFollowsTheSetting(String stack) {
        var s = PolicyStack.of(stack);
        if (ha(s)) {
            assertThat(s.ofType(Types.LOAD_BALANCER)).hasSize(1);
            assertThat(s.ofType(Types.AUTOSCALING_GROUP)).hasSize(1);
            assertThat(s.ofType(Types.INSTANCE)).isEmpty();
        } else {
            assertThat(s.ofType(Types.LOAD_BALANCER)).isEmpty();
            assertThat(s.ofType(Types.AUTOSCALING_GROUP)).isEmpty();
            assertThat(s.ofType(Types.INSTANCE)).hasSize(s.config().host().instanceCount());
        }
    }

    @ForEachStack
    @DisplayName("CKV_AWS_2, CKV_AWS_103, ELB.17: listeners TLS 1.2+ with a certificate, or TCP pass-through to the hosts' TLS (EX-09)")
    void CKV_AWS_2_CKV_AWS_103_ELB_17_listeners(String stack) {
        var s = PolicyStack.of(stack);
        for (PlannedResource l : s.ofType(Types.LB_LISTENER)) {
            String protocol = String.valueOf(l.inputs().get("protocol"));
            if (protocol.equals("TLS")) {
                assertThat(String.valueOf(l.inputs().get("sslPolicy"))).as("%s policy", l.name()).contains("TLS13-1-2");
                assertThat(l.inputs().get("certificateArn")).as("%s certificate", l.name()).isNotNull();
            } else {
                assertThat(protocol).as("%s", l.name()).isEqualTo("TCP");
                assertThat(num(l.inputs().get("port"))).as("%s: pass-through only to a port where the host's nginx speaks TLS",
                        l.name()).isIn(443L, 11112L);
                assertThat(PolicyExceptions.covers("ELB.17", s, l.name())).as("%s covered by EX-09", l.name()).isTrue();
            }
        }
    }

    @ForEachStack
    @DisplayName("CKV_AWS_91, CKV_AWS_150: access logs (EX-09: none for TCP listeners) and deletion protection in hardened stacks")
    void CKV_AWS_91_CKV_AWS_150_logsAndDeletionProtection(String stack) {
        var s = PolicyStack.of(stack);
        for (PlannedResource lb : s.ofType(Types.LOAD_BALANCER)) {
            assertThat(lb.inputs().get("enableDeletionProtection")).as("%s deletion protection", lb.name())
                    .isEqualTo(s.hardened());
            if (lb.inputs().get("accessLogs") == null) {
                assertThat(PolicyExceptions.covers("CKV_AWS_91", s, lb.name())).as("%s covered by EX-09", lb.name()).isTrue();
                assertThat(s.ofType(Types.LB_LISTENER)).as("no access logs only while no listener is TLS")
                        .noneMatch(l -> "TLS".equals(l.inputs().get("protocol")));
            }
        }
    }

    @ForEachStack
    @DisplayName("CKV_AWS_152: cross-zone on; the balancer spans >= 2 zones (public subnets) with its own security group")
    void CKV_AWS_152_crossZone(String stack) {
        var s = PolicyStack.of(stack);
        Set<String> publicSubnets = Topology.ids(s, Topology.publicSubnets(s));
        for (PlannedResource lb : s.ofType(Types.LOAD_BALANCER)) {
            assertThat(lb.inputs().get("enableCrossZoneLoadBalancing")).isEqualTo(true);
            assertThat(lb.inputs().get("loadBalancerType")).isEqualTo("network");
            List<String> subnets = PolicyStack.list(lb.inputs().get("subnets")).stream().map(String::valueOf).toList();
            assertThat(subnets).hasSizeGreaterThanOrEqualTo(2);
            assertThat(publicSubnets).containsAll(subnets);
            assertThat(PolicyStack.list(lb.inputs().get("securityGroups"))).hasSize(1);
        }
    }

    @ForEachStack
    @DisplayName("CKV_AWS_315, AutoScaling.1, AutoScaling.2: group from the launch template across >= 2 zones, ELB health checks")
    void CKV_AWS_315_AutoScaling_1_2_group(String stack) {
        var s = PolicyStack.of(stack);
        for (PlannedResource g : s.ofType(Types.AUTOSCALING_GROUP)) {
            assertThat(map(g.inputs().get("launchTemplate")).get("id"))
                    .isEqualTo(s.id(s.single(Types.LAUNCH_TEMPLATE).name()));
            assertThat(g.inputs()).doesNotContainKeys("launchConfiguration", "availabilityZones");
            Set<String> zones = new HashSet<>();
            for (Object subnetId : PolicyStack.list(g.inputs().get("vpcZoneIdentifiers"))) {
                zones.add(String.valueOf(s.plan().resources().stream().filter(r -> r.id().equals(subnetId))
                        .findFirst().orElseThrow().inputs().get("availabilityZone")));
            }
            assertThat(zones).as("zones of the group's subnets").hasSizeGreaterThanOrEqualTo(2);
            assertThat(g.inputs().get("healthCheckType")).isEqualTo("ELB");
            assertThat(num(g.inputs().get("healthCheckGracePeriod"))).isEqualTo((long) s.config().ha().healthCheckGraceSeconds());
            assertThat(PolicyStack.list(g.inputs().get("targetGroupArns")))
                    .containsExactlyInAnyOrderElementsOf(s.ofType(Types.LB_TARGET_GROUP).stream().map(PlannedResource::id).toList());
        }
    }
}
