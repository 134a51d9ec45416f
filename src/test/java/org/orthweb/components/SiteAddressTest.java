package org.orthweb.components;

import org.junit.jupiter.api.Test;
import org.orthweb.naming.Naming;
import org.orthweb.plan.Plan;
import org.orthweb.support.TestStacks;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SiteAddressTest {

    @Test
    void stableNamesPutTheSiteFirstAndNameEachOnce() {
        assertThat(SiteAddress.stableNames("a.example", List.of("a.example", "b.example")))
                .containsExactly("a.example", "b.example");
        assertThat(SiteAddress.stableNames("pacs.example.org", List.of("ec2-1.example", "ec2-2.example")))
                .containsExactly("pacs.example.org", "ec2-1.example", "ec2-2.example");
    }

    @Test
    void aSiteNeedsAtLeastOneHost() {
        assertThatThrownBy(() -> new SiteAddressArgs(new Naming(com.pulumi.core.Output.of("p"), java.util.Map.of()), 0, Optional.empty()))
                .hasMessageContaining("hostCount must be at least 1");
    }

    @Test
    void theSiteNameOfAStackWithoutOneIsItsFirstElasticIpName() {
        Plan dev = TestStacks.shipped("dev");
        assertThat(dev.ofType("aws:ec2/eip:Eip")).hasSize(1);
        assertThat(dev.outputs().get("siteName")).isEqualTo(dev.named("site-address-1").get("publicDns"));
        assertThat(dev.outputs().get("siteUrls")).isEqualTo(List.of("https://" + dev.named("site-address-1").get("publicDns") + "/"));
    }
}
