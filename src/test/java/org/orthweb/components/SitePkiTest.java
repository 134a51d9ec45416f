package org.orthweb.components;

import org.junit.jupiter.api.Test;
import org.orthweb.DicomOutputs;
import org.orthweb.plan.Plan;
import org.orthweb.plan.Plan.PlannedResource;
import org.orthweb.pki.PeerGrant;
import org.orthweb.pki.Validity;
import org.orthweb.support.TestStacks;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.orthweb.support.TestStacks.map;

/** The site PKI under the mock engine: what is generated, what is secret, where it goes. */
class SitePkiTest {

    private final Plan prod = TestStacks.shipped("prod");

    @Test
    void oneCaOneServerCertificateAndOneCertificatePerPeerUnderTheComponent() {
        assertThat(prod.named("pki").type()).isEqualTo(SitePki.TYPE);
        List<String> tls = prod.resources().stream().filter(r -> r.type().startsWith("tls:"))
                .map(r -> r.type() + " " + r.name()).toList();
        assertThat(tls).containsExactlyInAnyOrder(
                "tls:index/privateKey:PrivateKey pki-ca-key",
                "tls:index/selfSignedCert:SelfSignedCert pki-ca",
                "tls:index/privateKey:PrivateKey pki-server-key",
                "tls:index/certRequest:CertRequest pki-server-csr",
                "tls:index/locallySignedCert:LocallySignedCert pki-server-cert",
                "tls:index/privateKey:PrivateKey pki-peer-modality-1-key",
                "tls:index/certRequest:CertRequest pki-peer-modality-1-csr",
                "tls:index/locallySignedCert:LocallySignedCert pki-peer-modality-1-cert");
        for (PlannedResource key : prod.ofType("tls:index/privateKey:PrivateKey")) {
            assertThat(key.inputs()).containsEntry("algorithm", "RSA").containsEntry("rsaBits", 3072L);
            assertThat(key.parent()).isEqualTo("pki");
        }
    }

    @Test
    void theCaIsACaForTenYearsInHoursAndLeavesSignForClientsOrServers() {
        var ca = prod.named("pki-ca").inputs();
        assertThat(ca).containsEntry("isCaCertificate", true)
                .containsEntry("validityPeriodHours", (long) Validity.hours(3650))
                .containsEntry("earlyRenewalHours", 0L);
        assertThat(uses(ca)).contains("cert_signing").doesNotContain("server_auth", "client_auth");
        var server = prod.named("pki-server-cert").inputs();
        assertThat(uses(server)).contains("server_auth").doesNotContain("client_auth", "cert_signing");
        assertThat(server).containsEntry("validityPeriodHours", (long) Validity.SERVER.periodHours());
        var peer = prod.named("pki-peer-modality-1-cert").inputs();
        assertThat(uses(peer)).contains("client_auth").doesNotContain("server_auth", "cert_signing");
        assertThat(peer).containsEntry("validityPeriodHours", (long) Validity.PEER.periodHours());
        assertThat(map(prod.named("pki-peer-modality-1-csr").inputs().get("subject")))
                .containsEntry("commonName", "modality-1");
    }

    @Test
    void everyPrivateKeyIsMaskedWhereverItFlows() {
        assertThat(prod.named("pki-ca").inputs()).containsEntry("privateKeyPem", Plan.SECRET);
        assertThat(prod.named("pki-server-csr").inputs()).containsEntry("privateKeyPem", Plan.SECRET);
        assertThat(prod.named("pki-peer-modality-1-cert").inputs()).containsEntry("caPrivateKeyPem", Plan.SECRET);
        assertThat(prod.named("pki-server-secret-value").inputs()).containsEntry("secretString", Plan.SECRET);
        assertThat(prod.named("pki-peers-secret-value").inputs()).containsEntry("secretString", Plan.SECRET);
        // the peers' material is a secret output; the CA certificate and the called AE are plain
        assertThat(prod.outputs().get(DicomOutputs.PEERS)).isEqualTo(Plan.SECRET);
        assertThat(String.valueOf(prod.outputs().get(DicomOutputs.CA_CERTIFICATE))).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(prod.outputs()).containsEntry(DicomOutputs.CALLED_AE_TITLE, "ORTHANC");
    }

    @Test
    void bothSecretsAreEncryptedWithTheStackKeyAndOnlyTheServerMaterialIsReadableByHosts() {
        Object keyArn = prod.named("encryption-key").get("arn");
        for (String secret : List.of("pki-server-secret", "pki-peers-secret")) {
            assertThat(prod.named(secret).inputs()).containsEntry("kmsKeyId", keyArn)
                    .containsEntry("recoveryWindowInDays", 30L);
        }
        String policy = String.valueOf(prod.named("host-access").inputs().get("policy"));
        assertThat(policy).contains(String.valueOf(prod.outputs().get("tlsSecretArn")))
                .doesNotContain(String.valueOf(prod.outputs().get(DicomOutputs.PEER_SECRET_ARN)));
    }

