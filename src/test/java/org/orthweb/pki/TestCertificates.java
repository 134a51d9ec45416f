package org.orthweb.pki;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.StringWriter;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * Self-signed CA certificates for tests of {@code caCertificate} (a modality's CA), made with
 * BouncyCastle as the local PKI makes its own; RSA 2048 to keep tests quick.
 */
public final class TestCertificates {

    private static String valid;

    private TestCertificates() {
    }

    /** A CA certificate valid from an hour ago for ten years (made once per test JVM). */
    public static synchronized String modalityCa() {
        if (valid == null) {
            valid = selfSigned("Test modality CA", Instant.now().minus(Duration.ofHours(1)),
                    Instant.now().plus(Duration.ofDays(3650)));
        }
        return valid;
    }

    /**
     * A self-signed CA certificate and its key's PEM, valid between the two instants.
     *
     * @return the certificate's PEM text (one block)
     */
    public static String selfSigned(String commonName, Instant notBefore, Instant notAfter) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            KeyPair keys = g.generateKeyPair();
            X500Name name = new X500Name("CN=" + commonName);
            var b = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(System.nanoTime()), Date.from(notBefore),
                    Date.from(notAfter), name, keys.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            var holder = b.build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate()));
            StringWriter out = new StringWriter();
            try (JcaPEMWriter w = new JcaPEMWriter(out)) {
                w.writeObject(holder);
            }
            return out.toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code text} as a YAML (and JSON) double-quoted string: a PEM on one line of a stack file. */
    public static String quoted(String text) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
