package org.orthweb;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OrthwebProgramTest {

    @Test
    void aVpcOverlappingTheContainerNetworkIsRefusedNamingTheSetting() {
        for (String vpc : new String[]{"10.0.0.0/8", "10.255.255.0/24", "10.255.255.128/25"}) {
            assertThatThrownBy(() -> OrthwebProgram.requireVpcOutsideContainerNetwork(vpc))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("orthweb:network.vpcCidr " + vpc)
                    .hasMessageContaining("10.255.255.0/24");
        }
        for (String vpc : new String[]{"172.17.0.0/16", "10.0.0.0/16", "10.255.254.0/24"}) {
            assertThatCode(() -> OrthwebProgram.requireVpcOutsideContainerNetwork(vpc)).doesNotThrowAnyException();
        }
    }
}