    @Test
    void hostsGetTheTlsSecretAndItsVersionButNoCertificateKeyOrPeerList() {
        // what a host receives: the user data and the bundle it loads
        String userData = TestStacks.hostText(prod);
        String serial = PeerGrant.serialHex(prod.named("pki-peer-modality-1-cert").id());
        Object version = prod.named("pki-server-secret-value").computed().get("versionId");
        assertThat(version).isNotNull();
        // the exact version: a new peer list or server certificate is new user data (hosts replaced)
        assertThat(userData).contains("PKI_SECRET_ARN=" + prod.outputs().get("tlsSecretArn") + "\n",
                "PKI_VERSION_ID=" + version + "\n");
        // the allow-list travels in the secret, not in the 16 KB of user data
        assertThat(userData).doesNotContain(serial);
        // no PEM block at all (the mock's placeholders name their resource), no pointer to the peers' keys
        assertThat(userData).doesNotContain("offline plan placeholder",
                String.valueOf(prod.outputs().get(DicomOutputs.PEER_SECRET_ARN)));
        assertThat(userData).doesNotContainPattern("-----BEGIN [A-Z ]+-----\\s*\\n\\s*[A-Za-z0-9+/=(]");
    }

    @Test
    void theServerCertificateNamesTheSiteAsDnsOrIpSan() {
        Plan named = TestStacks.plan("sans", TestStacks.yaml("dev", """
                  orthweb:site:
                    name: pacs.example-clinic.org
                """));
        // the server certificate names every stable name: the site name first, then each Elastic IP's
        assertThat(named.named("pki-server-csr").inputs()).containsEntry("dnsNames", named.outputs().get("stableNames"))
                .containsEntry("ipAddresses", List.of());
        assertThat((List<?>) named.outputs().get("stableNames")).first().isEqualTo("pacs.example-clinic.org");
        Map<Boolean, List<String>> split = SitePki.sans(List.of("pacs.example.org", "203.0.113.7", "pacs.example.org", ""));
        assertThat(split).containsEntry(false, List.of("pacs.example.org")).containsEntry(true, List.of("203.0.113.7"));
    }

    @Test
    void orthancGetsAClientCertificateOfTheSiteCaOnlyWhenAModalityIsCalledOverTls() {
        // the shipped stacks declare no TLS modality: no identity, no output
        assertThat(prod.resources()).noneMatch(r -> r.name().contains("orthanc-scu"));
        assertThat(prod.outputs()).doesNotContainKey(DicomOutputs.ORTHANC_CLIENT_CERTIFICATE);

        Plan tls = TestStacks.plan("scu", TestStacks.yaml("dev", """
                  orthweb:orthanc:
                    modalities:
                      pacs: {aeTitle: PACS, host: 10.0.0.9, port: 2762, tls: true, caCertificate: %s}
                """.formatted(org.orthweb.pki.TestCertificates.quoted(org.orthweb.pki.TestCertificates.modalityCa()))));
        var key = tls.named("pki-orthanc-scu-key");
        assertThat(key.inputs()).containsEntry("algorithm", "RSA").containsEntry("rsaBits", 3072L);
        var cert = tls.named("pki-orthanc-scu-cert").inputs();
        // a client of the site CA: the modality trusts the site CA (or pins this certificate)
        assertThat(uses(cert)).contains("client_auth").doesNotContain("server_auth", "cert_signing");
        assertThat(cert).containsEntry("caCertPem", tls.named("pki-ca").get("certPem"))
                .containsEntry("caPrivateKeyPem", Plan.SECRET)
                .containsEntry("validityPeriodHours", (long) Validity.PEER.periodHours());
        assertThat(map(tls.named("pki-orthanc-scu-csr").inputs().get("subject")))
                .containsEntry("commonName", "Orthweb scu Orthanc").containsEntry("organizationalUnit", SitePki.ORTHANC_SCU_UNIT);
        // its key reaches the hosts only inside the site TLS secret (masked); the certificate is an output
        assertThat(tls.named("pki-server-secret-value").inputs()).containsEntry("secretString", Plan.SECRET);
        assertThat(String.valueOf(tls.outputs().get(DicomOutputs.ORTHANC_CLIENT_CERTIFICATE)))
                .isEqualTo(String.valueOf(tls.named("pki-orthanc-scu-cert").get("certPem")));
        assertThat(TestStacks.hostText(tls)).doesNotContainPattern("-----BEGIN [A-Z ]*PRIVATE KEY-----");
    }

    @SuppressWarnings("unchecked")
    private static List<String> uses(Map<String, Object> inputs) {
        return (List<String>) inputs.get("allowedUses");
    }
}
