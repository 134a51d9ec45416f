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
 * bootstrap's certs/db/configure steps, Debian's Orthanc on the rendered orthanc.json and secret
 * fragment, Debian's nginx on the rendered nginx.conf, dcmtk's DICOM TLS clients.
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
                "echoscu", "storescu", "dcmdump", "openssl", "curl", "jq", "python3",
                TEST_FILES.resolve(SAMPLES.get(0)).toString());
        env = new ConformanceEnv();
        try {
            env.startPostgres();
            secrets = env.writeSecrets();
            Tools.Result first = env.bootstrap("secrets", "certs", "db", "configure").expectSuccess("bootstrap secrets certs db configure");
            firstRunOutput = first.out();
            afterFirstRun = snapshot();
            secondRunOutput = env.bootstrap("secrets", "certs", "db", "configure").expectSuccess("bootstrap, second run").out();

            Path config = env.orthancConfig("orthanc", true);
            env.adaptations().forEach(a -> System.out.println("conformance adaptation: " + a));
            env.startOrthanc("orthanc", config, env.layout.orthancHttpPort(), orthancEnvironment());
            Process nginx = env.startNginx("nginx", env.files.get(Layout.CONFIG_DIR + "/nginx.conf"));
            env.awaitPort(ConformanceEnv.port(env.layout.httpsListen()), nginx, "nginx");
            env.awaitPort(ConformanceEnv.port(env.layout.dicomListen()), nginx, "nginx");
        } catch (Throwable t) {
            env.close();
            throw t;
        }
    }

    /** The environment the compose file gives the Orthanc container, where it means something here. */
    static Map<String, String> orthancEnvironment() throws Exception {
        JsonNode compose = new YAMLMapper().readTree(env.files.get(Layout.CONFIG_DIR + "/docker-compose.yml"));
        String nodelay = compose.at("/services/orthanc/environment/TCP_NODELAY").asText();
        assertThat(nodelay).isEqualTo("1");
        // the host's identity as the compose file passes it from .env (the bootstrap wrote it there)
        assertThat(compose.at("/services/orthanc/environment/ORTHWEB_HOST_ID").asText()).startsWith("${HOST_ID");
        return Map.of("TCP_NODELAY", nodelay, "ORTHWEB_SITE", ConformanceEnv.SITE, "ORTHWEB_HOST_ID", ConformanceEnv.HOST_ID);
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
                for (Path p : s.filter(Files::isRegularFile).toList()) {
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
        assertThat(firstRunOutput).contains("generated the site CA", "issued the server certificate for localhost",
                "database roles and databases are in place");
        // second run: nothing rewritten, nothing regenerated, same bytes, modes and times
        assertThat(secondRunOutput).doesNotContain("wrote ", "generated", "issued");
        assertThat(snapshot()).isEqualTo(afterFirstRun);
        for (String value : secrets.values()) {
            assertThat(firstRunOutput + secondRunOutput).doesNotContain(value);
        }
        assertThat(firstRunOutput).doesNotContain(env.pgPassword);
        assertThat(Files.getPosixFilePermissions(env.secretsDir.resolve("orthanc-secrets.json")))
                .extracting(Object::toString).containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");
        assertThat(Files.getPosixFilePermissions(env.tlsDir.resolve("ca.key")))
                .extracting(Object::toString).containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");
    }

    @Test
    @Order(2)
    void certificatesChainToTheSiteCaWithTheSiteName() {
        String ca = env.tlsDir.resolve("ca.crt").toString();
        Tools.run("openssl", "verify", "-CAfile", ca, "-purpose", "sslserver", env.tlsDir.resolve("server.crt").toString())
                .expectSuccess("verify server cert");
        Tools.run("openssl", "verify", "-CAfile", ca, "-purpose", "sslclient", env.tlsDir.resolve("client.crt").toString())
                .expectSuccess("verify client cert");
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
        String kcPw = secrets.get(AppSecrets.KEYCLOAK_DB_PASSWORD);
        String orPw = secrets.get(AppSecrets.ORTHANC_DB_PASSWORD);
        // each role reaches its own database with its own password, over TLS, and no other database
        assertThat(env.sqlAs("keycloak", kcPw, "keycloak", "select ssl from pg_stat_ssl where pid = pg_backend_pid()")
                .expectSuccess("keycloak login").out().trim()).isEqualTo("t");
        assertThat(env.sqlAs("keycloak", kcPw, "orthanc", "select 1").exit()).isNotZero();
        assertThat(env.sqlAs("orthanc", orPw, "keycloak", "select 1").exit()).isNotZero();
        assertThat(env.sqlAs("orthanc", kcPw, "orthanc", "select 1").exit()).as("another role's password").isNotZero();
        // the server stored verifiers, never the clear text
        assertThat(env.sql("postgres", "select rolpassword from pg_authid where rolname = 'orthanc'").out())
                .startsWith("SCRAM-SHA-256$4096:").doesNotContain(orPw);
    }

    // ------------------------------------------------------------------ DICOM TLS and HTTPS

    String[] tlsClient(String tool, String... args) {
        List<String> cmd = new ArrayList<>(List.of(tool, "+tls", env.tlsDir.resolve("client.key").toString(),
                env.tlsDir.resolve("client.crt").toString(), "+cf", env.tlsDir.resolve("ca.crt").toString(),
                "-aec", "ORTHANC"));
        cmd.addAll(List.of(args));
        return cmd.toArray(String[]::new);
    }

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
            JsonNode found = json.readTree(https("/orthanc/tools/lookup", "-X", "POST", "--data-binary", uid));
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

    @Test
    @Order(13)
    void nginxHealthRedirectAndHsts() {
        assertThat(https("/nginx_health")).isEqualTo("ok\n");
        String head = https("/", "-D", "-", "-o", "/dev/null");
        assertThat(head).containsPattern("HTTP/1.1 302").containsIgnoringCase("location: https://localhost:")
                .contains("/orthanc/ui/app/");
        assertThat(head).containsIgnoringCase("strict-transport-security: max-age=31536000");
        assertThat(https("/orthanc/system")).contains("\"DicomAet\" : \"ORTHANC\"");
        assertThat(https("/orthanc", "-D", "-", "-o", "/dev/null")).containsPattern("HTTP/1.1 301")
                .contains("/orthanc/");
    }

    @Test
    @Order(14)
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
}
