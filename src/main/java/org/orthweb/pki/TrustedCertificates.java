package org.orthweb.pki;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Certificates a site gives the program to trust, as PEM text: the CA (or self-signed certificate)
 * of a modality Orthanc calls over DICOM TLS ({@code orthweb:orthanc.modalities.<name>.caCertificate}).
 * Pure functions; X.509 parsing is the JDK's ({@link CertificateFactory}).
 *
 * <p>What Orthanc does with them: every modality's certificates go into the one file of
 * {@code DicomTlsTrustedCertificates} (Orthanc's SCU checks a modality's chain against that file,
 * not the certificate's host name: DCMTK's {@code DcmTLSTransportLayer} verifies the peer's chain
 * only), so {@link #bundle} joins them in a stable order.
 */
public final class TrustedCertificates {

    /** Largest PEM text accepted for one modality: a CA chain is a few KB; this is not a trust store. */
    public static final int MAX_PEM_BYTES = 32 * 1024;
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\n([A-Za-z0-9+/=\\n]+?)-----END \\1-----");
    /** The header of any private key block (PKCS#8, RSA, EC, encrypted, OpenSSH...). */
    private static final Pattern PRIVATE_KEY = Pattern.compile("-----BEGIN ([A-Z0-9 ]*PRIVATE KEY)-----");

    private TrustedCertificates() {
    }

    /**
     * Parses and checks PEM certificates.
     *
     * @param given one or more {@code CERTIFICATE} blocks, nothing else but white space between them
     *              (CRLF line ends and blanks at line ends, as copies often carry, are accepted)
     * @param now the instant the certificates must be valid at (the plan's); null: no time check
     * @return the certificates, in the order given
     * @throws IllegalArgumentException naming what is wrong: no block, another kind of block (a
     *                                  private key is refused as a secret), text outside blocks,
     *                                  a block that is not X.509, a certificate expired or not yet
     *                                  valid at {@code now} (when given), or more than {@link #MAX_PEM_BYTES}
     */
    public static List<X509Certificate> parse(String given, Instant now) {
        if (given.getBytes(StandardCharsets.UTF_8).length > MAX_PEM_BYTES) {
            throw new IllegalArgumentException("is longer than " + MAX_PEM_BYTES + " bytes: give the modality's CA "
                    + "certificate(s), not a trust store");
        }
        // Windows line ends and trailing blanks (a copy from a mail or a console) are not content
        String pem = lines(given);
        // a private key anywhere (after other blocks, or damaged) is named as what it is, first
        Matcher key = PRIVATE_KEY.matcher(pem);
        if (key.find()) {
            String kind = key.group(1);
            throw new IllegalArgumentException("holds a PRIVATE KEY" + (kind.equals("PRIVATE KEY") ? "" : " (" + kind
                    + " block)") + ": a private key is a secret and has no place here; give only the modality's CA "
                    + "certificate");
        }
        Matcher m = BLOCK.matcher(pem);
        List<X509Certificate> out = new ArrayList<>();
        int end = 0;
        CertificateFactory x509;
        try {
            x509 = CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException("X.509 is part of every Java platform", e);
        }
        while (m.find()) {
            if (!pem.substring(end, m.start()).isBlank()) {
                throw new IllegalArgumentException("has text outside its PEM blocks: give only -----BEGIN CERTIFICATE----- "
                        + "blocks");
            }
            end = m.end();
            String kind = m.group(1);
            if (!kind.equals("CERTIFICATE")) {
                throw new IllegalArgumentException("holds a block of type " + kind + "; only CERTIFICATE blocks are allowed");
            }
            X509Certificate cert;
            try {
                cert = (X509Certificate) x509.generateCertificate(new ByteArrayInputStream(
                        m.group().getBytes(StandardCharsets.US_ASCII)));
            } catch (CertificateException | ClassCastException e) {
                throw new IllegalArgumentException("certificate " + (out.size() + 1) + " is not a readable X.509 "
                        + "certificate (damaged or cut short in the copy; the JDK says: " + e.getMessage() + ")");
            }
            if (now != null) {
                String subject = cert.getSubjectX500Principal().getName();
                if (cert.getNotAfter().toInstant().isBefore(now)) {
                    throw new IllegalArgumentException("certificate " + (out.size() + 1) + " (" + subject + ") expired on "
                            + cert.getNotAfter().toInstant() + ": Orthanc would refuse the modality's certificate; declare "
                            + "the modality's current CA");
                }
                if (cert.getNotBefore().toInstant().isAfter(now)) {
                    throw new IllegalArgumentException("certificate " + (out.size() + 1) + " (" + subject + ") is not "
                            + "valid before " + cert.getNotBefore().toInstant() + ": check this machine's clock, or declare "
                            + "the modality's current CA");
                }
            }
            out.add(cert);
        }
        if (!pem.substring(end).isBlank()) {
            throw new IllegalArgumentException(out.isEmpty() ? "is not PEM: give the modality's CA certificate as "
                    + "-----BEGIN CERTIFICATE----- ... -----END CERTIFICATE-----" : "has text after its last PEM block");
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("holds no certificate");
        }
        return out;
    }

    /**
     * The PEM text as it is kept: each block on its own lines, one newline at the end.
     *
     * @param pem text {@link #parse} accepts
     */
    public static String normalize(String pem) {
        return joined(blocks(pem));
    }

    /** The PEM blocks of {@code pem}, line ends as {@link #lines} leaves them, in order. */
    private static List<String> blocks(String pem) {
        Matcher m = BLOCK.matcher(lines(pem));
        List<String> blocks = new ArrayList<>();
        while (m.find()) {
            blocks.add(m.group());
        }
        return blocks;
    }

    /** The blocks, each ended by a newline; empty for none. */
    private static String joined(List<String> blocks) {
        return blocks.isEmpty() ? "" : String.join("\n", blocks) + "\n";
    }

    /** Line ends as LF, no blanks at the end of a line. */
    private static String lines(String text) {
        return text.replace("\r\n", "\n").replace('\r', '\n').replaceAll("[ \t]+\n", "\n").replaceAll("[ \t]+$", "");
    }

    /**
     * The one file Orthanc reads as {@code DicomTlsTrustedCertificates}: the given PEM texts
     * (normalized) joined, duplicates dropped, in the order given.
     *
     * @param pems PEM texts {@link #parse} accepts
     * @return PEM text ending with a newline; empty when {@code pems} is
     */
    public static String bundle(List<String> pems) {
        return joined(pems.stream().flatMap(pem -> blocks(pem).stream()).distinct().toList());
    }
}
