package org.orthweb.components;

import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.tls.CertRequest;
import com.pulumi.tls.LocallySignedCert;
import com.pulumi.tls.LocallySignedCertArgs;
import com.pulumi.tls.PrivateKey;
import com.pulumi.tls.PrivateKeyArgs;
import com.pulumi.tls.SelfSignedCert;
import org.orthweb.pki.Validity;

import java.util.List;

/**
 * The certificate-issuing steps the site PKI ({@link SitePki}) and the Client VPN's CA
 * ({@link ClientVpn}) share, on the tls provider: an RSA key, and a certificate signed by a CA
 * with its validity and early renewal in hours ({@link Validity}) and a subject key id.
 */
final class Certificates {

    private Certificates() {
    }

    /** An RSA private key of {@code bits} bits (the provider keeps it as a secret). */
    static PrivateKey rsaKey(String name, int bits, CustomResourceOptions options) {
        return new PrivateKey(name, PrivateKeyArgs.builder().algorithm(SitePki.KEY_ALGORITHM).rsaBits(bits).build(), options);
    }

    /** The certificate of {@code csr}, signed by {@code ca} with {@code caKey}, for {@code uses}. */
    static LocallySignedCert signed(String name, CertRequest csr, SelfSignedCert ca, PrivateKey caKey,
                                    Validity validity, List<String> uses, CustomResourceOptions options) {
        return new LocallySignedCert(name, LocallySignedCertArgs.builder()
                .certRequestPem(csr.certRequestPem())
                .caCertPem(ca.certPem())
                .caPrivateKeyPem(caKey.privateKeyPem())
                .validityPeriodHours(validity.periodHours())
                .earlyRenewalHours(validity.earlyRenewalHours())
                .allowedUses(uses)
                .setSubjectKeyId(true)
                .build(), options);
    }
}
