package org.orthweb.cloudinit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The security properties of the rendered nginx and Orthanc configuration that can be proven on
 * real servers here (Debian's nginx and Orthanc on the rendered files, PostgreSQL, dcmtk): the
 * edge gate that keeps anonymous callers away from every write path, and the refusal to overwrite
 * a stored instance (threat model C1). The authorization plugin and the auth service do not run
 * here (not packaged); what they are given is asserted on the rendered files.
 */
@Tag("conformance")
class EdgeSecurityConformanceTest {

    static final Path TEST_FILES = OrthancStackConformanceTest.TEST_FILES;
    /** Any value: Orthanc here has no authorization plugin, only the edge gate looks at it. */
    static final String CREDENTIAL = "Bearer conformance-credential";

    static ConformanceEnv env;
    static Path work;

    @BeforeAll
    static void bringUp() throws Exception {
        Tools.require("Orthanc", ConformanceEnv.DEBIAN_PLUGINS + "/libOrthancPostgreSQLIndex.so",
                ConformanceEnv.PG_BIN + "/initdb", "psql", "nginx", ConformanceEnv.NGINX_STREAM_MODULE,
                "storescu", "dcmodify", "dcmdump", "openssl", "curl", "jq",
                TEST_FILES.resolve("CT_small.dcm").toString());
        env = new ConformanceEnv();
        try {
            work = env.root.resolve("edge-work");
            Files.createDirectories(work);
            env.startPostgres();
            env.writeSecrets();
            env.bootstrap("secrets", "db", "configure").expectSuccess("bootstrap");
            Path config = env.orthancConfig("orthanc", true);
            env.startOrthanc("orthanc", config, env.layout.orthancHttpPort(), Map.of("TCP_NODELAY", "1"));
            Process nginx = env.startNginx("nginx", env.files.get(Layout.CONFIG_DIR + "/nginx.conf"));
            env.awaitPort(ConformanceEnv.port(env.layout.httpsListen()), nginx, "nginx");
            env.awaitPort(ConformanceEnv.port(env.layout.dicomListen()), nginx, "nginx");
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
    }

    // ------------------------------------------------------------------ HTTP helpers

    /** Status code and body of one request through the rendered nginx. */
    record Reply(int status, String body) {
    }

    /**
     * One HTTPS request through nginx. {@code body} is a file to send (or null), {@code headers}
     * are "Name: value" strings.
     */
    static Reply request(String method, String path, Path body, String... headers) throws Exception {
        int port = ConformanceEnv.port(env.layout.httpsListen());
        Path out = Files.createTempFile(work, "reply", ".txt");
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--path-as-is", "-X", method,
                "--cacert", env.tlsDir.resolve("ca.crt").toString(),
                "--resolve", ConformanceEnv.SITE + ":" + port + ":127.0.0.1",
                "-o", out.toString(), "-w", "%{http_code}"));
        for (String h : headers) {
            cmd.add("-H");
            cmd.add(h);
        }
        if (body != null) {
            cmd.add("--data-binary");
            cmd.add("@" + body);
        }
        cmd.add("https://" + ConformanceEnv.SITE + ":" + port + path);
        Tools.Result r = Tools.run(cmd.toArray(String[]::new)).expectSuccess("curl " + method + " " + path);
        return new Reply(Integer.parseInt(r.out().trim()), Files.readString(out));
    }

    static Path file(String name, String content) throws Exception {
        Path p = work.resolve(name);
        Files.writeString(p, content);
        return p;
    }

    /** A copy of a sample with its own UIDs and the given patient name (dcmtk's dcmodify). */
    static Path instance(String name, String patientName, Path from) throws Exception {
        Path p = work.resolve(name);
        Files.copy(from, p, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Tools.run("dcmodify", "-nb", "-m", "(0010,0010)=" + patientName, p.toString()).expectSuccess("dcmodify " + name);
        return p;
    }

    static String tag(Path dicom, String tag) {
        String dump = Tools.run("dcmdump", "+P", tag, dicom.toString()).expectSuccess("dcmdump").out();
        return dump.substring(dump.indexOf('[') + 1, dump.indexOf(']'));
    }

    /** A STOW-RS body (multipart/related, one DICOM part) and its content type. */
    static Path stowBody(Path dicom) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write("--conformance-boundary\r\nContent-Type: application/dicom\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        b.write(Files.readAllBytes(dicom));
        b.write("\r\n--conformance-boundary--\r\n".getBytes(StandardCharsets.US_ASCII));
        Path p = work.resolve("stow-" + dicom.getFileName());
        Files.write(p, b.toByteArray());
        return p;
    }

    static final String STOW_TYPE = "Content-Type: multipart/related; type=\"application/dicom\"; boundary=conformance-boundary";

    static int instanceCount() throws Exception {
        Reply r = request("GET", "/orthanc/statistics", null, "Authorization: " + CREDENTIAL);
        assertThat(r.status()).isEqualTo(200);
        return new ObjectMapper().readTree(r.body()).get("CountInstances").asInt();
    }

    // ------------------------------------------------------------------ C1: no anonymous writes

    @Test
    void anonymousRequestsCannotWriteOnAnyPathNorProbe() throws Exception {
        Path dicom = instance("anon.dcm", "Anonymous^Upload", TEST_FILES.resolve("CT_small.dcm"));
        Path createDicom = file("create.json", "{\"Tags\": {\"PatientName\": \"Forged^Patient\", \"PatientID\": \"X1\"}}");
        Path lookup = file("lookup.txt", tag(dicom, "0008,0018"));
        Path empty = file("empty.json", "{}");
        Path modality = file("modality.json", "{\"AET\": \"EVIL\", \"Host\": \"203.0.113.9\", \"Port\": 104}");
        int before = instanceCount();

        List<Object[]> attempts = List.of(
                new Object[]{"POST", "/orthanc/instances", dicom, new String[0]},
                new Object[]{"POST", "/orthanc/tools/create-dicom", createDicom, new String[0]},
                new Object[]{"POST", "/orthanc/dicom-web/studies", stowBody(dicom), new String[]{STOW_TYPE}},
                new Object[]{"PUT", "/orthanc/modalities/evil", modality, new String[0]},
                new Object[]{"DELETE", "/orthanc/patients/0946fcb6-cf12ab43-bad958c1-bf057ad5-0fc6f54c", null, new String[0]},
                new Object[]{"POST", "/orthanc/tools/execute-script", empty, new String[0]},
                new Object[]{"POST", "/orthanc/studies/x/modify", empty, new String[0]},
                new Object[]{"PUT", "/orthanc/instances/x/metadata/1024", empty, new String[0]},
                // the patient-existence oracle and the version page, for any method
                new Object[]{"POST", "/orthanc/tools/lookup", lookup, new String[0]},
                new Object[]{"GET", "/orthanc/system", null, new String[0]},
                // spellings that reach the same Orthanc routes
                new Object[]{"POST", "/orthanc//instances", dicom, new String[0]},
                new Object[]{"POST", "/orthanc/%69nstances", dicom, new String[0]},
                new Object[]{"POST", "/orthanc/tools/create-dicom/", createDicom, new String[0]},
                new Object[]{"GET", "/orthanc/SYSTEM", null, new String[0]},
                new Object[]{"GET", "/orthanc//tools/../system", null, new String[0]},
                // an empty credential is no credential
                new Object[]{"POST", "/orthanc/instances", dicom, new String[]{"Authorization:", "api-key;"}});
        // every path is tried, and every one that lets an anonymous caller through is listed
        SoftAssertions soft = new SoftAssertions();
        for (Object[] a : attempts) {
            Reply r = request((String) a[0], (String) a[1], (Path) a[2], (String[]) a[3]);
            soft.assertThat(r.status()).as("anonymous %s %s", a[0], a[1]).isEqualTo(403);
        }
        soft.assertThat(instanceCount()).as("nothing was stored").isEqualTo(before);
        soft.assertAll();
    }

    @Test
    void everyCredentialTheAuthorizationPluginReadsPassesTheGate() throws Exception {
        // the plugin (not here) decides for these; the gate must not stand in its way
        Path createDicom = file("create-ok.json", "{\"Tags\": {\"PatientName\": \"Gate^Passed\", \"PatientID\": \"G1\"}}");
        for (String[] credential : List.of(new String[]{"", "Authorization: " + CREDENTIAL},
                new String[]{"", "token: share-token-value"}, new String[]{"", "api-key: an-api-key"},
                new String[]{"?token=share-token-value"})) {
            String path = "/orthanc/tools/create-dicom" + credential[0];
            String[] headers = credential.length > 1 ? new String[]{credential[1]} : new String[0];
            Reply r = request("POST", path, createDicom, headers);
            assertThat(r.status()).as("POST %s with %s", path, List.of(headers)).isEqualTo(200);
        }
        Path dicom = instance("stow-ok.dcm", "Stow^Passed", TEST_FILES.resolve("MR_small.dcm"));
        assertThat(request("POST", "/orthanc/dicom-web/studies", stowBody(dicom), STOW_TYPE,
                "Authorization: " + CREDENTIAL).status()).as("STOW-RS with a credential").isEqualTo(200);
        assertThat(request("GET", "/orthanc/system", null, "Authorization: " + CREDENTIAL).status()).isEqualTo(200);
        // anonymous reads reach Orthanc (its authorization plugin judges them), and the share
        // landing page's token decoding stays open (Orthanc without the plugin answers 404)
        assertThat(request("GET", "/orthanc/dicom-web/studies", null).status()).isNotEqualTo(403);
        assertThat(request("POST", "/orthanc/auth/tokens/decode", file("decode.json", "{}")).status())
                .isNotEqualTo(403);
    }

    // ------------------------------------------------------------------ C1: no silent overwrite

    @Test
    void aSecondInstanceWithTheSameSopInstanceUidDoesNotReplaceTheFirst() throws Exception {
        Path original = instance("original.dcm", "Original^Patient", TEST_FILES.resolve("rtdose.dcm"));
        Path forged = instance("forged.dcm", "Forged^Patient", original);
        Path forgedDicom = instance("forged-dicom.dcm", "ForgedOverDicom^Patient", original);
        assertThat(tag(forged, "0008,0018")).isEqualTo(tag(original, "0008,0018"));

        Reply first = request("POST", "/orthanc/instances", original, "Authorization: " + CREDENTIAL);
        assertThat(first.status()).isEqualTo(200);
        JsonNode stored = new ObjectMapper().readTree(first.body());
        assertThat(stored.get("Status").asText()).isEqualTo("Success");
        String id = stored.get("ID").asText();
        String md5 = new ObjectMapper().readTree(request("GET", "/orthanc/instances/" + id + "/attachments/dicom/info",
                null, "Authorization: " + CREDENTIAL).body()).get("UncompressedMD5").asText();

        // over HTTPS: refused, the first stays (Orthanc answers AlreadyStored)
        Reply second = request("POST", "/orthanc/instances", forged, "Authorization: " + CREDENTIAL);
        assertThat(new ObjectMapper().readTree(second.body()).get("Status").asText()).isEqualTo("AlreadyStored");
        // over DICOM TLS from a declared modality: the store is accepted and changes nothing
        TestPki.Issued peer = env.peers.get("modality-1");
        Tools.run("storescu", "+tls", peer.key().toString(), peer.cert().toString(),
                "+cf", env.tlsDir.resolve("ca.crt").toString(), "-aet", env.declared.get("modality-1").effectiveAeTitle(),
                "-aec", "ORTHANC", "127.0.0.1",
                Integer.toString(ConformanceEnv.port(env.layout.dicomListen())), forgedDicom.toString())
                .expectSuccess("storescu of the forged copy over DICOM TLS");

        JsonNode tags = new ObjectMapper().readTree(request("GET", "/orthanc/instances/" + id + "/simplified-tags",
                null, "Authorization: " + CREDENTIAL).body());
        assertThat(tags.get("PatientName").asText()).isEqualTo("Original^Patient");
        String md5After = new ObjectMapper().readTree(request("GET", "/orthanc/instances/" + id + "/attachments/dicom/info",
                null, "Authorization: " + CREDENTIAL).body()).get("UncompressedMD5").asText();
        assertThat(md5After).as("the stored file is unchanged").isEqualTo(md5);
    }

    // ------------------------------------------------------------------ C1: what the plugin is given

    @Test
    void theAuthServiceIsGivenAnAnonymousProfileWithoutAnyPermission() throws Exception {
        JsonNode compose = new YAMLMapper().readTree(env.files.get(Layout.CONFIG_DIR + "/docker-compose.yml"));
        JsonNode auth = compose.at("/services/orthanc-auth-service");
        String path = auth.at("/environment/ANONYMOUS_PROFILE_FILE_PATH").asText();
        assertThat(path).as("the anonymous profile is named explicitly").isNotEmpty()
                // the image's own file (which grants upload) lives in the image's folder
                .doesNotStartWith("/orthanc_auth_service/");
        List<String> mounts = new ArrayList<>();
        auth.get("volumes").forEach(v -> mounts.add(v.asText()));
        assertThat(mounts).contains(Layout.CONFIG_DIR + "/anonymous-profile.json:" + path + ":ro");

        JsonNode profile = new ObjectMapper().readTree(env.files.get(Layout.CONFIG_DIR + "/anonymous-profile.json"));
        assertThat(profile.get("permissions")).as("anonymous permissions").isEmpty();
        assertThat(profile.get("authorized-labels")).as("anonymous labels").isEmpty();
        // the fields the auth service's UserProfileResponse model requires
        assertThat(profile.has("name") && profile.has("validity")).isTrue();
    }

    // ------------------------------------------------------------------ H1: identity-provider admin not public

    @Test
    void onlyTheOrthancRealmIsPublishedUnderKeycloak() throws Exception {
        // Keycloak is not running in this test: 404 comes from nginx itself, 502 means "proxied"
        SoftAssertions soft = new SoftAssertions();
        for (String path : List.of("/keycloak/", "/keycloak/admin/", "/keycloak/admin/master/console/",
                "/keycloak/admin/realms/orthanc/users", "/keycloak/realms/master/",
                "/keycloak/realms/master/protocol/openid-connect/token", "/keycloak/metrics",
                "/keycloak/realms/orthanc/../master/.well-known/openid-configuration",
                "/keycloak/realms/orthanc/%2e%2e/master/", "/keycloak/resources/../admin/",
                "/keycloak/realms/orthanc2/", "/keycloak/realms/ORTHANC/")) {
            soft.assertThat(request("GET", path, null).status()).as("GET %s", path).isEqualTo(404);
        }
        soft.assertThat(request("POST", "/keycloak/realms/master/protocol/openid-connect/token",
                file("grant.txt", "grant_type=password")).status()).isEqualTo(404);
        for (String path : List.of("/keycloak/realms/orthanc/.well-known/openid-configuration",
                "/keycloak/resources/abc/login/orthanc/css/login.css")) {
            soft.assertThat(request("GET", path, null).status()).as("GET %s is proxied", path).isEqualTo(502);
        }
        // the operator listener (loopback) proxies the admin console
        soft.assertThat(Tools.run("curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}",
                "http://127.0.0.1:" + env.layout.keycloakAdminPort() + "/keycloak/admin/master/console/").out())
                .isEqualTo("502");
        soft.assertAll();
    }

    /** Status codes of {@code count} POSTs to one path, sent by one curl over one connection. */
    static List<String> burst(String path, int count, String... headers) throws Exception {
        Path cfg = work.resolve("burst.cfg");
        int port = ConformanceEnv.port(env.layout.httpsListen());
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < count; i++) {
            b.append("url = \"https://").append(ConformanceEnv.SITE).append(':').append(port).append(path)
                    .append("\"\n-o /dev/null\n");
        }
        Files.writeString(cfg, b.toString());
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "-X", "POST", "--data-binary", "x",
                "--cacert", env.tlsDir.resolve("ca.crt").toString(),
                "--resolve", ConformanceEnv.SITE + ":" + port + ":127.0.0.1", "-w", "%{http_code}\n", "-K", cfg.toString()));
        for (String h : headers) {
            cmd.add("-H");
            cmd.add(h);
        }
        List<String> codes = List.of(Tools.run(cmd.toArray(String[]::new)).out().trim().split("\n"));
        assertThat(codes).hasSize(count);
        return codes;
    }

    @Test
    void loginEndpointsAreRateLimitedPerAddress() throws Exception {
        // 30 a minute with a burst of 10: a quick series gets 429 from nginx (before Keycloak)
        List<String> codes = burst("/keycloak/realms/orthanc/login-actions/authenticate", 40);
        assertThat(codes.subList(0, 5)).as("first attempts reach the (absent) upstream").containsOnly("502");
        assertThat(codes.stream().filter("429"::equals).count()).as("then throttled: " + codes).isGreaterThanOrEqualTo(20);
    }

    @Test
    void uploadsAreRateLimitedPerAddress() throws Exception {
        // 50 a second with a burst of 500: 1200 requests over one connection exhaust it as long
        // as they arrive faster than about 85 a second (here: several hundred)
        List<String> codes = burst("/orthanc/instances", 1200, "Authorization: " + CREDENTIAL);
        assertThat(codes.subList(0, 400)).as("within the burst Orthanc answers").doesNotContain("429");
        assertThat(codes).as("beyond it nginx throttles").contains("429");
    }

    // ------------------------------------------------------------------ H2: no credential or PHI in logs

    @Test
    void noTokenAndNoPatientNameReachesAnyLog() throws Exception {
        String patient = "Confidential^Patient" + ConformanceEnv.randomAlnum(6);
        List<String> secrets = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            secrets.add("tok" + ConformanceEnv.randomAlnum(24));
        }
        Path dicom = instance("phi.dcm", patient, TEST_FILES.resolve("CT_small.dcm"));
        assertThat(request("POST", "/orthanc/dicom-web/studies", stowBody(dicom), STOW_TYPE,
                "Authorization: Bearer " + secrets.get(0)).status()).isEqualTo(200);
        request("GET", "/orthanc/dicom-web/studies?PatientName=" + patient, null, "Authorization: Bearer " + secrets.get(0));
        request("GET", "/orthanc/studies?token=" + secrets.get(1), null);
        request("GET", "/orthanc/patients", null, "token: " + secrets.get(2), "api-key: " + secrets.get(3),
                "Referer: https://" + ConformanceEnv.SITE + "/orthanc/ui/app/token-landing.html?token=" + secrets.get(4));
        // an upstream failure (Keycloak is not running here) makes nginx write an error line
        assertThat(request("GET", "/keycloak/realms/orthanc/protocol/openid-connect/auth?login_hint=" + patient
                + "&state=" + secrets.get(5), null).status()).isEqualTo(502);
        ConformanceEnv.sleep(500);

        Map<Path, String> logs = new java.util.TreeMap<>();
        try (var files = Files.walk(env.root)) {
            for (Path f : files.filter(Files::isRegularFile).filter(f -> f.toString().endsWith(".log")).toList()) {
                logs.put(f, Files.readString(f, StandardCharsets.ISO_8859_1));
            }
        }
        String nginxLog = logs.get(env.root.resolve("nginx.log"));
        assertThat(nginxLog).as("the access log records the requests").contains("GET /orthanc/dicom-web/studies")
                .contains("GET /keycloak/realms/orthanc/protocol/openid-connect/auth");
        SoftAssertions soft = new SoftAssertions();
        for (Map.Entry<Path, String> log : logs.entrySet()) {
            for (String secret : secrets) {
                soft.assertThat(log.getValue()).as("%s holds a token", log.getKey()).doesNotContain(secret);
            }
            soft.assertThat(log.getValue()).as("%s holds the patient name", log.getKey())
                    .doesNotContain(patient).doesNotContain(patient.replace("^", "%5E"));
        }
        soft.assertAll();
    }

    @Test
    void theAuthServiceStartCommandKeepsTokensOutOfItsLog() throws Exception {
        // The image's app sets the root logger to DEBUG at import and logs every token at INFO
        // (orthanc-auth-service 26.4.1 app.py). Stand-ins with that behaviour for the image's
        // modules (app, uvicorn), and the rendered start command run by a real shell and Python.
        Path image = work.resolve("auth-image");
        Files.createDirectories(image);
        Files.writeString(image.resolve("app.py"), String.join("\n",
                "import logging", "logging.basicConfig(level=logging.DEBUG)", "logging.warning('app imported')",
                "def app(token):", "    logging.info('validating token: ' + token)", "    logging.warning('request served')", ""));
        Files.writeString(image.resolve("uvicorn.py"), String.join("\n",
                "import os", "def run(app, **options):", "    print('uvicorn.run', sorted(options.items()))",
                "    app(os.environ['TEST_TOKEN'])", ""));
        Path users = file("auth-users.json", "{\"orthanc\": \"pw\"}");
        JsonNode command = new YAMLMapper().readTree(env.files.get(Layout.CONFIG_DIR + "/docker-compose.yml"))
                .at("/services/orthanc-auth-service/command");
        assertThat(command.get(0).asText()).isEqualTo("/bin/sh");
        String script = command.get(2).asText().replace("$$", "$").replace("/run/secrets/auth-users.json", users.toString());
        String token = "tok" + ConformanceEnv.randomAlnum(24);
        Tools.Result r = Tools.run(image, Map.of("TEST_TOKEN", token, "PYTHONPATH", image.toString()), 60,
                "/bin/sh", "-c", script).expectSuccess("auth service start command");
        assertThat(r.out()).contains("request served").contains("('access_log', False)").contains("('log_level', 'warning')")
                .doesNotContain(token);
    }

    // ------------------------------------------------------------------ H5: DICOM connections are logged

    @Test
    void dicomTlsConnectionsAreLoggedWithTheCertificateSubjectAndSerial() throws Exception {
        TestPki.Issued peer = env.peers.get("modality-1");
        String cert = peer.cert().toString();
        String serial = Tools.run("openssl", "x509", "-noout", "-serial", "-in", cert).expectSuccess("serial").out().trim()
                .replace("serial=", "");
        String subject = Tools.run("openssl", "x509", "-noout", "-subject", "-nameopt", "RFC2253", "-in", cert)
                .expectSuccess("subject").out().trim().replace("subject=", "");
        Tools.run("echoscu", "+tls", peer.key().toString(), cert, "+cf", env.tlsDir.resolve("ca.crt").toString(),
                "-aet", env.declared.get("modality-1").effectiveAeTitle(), "-aec", "ORTHANC", "127.0.0.1",
                Integer.toString(ConformanceEnv.port(env.layout.dicomListen()))).expectSuccess("echoscu");
        ConformanceEnv.sleep(500);
        assertThat(env.log("nginx")).containsPattern("dicom-tls client=127\\.0\\.0\\.1 peer=modality-1 .*subject=\""
                + java.util.regex.Pattern.quote(subject) + "\" serial=" + serial + " ");
    }

    // ------------------------------------------------------------------ L1, L4: TLS tickets, headers, WebDAV

    @Test
    void noTlsSessionTicketsOnEitherPort() {
        for (String listen : List.of(env.layout.httpsListen(), env.layout.dicomListen())) {
            Tools.Result r = Tools.run("openssl", "s_client", "-connect", "127.0.0.1:" + ConformanceEnv.port(listen),
                    "-tls1_2", "-cert", env.peers.get("modality-1").cert().toString(),
                    "-key", env.peers.get("modality-1").key().toString(), "-CAfile", env.tlsDir.resolve("ca.crt").toString());
            assertThat(r.out()).as(listen).contains("Verify return code: 0").doesNotContain("TLS session ticket:");
        }
    }

    @Test
    void orthancPagesCannotBeFramedByOtherSites() throws Exception {
        int port = ConformanceEnv.port(env.layout.httpsListen());
        String head = Tools.run("curl", "-sS", "-D", "-", "-o", "/dev/null", "--cacert", env.tlsDir.resolve("ca.crt").toString(),
                "--resolve", ConformanceEnv.SITE + ":" + port + ":127.0.0.1",
                "https://" + ConformanceEnv.SITE + ":" + port + "/orthanc/app/explorer.html").expectSuccess("curl").out();
        assertThat(head).containsIgnoringCase("x-frame-options: SAMEORIGIN")
                .containsIgnoringCase("content-security-policy: frame-ancestors 'self'");
    }

    @Test
    void webDavIsOff() throws Exception {
        Reply r = request("PROPFIND", "/orthanc/webdav/", null, "Authorization: " + CREDENTIAL, "Depth: 1");
        assertThat(r.status()).as(r.body()).isNotEqualTo(207).isBetween(400, 499);
    }

    // ------------------------------------------------------------------ M4: Orthanc only next to nginx

    @Test
    void orthancSharesANetworkOnlyWithNginxAndTheAuthService() throws Exception {
        Tools.require("docker-compose");
        Path compose = env.configDir.resolve("docker-compose.yml");
        Tools.Result r = Tools.run(env.configDir, Map.of("SITE_NAME", ConformanceEnv.SITE), 120,
                "docker-compose", "--file", compose.toString(), "config").expectSuccess("docker-compose config");
        JsonNode services = new YAMLMapper().readTree(r.out()).get("services");
        Map<String, java.util.Set<String>> networks = new java.util.TreeMap<>();
        services.fields().forEachRemaining(e -> {
            java.util.Set<String> names = new java.util.TreeSet<>();
            JsonNode n = e.getValue().path("networks");
            if (n.isArray()) {
                n.forEach(x -> names.add(x.asText()));
            } else {
                n.fieldNames().forEachRemaining(names::add);
            }
            assertThat(names).as(e.getKey() + " declares its networks").isNotEmpty().doesNotContain("default");
            networks.put(e.getKey(), names);
        });
        java.util.function.BiFunction<String, String, Boolean> share = (a, b) ->
                networks.get(a).stream().anyMatch(networks.get(b)::contains);
        assertThat(share.apply("orthanc", "nginx")).isTrue();
        assertThat(share.apply("orthanc", "orthanc-auth-service")).isTrue();
        assertThat(share.apply("orthanc", "keycloak")).as("Keycloak reaches Orthanc").isFalse();
        assertThat(share.apply("nginx", "keycloak")).isTrue();
        assertThat(share.apply("orthanc-auth-service", "keycloak")).isTrue();
        // the operator port is published on the host's loopback only
        List<String> ports = new ArrayList<>();
        services.at("/nginx/ports").forEach(p -> ports.add(p.toString()));
        assertThat(ports).anyMatch(p -> p.contains("127.0.0.1") && p.contains(Integer.toString(env.layout.keycloakAdminPort())));
    }
}
