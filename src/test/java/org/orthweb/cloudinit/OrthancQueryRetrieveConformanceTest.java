package org.orthweb.cloudinit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.orthweb.config.ConfigParser;
import org.orthweb.config.RawConfig;
import org.orthweb.config.StackConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * orthweb:orthanc on real servers: a stack file sets Orthanc's AE title, registers a PACS (dcmtk's
 * {@code storescp}) and adds an Orthanc option; the rendered configuration runs on Debian's Orthanc
 * behind the rendered nginx. A declared DICOM client stores one CT over DICOM TLS, then finds it
 * with {@code findscu} and retrieves it with {@code getscu} (one association, C-STORE sub-operations
 * back to the caller) through nginx with its certificate; an
 * undeclared AE title is refused both ways. Orthanc lists the PACS, echoes it and sends it the CT,
 * and moves the study there at the declared client's C-MOVE.
 */
@Tag("conformance")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OrthancQueryRetrieveConformanceTest {

    static final Path CT = OrthancStackConformanceTest.TEST_FILES.resolve("CT_small.dcm");
    static final String CALLED = "ORTHWEB_QR";
    static final ObjectMapper JSON = new ObjectMapper();

    static ConformanceEnv env;
    static int scpPort;
    static Path received;
    /** A PACS reached over DICOM TLS (storescp +tls): its own CA, and the site CA for its callers. */
    static int tlsScpPort;
    static Path tlsReceived;
    static Path modalityPki;
    static TestPki.Issued modalityCa;
    static String studyUid;
    static String sopUid;

    @BeforeAll
    static void bringUp() throws Exception {
        Tools.require("Orthanc", ConformanceEnv.DEBIAN_PLUGINS + "/libOrthancPostgreSQLIndex.so",
                ConformanceEnv.PG_BIN + "/initdb", "psql", "nginx", ConformanceEnv.NGINX_STREAM_MODULE,
                ConformanceEnv.NGINX_STREAM_JS_MODULE, "storescu", "findscu", "getscu", "movescu", "storescp", "dcmdump",
                "dcmodify", "curl", "jq", "openssl", CT.toString());
        scpPort = Tools.freePort();
        tlsScpPort = Tools.freePort();
        // the TLS PACS's own PKI (not the site's): the site trusts its CA by caCertificate
        modalityPki = Files.createTempDirectory("orthweb-modality-pki");
        modalityCa = new TestPki(modalityPki).ca("modality-ca", "Radiology PACS CA", java.math.BigInteger.valueOf(77));
        // the stack file a site writes: its AE title, its PACS (one plain, one over DICOM TLS), one Orthanc option
        StackConfig config = ConfigParser.parse("conformance", RawConfig.fromStackYaml("""
                config:
                  aws:region: us-east-1
                  orthweb:environment: tst
                  orthweb:owner: conformance
                  orthweb:orthanc:
                    aeTitle: %s
                    name: Conformance archive
                    modalities:
                      pacs: {aeTitle: PACS1, host: 127.0.0.1, port: %d}
                      secure-pacs: {aeTitle: SECUREPACS, host: 127.0.0.1, port: %d, tls: true, caCertificate: %s}
                    extraConfig:
                      UserMetadata: {ReadingNote: 1024}
                """.formatted(CALLED, scpPort, tlsScpPort,
                org.orthweb.pki.TestCertificates.quoted(Files.readString(modalityCa.cert()))), "Pulumi.conformance.yaml"));
        int pgPort = Tools.freePort();
        UserDataInputs inputs = new UserDataInputs("conformance", "tst", "us-east-1", ConformanceEnv.SITE,
                "127.0.0.1", pgPort, "arn:aws:secretsmanager:us-east-1:123456789012:secret:db",
                "arn:aws:secretsmanager:us-east-1:123456789012:secret:app", "conformance-bucket", null, Map.of(),
                "arn:aws:secretsmanager:us-east-1:123456789012:secret:conformance/orthweb/tls-server",
                "6a1e0c9d-2b3f-4c5d-8e7f-90a1b2c3d4e5", 1, config.orthanc());
        env = new ConformanceEnv(null, "127.0.0.1", null, inputs);
        try {
            env.startPostgres();
            env.writeSecrets();
            env.bootstrap("secrets", "db", "configure").expectSuccess("bootstrap secrets db configure");
            Path orthancConfig = env.orthancConfig("orthanc", true);
            env.startOrthanc("orthanc", orthancConfig, env.layout.orthancHttpPort(), Map.of("TCP_NODELAY", "1",
                    "ORTHWEB_SITE", ConformanceEnv.SITE + ":" + ConformanceEnv.port(env.layout.httpsListen())));
            Process nginx = env.startNginx("nginx", env.files.get(Layout.CONFIG_DIR + "/nginx.conf"));
            env.awaitPort(ConformanceEnv.port(env.layout.httpsListen()), nginx, "nginx");
            env.awaitPort(ConformanceEnv.port(env.layout.dicomListen()), nginx, "nginx");
            received = env.root.resolve("pacs-received");
            Files.createDirectories(received);
            Process scp = env.start("storescp", Map.of(), "storescp", "-aet", "PACS1", "-od", received.toString(),
                    Integer.toString(scpPort));
            env.awaitPort(scpPort, scp, "storescp");
            // the TLS PACS: its server certificate from its own CA; callers must present a
            // certificate of the site CA (dcmtk's default --require-peer-cert)
            TestPki.Issued pacsServer = new TestPki(modalityPki).server("secure-pacs", modalityCa, List.of("localhost"),
                    List.of("127.0.0.1"), java.math.BigInteger.valueOf(78));
            tlsReceived = env.root.resolve("secure-pacs-received");
            Files.createDirectories(tlsReceived);
            Process tlsScp = env.start("storescp-tls", Map.of(), "storescp", "+tls", pacsServer.key().toString(),
                    pacsServer.cert().toString(), "+cf", env.tlsDir.resolve("ca.crt").toString(), "-aet", "SECUREPACS",
                    "-od", tlsReceived.toString(), Integer.toString(tlsScpPort));
            env.awaitPort(tlsScpPort, tlsScp, "storescp-tls");
            startGateway(env.peers.get("ct-scanner-1"));
        } catch (Throwable t) {
            env.close();
            throw t;
        }
    }

    @AfterAll
    static void tearDown() {
        if (env != null) {
            env.close();
        }
        if (modalityPki != null) {
            Tools.run("rm", "-rf", modalityPki.toString());
        }
    }

    static String dicomPort() {
        return Integer.toString(ConformanceEnv.port(env.layout.dicomListen()));
    }

    /** A dcmtk tool over DICOM TLS through nginx with a peer's certificate and calling AE title. */
    static String[] tls(TestPki.Issued certificate, String callingAet, String tool, String... args) {
        List<String> cmd = new ArrayList<>(List.of(tool, "+tls", certificate.key().toString(),
                certificate.cert().toString(), "+cf", env.tlsDir.resolve("ca.crt").toString(),
                "-aet", callingAet, "-aec", CALLED));
        cmd.addAll(List.of(args));
        return cmd.toArray(String[]::new);
    }

    /** Local port of the client-side TLS gateway of ct-scanner-1 ({@link #startGateway}). */
    static int gatewayPort;

    /**
     * dcmtk 3.6.7's getscu (Debian 12) has no TLS options: it reaches the DICOM TLS endpoint through
     * a client-side TLS gateway, as a site connects any client without TLS: a local nginx stream
     * proxy that presents the peer's certificate and checks the site's server certificate. The
     * calling AE title travels inside the association, so nginx's peer check sees it unchanged.
     */
    static void startGateway(TestPki.Issued certificate) throws Exception {
        gatewayPort = Tools.freePort();
        Path dir = env.root.resolve("tls-gateway");
        Files.createDirectories(dir);
        Path conf = dir.resolve("nginx.conf");
        Files.writeString(conf, String.join("\n",
                "load_module " + ConformanceEnv.NGINX_STREAM_MODULE + ";",
                "error_log " + dir.resolve("error.log") + " info;",
                "events { worker_connections 64; }",
                "stream {",
                "    server {",
                "        listen 127.0.0.1:" + gatewayPort + ";",
                "        proxy_pass 127.0.0.1:" + dicomPort() + ";",
                "        proxy_ssl on;",
                "        proxy_ssl_certificate " + certificate.cert() + ";",
                "        proxy_ssl_certificate_key " + certificate.key() + ";",
                "        proxy_ssl_trusted_certificate " + env.tlsDir.resolve("ca.crt") + ";",
                "        proxy_ssl_verify on;",
                "        proxy_ssl_name " + ConformanceEnv.SITE + ";",
                "    }",
                "}", ""));
        Process p = env.start("tls-gateway", Map.of(), "nginx", "-p", dir + "/", "-c", conf.toString(),
                "-g", "pid " + dir.resolve("nginx.pid") + "; daemon off;");
        env.awaitPort(gatewayPort, p, "tls-gateway");
    }

    /** getscu through ct-scanner-1's TLS gateway with a calling AE title. */
    static String[] getscu(String callingAet, String... args) {
        List<String> cmd = new ArrayList<>(List.of("getscu", "-aet", callingAet, "-aec", CALLED, "127.0.0.1",
                Integer.toString(gatewayPort)));
        cmd.addAll(List.of(args));
        return cmd.toArray(String[]::new);
    }

    static String https(String path, String... extra) {
        int port = ConformanceEnv.port(env.layout.httpsListen());
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "-f", "--cacert", env.tlsDir.resolve("ca.crt").toString(),
                "--resolve", ConformanceEnv.SITE + ":" + port + ":127.0.0.1"));
        cmd.addAll(List.of(extra));
        cmd.add("https://" + ConformanceEnv.SITE + ":" + port + path);
        return Tools.run(cmd.toArray(String[]::new)).expectSuccess("curl " + path).out();
    }

    static String tag(Path file, String tag) {
        String dump = Tools.run("dcmdump", "+P", tag, file.toString()).expectSuccess("dcmdump").out();
        return dump.substring(dump.indexOf('[') + 1, dump.indexOf(']'));
    }

    static List<Path> filesIn(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    /** The query: the study by its UID, at study level (Study Root). */
    static String[] studyQuery() {
        return new String[] {"-S", "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=" + studyUid};
    }

    @Test
    @Order(1)
    void aDeclaredClientStoresOneCtOverDicomTls() throws Exception {
        Path ct = env.root.resolve("ct.dcm");
        Files.copy(CT, ct);
        // new UIDs: nothing in this index could match by accident
        Tools.run("dcmodify", "-nb", "-gin", "-gst", "-gse", ct.toString()).expectSuccess("dcmodify");
        studyUid = tag(ct, "0020,000d");
        sopUid = tag(ct, "0008,0018");
        Tools.run(tls(env.peers.get("ct-scanner-1"), "CT1", "storescu", "127.0.0.1", dicomPort(), ct.toString()))
                .expectSuccess("storescu as ct-scanner-1 (CT1) to " + CALLED);
    }

    @Test
    @Order(2)
    void theDeclaredClientFindsTheStudyThroughNginx() throws Exception {
        Path out = env.root.resolve("find-declared");
        Files.createDirectories(out);
        List<String> cmd = new ArrayList<>(List.of(tls(env.peers.get("ct-scanner-1"), "CT1", "findscu",
                "127.0.0.1", dicomPort())));
        cmd.addAll(List.of(studyQuery()));
        cmd.addAll(List.of("-X", "-od", out.toString()));
        Tools.run(cmd.toArray(String[]::new)).expectSuccess("findscu as CT1");
        List<Path> answers = filesIn(out);
        assertThat(answers).as("one C-FIND answer").hasSize(1);
        assertThat(tag(answers.get(0), "0020,000d")).isEqualTo(studyUid);
    }

    @Test
    @Order(3)
    void theDeclaredClientRetrievesTheStudyWithCGetThroughNginx() throws Exception {
        Path out = env.root.resolve("get-declared");
        Files.createDirectories(out);
        List<String> cmd = new ArrayList<>(List.of(getscu("CT1", studyQuery())));
        cmd.addAll(List.of("-od", out.toString()));
        Tools.run(cmd.toArray(String[]::new)).expectSuccess("getscu as CT1 through its TLS gateway");
        List<Path> got = filesIn(out);
        assertThat(got).as("the CT, on the same association").hasSize(1);
        assertThat(tag(got.get(0), "0008,0018")).isEqualTo(sopUid);
    }

    @Test
    @Order(4)
    void anUndeclaredAeTitleCanNeitherFindNorGet() throws Exception {
        for (String tool : List.of("findscu", "getscu")) {
            Path out = env.root.resolve(tool + "-undeclared");
            Files.createDirectories(out);
            // a declared client's certificate with another calling AE title: nginx refuses it
            List<String> cmd = new ArrayList<>(tool.equals("findscu")
                    ? List.of(tls(env.peers.get("ct-scanner-1"), "EVIL", tool, "127.0.0.1", dicomPort()))
                    : List.of(getscu("EVIL")));
            cmd.addAll(List.of(studyQuery()));
            cmd.addAll(tool.equals("findscu") ? List.of("-X", "-od", out.toString()) : List.of("-od", out.toString()));
            Tools.Result r = Tools.run(cmd.toArray(String[]::new));
            assertThat(r.exit()).as(tool + " as EVIL through nginx").isNotZero();
            assertThat(filesIn(out)).as(tool + " got nothing").isEmpty();
            // and Orthanc itself, reached without nginx (as from the VPN's plain port): no such AE title
            Path direct = env.root.resolve(tool + "-undeclared-direct");
            Files.createDirectories(direct);
            List<String> plain = new ArrayList<>(List.of(tool, "-aet", "EVIL", "-aec", CALLED, "127.0.0.1",
                    Integer.toString(env.layout.orthancDicomPort())));
            plain.addAll(List.of(studyQuery()));
            plain.addAll(tool.equals("findscu") ? List.of("-X", "-od", direct.toString()) : List.of("-od", direct.toString()));
            Tools.Result d = Tools.run(plain.toArray(String[]::new));
            assertThat(filesIn(direct)).as(tool + " as EVIL straight to Orthanc got nothing: " + d.out()).isEmpty();
        }
        assertThat(env.log("nginx")).contains("refused: calling AE title is not the one declared for it");
    }

    @Test
    @Order(5)
    void theTypedKeysAndTheExtraOptionReachTheRunningOrthanc() throws Exception {
        JsonNode system = JSON.readTree(https("/orthanc/system", "-H", OrthancStackConformanceTest.CREDENTIAL));
        assertThat(system.get("DicomAet").asText()).isEqualTo(CALLED);
        assertThat(system.get("Name").asText()).isEqualTo("Conformance archive");
        // extraConfig's UserMetadata: Orthanc accepts the site's own metadata name only when it is declared
        JsonNode ids = JSON.readTree(https("/orthanc/tools/lookup", "-H", OrthancStackConformanceTest.CREDENTIAL,
                "-X", "POST", "--data-binary", sopUid));
        String instance = ids.get(0).get("ID").asText();
        https("/orthanc/instances/" + instance + "/metadata/ReadingNote", "-H", OrthancStackConformanceTest.CREDENTIAL,
                "-X", "PUT", "--data-binary", "checked");
        assertThat(https("/orthanc/instances/" + instance + "/metadata/ReadingNote")).isEqualTo("checked");
    }

    @Test
    @Order(6)
    void orthancListsEchoesAndSendsToTheRegisteredModality() throws Exception {
        // listed through nginx, as a user's browser would ask
        JsonNode modalities = JSON.readTree(https("/orthanc/modalities?expand"));
        assertThat(modalities.at("/pacs/AET").asText()).isEqualTo("PACS1");
        assertThat(modalities.at("/pacs/Port").asInt()).isEqualTo(scpPort);
        // the declared DICOM clients are there too, from the site TLS secret
        assertThat(modalities.has("ct-scanner-1")).isTrue();
        echoAndSendTheCt("pacs", received);
    }

    /**
     * Orthanc's C-ECHO to a registered modality, then "send" (C-STORE) of the CT, both over REST
     * through nginx with a credential; the modality received exactly that instance.
     */
    static void echoAndSendTheCt(String modality, Path receivedBy) throws Exception {
        https("/orthanc/modalities/" + modality + "/echo", "-H", OrthancStackConformanceTest.CREDENTIAL, "-X", "POST",
                "--data-binary", "{}");
        JsonNode ids = JSON.readTree(https("/orthanc/tools/lookup", "-H", OrthancStackConformanceTest.CREDENTIAL,
                "-X", "POST", "--data-binary", sopUid));
        https("/orthanc/modalities/" + modality + "/store", "-H", OrthancStackConformanceTest.CREDENTIAL, "-X", "POST",
                "--data-binary", ids.get(0).get("ID").asText());
        List<Path> got = filesIn(receivedBy);
        assertThat(got).hasSize(1);
        assertThat(tag(got.get(0), "0008,0018")).isEqualTo(sopUid);
    }

    @Test
    @Order(7)
    void aDeclaredClientMovesTheStudyToTheRegisteredModality() throws Exception {
        for (Path f : filesIn(received)) {
            Files.delete(f);
        }
        // C-MOVE on the client's association (through its TLS gateway and nginx), destination PACS1:
        // Orthanc opens the association to the registered modality itself
        List<String> cmd = new ArrayList<>(List.of("movescu", "-aet", "CT1", "-aec", CALLED, "-aem", "PACS1",
                "127.0.0.1", Integer.toString(gatewayPort)));
        cmd.addAll(List.of(studyQuery()));
        Tools.run(cmd.toArray(String[]::new)).expectSuccess("movescu as CT1 to PACS1");
        List<Path> got = filesIn(received);
        assertThat(got).hasSize(1);
        assertThat(tag(got.get(0), "0008,0018")).isEqualTo(sopUid);
    }

    @Test
    @Order(8)
    void orthancEchoesAndSendsToTheTlsModalityWithTheSitePkisIdentityAsTheBootstrapInstalledIt() throws Exception {
        // what the bootstrap wrote from the site TLS secret: Orthanc's identity, root only
        Path key = env.tlsDir.resolve(Layout.ORTHANC_SCU_KEY);
        assertThat(Files.getPosixFilePermissions(key)).isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.readString(env.tlsDir.resolve(Layout.ORTHANC_SCU_CERT))).isEqualTo(Files.readString(env.orthancScu.cert()));
        JsonNode modalities = JSON.readTree(https("/orthanc/modalities?expand"));
        assertThat(modalities.at("/secure-pacs/UseDicomTls").asBoolean()).isTrue();
        // C-ECHO and C-STORE over TLS: storescp admits only a certificate of the site CA, and Orthanc
        // checks storescp's against the declared caCertificate
        echoAndSendTheCt("secure-pacs", tlsReceived);
        // its own DICOM server stays plain: nginx ends DICOM TLS in front of it
        Tools.run("echoscu", "-aet", "CT1", "-aec", CALLED, "127.0.0.1", Integer.toString(env.layout.orthancDicomPort()))
                .expectSuccess("plain C-ECHO to Orthanc's own DICOM port");
    }
}
