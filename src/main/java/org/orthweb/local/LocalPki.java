package org.orthweb.local;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.orthweb.components.SitePki;
import org.orthweb.pki.Validity;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The local bundle's PKI, made on the workstation (the AWS site PKI is made by the Pulumi tls
 * provider, which needs the engine): a CA, a server certificate for nginx, one for the PostgreSQL
 * container, one client certificate per declared DICOM peer and, when a modality is called over
 * DICOM TLS, one for Orthanc. Same key algorithm and size
 * ({@link SitePki#KEY_ALGORITHM}, {@link SitePki#RSA_BITS}), key uses and lifetimes
 * ({@link Validity}) as the site PKI. The CA's private key is returned to the caller only, which
 * does not write it: nothing can be issued from the bundle later.
 *
 * <p>Built with BouncyCastle's PKIX builders and the JDK's own crypto provider (no provider is
 * registered, so a shaded jar without BouncyCastle's signatures works).
 */
public final class LocalPki {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final String SIGNATURE = "SHA256withRSA";
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * One issued certificate.
     *
     * @param certificatePem the certificate (PEM)
     * @param privateKeyPem  its private key (PKCS#8 PEM, unencrypted)
     * @param serial         the certificate's serial number (positive, 16 random bytes)
     */
    public record Issued(String certificatePem, String privateKeyPem, BigInteger serial) {
        @Override
        public String toString() {
            return "Issued[serial=" + serial.toString(16) + "]";
        }
    }

    private final KeyPair caKeys;
    private final X500Name caName;
    private final Issued ca;

    /** A new CA named after the stack, valid {@link Validity#CA} days from now. */
    public LocalPki(String stack) {
        caKeys = rsaKeys();
        caName = name("Orthweb " + stack + " local CA", null);
        try {
            JcaX509v3CertificateBuilder b = builder(caName, caName, Validity.CA, caKeys);
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            b.addExtension(Extension.keyUsage, true,
                    new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
            b.addExtension(Extension.subjectKeyIdentifier, false,
                    new JcaX509ExtensionUtils().createSubjectKeyIdentifier(caKeys.getPublic()));
            ca = issued(b, caKeys, caKeys);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot create the local CA: " + e.getMessage(), e);
        }
    }

    /** The CA certificate (its key stays in this object). */
    public String caCertificatePem() {
        return ca.certificatePem();
    }

    /**
     * A TLS server certificate for names and IPv4 addresses (subject alternative names).
     *
     * @param commonName subject CN
     * @param names      DNS names and IPv4 addresses, at least one
     */
    public Issued server(String commonName, List<String> names) {
        if (names.isEmpty()) {
            throw new IllegalArgumentException("a server certificate needs at least one name");
        }
        return leaf(name(commonName, null), Validity.SERVER, KeyPurposeId.id_kp_serverAuth,
                KeyUsage.digitalSignature | KeyUsage.keyEncipherment, names);
    }

    /** A DICOM peer's client certificate (CN = peer name, OU as the site PKI writes it). */
    public Issued peer(String stack, String peerName) {
        return leaf(name(peerName, "DICOM peers of " + stack), Validity.PEER, KeyPurposeId.id_kp_clientAuth,
                KeyUsage.digitalSignature | KeyUsage.keyEncipherment, List.of());
    }

    /**
     * Orthanc's own client certificate for DICOM TLS to declared modalities, named as the site PKI
     * names it ({@link SitePki#orthancScuCommonName}, {@link SitePki#ORTHANC_SCU_UNIT}).
     */
    public Issued orthancClient(String stack) {
        return leaf(name(SitePki.orthancScuCommonName(stack), SitePki.ORTHANC_SCU_UNIT), Validity.PEER,
                KeyPurposeId.id_kp_clientAuth, KeyUsage.digitalSignature | KeyUsage.keyEncipherment, List.of());
    }

    private Issued leaf(X500Name subject, Validity validity, KeyPurposeId purpose, int usage, List<String> sans) {
        KeyPair keys = rsaKeys();
        try {
            JcaX509v3CertificateBuilder b = builder(caName, subject, validity, keys);
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(usage));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(caKeys.getPublic()));
            if (!sans.isEmpty()) {
                GeneralName[] names = sans.stream().map(n -> IPV4.matcher(n).matches()
                        ? new GeneralName(GeneralName.iPAddress, n) : new GeneralName(GeneralName.dNSName, n))
                        .toArray(GeneralName[]::new);
                b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
            }
            return issued(b, keys, caKeys);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot issue a certificate for " + subject + ": " + e.getMessage(), e);
        }
    }

    private static X500Name name(String commonName, String unit) {
        X500NameBuilder n = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "Orthweb");
        if (unit != null) {
            n.addRDN(BCStyle.OU, unit);
        }
        return n.addRDN(BCStyle.CN, commonName).build();
    }

    private static JcaX509v3CertificateBuilder builder(X500Name issuer, X500Name subject, Validity validity, KeyPair keys) {
        Instant now = Instant.now();
        // a minute back: a clock a little behind the workstation's (a container's) still accepts it
        Date from = Date.from(now.minus(Duration.ofMinutes(1)));
        Date to = Date.from(now.plus(Duration.ofDays(validity.days)));
        // 16 random bytes, positive: unique per certificate, as RFC 5280 4.1.2.2 asks
        BigInteger serial = new BigInteger(1, randomBytes(16));
        return new JcaX509v3CertificateBuilder(issuer, serial.signum() == 0 ? BigInteger.ONE : serial, from, to,
                subject, keys.getPublic());
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    private static Issued issued(JcaX509v3CertificateBuilder builder, KeyPair keys, KeyPair signer) {
        try {
            ContentSigner s = new JcaContentSignerBuilder(SIGNATURE).build(signer.getPrivate());
            X509CertificateHolder cert = builder.build(s);
            return new Issued(pem(cert), pem(new JcaPKCS8Generator(keys.getPrivate(), null).generate()),
                    cert.getSerialNumber());
        } catch (OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot sign a certificate: " + e.getMessage(), e);
        }
    }

    private static String pem(Object o) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static KeyPair rsaKeys() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance(SitePki.KEY_ALGORITHM);
            g.initialize(SitePki.RSA_BITS, RANDOM);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA is part of every Java platform", e);
        }
    }
}
