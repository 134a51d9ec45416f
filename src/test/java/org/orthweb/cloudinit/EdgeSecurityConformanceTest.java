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
            env.bootstrap("secrets", "certs", "db", "configure").expectSuccess("bootstrap");
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
        // over DICOM TLS from a modality
        Tools.run("storescu", "+tls", env.tlsDir.resolve("client.key").toString(), env.tlsDir.resolve("client.crt").toString(),
                "+cf", env.tlsDir.resolve("ca.crt").toString(), "-aec", "ORTHANC", "127.0.0.1",
                Integer.toString(ConformanceEnv.port(env.layout.dicomListen())), forgedDicom.toString());

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
}
