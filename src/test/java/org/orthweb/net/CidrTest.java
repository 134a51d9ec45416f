package org.orthweb.net;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CidrTest {

    @ParameterizedTest
    @CsvSource({
            "172.17.0.0/16, 65536",
            "10.0.0.0/8, 16777216",
            "192.168.1.128/25, 128",
            "0.0.0.0/0, 4294967296",
            "203.0.113.7/32, 1"})
    void parsesAndPrintsRoundTrip(String text, long size) {
        Cidr cidr = Cidr.parse(text);
        assertThat(cidr.toString()).isEqualTo(text);
        assertThat(cidr.size()).isEqualTo(size);
    }

    @ParameterizedTest
    @ValueSource(strings = {"172.17.0.0", "172.17.0/16", "256.0.0.0/8", "10.0.0.0/33", "10.0.0.0/-1", "a.b.c.d/8",
            "10.0.0.0/16/1", "", "::/0"})
    void refusesMalformed(String text) {
        assertThatThrownBy(() -> Cidr.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(text.isEmpty() ? "" : text);
    }

    @Test
    void refusesHostBitsAndSuggestsTheNetwork() {
        assertThatThrownBy(() -> Cidr.parse("172.17.3.4/16"))
                .hasMessageContaining("host bits")
                .hasMessageContaining("172.17.0.0/16");
    }

    @Test
    void containment() {
        Cidr vpc = Cidr.parse("172.17.0.0/16");
        assertThat(vpc.contains(Cidr.parse("172.17.255.0/24"))).isTrue();
        assertThat(vpc.contains(Cidr.parse("172.18.0.0/24"))).isFalse();
        assertThat(vpc.contains(Cidr.parse("172.16.0.0/12"))).isFalse();
        assertThat(Cidr.parse("0.0.0.0/0").isAnywhere()).isTrue();
    }
}
