package org.orthweb.pki;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The serial form nginx shows; the conformance test checks the same conversion against real nginx. */
class PeerGrantTest {

    @Test
    void serialsReadAsNginxPrintsThem() {
        // leading zero nibble kept: whole bytes
        assertThat(PeerGrant.serialHex(new BigInteger("0A1B2C3D4E5F60718293A4B5C6D7E8F9", 16).toString()))
                .isEqualTo("0A1B2C3D4E5F60718293A4B5C6D7E8F9");
        // high bit set: no sign byte
        assertThat(PeerGrant.serialHex(new BigInteger("F3E2D1C0B4A59687786950413223140F", 16).toString()))
                .isEqualTo("F3E2D1C0B4A59687786950413223140F");
        assertThat(PeerGrant.serialHex("1")).isEqualTo("01");
        assertThat(PeerGrant.serialHex("255")).isEqualTo("FF");
        assertThat(PeerGrant.serialHex("256")).isEqualTo("0100");
    }

    @Test
    void nonSerialsAreRefused() {
        for (String bad : new String[]{"", "0", "-5", "12ab", BigInteger.ONE.shiftLeft(160).toString()}) {
            assertThatThrownBy(() -> PeerGrant.serialHex(bad)).as("'%s'", bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> new PeerGrant("ct", "CT1", "abc")).hasMessageContaining("serialHex of peer ct");
    }

    @Test
    void aGrantCarriesTheEffectiveAeTitle() {
        assertThat(PeerGrant.of(DicomPeer.named("modality-1"), "10")).isEqualTo(new PeerGrant("modality-1", "MODALITY-1", "0A"));
    }
}
