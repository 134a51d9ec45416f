package org.orthweb.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orthweb.cloudinit.AppSecrets;
import org.orthweb.cloudinit.Layout;
import org.orthweb.cloudinit.Render;
import org.orthweb.cloudinit.UserDataInputs;
import org.orthweb.config.ConfigParser;
import org.orthweb.config.RawConfig;
import org.orthweb.config.StackConfig;
import org.orthweb.pki.DicomPeer;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The local bundle against the AWS host's rendering: they differ exactly where
 * {@link LocalTarget#DIFFERENCES} says, every AWS host file is accounted for, no file of the bundle
 * refers to AWS, secrets are 0600 and ports are on 127.0.0.1 only.
 */
class LocalTargetTest {

    /** An AWS host of the same stack, with the values the infrastructure would resolve. */
    static final UserDataInputs AWS = new UserDataInputs("dev", "dev", "us-east-1", "orthweb.example.org",
            "fancy-pet-orthancdb.c9akciq32.us-east-1.rds.amazonaws.com", 5432,
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:fancy-pet-db-master-AbCdEf",
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:fancy-pet-app-secrets-GhIjKl",
            "fancy-pet-orthbucket", "/fancy-pet/orthweb/containers", Map.of(),
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:fancy-pet/orthweb/tls-server-MnOpQr",
            "8f1b3c2e-5d4a-4e6f-9a7b-0c1d2e3f4a5b", 1);

    static LocalBundle.Bundle bundle;
    static Map<String, String> aws;
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void build() {
        bundle = LocalBundle.build("dev", "dev", "us-east-1", Map.of(),
                List.of(DicomPeer.named("modality-1"), DicomPeer.of("ct-scanner-1", "CT1")), 1000);
        aws = Render.host(AWS).files();
    }

    static String content(String path) {
        return bundle.file(path).content();
    }

    static String secret(String key) {
        return content(LocalBundle.SECRETS_DIR + "/" + key).strip();
    }

    @Test
    void sharedFilesDifferOnlyWhereLocalTargetSays() throws Exception {
        Map<String, List<String>> actual = new HashMap<>();
        Map<String, JsonNode[]> pairs = new HashMap<>();
        pairs.put("orthanc.json", new JsonNode[]{JSON.readTree(aws.get(Layout.CONFIG_DIR + "/orthanc.json")),
                JSON.readTree(content("config/orthanc.json"))});
        YAMLMapper yaml = new YAMLMapper();
        pairs.put("docker-compose.yml", new JsonNode[]{yaml.readTree(aws.get(Layout.CONFIG_DIR + "/docker-compose.yml")),
                yaml.readTree(content("docker-compose.yml"))});
        // the AWS host's jq programs, run with the bundle's secret values, as its bootstrap runs them
        Map<String, String> modules = Map.of("realm-security.jq", aws.get(Layout.CONFIG_DIR + "/realm-security.jq"));
        JsonNode awsSecrets = JqPrograms.run(modules, aws.get(Layout.CONFIG_DIR + "/orthanc-secrets.jq"), Map.of(
                "authPassword", secret(AppSecrets.AUTH_SERVICE_PASSWORD) + "\n", "caFile", Layout.RDS_CA_FILE));
        pairs.put("orthanc-secrets.json", new JsonNode[]{awsSecrets, JSON.readTree(content("secrets/orthanc-secrets.json"))});
        // the site name is a difference of its own (LocalTarget.SITE): the realm is compared at the same site
        JsonNode awsRealm = JqPrograms.run(modules, aws.get(Layout.CONFIG_DIR + "/keycloak-realm.jq"), Map.of(
                "site", LocalTarget.SITE, "clientSecret", secret(AppSecrets.KEYCLOAK_CLIENT_SECRET) + "\n",
                "syncSecret", secret(AppSecrets.KEYCLOAK_REALM_SYNC_SECRET) + "\n"));
        pairs.put("keycloak-realm.json", new JsonNode[]{awsRealm,
                JSON.readTree(content(LocalBundle.KEYCLOAK_IMPORT_DIR + "/orthanc-realm.json"))});
        pairs.forEach((file, p) -> actual.put(file, differences(p[0], p[1])));
        JsonNode awsMaster = JqPrograms.run(modules, LocalBundle.MASTER_REALM_PROGRAM, Map.of());
        assertThat(JSON.readTree(content(LocalBundle.KEYCLOAK_IMPORT_DIR + "/master-realm.json"))).isEqualTo(awsMaster);

        for (String file : actual.keySet()) {
            List<String> declared = LocalTarget.DIFFERENCES.stream().filter(d -> d.file().equals(file))
                    .map(LocalTarget.Difference::pointer).toList();
            List<String> undeclared = actual.get(file).stream()
                    .filter(p -> declared.stream().noneMatch(d -> p.equals(d) || p.startsWith(d + "/"))).toList();
            assertThat(undeclared).as("differences of %s from the AWS host not named in LocalTarget", file).isEmpty();
            List<String> stale = declared.stream()
                    .filter(d -> actual.get(file).stream().noneMatch(p -> p.equals(d) || p.startsWith(d + "/"))).toList();
            assertThat(stale).as("differences LocalTarget names for %s that do not occur", file).isEmpty();
        }
        assertThat(LocalTarget.DIFFERENCES).extracting(LocalTarget.Difference::file).allMatch(actual::containsKey);
        // and each is the kind of change it says: a removed value is gone, an added one is new
        for (LocalTarget.Difference d : LocalTarget.DIFFERENCES) {
            JsonNode host = pairs.get(d.file())[0].at(d.pointer());
            JsonNode local = pairs.get(d.file())[1].at(d.pointer());
            LocalTarget.Change seen = host.isMissingNode() ? LocalTarget.Change.ADDED
                    : local.isMissingNode() ? LocalTarget.Change.REMOVED : LocalTarget.Change.CHANGED;
            assertThat(seen).as("%s %s", d.file(), d.pointer()).isEqualTo(d.change());
        }
        for (String shared : LocalTarget.SHARED_UNCHANGED) {
            assertThat(content("config/" + shared)).as(shared).isEqualTo(aws.get(Layout.CONFIG_DIR + "/" + shared));
        }
    }

    /** A site with its own called AE title and a modality Orthanc calls ({@code orthweb:orthanc}). */
    static final String SITE_ORTHANC = """
            config:
              aws:region: us-east-1
              orthweb:environment: dev
              orthweb:owner: imaging-it
              orthweb:orthanc:
                aeTitle: CLINIC_PACS
                modalities:
                  main-pacs: {aeTitle: MAINPACS, host: 10.20.0.5, port: 104}
            """;

    @Test
    void siteOrthancSettingsReachTheBundleAsTheyReachAnAwsHost(@TempDir Path dir) throws Exception {
        StackConfig.Orthanc orthanc = ConfigParser.parse("dev", RawConfig.fromStackYaml(SITE_ORTHANC, "Pulumi.dev.yaml")).orthanc();
        DicomPeer client = DicomPeer.named("modality-1");
        LocalBundle.Bundle site = LocalBundle.build("dev", "dev", "us-east-1", Map.of(), orthanc, List.of(client), 1000);
        Map<String, String> host = Render.host(AWS.withOrthanc(orthanc)).files();

        // orthanc.json: the AWS host's with the same settings, but for the named differences
        JsonNode local = JSON.readTree(site.file("config/orthanc.json").content());
        assertThat(local.get("DicomAet").asText()).isEqualTo("CLINIC_PACS");
        assertThat(differences(JSON.readTree(host.get(Layout.CONFIG_DIR + "/orthanc.json")), local))
                .containsExactlyInAnyOrderElementsOf(LocalTarget.DIFFERENCES.stream()
                        .filter(d -> d.file().equals("orthanc.json")).map(LocalTarget.Difference::pointer).toList());

        // orthanc-dicom.json: what jq makes of the AWS host's files with the bootstrap's own program
        // (its text as the rendered bootstrap runs it), on a site TLS secret with the same client
        String bootstrap = host.get("/usr/local/sbin/orthweb-bootstrap");
        var call = Pattern.compile("--slurpfile declared \\S+ \\\\\\n\\s*'([^']+)' \"\\$json\"").matcher(bootstrap);
        assertThat(call.find()).as("the bootstrap's DicomModalities merge").isTrue();
        Path modalities = Files.writeString(dir.resolve(Layout.ORTHANC_MODALITIES_JSON),
                host.get(Layout.CONFIG_DIR + "/" + Layout.ORTHANC_MODALITIES_JSON));
        Path secret = Files.writeString(dir.resolve("tls.json"), JSON.writeValueAsString(org.orthweb.pki.DicomAccess.hostSecret(
                "ca", "cert", "key", List.of(org.orthweb.pki.PeerGrant.of(client, "1234")))));
        JsonNode local2 = JSON.readTree(site.file("config/" + Layout.ORTHANC_DICOM_JSON).content());
        assertThat(local2.at("/DicomModalities/main-pacs/AET").asText()).isEqualTo("MAINPACS");
        assertThat(local2.at("/DicomModalities/main-pacs/Host").asText()).isEqualTo("10.20.0.5");
        assertThat(local2.at("/DicomModalities/modality-1/AET").asText()).isEqualTo("MODALITY-1");
        if (!Files.isExecutable(Path.of("/usr/bin/jq"))) {
            assertThat(System.getenv("CI")).as("jq (.ci/apt-packages.txt) is missing").isNotEqualToIgnoringCase("true");
            org.junit.jupiter.api.Assumptions.abort("SKIPPED the jq comparison: /usr/bin/jq missing");
        }
        Process jq = new ProcessBuilder("/usr/bin/jq", "-ce", "--slurpfile", "declared", modalities.toString(),
                call.group(1), secret.toString()).redirectErrorStream(true).start();
        String byJq = new String(jq.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(jq.waitFor()).as(byJq).isZero();
        assertThat(local2).isEqualTo(JSON.readTree(byJq));

        // the client kits and the printed storescu line call the site's AE title
        assertThat(site.storescu()).contains("-aec CLINIC_PACS ");
        assertThat(site.file("clients/modality-1.txt").content()).contains("CLINIC_PACS").doesNotContain("-aec ORTHANC");
    }

    @Test
    void aTlsModalityGetsOrthancsClientIdentityAndTheModalitysCaWhereTheComposeFileMountsThem() throws Exception {
        String ca = org.orthweb.pki.TestCertificates.modalityCa();
        StackConfig.Orthanc orthanc = ConfigParser.parse("dev", RawConfig.fromStackYaml(SITE_ORTHANC
                + "      secure-pacs: {aeTitle: SECURE, host: 10.20.0.6, port: 2762, tls: true, caCertificate: "
                + org.orthweb.pki.TestCertificates.quoted(ca) + "}\n", "Pulumi.dev.yaml")).orthanc();
        LocalBundle.Bundle site = LocalBundle.build("dev", "dev", "us-east-1", Map.of(), orthanc,
                List.of(DicomPeer.named("modality-1")), 1000);
        // orthanc.json names the same container paths as on the AWS host
        JsonNode local = JSON.readTree(site.file("config/orthanc.json").content());
        JsonNode host = JSON.readTree(Render.host(AWS.withOrthanc(orthanc)).files().get(Layout.CONFIG_DIR + "/orthanc.json"));
        for (String option : List.of("DicomTlsCertificate", "DicomTlsPrivateKey", "DicomTlsTrustedCertificates")) {
            assertThat(local.get(option)).as(option).isEqualTo(host.get(option));
        }
        // each is a bundle file mounted there
        Map<String, String> mounts = new HashMap<>();
        new YAMLMapper().readTree(site.file("docker-compose.yml").content()).at("/services/orthanc/volumes")
                .forEach(v -> mounts.put(v.asText().split(":")[1], v.asText().split(":")[0].substring(2)));
        String certificate = site.file(mounts.get(local.get("DicomTlsCertificate").asText())).content();
        assertThat(site.file(mounts.get(local.get("DicomTlsTrustedCertificates").asText())).content()).isEqualTo(ca);
        LocalBundle.File key = site.file(mounts.get(local.get("DicomTlsPrivateKey").asText()));
        assertThat(key.mode()).isEqualTo("0600");
        assertThat(key.content()).startsWith("-----BEGIN PRIVATE KEY-----");
        // a client certificate of the bundle's CA, named as the site PKI names Orthanc's
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        X509Certificate scu = (X509Certificate) cf.generateCertificate(stream(certificate));
        scu.verify(((X509Certificate) cf.generateCertificate(stream(site.file("tls/ca.crt").content()))).getPublicKey());
        assertThat(scu.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
        assertThat(scu.getSubjectX500Principal().getName()).contains("CN=" + org.orthweb.components.SitePki.orthancScuCommonName("dev"));
        // the bundle's README says what the modality must trust
        assertThat(site.file("README.md").content()).contains("Orthanc calls secure-pacs over DICOM TLS")
                .contains("`tls/ca.crt`");
        assertThat(content("README.md")).doesNotContain("over DICOM TLS with its own client certificate");
        // and none of it without a TLS modality
        assertThat(bundle.files()).noneMatch(f -> f.path().contains("orthanc-scu") || f.path().contains(Layout.ORTHANC_MODALITY_CA));
    }

    /** LocalTarget.DB_PASSWORD_ROUTE: the host's password files and mounts, a fixed password the database knows. */
    @Test
    void databaseRolesSignInWithTheBundlesPasswordFilesWhereTheHostReadsTokens() throws Exception {
        JsonNode local = new YAMLMapper().readTree(content("docker-compose.yml")).get("services");
        JsonNode host = new YAMLMapper().readTree(aws.get(Layout.CONFIG_DIR + "/docker-compose.yml")).get("services");
        for (String[] role : List.of(new String[]{Layout.ORTHANC_DB, "orthanc"}, new String[]{Layout.KEYCLOAK_DB, "keycloak"})) {
            String line = content(LocalBundle.DB_AUTH_DIR + "/" + role[0] + "/pgpass");
            var m = Pattern.compile(Pattern.quote(LocalTarget.DB_SERVICE + ":" + LocalTarget.DB_PORT + ":*:" + role[0] + ":")
                    + "([A-Za-z0-9]{32})\n").matcher(line);
            assertThat(m.matches()).as(role[0] + " pgpass").isTrue();
            // the init script sets this verifier: it must be the one of the file's password
            String verifier = secret(role[0] + ".scram");
            var v = Pattern.compile("SCRAM-SHA-256\\$(\\d+):([^$]+)\\$.*").matcher(verifier);
            assertThat(v.matches()).isTrue();
            assertThat(Scram.verifier(m.group(1), java.util.Base64.getDecoder().decode(v.group(2)), Integer.parseInt(v.group(1))))
                    .isEqualTo(verifier);
            // mounted and named as on the host
            assertThat(local.get(role[1]).get("volumes")).extracting(JsonNode::asText)
                    .contains("./" + LocalBundle.DB_AUTH_DIR + "/" + role[0] + ":" + Layout.DB_AUTH_CONTAINER_DIR + ":ro");
            assertThat(local.get(role[1]).at("/environment/PGPASSFILE")).isEqualTo(host.get(role[1]).at("/environment/PGPASSFILE"));
        }
        assertThat(LocalBundle.DB_INIT).contains("db-setup.sql", Layout.ORTHANC_DB + ".scram", Layout.KEYCLOAK_DB + ".scram");
    }

    @Test
    void everyAwsHostFileIsSharedDerivedOrNamedAwsOnly() {
        Set<String> accounted = new HashSet<>(LocalTarget.AWS_HOST_ONLY.keySet());
        for (String f : List.of("orthanc.json", "docker-compose.yml")) {
            accounted.add(Layout.CONFIG_DIR + "/" + f);
        }
        LocalTarget.SHARED_UNCHANGED.forEach(f -> accounted.add(Layout.CONFIG_DIR + "/" + f));
        assertThat(new TreeSet<>(aws.keySet())).isEqualTo(new TreeSet<>(accounted));
    }

    /**
     * Words and addresses of AWS (a word beginning with "aws", such as AwsS3Storage or awslogs), the
     * AWS host's region and the placeholder of AWS-only inputs; letters inside words and PEM bodies
     * do not count.
     */
    static final Pattern AWS_WORDS = Pattern.compile(
            "(?i)amazonaws|secretsmanager|cloudwatch|169\\.254|\\bimds|\\baws|\\bs3\\b|\\brds\\b|arn:"
                    + "|us-east-1|\\bunused\\b");

    @Test
    void noFileOfTheBundleRefersToAws() {
        List<String> found = new ArrayList<>();
        for (LocalBundle.File f : bundle.files()) {
            if (f.content().strip().matches("[A-Za-z0-9]+")) {
                continue; // a generated value (random letters and digits) names nothing
            }
            String text = f.content().replaceAll("(?s)-----BEGIN [A-Z ]+-----.*?-----END [A-Z ]+-----", "");
            if (f.path().endsWith(".sql")) {
                // db-setup.sql is the host's, byte for byte (SHARED_UNCHANGED): its comments describe RDS
                text = text.replaceAll("(?m)--.*$", "");
            }
            var m = AWS_WORDS.matcher(text);
            while (m.find()) {
                found.add(f.path() + ": " + m.group());
            }
        }
        assertThat(found).isEmpty();
        // the words are found where they are: the AWS host's files name them
        assertThat(AWS_WORDS.matcher(aws.get(Layout.CONFIG_DIR + "/orthanc.json")).find()).isTrue();
        assertThat(AWS_WORDS.matcher(aws.get(Layout.CONFIG_DIR + "/docker-compose.yml")).find()).isTrue();
    }

    @Test
    void secretsAndKeysAre0600OnDisk(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("bundle");
        LocalBundle.writeTo(bundle, out);
        for (LocalBundle.File f : bundle.files()) {
            boolean secret = f.path().startsWith(LocalBundle.SECRETS_DIR + "/") || f.path().endsWith(".key")
                    || f.path().startsWith(LocalBundle.KEYCLOAK_IMPORT_DIR + "/");
            assertThat(secret ? f.mode() : "0600").as(f.path()).isEqualTo("0600");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve(f.path()))))
                    .as(f.path()).isEqualTo(LocalBundle.rwx(f.mode()));
        }
        for (String d : List.of(LocalBundle.SECRETS_DIR, LocalBundle.TLS_DIR, LocalBundle.CLIENTS_DIR,
                LocalBundle.KEYCLOAK_IMPORT_DIR)) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve(d)))).isEqualTo("rwx------");
        }
        // never over an existing bundle: its database volume keeps the old passwords
        assertThatThrownBy(() -> LocalBundle.writeTo(bundle, out)).hasMessageContaining("not empty");
    }

    @Test
    void onlyNginxPublishesPortsAndOnlyOnLoopback() throws Exception {
        JsonNode services = new YAMLMapper().readTree(content("docker-compose.yml")).get("services");
        List<String> published = new ArrayList<>();
        services.fields().forEachRemaining(s -> s.getValue().path("ports").forEach(p -> published.add(s.getKey() + " " + p.asText())));
        assertThat(published).containsExactlyInAnyOrder(
                "nginx 127.0.0.1:" + Layout.HTTPS_PORT + ":" + Layout.HTTPS_PORT,
                "nginx 127.0.0.1:" + Layout.DICOM_TLS_PORT + ":" + Layout.DICOM_TLS_PORT,
                "nginx 127.0.0.1:" + Layout.KEYCLOAK_ADMIN_PORT + ":" + Layout.KEYCLOAK_ADMIN_PORT);
    }

    @Test
    void certificatesNameTheSiteAndTheDatabaseAndChainToTheBundleCa() throws Exception {
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        X509Certificate ca = (X509Certificate) cf.generateCertificate(stream(content("tls/ca.crt")));
        X509Certificate server = (X509Certificate) cf.generateCertificate(stream(content("tls/server.crt")));
        X509Certificate db = (X509Certificate) cf.generateCertificate(stream(content("tls/postgres.crt")));
        X509Certificate peer = (X509Certificate) cf.generateCertificate(stream(content("clients/modality-1.crt")));
        for (X509Certificate c : List.of(server, db, peer)) {
            c.verify(ca.getPublicKey());
            assertThat(c.getBasicConstraints()).isEqualTo(-1);
        }
        assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(server.getSubjectAlternativeNames().stream().map(n -> n.get(1).toString()).collect(Collectors.toSet()))
                .contains(LocalTarget.SITE);
        assertThat(db.getSubjectAlternativeNames().stream().map(n -> n.get(1).toString()).collect(Collectors.toSet()))
                .contains(LocalTarget.DB_SERVICE);
        assertThat(peer.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
        assertThat(server.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        // the CA's key is not in the bundle: nothing can be issued from it later
        assertThat(bundle.files()).noneMatch(f -> f.path().contains("ca.key"));
        // the allow-list names the peer's serial as nginx prints it
        assertThat(content("config/" + Layout.DICOM_PEERS_JSON))
                .contains("\"" + org.orthweb.pki.PeerGrant.serialHex(peer.getSerialNumber().toString()) + "\"");
    }

    @Test
    void readmeSaysLocalOnlyAndHowToUseAndWipe() {
        String readme = content("README.md");
        assertThat(readme).contains("Local only", "https://localhost/", LocalBundle.LOCAL_USER,
                bundle.storescu(), "docker compose down -v", "docker compose up");
        assertThat(bundle.storescu()).startsWith("storescu +tls modality-1.key modality-1.crt +cf site-ca.crt")
                .contains(LocalTarget.SITE + " " + Layout.DICOM_TLS_PORT);
        // the realm's local administrator has the printed password
        assertThat(content(LocalBundle.KEYCLOAK_IMPORT_DIR + "/orthanc-realm.json")).contains(bundle.password());
        assertThat(secret(LocalBundle.LOCAL_USER_PASSWORD_FILE)).isEqualTo(bundle.password());
    }

    @Test
    void scramVerifierAnswersRfc7677sExchange() throws Exception {
        // RFC 7677 section 3: user "user", password "pencil", salt W22ZaJ0SNY7soEsUEjb6gQ==, 4096
        // iterations; a verifier is right if its StoredKey accepts the client's proof and its
        // ServerKey yields the server's signature of that exchange
        var b64 = java.util.Base64.getDecoder();
        String verifier = Scram.verifier("pencil", b64.decode("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096);
        var m = Pattern.compile("SCRAM-SHA-256\\$4096:W22ZaJ0SNY7soEsUEjb6gQ==\\$([^:]+):(.+)").matcher(verifier);
        assertThat(m.matches()).as(verifier).isTrue();
        byte[] storedKey = b64.decode(m.group(1));
        byte[] serverKey = b64.decode(m.group(2));
        String nonce = "rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
        String authMessage = "n=user,r=rOprNGfwEbeRWgbNEkqO,r=" + nonce + ",s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096,c=biws,r=" + nonce;
        assertThat(hmac(serverKey, authMessage)).isEqualTo(b64.decode("6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="));
        byte[] proof = b64.decode("dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=");
        byte[] signature = hmac(storedKey, authMessage);
        byte[] clientKey = new byte[proof.length];
        for (int i = 0; i < proof.length; i++) {
            clientKey[i] = (byte) (proof[i] ^ signature[i]);
        }
        assertThat(java.security.MessageDigest.getInstance("SHA-256").digest(clientKey)).isEqualTo(storedKey);
    }

    private static byte[] hmac(byte[] key, String message) throws Exception {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(message.getBytes(StandardCharsets.US_ASCII));
    }

    private static ByteArrayInputStream stream(String pem) {
        return new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * JSON pointers where {@code a} and {@code b} differ: a member or element present on one side
     * only, or a differing scalar; objects and arrays are compared member by member.
     */
    static List<String> differences(JsonNode a, JsonNode b) {
        List<String> out = new ArrayList<>();
        diff("", a, b, out);
        return out;
    }

    private static void diff(String at, JsonNode a, JsonNode b, List<String> out) {
        if (a == null || b == null) {
            out.add(at);
        } else if (a.isObject() && b.isObject()) {
            Set<String> names = new java.util.LinkedHashSet<>();
            a.fieldNames().forEachRemaining(names::add);
            b.fieldNames().forEachRemaining(names::add);
            for (String n : names) {
                diff(at + "/" + n.replace("~", "~0").replace("/", "~1"), a.get(n), b.get(n), out);
            }
        } else if (a.isArray() && b.isArray()) {
            for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
                diff(at + "/" + i, a.get(i), b.get(i), out);
            }
        } else if (!a.equals(b)) {
            out.add(at);
        }
    }
}
