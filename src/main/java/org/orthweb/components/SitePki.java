package org.orthweb.components;

import com.pulumi.aws.secretsmanager.Secret;
import com.pulumi.aws.secretsmanager.SecretArgs;
import com.pulumi.aws.secretsmanager.SecretVersion;
import com.pulumi.aws.secretsmanager.SecretVersionArgs;
import com.pulumi.core.Output;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.tls.CertRequest;
import com.pulumi.tls.CertRequestArgs;
import com.pulumi.tls.CertSubjectArgs;
import com.pulumi.tls.LocallySignedCert;
import com.pulumi.tls.PrivateKey;
import com.pulumi.tls.SelfSignedCert;
import com.pulumi.tls.SelfSignedCertArgs;
import org.orthweb.naming.Policies;
import org.orthweb.pki.DicomAccess;
import org.orthweb.pki.DicomPeer;
import org.orthweb.pki.PeerGrant;
import org.orthweb.pki.Validity;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The site's PKI, generated once per stack at deploy time by the tls provider and kept in state:
 * a site CA, the server certificate every host presents (on 443 and on the DICOM TLS port), and
 * one client certificate per DICOM peer, and, when a declared modality is called over DICOM TLS,
 * a client certificate for Orthanc itself. Every host of the stack, present and future, serves the
 * same material, so a replaced host or a second host is the same site to every modality.
 *
 * <p>Where the material goes: the CA certificate, the server certificate and its key are one
 * Secrets Manager secret ({@link #serverSecretArn}) that the hosts read at boot; the peers' keys
 * and certificates are another ({@link #peerSecretArn}) that the hosts cannot read, handed to
 * each peer by {@code orthweb dicom-client}. Both are encrypted with the stack's key. The CA key
 * lives only in the Pulumi state (as a secret), never on a host. What the hosts learn about the
 * peers is {@link #grants}: names, AE titles and certificate serials, all public.
 */
public final class SitePki extends ComponentResource {

    public static final String TYPE = "orthweb:index:SitePki";
    /** RSA for every key: the algorithm every DICOM TLS implementation in the field supports. */
    public static final String KEY_ALGORITHM = "RSA";
    public static final int RSA_BITS = 3072;
    static final List<String> CA_USES = List.of("cert_signing", "crl_signing", "digital_signature");
    static final List<String> SERVER_USES = List.of("digital_signature", "key_encipherment", "server_auth");
    static final List<String> PEER_USES = List.of("digital_signature", "key_encipherment", "client_auth");
    static final String ORGANIZATION = "Orthweb";
    /** OU of Orthanc's own client certificate (DICOM TLS to modalities). */
    public static final String ORTHANC_SCU_UNIT = "Orthanc DICOM client";
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    /** The site CA certificate (public): peers trust the server with it. */
    public final Output<String> caCertPem;
    /**
     * Secret the hosts read at boot ({@link DicomAccess#hostSecret}): CA certificate, server
     * certificate and key (PEM), and the peers nginx and Orthanc admit.
     */
    public final Output<String> serverSecretArn;
    /**
     * The version of that secret the hosts must read. It changes with every peer added or removed
     * and every re-issued server certificate; the hosts' user data names it, so `pulumi up`
     * replaces them and a host never reads a version older than the deployment that made it.
     */
    public final Output<String> serverSecretVersionId;
    /** Secret of every peer's {@code {aeTitle, certificate, privateKey}} by name; not for hosts. */
    public final Output<String> peerSecretArn;
    /** What the hosts enforce per peer (name, AE title, certificate serial); public. */
    public final Output<List<PeerGrant>> grants;
    /**
     * Orthanc's own client certificate (PEM, public), present when {@link SitePkiArgs#orthancClient}:
     * what it presents calling a modality over DICOM TLS.
     */
    public final Optional<Output<String>> orthancScuCertPem;
    /** Per peer name: aeTitle, certificate, privateKey, caCertificate. A Pulumi secret. */
    public final Output<Map<String, Map<String, String>>> peerMaterial;

    public SitePki(String name, SitePkiArgs args, ComponentResourceOptions options) {
        super(TYPE, name, options);
        var child = CustomResourceOptions.builder().parent(this).build();

        var caKey = key(name + "-ca-key", child);
        var ca = new SelfSignedCert(name + "-ca", SelfSignedCertArgs.builder()
                .privateKeyPem(caKey.privateKeyPem())
                .subject(CertSubjectArgs.builder().organization(ORGANIZATION)
                        .commonName("Orthweb " + args.stack() + " site CA").build())
                .isCaCertificate(true)
                .allowedUses(CA_USES)
                .validityPeriodHours(Validity.CA.periodHours())
                .earlyRenewalHours(Validity.CA.earlyRenewalHours())
                .setSubjectKeyId(true)
                .build(), CustomResourceOptions.builder().parent(caKey).build());
        this.caCertPem = ca.certPem();

        var serverKey = key(name + "-server-key", child);
        var serverCsr = new CertRequest(name + "-server-csr", CertRequestArgs.builder()
                .privateKeyPem(serverKey.privateKeyPem())
                .subject(CertSubjectArgs.builder().organization(ORGANIZATION)
                        .commonName("Orthweb " + args.stack() + " site").build())
                .dnsNames(args.serverNames().applyValue(names -> sans(names).get(false)))
                .ipAddresses(args.serverNames().applyValue(names -> sans(names).get(true)))
                .build(), CustomResourceOptions.builder().parent(serverKey).build());
        var server = signed(name + "-server-cert", serverCsr, ca, caKey, Validity.SERVER, SERVER_USES,
                CustomResourceOptions.builder().parent(serverKey).build());

        List<Output<PeerGrant>> grants = new ArrayList<>();
        List<Output<Map<String, String>>> material = new ArrayList<>();
        for (DicomPeer peer : args.peers()) {
            var client = client(name + "-peer-" + peer.name(), "DICOM peers of " + args.stack(), peer.name(),
                    ca, caKey, child);
            var peerKey = client.t1;
            var cert = client.t2;
            grants.add(cert.serialNumber().applyValue(serial -> PeerGrant.of(peer, serial)));
            material.add(Output.tuple(cert.certPem(), peerKey.privateKeyPem(), ca.certPem()).applyValue(t -> {
                Map<String, String> m = new LinkedHashMap<>();
                m.put("name", peer.name());
                m.put("aeTitle", peer.effectiveAeTitle());
                m.put("certificate", t.t1);
                m.put("privateKey", t.t2);
                m.put("caCertificate", t.t3);
                return m;
            }));
        }
        this.grants = Output.all(grants);
        this.peerMaterial = Output.all(material).applyValue(list -> {
            Map<String, Map<String, String>> byName = new LinkedHashMap<>();
            list.forEach(m -> byName.put(m.get("name"), m));
            return byName;
        }).asSecret();

        // Orthanc as a DICOM TLS client of declared modalities: a client certificate of the site CA,
        // so a modality that trusts the site CA admits the site's Orthanc and nothing else it issued
        // to peers (the CN and OU tell it apart from the peers' certificates)
        Output<Optional<DicomAccess.ClientIdentity>> orthancScu = Output.of(Optional.empty());
        Optional<Output<String>> scuCertPem = Optional.empty();
        if (args.orthancClient()) {
            var client = client(name + "-orthanc-scu", ORTHANC_SCU_UNIT, orthancScuCommonName(args.stack()), ca, caKey,
                    child);
            var scuKey = client.t1;
            var scuCert = client.t2;
            orthancScu = Output.tuple(scuCert.certPem(), scuKey.privateKeyPem())
                    .applyValue(t -> Optional.of(new DicomAccess.ClientIdentity(t.t1, t.t2)));
            scuCertPem = Optional.of(scuCert.certPem());
        }
        this.orthancScuCertPem = scuCertPem;
        var serverSecret = secret(name + "-server-secret", args, "tls-server",
                "The site's CA certificate, server certificate and key (PEM), DICOM peer allow-list and, with DICOM "
                        + "TLS modalities, Orthanc's client certificate and key; read by the hosts",
                Output.tuple(ca.certPem(), server.certPem(), serverKey.privateKeyPem(), this.grants, orthancScu)
                        .applyValue(t -> Policies.toJson(DicomAccess.hostSecret(t.t1, t.t2, t.t3, t.t4, t.t5))));
        this.serverSecretArn = serverSecret.t1;
        this.serverSecretVersionId = serverSecret.t2;
        this.peerSecretArn = secret(name + "-peers-secret", args, "dicom-peers",
                "Keys and certificates of the DICOM peers (PEM), for handing to each peer; hosts cannot read it",
                peerMaterial.applyValue(Policies::toJson)).t1;
        registerOutputs(Map.of("caCertPem", caCertPem, "serverSecretArn", serverSecretArn,
                "serverSecretVersionId", serverSecretVersionId, "peerSecretArn", peerSecretArn));
    }

    /** CN of Orthanc's own client certificate: what a modality's administrator sees calling in. */
    public static String orthancScuCommonName(String stack) {
        return "Orthweb " + stack + " Orthanc";
    }

    /**
     * A client certificate of the site CA (client authentication, {@link Validity#PEER}): its key
     * {@code <base>-key}, request {@code <base>-csr} and certificate {@code <base>-cert}, subject
     * O={@link #ORGANIZATION}, OU={@code unit}, CN={@code commonName}.
     */
    private static com.pulumi.core.Tuples.Tuple2<PrivateKey, LocallySignedCert> client(String base, String unit,
            String commonName, SelfSignedCert ca, PrivateKey caKey, CustomResourceOptions options) {
        var key = key(base + "-key", options);
        var csr = new CertRequest(base + "-csr", CertRequestArgs.builder()
                .privateKeyPem(key.privateKeyPem())
                .subject(CertSubjectArgs.builder().organization(ORGANIZATION).organizationalUnit(unit)
                        .commonName(commonName).build())
                .build(), CustomResourceOptions.builder().parent(key).build());
        var cert = signed(base + "-cert", csr, ca, caKey, Validity.PEER, PEER_USES,
                CustomResourceOptions.builder().parent(key).build());
        return com.pulumi.core.Tuples.of(key, cert);
    }

    private static PrivateKey key(String name, CustomResourceOptions options) {
        return Certificates.rsaKey(name, RSA_BITS, options);
    }

    private static LocallySignedCert signed(String name, CertRequest csr, SelfSignedCert ca, PrivateKey caKey,
                                            Validity validity, List<String> uses, CustomResourceOptions options) {
        return Certificates.signed(name, csr, ca, caKey, validity, uses, options);
    }

    /** A secret under the stack's key and its one version: (ARN, version id). */
    private com.pulumi.core.Tuples.Tuple2<Output<String>, Output<String>> secret(String name, SitePkiArgs args,
                                                                                  String purpose, String description,
                                                                                  Output<String> value) {
        var secret = new Secret(name, SecretArgs.builder()
                .name(args.naming().prefix().applyValue(p -> p + "/orthweb/" + purpose))
                .description(description)
                .kmsKeyId(args.kmsKeyArn())
                .recoveryWindowInDays(args.recoveryWindowDays())
                .tags(args.naming().tags(purpose))
                .build(), CustomResourceOptions.builder().parent(this).protect(args.protect()).build());
        var version = new SecretVersion(name + "-value", SecretVersionArgs.builder()
                .secretId(secret.id())
                .secretString(value.asSecret())
                .build(), CustomResourceOptions.builder().parent(secret).build());
        return com.pulumi.core.Tuples.of(secret.arn(), version.versionId());
    }

    /**
     * The server names split into SAN kinds: {@code true} → IPv4 addresses, {@code false} → DNS
     * names; duplicates dropped, order kept.
     */
    static Map<Boolean, List<String>> sans(List<String> names) {
        Map<Boolean, List<String>> out = new LinkedHashMap<>();
        out.put(false, new ArrayList<>());
        out.put(true, new ArrayList<>());
        for (String n : names) {
            if (n == null || n.isBlank()) {
                continue;
            }
            List<String> kind = out.get(IPV4.matcher(n).matches());
            if (!kind.contains(n)) {
                kind.add(n);
            }
        }
        return out;
    }
}
