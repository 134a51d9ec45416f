package org.orthweb.orthanc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.orthweb.cloudinit.Layout;
import org.orthweb.cloudinit.Render;
import org.orthweb.cloudinit.UserDataInputs;
import org.orthweb.config.ConfigException;
import org.orthweb.config.ConfigParser;
import org.orthweb.config.RawConfig;
import org.orthweb.config.StackConfig;

import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * orthweb:orthanc from the stack file to the host's files: each typed key reaches orthanc.json,
 * extraConfig merges with the documented precedence, every key the program owns is refused with
 * its reason, bad AE titles, ports, hosts and URLs are refused naming the key.
 */
class OrthancSettingsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BASE = """
            config:
              aws:region: eu-west-1
              orthweb:environment: dev
              orthweb:owner: radiology-it
            """;

    static StackConfig parse(String orthancSection) {
        return ConfigParser.parse("clinic", RawConfig.fromStackYaml(BASE + orthancSection, "Pulumi.clinic.yaml"));
    }

    /** Inputs shaped like the ones the infrastructure resolves (stack "dev"). */
    static UserDataInputs inputs() {
        return new UserDataInputs("dev", "dev", "us-east-1", null, "db.example.internal", 5432,
                "arn:aws:secretsmanager:us-east-1:123456789012:secret:db", "arn:aws:secretsmanager:us-east-1:123456789012:secret:app",
                "fancy-pet-orthbucket", null, Map.of(), "arn:aws:secretsmanager:us-east-1:123456789012:secret:tls",
                "8f1b3c2e-5d4a-4e6f-9a7b-0c1d2e3f4a5b");
    }

    static Map<String, String> files(StackConfig config) {
        UserDataInputs in = inputs().withOrthanc(config.orthanc());
        return Render.host(in).files();
    }

    static JsonNode orthancJson(StackConfig config) throws Exception {
        return JSON.readTree(files(config).get(Layout.CONFIG_DIR + "/orthanc.json"));
    }

    static java.util.List<String> problems(String orthancSection) {
        try {
            parse(orthancSection);
        } catch (ConfigException e) {
            return e.problems();
        }
        throw new AssertionError("accepted:\n" + orthancSection);
    }

    private static final String SITE = """
              orthweb:orthanc:
                aeTitle: CLINIC_PACS
                name: Clinic archive
                stableAgeSeconds: 300
                storageCompression: true
                modalities:
                  main-pacs: {aeTitle: MAINPACS, host: 10.20.0.5, port: 104}
                  cloud-pacs: {aeTitle: CLOUDPACS, host: pacs.example.org, port: 11112, egressCidr: 192.0.2.0/28}
                peers:
                  research: {url: "http://198.51.100.7:8042"}
                  hq: {url: "https://orthanc.hq.example.org/"}
                extraConfig:
                  DicomScuTimeout: 45
                  DicomWeb: {StudiesMetadata: Full}
                  OrthancExplorer2: {UiOptions: {ShareDurations: [1, 2]}}
            """;

    @Test
    void eachTypedKeyReachesOrthancJson() throws Exception {
        JsonNode o = orthancJson(parse(SITE));
        assertThat(o.get("DicomAet").asText()).isEqualTo("CLINIC_PACS");
        assertThat(o.get("Name").asText()).isEqualTo("Clinic archive");
        assertThat(o.get("StableAge").asInt()).isEqualTo(300);
        assertThat(o.get("StorageCompression").asBoolean()).isTrue();
        // a URL without a path gets the trailing slash Orthanc's peers expect
        assertThat(o.at("/OrthancPeers/research/Url").asText()).isEqualTo("http://198.51.100.7:8042/");
        assertThat(o.at("/OrthancPeers/hq/Url").asText()).isEqualTo("https://orthanc.hq.example.org/");
        // the modalities: in the file the bootstrap merges into DicomModalities
        JsonNode m = JSON.readTree(files(parse(SITE)).get(Layout.CONFIG_DIR + "/" + Layout.ORTHANC_MODALITIES_JSON));
        assertThat(m.at("/main-pacs/AET").asText()).isEqualTo("MAINPACS");
        assertThat(m.at("/main-pacs/Host").asText()).isEqualTo("10.20.0.5");
        assertThat(m.at("/main-pacs/Port").asInt()).isEqualTo(104);
        assertThat(m.at("/cloud-pacs/Host").asText()).isEqualTo("pacs.example.org");
        assertThat(m.at("/cloud-pacs/AllowFind").asBoolean()).as("a modality does not query us").isFalse();
    }

    @Test
    void defaultsAreTheProgramsOwn() throws Exception {
        JsonNode o = orthancJson(parse(""));
        assertThat(o.get("DicomAet").asText()).isEqualTo(Layout.ORTHANC_AET);
        assertThat(o.get("Name").asText()).isEqualTo("orthweb-dev");
        assertThat(o.get("StableAge").asInt()).isEqualTo(60);
        assertThat(o.get("StorageCompression").asBoolean()).isFalse();
        assertThat(o.get("OrthancPeers").isEmpty()).isTrue();
    }

    @Test
    void extraConfigMergesUnderTheTypedKeysAndOverTheTemplate() throws Exception {
        JsonNode o = orthancJson(parse(SITE));
        assertThat(o.get("DicomScuTimeout").asInt()).as("added").isEqualTo(45);
        assertThat(o.get("HttpTimeout").asInt()).as("the template's value where extraConfig is silent").isEqualTo(60);
        // objects merge key by key: the program's DICOMweb routes stay, the site's option is added
        assertThat(o.at("/DicomWeb/StudiesMetadata").asText()).isEqualTo("Full");
        assertThat(o.at("/DicomWeb/Root").asText()).isEqualTo("/dicom-web/");
        assertThat(o.at("/OrthancExplorer2/Keycloak/Enable").asBoolean()).isTrue();
        // arrays are replaced whole
        assertThat(o.at("/OrthancExplorer2/UiOptions/ShareDurations").toString()).isEqualTo("[1,2]");
        assertThat(o.at("/OrthancExplorer2/UiOptions/EnableShares").asBoolean()).isTrue();
    }

    @Test
    void anAeTitleWithQuotesStaysData() throws Exception {
        JsonNode o = orthancJson(parse("  orthweb:orthanc:\n    aeTitle: 'A\"B$C'\n"));
        assertThat(o.get("DicomAet").asText()).isEqualTo("A\"B$C");
    }

    static Stream<String> ownedKeys() {
        return OrthancSettings.OWNED.keySet().stream();
    }

    @ParameterizedTest(name = "extraConfig.{0} is refused")
    @MethodSource("ownedKeys")
    void everyKeyTheProgramOwnsIsRefusedWithItsReason(String key) {
        String extra = key.contains(".")
                ? "{" + key.substring(0, key.indexOf('.')) + ": {" + key.substring(key.indexOf('.') + 1) + ": 1}}"
                : "{" + key + ": 1}";
        assertThat(problems("  orthweb:orthanc:\n    extraConfig: " + extra + "\n"))
                .containsExactly("orthweb:orthanc.extraConfig." + key + " is refused: " + OrthancSettings.OWNED.get(key));
    }

    @Test
    void ownedKeysIncludeTheStacksLifelines() {
        assertThat(OrthancSettings.OWNED).containsKeys("PostgreSQL", "AwsS3Storage", "Authorization", "HttpPort",
                "DicomPort", "RemoteAccessAllowed", "AuthenticationEnabled", "RegisteredUsers", "DicomModalities",
                "OrthancPeers", "DicomAet");
    }

    @ParameterizedTest(name = "extraConfig {0} is refused")
    @ValueSource(strings = {"{DicomTlsEnabled: true}", "{DicomTlsRemoteCertificateRequired: false}"})
    void dicomTlsOptionsAreRefused(String extra) {
        assertThat(problems("  orthweb:orthanc:\n    extraConfig: " + extra + "\n")).singleElement().asString()
                .contains("is refused: DICOM TLS into the site ends at nginx with the site PKI, and Orthanc's own TLS to "
                        + "modalities is set by orthweb:orthanc.modalities.<name>.tls and caCertificate");
    }

    @Test
    void theTlsOfOrthancsCallsMayBeTunedThroughExtraConfig() throws Exception {
        StackConfig config = parse("  orthweb:orthanc:\n    extraConfig: {DicomTlsMinimumProtocolVersion: 4, "
                + "DicomTlsCiphersAccepted: [ECDHE-RSA-AES256-GCM-SHA384]}\n    modalities:\n"
                + tlsModality("pacs", "PACS", "10.0.0.9", CA));
        JsonNode doc = orthancJson(config);
        assertThat(doc.get("DicomTlsMinimumProtocolVersion").asInt()).isEqualTo(4);
        assertThat(doc.get("DicomTlsCiphersAccepted").get(0).asText()).isEqualTo("ECDHE-RSA-AES256-GCM-SHA384");
        // the identity and trust stay the program's
        assertThat(problems("  orthweb:orthanc:\n    extraConfig: {DicomTlsTrustedCertificates: /tmp/x.pem}\n"))
                .singleElement().asString().contains("DicomTlsTrustedCertificates is refused");
    }

    @Test
    void secretsAndEnvironmentReferencesAreRefusedAtAnyDepth() {
        assertThat(problems("""
                  orthweb:orthanc:
                    extraConfig:
                      Worklists: {Enable: true, Password: hunter2}
                      MyPlugin: {Things: [{ApiKey: x}], Url: "${AWS_SECRET}"}
                """)).containsExactlyInAnyOrder(
                "orthweb:orthanc.extraConfig.Worklists.Password is refused: it would put a secret in plain text into the "
                        + "host bundle (an S3 object, a file on every host); secrets are the program's",
                "orthweb:orthanc.extraConfig.MyPlugin.Things[0].ApiKey is refused: it would put a secret in plain text into "
                        + "the host bundle (an S3 object, a file on every host); secrets are the program's",
                "orthweb:orthanc.extraConfig.MyPlugin.Url is refused: Orthanc replaces ${...} with the container's "
                        + "environment, which is the program's");
    }

    @Test
    void extraConfigMustBeAnObjectOfBoundedSize() {
        assertThat(problems("  orthweb:orthanc:\n    extraConfig: [1, 2]\n"))
                .containsExactly("orthweb:orthanc.extraConfig must be a JSON object (a mapping of option names to values)");
        String big = "x".repeat(OrthancSettings.MAX_EXTRA_CONFIG_BYTES);
        assertThat(problems("  orthweb:orthanc:\n    extraConfig: {UserMetadata: {Note: " + big + "}}\n"))
                .singleElement().asString().startsWith("orthweb:orthanc.extraConfig is ")
                .contains("at most " + OrthancSettings.MAX_EXTRA_CONFIG_BYTES);
        // JSON text holding an object is read as the object
        assertThat(parse("  orthweb:orthanc:\n    extraConfig: '{\"KeepAlive\": false}'\n").orthanc().extraConfig()
                .get("KeepAlive").asBoolean()).isFalse();
    }

    @Test
    void theLargestAllowedExtraConfigLeavesTheUserDataAsItWas() {
        // the merged configuration travels in the host bundle: only the loader is user data
        String near = "x".repeat(OrthancSettings.MAX_EXTRA_CONFIG_BYTES - 100);
        var small = Render.host(inputs().withOrthanc(parse("").orthanc()));
        var large = Render.host(inputs().withOrthanc(
                parse("  orthweb:orthanc:\n    extraConfig: {UserMetadata: {Note: " + near + "}}\n").orthanc()));
        assertThat(large.bundle().tar().length).isGreaterThan(small.bundle().tar().length + near.length() - 1);
        assertThat(large.userData().length()).isEqualTo(small.userData().length());
        assertThat(org.orthweb.cloudinit.CloudInit.encode(large.userData()).length()).isLessThan(Render.MAX_USER_DATA_BYTES);
    }

    @Test
    void badAeTitlesPortsHostsAndUrlsAreRefusedNamingTheKey() {
        assertThat(problems("""
                  orthweb:orthanc:
                    aeTitle: THIS_AE_TITLE_IS_TOO_LONG
                    modalities:
                      bad-1: {aeTitle: 'A\\B', host: 10.0.0.1, port: 0}
                      bad-2: {aeTitle: OK, host: 'not a host', port: 65536}
                      bad-3: {aeTitle: OK3, host: 300.1.2.3, port: 104}
                    peers:
                      leaky: {url: "https://admin:pw@orthanc.example.org/"}
                      ftp: {url: "ftp://orthanc.example.org/"}
                """)).containsExactlyInAnyOrder(
                "orthweb:orthanc.aeTitle: 'THIS_AE_TITLE_IS_TOO_LONG' must have 1-16 characters (DICOM VR AE)",
                "orthweb:orthanc.modalities.bad-1.aeTitle: 'A\\B' contains a character DICOM does not allow in an AE title "
                        + "(backslash, control or non-ASCII characters)",
                "orthweb:orthanc.modalities.bad-1.port must be from 1 to 65535 (got 0)",
                "orthweb:orthanc.modalities.bad-2.host must be an IPv4 address such as 10.20.0.5 or a DNS name such as "
                        + "pacs.example.org (got 'not a host')",
                "orthweb:orthanc.modalities.bad-2.port must be from 1 to 65535 (got 65536)",
                "orthweb:orthanc.modalities.bad-3.host must be an IPv4 address such as 10.20.0.5 or a DNS name such as "
                        + "pacs.example.org (got '300.1.2.3')",
                "orthweb:orthanc.peers.leaky.url must not carry a user or password: it would be a secret in plain text on "
                        + "every host (peers with credentials are not supported, see README)",
                "orthweb:orthanc.peers.ftp.url must start with https:// or http:// (got 'ftp://orthanc.example.org/')");
    }

    @Test
    void aDnsNamedModalityNeedsItsAddressBlockAndNeverTheWorld() {
        assertThat(problems("""
                  orthweb:orthanc:
                    modalities:
                      pacs: {aeTitle: PACS, host: pacs.example.org, port: 104}
                      wide: {aeTitle: WIDE, host: wide.example.org, port: 104, egressCidr: 0.0.0.0/0}
                      off: {aeTitle: OFF, host: 10.0.0.9, port: 104, egressCidr: 10.1.0.0/24}
                """)).containsExactlyInAnyOrder(
                "orthweb:orthanc.modalities.pacs.egressCidr is required for the DNS name 'pacs.example.org': the hosts' "
                        + "security group opens egress to addresses, not names; give the block it resolves into (such as "
                        + "10.20.0.5/32), or give an IPv4 host",
                "orthweb:orthanc.modalities.wide.egressCidr may not be 0.0.0.0/0: egress goes to the modality, not to the world",
                "orthweb:orthanc.modalities.off.egressCidr 10.1.0.0/24 does not hold its host 10.0.0.9");
    }

    static final String CA = org.orthweb.pki.TestCertificates.modalityCa();

    static String tlsModality(String name, String aet, String host, String pem) {
        return "      " + name + ": {aeTitle: " + aet + ", host: " + host + ", port: 2762, tls: true, caCertificate: "
                + org.orthweb.pki.TestCertificates.quoted(pem) + "}\n";
    }

    @Test
    void aTlsModalityGetsUseDicomTlsAndOrthancItsClientIdentityAsTheHostMountsIt() throws Exception {
        StackConfig config = parse("  orthweb:orthanc:\n    modalities:\n" + tlsModality("pacs", "PACS", "10.0.0.9", CA)
                + "      plain: {aeTitle: PLAIN, host: 10.0.0.10, port: 104}\n");
        JsonNode entries = JSON.readTree(OrthancSettings.dicomModalitiesJson(config.orthanc()));
        assertThat(entries.get("pacs").get("UseDicomTls").asBoolean()).isTrue();
        assertThat(entries.get("plain").has("UseDicomTls")).isFalse();

        Map<String, String> files = files(config);
        JsonNode doc = JSON.readTree(files.get(Layout.CONFIG_DIR + "/orthanc.json"));
        // Orthanc's own DICOM server stays plain behind nginx
        assertThat(doc.get("DicomTlsEnabled").asBoolean()).isFalse();
        // each path orthanc.json names is a file the compose file mounts into the Orthanc container,
        // from where the bootstrap (identity) or the bundle (the modalities' CAs) puts it on the host
        JsonNode volumes = new com.fasterxml.jackson.dataformat.yaml.YAMLMapper()
                .readTree(files.get(Layout.CONFIG_DIR + "/docker-compose.yml")).at("/services/orthanc/volumes");
        Map<String, String> mounted = new java.util.HashMap<>();
        volumes.forEach(v -> {
            String[] p = v.asText().split(":");
            mounted.put(p[1], p[0]);
        });
        assertThat(mounted.get(doc.get("DicomTlsCertificate").asText())).isEqualTo(Layout.TLS_DIR + "/orthanc-scu.crt");
        assertThat(mounted.get(doc.get("DicomTlsPrivateKey").asText())).isEqualTo(Layout.TLS_DIR + "/orthanc-scu.key");
        String trusted = mounted.get(doc.get("DicomTlsTrustedCertificates").asText());
        assertThat(trusted).isEqualTo(Layout.CONFIG_DIR + "/orthanc-modality-ca.pem");
        assertThat(files.get(trusted)).isEqualTo(CA);
        // the bootstrap requires the identity in the site TLS secret and writes both files
        String bootstrap = files.get("/usr/local/sbin/orthweb-bootstrap");
        assertThat(bootstrap).contains("pem_field \"$json\" orthancScuCert CERTIFICATE")
                .contains("\"$TLS_DIR/orthanc-scu.key\" 0600").doesNotContain("rm -f \"$TLS_DIR/orthanc-scu.crt\"");
    }

    @Test
    void theTrustedFileHoldsEveryTlsModalitysCaOnce() {
        String other = org.orthweb.pki.TestCertificates.selfSigned("Other modality CA", java.time.Instant.now().minusSeconds(60),
                java.time.Instant.now().plusSeconds(86_400));
        StackConfig config = parse("  orthweb:orthanc:\n    modalities:\n" + tlsModality("pacs", "PACS", "10.0.0.9", CA)
                + tlsModality("ris", "RIS", "10.0.0.10", other + CA) + tlsModality("lab", "LAB", "10.0.0.11", CA));
        assertThat(OrthancSettings.trustedCertificates(config.orthanc())).isEqualTo(CA + other);
    }

    @Test
    void tlsNeedsTheModalitysCaAndACaNeedsTls() {
        assertThat(problems("""
                  orthweb:orthanc:
                    modalities:
                      pacs: {aeTitle: PACS, host: 10.0.0.9, port: 2762, tls: true}
                """ + "      plain: {aeTitle: PLAIN, host: 10.0.0.10, port: 104, caCertificate: "
                + org.orthweb.pki.TestCertificates.quoted(CA) + "}\n")).containsExactly(
                "orthweb:orthanc.modalities.pacs.caCertificate is required with tls: true: the PEM certificate of the CA "
                        + "that issued the modality's server certificate (or the modality's self-signed certificate); "
                        + "Orthanc refuses a modality whose certificate it cannot check",
                "orthweb:orthanc.modalities.plain.caCertificate is set but tls is false: Orthanc would call the modality "
                        + "over plain DICOM; set tls: true, or remove caCertificate");
    }

    static Stream<org.junit.jupiter.params.provider.Arguments> badCaCertificates() {
        String expired = org.orthweb.pki.TestCertificates.selfSigned("Old CA", java.time.Instant.parse("2020-01-01T00:00:00Z"),
                java.time.Instant.parse("2021-01-01T00:00:00Z"));
        String body = CA.substring(CA.indexOf('\n') + 1, CA.indexOf("-----END"));
        return Stream.of(
                org.junit.jupiter.params.provider.Arguments.of("not PEM", "MIIB...", "is not PEM"),
                org.junit.jupiter.params.provider.Arguments.of("a private key", "-----BEGIN PRIVATE KEY-----\n" + body
                        + "-----END PRIVATE KEY-----\n", "holds a PRIVATE KEY: a private key is a secret"),
                // what `openssl ecparam -genkey` writes: parameters first, the key after them
                org.junit.jupiter.params.provider.Arguments.of("an EC key after its parameters",
                        "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n"
                                + "-----BEGIN EC PRIVATE KEY-----\n" + body + "-----END EC PRIVATE KEY-----\n",
                        "holds a PRIVATE KEY (EC PRIVATE KEY block): a private key is a secret"),
                org.junit.jupiter.params.provider.Arguments.of("another kind of block", "-----BEGIN X509 CRL-----\n" + body
                        + "-----END X509 CRL-----\n", "holds a block of type X509 CRL; only CERTIFICATE blocks are allowed"),
                org.junit.jupiter.params.provider.Arguments.of("expired", expired, "expired on 2021-01-01T00:00:00Z"),
                org.junit.jupiter.params.provider.Arguments.of("damaged", "-----BEGIN CERTIFICATE-----\nAAAA"
                        + body.substring(4) + "-----END CERTIFICATE-----\n", "is not a readable X.509 certificate"),
                org.junit.jupiter.params.provider.Arguments.of("text around it", "issued by our vendor\n" + CA,
                        "has text outside its PEM blocks"));
    }

    @Test
    void aCopiedCaCertificateIsAcceptedAsTheSameText() {
        String other = org.orthweb.pki.TestCertificates.selfSigned("Second CA", java.time.Instant.now().minusSeconds(60),
                java.time.Instant.now().plusSeconds(86_400));
        // Windows line ends, blanks at line ends (a copy from a mail or a console), two blocks with a blank line
        String copied = (CA.replace("\n", "  \r\n") + "\r\n" + other.replace("\n", "\t\n"));
        StackConfig config = parse("  orthweb:orthanc:\n    modalities:\n" + tlsModality("pacs", "PACS", "10.0.0.9", copied));
        assertThat(config.orthanc().modalities().get("pacs").caCertificate()).contains(CA + other);
        assertThat(OrthancSettings.trustedCertificates(config.orthanc())).isEqualTo(CA + other);
    }

    @ParameterizedTest(name = "caCertificate: {0} is refused")
    @MethodSource("badCaCertificates")
    void aCaCertificateThatIsNotOneIsRefusedNamingTheSetting(String what, String pem, String why) {
        assertThat(problems("  orthweb:orthanc:\n    modalities:\n" + tlsModality("pacs", "PACS", "10.0.0.9", pem)))
                .singleElement().asString().startsWith("orthweb:orthanc.modalities.pacs.caCertificate").contains(why);
    }

    @Test
    void aPlainModalityRendersNoDicomTlsOptionAnywhere() throws Exception {
        StackConfig config = parse("""
                  orthweb:orthanc:
                    modalities:
                      plain: {aeTitle: PLAIN, host: 10.0.0.10, port: 104, tls: false}
                """);
        assertThat(config.orthanc().modalities().get("plain").tls()).isFalse();
        JsonNode entry = JSON.readTree(OrthancSettings.dicomModalitiesJson(config.orthanc())).get("plain");
        assertThat(entry.has("UseDicomTls")).isFalse();
        assertThat(entry.get("AET").asText()).isEqualTo("PLAIN");
        // Orthanc's own SCP stays plain behind nginx, and no SCU identity is configured
        JsonNode doc = orthancJson(config);
        assertThat(doc.path("DicomTlsEnabled").asBoolean(false)).isFalse();
        assertThat(doc.has("DicomTlsCertificate")).isFalse();
        assertThat(doc.has("DicomTlsPrivateKey")).isFalse();
        assertThat(doc.has("DicomTlsTrustedCertificates")).isFalse();
        // nor a file or mount for one, and the bootstrap removes an identity a former TLS modality left
        Map<String, String> files = files(config);
        assertThat(files).doesNotContainKey(Layout.CONFIG_DIR + "/orthanc-modality-ca.pem");
        assertThat(files.get(Layout.CONFIG_DIR + "/docker-compose.yml")).doesNotContain("orthanc-scu");
        assertThat(files.get("/usr/local/sbin/orthweb-bootstrap")).doesNotContain("orthancScuCert")
                .contains("rm -f \"$TLS_DIR/orthanc-scu.crt\" \"$TLS_DIR/orthanc-scu.key\"");
    }

    @Test
    void aModalityMayNotTakeADicomClientsName() {
        assertThat(problems("""
                  orthweb:dicom:
                    clients: [{name: ct-scanner-1, aeTitle: CT1}]
                  orthweb:orthanc:
                    modalities:
                      ct-scanner-1: {aeTitle: CT1SCP, host: 10.0.0.9, port: 104}
                """)).containsExactly("orthweb:orthanc.modalities.ct-scanner-1 has the name of a peer of "
                + "orthweb:dicom.clients; both are entries of Orthanc's DicomModalities: give the modality another name");
    }

    @Test
    void egressIsExactlyTheDeclaredAddressesAndPorts() {
        var egress = OrthancSettings.egress(parse(SITE).orthanc());
        assertThat(egress).extracting(e -> e.name() + " " + e.cidr() + ":" + e.port()).containsExactly(
                "modality-main-pacs 10.20.0.5/32:104", "modality-cloud-pacs 192.0.2.0/28:11112",
                // HTTPS peers on 443 use the HTTPS egress every host has
                "peer-research 198.51.100.7/32:8042");
    }

    @Test
    void theContainerFirewallLetsOrthancReachExactlyTheDeclaredModalities() {
        String bootstrap = files(parse(SITE)).get("/usr/local/sbin/orthweb-bootstrap");
        assertThat(bootstrap).contains(
                "iptables -w -A \"$chain\" -s \"$ORTHANC_ADDRESS\" -d 10.20.0.5/32 -p tcp --dport 104 -j RETURN\n",
                "iptables -w -A \"$chain\" -s \"$ORTHANC_ADDRESS\" -d 192.0.2.0/28 -p tcp --dport 11112 -j RETURN\n",
                "iptables -w -A \"$chain\" -s \"$ORTHANC_ADDRESS\" -d 198.51.100.7/32 -p tcp --dport 8042 -j RETURN\n");
        // before the final refusal
        assertThat(bootstrap.indexOf("--dport 11112 -j RETURN")).isLessThan(bootstrap.indexOf("iptables -w -A \"$chain\" -j REJECT"));
        assertThat(files(parse("")).get("/usr/local/sbin/orthweb-bootstrap")).doesNotContain("--dport 104 ");
    }
}
