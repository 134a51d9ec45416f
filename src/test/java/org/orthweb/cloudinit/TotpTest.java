package org.orthweb.cloudinit;

import com.google.common.io.BaseEncoding;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class TotpTest {

    /** RFC 6238 appendix B, SHA1 column (8 digits there; the last 6 are the 6-digit code). */
    @Test
    void matchesTheRfc6238TestVectors() {
        String secret = BaseEncoding.base32().encode("12345678901234567890".getBytes(StandardCharsets.US_ASCII));
        assertThat(Totp.code(secret, Instant.ofEpochSecond(59))).isEqualTo("287082");
        assertThat(Totp.code(secret, Instant.ofEpochSecond(1111111109))).isEqualTo("081804");
        assertThat(Totp.code(secret, Instant.ofEpochSecond(1234567890))).isEqualTo("005924");
        assertThat(Totp.code(secret, Instant.ofEpochSecond(20000000000L))).isEqualTo("353130");
    }

    @Test
    void readsTheSecretAsKeycloakShowsIt() {
        String secret = BaseEncoding.base32().encode("12345678901234567890".getBytes(StandardCharsets.US_ASCII));
        String grouped = secret.toLowerCase().replaceAll("(.{4})", "$1 ");
        assertThat(Totp.code(grouped, Instant.ofEpochSecond(59))).isEqualTo("287082");
    }
}
