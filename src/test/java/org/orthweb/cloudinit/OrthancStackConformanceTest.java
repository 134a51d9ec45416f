package org.orthweb.cloudinit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rendered application configuration, run for real: PostgreSQL with SSL only, the rendered
 * bootstrap's secrets/db/configure steps (the site's TLS material fetched, not minted), Debian's
 * Orthanc on the rendered orthanc.json and secret fragment, Debian's nginx (stream and njs modules)
 * on the rendered nginx.conf and DICOM peer check, dcmtk's DICOM TLS clients with per-peer
 * certificates in the shape the program's SitePki generates.
 */
@Tag("conformance")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OrthancStackConformanceTest {

    static final Path TEST_FILES = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files");
    static final List<String> SAMPLES = List.of("CT_small.dcm", "MR_small.dcm", "rtplan.dcm", "rtdose.dcm");

    static ConformanceEnv env;
    static Map<String, String> secrets;
    static Map<String, String> afterFirstRun;
    static String firstRunOutput;
    static String secondRunOutput;

    @BeforeAll
    static void bringUp() throws Exception {
        Tools.require("Orthanc", ConformanceEnv.DEBIAN_PLUGINS + "/libOrthancPostgreSQLIndex.so",
                ConformanceEnv.PG_BIN + "/initdb", "psql", "nginx", ConformanceEnv.NGINX_STREAM_MODULE,
                ConformanceEnv.NGINX_STREAM_JS_MODULE,
                "echoscu", "storescu", "dcmdump", "openssl", "curl", "jq", "python3",
                TEST_FILES.resolve(SAMPLES.get(0)).toString());
        env = new ConformanceEnv();
        try {
            env.startPostgres();
            secrets = env.writeSecrets();
            Tools.Result first = env.bootstrap("secrets", "db", "configure").expectSuccess("bootstrap secrets db configure");
            firstRunOutput = first.out();
            afterFirstRun = snapshot();
            secondRunOutput = env.bootstrap("secrets", "db", "configure").expectSuccess("bootstrap, second run").out();

            Path config = env.orthancConfig("orthanc", true);
            env.adaptations().forEach(a -> System.out.println("conformance adaptation: " + a));
            env.startOrthanc("orthanc", config, env.layout.orthancHttpPort(), orthancEnvironment());
            Process nginx = env.startNginx("nginx", env.files.get(Layout.CONFIG_DIR + "/nginx.conf"));
            env.awaitPort(ConformanceEnv.port(env.layout.httpsListen()), nginx, "nginx");
            env.awaitPort(ConformanceEnv.port(env.layout.dicomListen()), nginx, "nginx");
            env.awaitPort(ConformanceEnv.port(env.layout.plainDicomListen()), nginx, "nginx");
        } catch (Throwable t) {
            env.close();
            throw t;
        }
    }

    /**
     * The public host the tests reach nginx under (the site name, with the test's port): what
     * Compose's SITE_NAME is on the host, where the port is 443 and not written.
     */
    static String publicHost() {
        return ConformanceEnv.SITE + ":" + ConformanceEnv.port(env.layout.httpsListen());
    }

    /** The environment the compose file gives the Orthanc container, where it means something here. */
    static Map<String, String> orthancEnvironment() throws Exception {
        JsonNode compose = new YAMLMapper().readTree(env.files.get(Layout.CONFIG_DIR + "/docker-compose.yml"));
        String nodelay = compose.at("/services/orthanc/environment/TCP_NODELAY").asText();
        assertThat(nodelay).isEqualTo("1");
        String site = compose.at("/services/orthanc/environment/ORTHWEB_SITE").asText()
                .replaceAll("\\$\\{SITE_NAME[^}]*}", publicHost());
        System.out.println("conformance adaptation: Orthanc environment ORTHWEB_SITE=" + site
                + " (Compose's SITE_NAME with the test's port)");
        // the host's identity as the compose file passes it from .env (the bootstrap wrote it there)
        assertThat(compose.at("/services/orthanc/environment/ORTHWEB_HOST_ID").asText()).startsWith("${HOST_ID");
        return Map.of("TCP_NODELAY", nodelay, "ORTHWEB_SITE", site, "ORTHWEB_HOST_ID", ConformanceEnv.HOST_ID);
    }

    @AfterAll
    static void tearDown() {
        if (env != null) {
            env.close();
        }
    }

    static Map<String, String> snapshot() throws Exception {
        Map<String, String> hashes = new TreeMap<>();
        for (Path dir : List.of(env.configDir, env.tlsDir)) {
            try (var s = Files.walk(dir)) {
                // the IAM tokens are new at every run by design (orthweb-db-auth); everything else must not be
                for (Path p : s.filter(Files::isRegularFile).filter(p -> !p.startsWith(env.dbAuthDir)).toList()) {
                    byte[] digest = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p));
                    hashes.put(p.toString(), HexFormat.of().formatHex(digest) + " "
                            + Files.getPosixFilePermissions(p) + " " + Files.getLastModifiedTime(p));
                }
            }
        }
        return hashes;
    }

    // ------------------------------------------------------------------ bootstrap

    @Test
    @Order(1)
    void bootstrapIsIdempotentAndPrintsNoSecret() throws Exception {
        assertThat(firstRunOutput).contains("wrote " + env.tlsDir.resolve("server.key"),
                "database roles and databases are in place");
        // second run: nothing rewritten, nothing regenerated, same bytes, modes and times
        assertThat(secondRunOutput).doesNotContain("wrote ", "generated", "issued");
        assertThat(firstRunOutput).doesNotContain(Files.readString(env.serverCert.key()).lines().skip(1).findFirst().orElseThrow());
        assertThat(snapshot()).isEqualTo(afterFirstRun);
        for (String value : secrets.values()) {
            assertThat(firstRunOutput + secondRunOutput).doesNotContain(value);
        }
        assertThat(firstRunOutput).doesNotContain(env.pgPassword);
        assertThat(Files.getPosixFilePermissions(env.secretsDir.resolve("orthanc-secrets.json")))
                .extracting(Object::toString).containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");
        for (String f : List.of("ca.crt", "server.crt", "server.key")) {
            assertThat(Files.getPosixFilePermissions(env.tlsDir.resolve(f))).as(f)
                    .extracting(Object::toString).containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");
        }
        assertThat(Files.getPosixFilePermissions(env.tlsDir)).extracting(Object::toString)
                .containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE", "OWNER_EXECUTE");
    }

    @Test
    @Order(1)
    void theHostCreatesNoCaAndIssuesNoCertificate() throws Exception {
        // only what the program generated reaches the host: no CA key, no client certificate
        try (var files = Files.list(env.tlsDir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("ca.crt", "server.crt", "server.key");
        }
        assertThat(Files.readString(env.tlsDir.resolve("server.crt"))).isEqualTo(Files.readString(env.serverCert.cert()));
        String bootstrap = env.files.get("/usr/local/sbin/orthweb-bootstrap");
        assertThat(bootstrap).doesNotContain("openssl req", "openssl x509", "-CAkey", "CAcreateserial", "genpkey");
    }

    @Test
    @Order(2)
    void certificatesChainToTheSiteCaWithTheSiteName() {
        String ca = env.tlsDir.resolve("ca.crt").toString();
        Tools.run("openssl", "verify", "-CAfile", ca, "-purpose", "sslserver", env.tlsDir.resolve("server.crt").toString())
                .expectSuccess("verify server cert");
        for (TestPki.Issued peer : env.peers.values()) {
            Tools.run("openssl", "verify", "-CAfile", ca, "-purpose", "sslclient", peer.cert().toString())
                    .expectSuccess("verify peer cert");
        }
        String text = Tools.run("openssl", "x509", "-noout", "-ext", "subjectAltName", "-in",
                env.tlsDir.resolve("server.crt").toString()).expectSuccess("x509").out();
        assertThat(text).contains("DNS:" + ConformanceEnv.SITE);
    }

    @Test
    @Order(3)
    void databaseRolesAreSeparateAndLeastPrivileged() {
        String roles = env.sql("postgres", "select rolname, rolsuper, rolcreatedb, rolcreaterole, rolreplication "
                + "from pg_roles where rolname in ('orthanc','keycloak') order by 1").expectSuccess("roles").out();
        assertThat(roles.trim().split("\n")).containsExactly("keycloak|f|f|f|f", "orthanc|f|f|f|f");
        assertThat(env.sql("postgres", "select datname || ':' || pg_get_userbyid(datdba) from pg_database "
                + "where datname in ('orthanc','keycloak') order by 1").out().trim().split("\n"))
                .containsExactly("keycloak:keycloak", "orthanc:orthanc");
        // each role reaches its own database with the IAM token its password file holds, over
        // TLS, and no other database; a role's file holds nothing for the other role
        Path kc = env.pgpass("keycloak");
        Path or = env.pgpass("orthanc");
        assertThat(env.sqlWithPgpass("keycloak", kc, "keycloak", "select ssl from pg_stat_ssl where pid = pg_backend_pid()")
                .expectSuccess("keycloak login").out().trim()).isEqualTo("t");
        assertThat(env.sqlWithPgpass("keycloak", kc, "orthanc", "select 1").exit()).isNotZero();
        assertThat(env.sqlWithPgpass("orthanc", or, "keycloak", "select 1").exit()).isNotZero();
        assertThat(env.sqlWithPgpass("orthanc", kc, "orthanc", "select 1").exit()).as("another role's file").isNotZero();
        // no password at all on the server: the roles sign in as members of rds_iam
        assertThat(env.sql("postgres", "select rolname from pg_authid where rolname in ('orthanc','keycloak') "
                + "and rolpassword is null and pg_has_role(oid, 'rds_iam', 'member') order by 1").out().trim().split("\n"))
                .containsExactly("keycloak", "orthanc");
        // and the master is a member of neither role, so never (indirectly) of rds_iam: its password keeps working
        assertThat(env.sql("postgres", "select count(*) from pg_auth_members m join pg_roles r on r.oid = m.member "
                + "where r.rolname = 'postgres'").out().trim()).isEqualTo("0");
    }

    // ------------------------------------------------------------------ DICOM TLS and HTTPS

    /** dcmtk over DICOM TLS as the declared peer modality-1, under its own AE title. */
    String[] tlsClient(String tool, String... args) {
        return tlsClientAs(env.peers.get("modality-1"), env.declared.get("modality-1").effectiveAeTitle(), tool, args);
    }

    String[] tlsClientAs(TestPki.Issued certificate, String callingAet, String tool, String... args) {
        List<String> cmd = new ArrayList<>(List.of(tool, "+tls", certificate.key().toString(),
                certificate.cert().toString(), "+cf", env.tlsDir.resolve("ca.crt").toString(),
                "-aet", callingAet, "-aec", "ORTHANC"));
        cmd.addAll(List.of(args));
        return cmd.toArray(String[]::new);
    }

    /** nginx lets only credential-bearing requests reach /tools/lookup and /system; no plugin here. */
    static final String CREDENTIAL = "Authorization: " + EdgeSecurityConformanceTest.CREDENTIAL;

    String dicomPort() {
        return Integer.toString(ConformanceEnv.port(env.layout.dicomListen()));
    }

    String https(String path, String... extra) {
        int port = ConformanceEnv.port(env.layout.httpsListen());
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--cacert", env.tlsDir.resolve("ca.crt").toString(),
                "--resolve", ConformanceEnv.SITE + ":" + port + ":127.0.0.1"));
        cmd.addAll(List.of(extra));
        cmd.add("https://" + ConformanceEnv.SITE + ":" + port + path);
        return Tools.run(cmd.toArray(String[]::new)).expectSuccess("curl " + path).out();
    }

    @Test
    @Order(10)
    void echoOverDicomTlsWithTheSiteCertificates() {
        Tools.run(tlsClient("echoscu", "127.0.0.1", dicomPort())).expectSuccess("echoscu over TLS");
    }

    @Test
    @Order(11)
    void dicomTlsRefusesClientsWithoutACertificateFromTheSiteCa() {
        // anonymous TLS (no client certificate) must not reach Orthanc
        Tools.Result r = Tools.run("echoscu", "+tla", "+cf", env.tlsDir.resolve("ca.crt").toString(), "-aec", "ORTHANC",
                "127.0.0.1", dicomPort());
        assertThat(r.exit()).isNotZero();
    }

    @Test
    @Order(12)
    void storedInstancesAreFoundThroughHttpsAndInPostgresql() throws Exception {
        List<String> cmd = new ArrayList<>(List.of(tlsClient("storescu", "127.0.0.1", dicomPort())));
        List<String> uids = new ArrayList<>();
        for (String f : SAMPLES) {
            cmd.add(TEST_FILES.resolve(f).toString());
            String dump = Tools.run("dcmdump", "+P", "0008,0018", TEST_FILES.resolve(f).toString()).expectSuccess("dcmdump").out();
            uids.add(dump.substring(dump.indexOf('[') + 1, dump.indexOf(']')));
        }
        Tools.run(cmd.toArray(String[]::new)).expectSuccess("storescu over TLS");

        ObjectMapper json = new ObjectMapper();
        for (String uid : uids) {
            JsonNode found = json.readTree(https("/orthanc/tools/lookup", "-H", CREDENTIAL, "-X", "POST", "--data-binary", uid));
            assertThat(found).as("lookup " + uid).hasSize(1);
            assertThat(found.get(0).get("Type").asText()).isEqualTo("Instance");
        }
        // DICOMweb (QIDO-RS) behind the same proxy path, with the public root the viewer uses
        JsonNode studies = json.readTree(https("/orthanc/dicom-web/studies"));
        assertThat(studies.size()).isGreaterThanOrEqualTo(1);
        // in the PostgreSQL index (resource type 3 = instance)
        String count = env.sql("orthanc", "select count(*) from resources where resourcetype = 3").expectSuccess("count").out();
        assertThat(Integer.parseInt(count.trim())).isEqualTo(uids.size());
        // Orthanc's own connections are TLS, as role orthanc
        String ssl = env.sql("postgres", "select distinct s.ssl from pg_stat_ssl s join pg_stat_activity a using (pid) "
                + "where a.usename = 'orthanc'").expectSuccess("ssl").out().trim();
        assertThat(ssl).isEqualTo("t");
    }

    /** Every string in a DICOM JSON answer that is an absolute URL, with the JSON path it sits at. */
    static void absoluteUrls(JsonNode node, String path, List<String> found) {
        if (node.isTextual() && node.asText().contains("://")) {
            found.add(path + " = " + node.asText());
        } else if (node.isContainerNode()) {
            if (node.isArray()) {
                for (int i = 0; i < node.size(); i++) {
                    absoluteUrls(node.get(i), path + "/" + i, found);
                }
            } else {
                node.fields().forEachRemaining(e -> absoluteUrls(e.getValue(), path + "/" + e.getKey(), found));
            }
        }
    }

    @Test
    @Order(13)
    void everyAbsoluteDicomWebUrlIsTheHttpsPublicOne() throws Exception {
        ObjectMapper json = new ObjectMapper();
        String base = "https://" + publicHost() + "/orthanc/dicom-web/";
        List<String> urls = new ArrayList<>();
        // QIDO-RS at every level: RetrieveURL (0008,1190)
        JsonNode studies = json.readTree(https("/orthanc/dicom-web/studies"));
        absoluteUrls(studies, "qido/studies", urls);
        absoluteUrls(json.readTree(https("/orthanc/dicom-web/series")), "qido/series", urls);
        absoluteUrls(json.readTree(https("/orthanc/dicom-web/instances")), "qido/instances", urls);
        // WADO-RS metadata of every study: BulkDataURI of pixel data and other large values
        for (JsonNode study : studies) {
            String uid = study.at("/0020000D/Value/0").asText();
            absoluteUrls(json.readTree(https("/orthanc/dicom-web/studies/" + uid + "/metadata")), "wado/" + uid, urls);
        }
        // STOW-RS: the answer's RetrieveURL (0008,1190) and each instance's (0008,1199 / 0008,1190)
        Path body = env.root.resolve("stow-body");
        String boundary = "orthweb-" + ConformanceEnv.randomAlnum(16);
        try (var out = Files.newOutputStream(body)) {
            out.write(("--" + boundary + "\r\nContent-Type: application/dicom\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(Files.readAllBytes(TEST_FILES.resolve(SAMPLES.get(1))));
            out.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        }
        JsonNode stow = json.readTree(https("/orthanc/dicom-web/studies", "-H", CREDENTIAL, "-X", "POST", "--data-binary", "@" + body,
                "-H", "Content-Type: multipart/related; type=\"application/dicom\"; boundary=" + boundary,
                "-H", "Accept: application/dicom+json"));
        int beforeStow = urls.size();
        absoluteUrls(stow, "stow", urls);
        assertThat(urls.size() - beforeStow).as("URLs in the STOW-RS answer " + stow).isGreaterThanOrEqualTo(2);
        assertThat(String.join("\n", urls)).contains("qido/studies/", "qido/series/", "qido/instances/", "wado/");
        System.out.println("DICOMweb absolute URLs checked: " + urls.size() + ", e.g. " + urls.get(0));
        for (String u : urls) {
            assertThat(u.substring(u.indexOf(" = ") + 3)).as(u).startsWith(base);
        }
    }

    @Test
    @Order(14)
    void nginxHealthRedirectAndHsts() {
        assertThat(https("/nginx_health")).isEqualTo("ok\n");
        String head = https("/", "-D", "-", "-o", "/dev/null");
        assertThat(head).containsPattern("HTTP/1.1 302").containsIgnoringCase("location: https://localhost:")
                .contains("/orthanc/ui/app/");
        assertThat(head).containsIgnoringCase("strict-transport-security: max-age=31536000");
        assertThat(https("/orthanc/system", "-H", CREDENTIAL)).contains("\"DicomAet\" : \"ORTHANC\"");
        assertThat(https("/orthanc", "-D", "-", "-o", "/dev/null")).containsPattern("HTTP/1.1 301")
                .contains("/orthanc/");
    }

    @Test
    @Order(15)
    void tls11IsRefusedOnBothPortsAndTls12Accepted() {
        for (String listen : List.of(env.layout.httpsListen(), env.layout.dicomListen())) {
            String target = "127.0.0.1:" + ConformanceEnv.port(listen);
            // offer TLS 1.1 with every cipher allowed, so a refusal comes from the server side
            Tools.Result old = Tools.run("openssl", "s_client", "-connect", target, "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0");
            assertThat(old.exit()).as("TLS 1.1 to " + target).isNotZero();
            assertThat(old.out()).contains("Cipher is (NONE)");
        }
        Tools.Result ok = Tools.run("openssl", "s_client", "-connect", "127.0.0.1:" + ConformanceEnv.port(env.layout.httpsListen()),
                "-tls1_2", "-CAfile", env.tlsDir.resolve("ca.crt").toString(), "-verify_return_error");
        ok.expectSuccess("TLS 1.2 handshake");
        assertThat(ok.out()).contains("TLSv1.2");
    }

    // ------------------------------------------------------------------ per-peer DICOM access

    /** A fresh copy of a sample with a new SOP Instance UID, and that UID. */
    static Map.Entry<Path, String> freshInstance(String name) {
        Path copy = env.root.resolve(name + ".dcm");
        try {
            Files.copy(TEST_FILES.resolve(SAMPLES.get(0)), copy);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Tools.run("dcmodify", "-nb", "-gin", copy.toString()).expectSuccess("dcmodify");
        String dump = Tools.run("dcmdump", "+P", "0008,0018", copy.toString()).expectSuccess("dcmdump").out();
        return Map.entry(copy, dump.substring(dump.indexOf('[') + 1, dump.indexOf(']')));
    }

    boolean stored(String sopInstanceUid) throws Exception {
        return new ObjectMapper().readTree(https("/orthanc/tools/lookup", "-H", CREDENTIAL, "-X", "POST",
                "--data-binary", sopInstanceUid))
                .size() > 0;
    }

    String nginxLog() {
        return env.log("nginx");
    }

    @Test
    @Order(20)
    void aDeclaredPeerStoresUnderItsAeTitleAndTheAssociationIsLogged() throws Exception {
        var instance = freshInstance("ct1-store");
        TestPki.Issued ct = env.peers.get("ct-scanner-1");
        Tools.run(tlsClientAs(ct, "CT1", "storescu", "127.0.0.1", dicomPort(), instance.getKey().toString()))
                .expectSuccess("storescu as ct-scanner-1");
        assertThat(stored(instance.getValue())).isTrue();
        // the audit line: which certificate (subject, serial), which declared peer, which calling AE
        String serial = org.orthweb.pki.PeerGrant.serialHex(ct.decimalSerial());
        assertThat(serial).startsWith("F3");
        assertThat(nginxLog()).containsPattern("dicom-tls client=127\\.0\\.0\\.1 peer=ct-scanner-1 calling_aet=\"CT1\" "
                + "subject=\"[^\"]*CN=ct-scanner-1[^\"]*\" serial=" + serial + " verify=SUCCESS status=200");
    }

    @Test
    @Order(21)
    void aCertificateOfTheSiteCaThatIsNotADeclaredPeerIsRefused() throws Exception {
        var instance = freshInstance("retired-store");
        Tools.Result r = Tools.run(tlsClientAs(env.retiredPeer, "RETIRED-1", "storescu", "127.0.0.1", dicomPort(),
                instance.getKey().toString()));
        assertThat(r.exit()).isNotZero();
        assertThat(stored(instance.getValue())).isFalse();
        assertThat(nginxLog()).contains("certificate serial " + org.orthweb.pki.PeerGrant.serialHex(
                env.retiredPeer.decimalSerial()) + " is not a declared peer");
    }

    @Test
    @Order(22)
    void anotherStacksCaIsRefusedEvenWithADeclaredPeersNameAndSerial() throws Exception {
        var instance = freshInstance("foreign-store");
        assertThat(env.foreignPeer.serial()).isEqualTo(env.peers.get("modality-1").serial());
        Tools.Result r = Tools.run(tlsClientAs(env.foreignPeer, "MODALITY-1", "storescu", "127.0.0.1", dicomPort(),
                instance.getKey().toString()));
        assertThat(r.exit()).isNotZero();
        assertThat(stored(instance.getValue())).isFalse();
    }

    @Test
    @Order(23)
    void aDeclaredPeerCannotStoreUnderAnotherPeersOrAnUndeclaredAeTitle() throws Exception {
        TestPki.Issued modality = env.peers.get("modality-1");
        for (String aet : List.of("CT1", "EVIL", "ORTHANC")) {
            var instance = freshInstance("modality-as-" + aet);
            Tools.Result r = Tools.run(tlsClientAs(modality, aet, "storescu", "127.0.0.1", dicomPort(),
                    instance.getKey().toString()));
            assertThat(r.exit()).as("modality-1 calling as " + aet).isNotZero();
            assertThat(stored(instance.getValue())).isFalse();
        }
        assertThat(nginxLog()).contains("dicom peer modality-1 refused: calling AE title is not the one declared for it")
                .contains("peer=modality-1 calling_aet=\"EVIL\"");
    }

    @Test
    @Order(24)
    void plainDicomThroughTheListenerForVpnClientsStoresFromADeclaredAeTitleOnly() throws Exception {
        // the rendered plain-DICOM listener (port 104 on a host; only the Client VPN's security
        // group reaches it): storescu without TLS, as a modality that cannot speak TLS does
        String port = Integer.toString(ConformanceEnv.port(env.layout.plainDicomListen()));
        var declared = freshInstance("plain-modality-1");
        Tools.run("echoscu", "-aet", "MODALITY-1", "-aec", "ORTHANC", "127.0.0.1", port).expectSuccess("echoscu without TLS");
        Tools.run("storescu", "-aet", "MODALITY-1", "-aec", "ORTHANC", "127.0.0.1", port, declared.getKey().toString())
                .expectSuccess("storescu without TLS through the plain-DICOM listener");
        assertThat(stored(declared.getValue())).isTrue();
        // Orthanc's gate still holds behind it: an undeclared AE title cannot store
        var undeclared = freshInstance("plain-evil");
        Tools.Result r = Tools.run("storescu", "-aet", "EVIL", "-aec", "ORTHANC", "127.0.0.1", port,
                undeclared.getKey().toString());
        assertThat(r.exit()).isNotZero();
        assertThat(stored(undeclared.getValue())).isFalse();
        // and the listener is plain DICOM: nginx logs the association under its own format
        assertThat(env.log("nginx")).contains("dicom-plain client=127.0.0.1");
    }

    @Test
    @Order(24)
    void orthancItselfAcceptsStoresOnlyFromDeclaredAeTitles() throws Exception {
        // behind nginx's check, a second gate: anything on the containers' network that reaches
        // Orthanc's plain DICOM port directly still cannot store under an undeclared AE title
        String port = Integer.toString(env.layout.orthancDicomPort());
        var undeclared = freshInstance("direct-evil");
        Tools.Result r = Tools.run("storescu", "-aet", "EVIL", "-aec", "ORTHANC", "127.0.0.1", port,
                undeclared.getKey().toString());
        assertThat(r.exit()).isNotZero();
        assertThat(stored(undeclared.getValue())).isFalse();
        var declared = freshInstance("direct-ct1");
        Tools.run("storescu", "-aet", "CT1", "-aec", "ORTHANC", "127.0.0.1", port, declared.getKey().toString())
                .expectSuccess("storescu as a declared AE title");
        assertThat(stored(declared.getValue())).isTrue();
    }

    @Test
    @Order(25)
    void removingAPeerFromTheListStopsItAndTheOthersKeepWorking() throws Exception {
        // what `pulumi up` does after the peer leaves orthweb:dicom.clients: a new version of the
        // site TLS secret without it, new user data naming that version, a new host whose
        // bootstrap writes the new allow-list and whose nginx starts with it. Here: the same
        // bootstrap step on this host's files, and a second nginx (ports of its own) started after it.
        List<org.orthweb.pki.PeerGrant> remaining = env.grants.stream()
                .filter(p -> !p.name().equals("ct-scanner-1")).toList();
        env.serveSecrets(Files.readString(env.root.resolve("fake-aws/app.json")),
                Files.readString(env.root.resolve("fake-aws/db.json")), env.pkiSecretJson(remaining));
        env.bootstrap("secrets").expectSuccess("bootstrap secrets with the new allow-list");
        assertThat(Files.readString(env.configDir.resolve(Layout.DICOM_PEERS_JSON))).doesNotContain("ct-scanner-1")
                .contains("modality-1");
        assertThat(Files.readString(env.configDir.resolve(Layout.ORTHANC_DICOM_JSON))).doesNotContain("CT1");
        Layout l = env.layout;
        Layout after = new Layout("127.0.0.1:" + Tools.freePort(), "127.0.0.1:" + Tools.freePort(), l.orthancHost(),
                l.orthancHttpPort(), l.orthancDicomPort(), l.keycloakHost(), l.keycloakPort(), l.authHost(), l.authPort(),
                l.nginxTlsDir(), "127.0.0.1:" + Tools.freePort(), "127.0.0.1:" + Tools.freePort());
        Process nginx = env.startNginx("nginx-after-removal", Render.files(env.inputs, after).get(Layout.CONFIG_DIR + "/nginx.conf"));
        int port = ConformanceEnv.port(after.dicomListen());
        env.awaitPort(port, nginx, "nginx-after-removal");

        var refused = freshInstance("removed-ct1");
        Tools.Result r = Tools.run(tlsClientAs(env.peers.get("ct-scanner-1"), "CT1", "storescu", "127.0.0.1",
                Integer.toString(port), refused.getKey().toString()));
        assertThat(r.exit()).isNotZero();
        assertThat(stored(refused.getValue())).isFalse();
        assertThat(env.log("nginx-after-removal")).contains("is not a declared peer");

        var kept = freshInstance("kept-modality-1");
        Tools.run(tlsClientAs(env.peers.get("modality-1"), "MODALITY-1", "storescu", "127.0.0.1",
                Integer.toString(port), kept.getKey().toString())).expectSuccess("the remaining peer still stores");
        assertThat(stored(kept.getValue())).isTrue();
    }

    @Test
    @Order(27)
    void aHostReadsOnlyTheSecretVersionItsUserDataNames() throws Exception {
        String stackEnv = Files.readString(env.configDir.resolve("stack.env"));
        assertThat(stackEnv).contains("PKI_VERSION_ID=" + env.inputs.pkiSecretVersionId() + "\n");
        // another version (an older deployment's) is not what this host was made for: no fallback
        Path changed = env.root.resolve("stack-env-other-version");
        Files.writeString(changed, stackEnv.replace(env.inputs.pkiSecretVersionId(), "0ther-version"));
        Path original = env.root.resolve("stack-env-original");
        Files.copy(env.configDir.resolve("stack.env"), original);
        try {
            Files.copy(changed, env.configDir.resolve("stack.env"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            // the bootstrap retries a version it cannot read yet (eventual consistency): briefly here
            env.bootstrapEnv.putAll(Map.of("ORTHWEB_AWS_RETRY_SECONDS", "3", "ORTHWEB_AWS_RETRY_DELAY", "1",
                    "ORTHWEB_AWS_RETRY_MAX_DELAY", "1"));
            Tools.Result r = env.bootstrap("secrets");
            assertThat(r.exit()).isNotZero();
            assertThat(r.out()).contains("no site TLS material in " + env.inputs.pkiSecretArn());
        } finally {
            List.of("ORTHWEB_AWS_RETRY_SECONDS", "ORTHWEB_AWS_RETRY_DELAY", "ORTHWEB_AWS_RETRY_MAX_DELAY")
                    .forEach(env.bootstrapEnv::remove);
            Files.copy(original, env.configDir.resolve("stack.env"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Test
    @Order(26)
    void theCommandLinesOfTheDicomClientKitWorkAsWritten() throws Exception {
        // modality-1: still declared after the removal test
        TestPki.Issued peer = env.peers.get("modality-1");
        var kit = new org.orthweb.cli.DicomClientKit("modality-1", "MODALITY-1", Files.readString(peer.cert()),
                Files.readString(peer.key()), Files.readString(env.siteCa.cert()), "ORTHANC",
                List.of("127.0.0.1:" + dicomPort()));
        Path dir = env.root.resolve("kit");
        kit.writeTo(dir);
        String text = Files.readString(dir.resolve("modality-1.txt"));
        String echo = text.lines().filter(l -> l.trim().startsWith("echoscu ")).findFirst().orElseThrow().trim();
        String store = text.lines().filter(l -> l.trim().startsWith("storescu ")).findFirst().orElseThrow().trim();
        Tools.run(dir, Map.of(), 60, "bash", "-c", echo).expectSuccess("the kit's echoscu line");
        var instance = freshInstance("kit-store");
        Tools.run(dir, Map.of(), 60, "bash", "-c", store.replace("FILE.dcm...", instance.getKey().toString()))
                .expectSuccess("the kit's storescu line");
        assertThat(stored(instance.getValue())).isTrue();
    }
}
