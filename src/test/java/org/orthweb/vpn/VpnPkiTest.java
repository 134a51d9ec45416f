package org.orthweb.vpn;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The VPN PKI's pure facts: the CA generation of a client set and the VPC resolver's address. */
class VpnPkiTest {

    @Test
    void theGenerationDependsOnTheSetOfNamesOnly() {
        String ab = VpnPki.generation(List.of("alice", "bob"));
        assertThat(ab).matches("[0-9a-f]{8}");
        assertThat(VpnPki.generation(List.of("bob", "alice"))).isEqualTo(ab);
        // a removed client is a new CA; so is an added one
        assertThat(VpnPki.generation(List.of("alice"))).isNotEqualTo(ab);
        assertThat(VpnPki.generation(List.of("alice", "bob", "carol"))).isNotEqualTo(ab);
        // names are joined with a separator no name can hold: "a-b" is not "a" + "b"
        assertThat(VpnPki.generation(List.of("a", "b"))).isNotEqualTo(VpnPki.generation(List.of("ab")));
    }

    @Test
    void theVpcResolverIsTheBlocksBasePlusTwo() {
        assertThat(VpnPki.vpcResolver("172.17.0.0/16")).isEqualTo("172.17.0.2");
        assertThat(VpnPki.vpcResolver("10.20.16.0/20")).isEqualTo("10.20.16.2");
        assertThat(VpnPki.vpcResolver("192.168.255.0/24")).isEqualTo("192.168.255.2");
    }

    @Test
    void theServerNameIsPerStack() {
        assertThat(VpnPki.serverName("prod")).isEqualTo("vpn-server.prod.orthweb.internal");
    }
}
