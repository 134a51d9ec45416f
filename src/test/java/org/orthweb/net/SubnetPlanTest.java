package org.orthweb.net;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SubnetPlanTest {

    @Test
    void referenceLayoutForTwoZones() {
        // Reference defaults: /16 VPC, public /24 and private /22, in order public, private, ...
        var zones = SubnetPlan.carve(Cidr.parse("172.17.0.0/16"), 2, 24, 22);
        assertThat(zones).extracting(z -> z.publicSubnet().toString(), z -> z.privateSubnet().toString())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("172.17.0.0/24", "172.17.4.0/22"),
                        org.assertj.core.groups.Tuple.tuple("172.17.8.0/24", "172.17.12.0/22"));
    }

    @ParameterizedTest(name = "{0} zones, public /{1}, private /{2} in {3}")
    @CsvSource({
            "1, 24, 22, 172.17.0.0/16",
            "2, 24, 22, 172.17.0.0/16",
            "3, 24, 22, 172.17.0.0/16",
            "3, 26, 24, 10.20.0.0/20",
            "3, 28, 28, 192.168.0.0/24",
            "2, 22, 24, 10.0.0.0/16",
            "3, 20, 20, 10.0.0.0/16"})
    void subnetsAreAlignedDisjointInsideAndOrdered(int zones, int pub, int priv, String vpcText) {
        Cidr vpc = Cidr.parse(vpcText);
        var plan = SubnetPlan.carve(vpc, zones, pub, priv);
        assertThat(plan).hasSize(zones);
        List<Cidr> all = new ArrayList<>();
        for (var zone : plan) {
            assertThat(zone.publicSubnet().prefixLength()).isEqualTo(pub);
            assertThat(zone.privateSubnet().prefixLength()).isEqualTo(priv);
            all.add(zone.publicSubnet());
            all.add(zone.privateSubnet());
        }
        for (int i = 0; i < all.size(); i++) {
            Cidr a = all.get(i);
            assertThat(vpc.contains(a)).as("%s inside %s", a, vpc).isTrue();
            // the constructor already refuses host bits, so alignment holds by construction; check order
            if (i > 0) {
                assertThat(a.network()).as("%s after %s", a, all.get(i - 1)).isGreaterThanOrEqualTo(all.get(i - 1).end());
            }
        }
        assertThat(plan.get(0).publicSubnet().network()).isEqualTo(vpc.network());
    }

    @Test
    void refusesWhenSubnetsDoNotFitAndSaysWhich() {
        assertThatThrownBy(() -> SubnetPlan.carve(Cidr.parse("10.0.0.0/24"), 3, 26, 26))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("do not fit in 10.0.0.0/24")
                .hasMessageContaining("zone 3");
    }

    @Test
    void refusesPrefixesOutsideAwsRange() {
        assertThatThrownBy(() -> SubnetPlan.carve(Cidr.parse("10.0.0.0/16"), 1, 29, 22))
                .hasMessageContaining("/29 is outside AWS's /16 to /28");
        assertThatThrownBy(() -> SubnetPlan.carve(Cidr.parse("10.0.0.0/20"), 1, 18, 22))
                .hasMessageContaining("larger than the VPC");
    }
}
