package org.orthweb.local;

import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * PostgreSQL's SCRAM-SHA-256 password verifier, the form {@code ALTER ROLE ... PASSWORD} accepts
 * pre-hashed ({@code SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>}, base64; RFC 5802
 * section 3 and RFC 7677, as PostgreSQL's {@code scram_build_secret} writes it). The host's
 * bootstrap computes the same verifier in Python (function {@code scram_verifier}); db-setup.sql
 * takes it from a file either way, so no clear password reaches the server's statement log.
 */
final class Scram {

    /** PostgreSQL's default {@code scram_iterations}. */
    static final int ITERATIONS = 4096;

    private Scram() {
    }

    /** A verifier of {@code password} with a fresh random 16-byte salt. */
    static String verifier(String password) {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        return verifier(password, salt, ITERATIONS);
    }

    /**
     * @param password ASCII letters and digits (SASLprep leaves them as they are)
     * @throws IllegalArgumentException for other characters, which SASLprep might change
     */
    static String verifier(String password, byte[] salt, int iterations) {
        if (!password.matches("[A-Za-z0-9]+")) {
            throw new IllegalArgumentException("generated passwords are letters and digits only");
        }
        try {
            byte[] salted = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                    .generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, 256)).getEncoded();
            byte[] clientKey = hmac(salted, "Client Key");
            byte[] serverKey = hmac(salted, "Server Key");
            byte[] storedKey = MessageDigest.getInstance("SHA-256").digest(clientKey);
            Base64.Encoder b64 = Base64.getEncoder();
            return "SCRAM-SHA-256$" + iterations + ":" + b64.encodeToString(salt) + "$"
                    + b64.encodeToString(storedKey) + ":" + b64.encodeToString(serverKey);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2 and HMAC-SHA256 are part of every Java platform", e);
        }
    }

    private static byte[] hmac(byte[] key, String message) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(message.getBytes(StandardCharsets.US_ASCII));
    }
}
