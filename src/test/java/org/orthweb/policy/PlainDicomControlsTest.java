package org.orthweb.policy;

import org.junit.jupiter.api.DisplayName;
import org.orthweb.cloudinit.Layout;
import org.orthweb.plan.Plan.PlannedResource;
import org.orthweb.policy.Topology.Rule;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Plain DICOM (no TLS, {@link Layout#PLAIN_DICOM_PORT}) is reachable only through the Client VPN:
 * no rule of any security group opens it to an address block (the internet, or any CIDR), and the
 * only rules that open it admit the VPN endpoint's group. Checked for every stack file as shipped
 * (VPN off: nothing opens the port) and with {@code orthweb:vpn} added.
 */
@DisplayName("Plain DICOM only through the VPN")
class PlainDicomControlsTest {

    static final long PORT = Layout.PLAIN_DICOM_PORT;

    @ForEachStack
    @DisplayName("custom: as shipped (no VPN), no rule opens plain DICOM at all")
    void shippedStacksOpenNoPlainDicom(String stack) {
        var s = PolicyStack.of(stack);
        assertThat(ingressCovering(s)).as("rules opening %d in %s", PORT, stack).isEmpty();
    }

    @ForEachStack
    @DisplayName("custom: with orthweb:vpn, plain DICOM is open only from the VPN endpoint's group, never from a CIDR")
    void withTheVpnOnlyTheVpnGroupReachesPlainDicom(String stack) {
        var s = PolicyStack.withVpn(stack);
        var endpoints = s.ofType("aws:ec2clientvpn/endpoint:Endpoint");
        assertThat(endpoints).hasSize(1);
        List<String> vpnGroups = PolicyStack.strings(endpoints.get(0).inputs().get("securityGroupIds"));
        assertThat(vpnGroups).isNotEmpty();
        List<Rule> open = ingressCovering(s);
        assertThat(open).as("the hosts admit the VPN on %d", PORT).isNotEmpty();
        for (Rule rule : open) {
            assertThat(rule.cidrs()).as("%s opens plain DICOM to an address block", rule.resource()).isEmpty();
            assertThat(rule.fromWorld()).as("%s opens plain DICOM to the internet", rule.resource()).isFalse();
            assertThat(vpnGroups).as("%s admits a group other than the VPN's", rule.resource()).contains(rule.referencedGroup());
        }
    }

    /** Every ingress rule of every group, however declared, that covers the plain DICOM port. */
    private static List<Rule> ingressCovering(PolicyStack s) {
        List<Rule> out = new ArrayList<>();
        for (PlannedResource sg : s.ofType(Types.SG)) {
            for (Rule rule : Topology.ingress(s, sg)) {
                if (rule.coversPort(PORT)) {
                    out.add(rule);
                }
            }
        }
        return out;
    }
}
