package org.orthweb.cloudinit;

import com.google.common.io.BaseEncoding;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.time.Instant;

/**
 * Time-based one-time passwords as an authenticator app computes them: RFC 6238 over RFC 4226
 * (HMAC-SHA1, 30-second steps from the Unix epoch, 6 digits), the policy Keycloak's realms use by
 * default (realm otpPolicy* defaults; neither generated realm sets another).
 */
final class Totp {

    private Totp() {
    }

    /**
     * @param base32Secret the shared secret as Keycloak's enrolment page shows it in manual mode
     *                     (RFC 4648 base32, upper case, in groups separated by spaces)
     * @param at           the time the code is for
     * @return the 6-digit code, zero-padded
     * @throws IllegalArgumentException if the secret is not base32
     */
    static String code(String base32Secret, Instant at) {
        byte[] key = BaseEncoding.base32().decode(base32Secret.replaceAll("\\s+", "").toUpperCase());
        long step = Math.floorDiv(at.getEpochSecond(), 30L);
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            byte[] h = mac.doFinal(ByteBuffer.allocate(8).putLong(step).array());
            // RFC 4226 section 5.3: dynamic truncation
            int offset = h[h.length - 1] & 0x0f;
            int binary = ((h[offset] & 0x7f) << 24) | ((h[offset + 1] & 0xff) << 16)
                    | ((h[offset + 2] & 0xff) << 8) | (h[offset + 3] & 0xff);
            return String.format("%06d", binary % 1_000_000);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is part of every JDK", e);
        }
    }
}
