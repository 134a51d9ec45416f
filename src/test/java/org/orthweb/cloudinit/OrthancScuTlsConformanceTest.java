package org.orthweb.cloudinit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigInteger;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@code orthweb:orthanc.modalities.<name>.tls} relies on, checked on Debian's Orthanc and
 * dcmtk's {@code storescp} with TLS (which requires the caller's certificate by default): Orthanc's
 * SCU speaks DICOM TLS to a modality with {@code UseDicomTls} using its own client certificate
 * and key ({@code DicomTlsCertificate}, {@code DicomTlsPrivateKey}) and the modality's CA
 * ({@code DicomTlsTrustedCertificates}) while {@code DicomTlsEnabled} stays false, so its own
 * DICOM server stays plain (as it must behind nginx); a modality whose CA is not trusted is
 * refused; without a client identity no TLS association is made. The rendered configuration with
 * the site PKI's identity is run by OrthancQueryRetrieveConformanceTest; this class pins Orthanc's
 * behaviour on hand-written files, so a change of Orthanc's rules shows here first.
 */
@Tag("conformance")
class OrthancScuTlsConformanceTest {

    static final Path CT = OrthancStackConformanceTest.TEST_FILES.resolve("CT_small.dcm");

    @TempDir
    static Path dir;
    static final List<Process> PROCESSES = new ArrayList<>();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static int withIdentity;
    static int withoutIdentity;
    static int orthancDicom;
    static Path received;

    @BeforeAll
    static void bringUp() throws Exception {
        Tools.require("Orthanc", "storescp", "echoscu", "openssl", CT.toString());
        TestPki pki = new TestPki(dir.resolve("pki"));
        TestPki.Issued siteCa = pki.ca("site-ca", "Site CA", BigInteger.valueOf(1));
        TestPki.Issued otherCa = pki.ca("other-ca", "Other CA", BigInteger.valueOf(2));
        TestPki.Issued scu = pki.peer("orthanc-scu", siteCa, BigInteger.valueOf(3));
        TestPki.Issued pacsCert = pki.server("pacs", siteCa, List.of("localhost"), List.of("127.0.0.1"), BigInteger.valueOf(4));
        TestPki.Issued rogueCert = pki.server("rogue", otherCa, List.of("localhost"), List.of("127.0.0.1"), BigInteger.valueOf(5));

        received = Files.createDirectories(dir.resolve("received"));
        int pacsPort = Tools.freePort();
        int roguePort = Tools.freePort();
        Files.createDirectories(dir.resolve("rogue"));
        // storescp with TLS: its own key and certificate, the CA it checks callers against (peer
        // certificate required: dcmtk's default, --require-peer-cert)
        awaitPort(pacsPort, start("storescp", "+tls", pacsCert.key().toString(), pacsCert.cert().toString(),
                "+cf", siteCa.cert().toString(), "-aet", "PACS", "-od", received.toString(), Integer.toString(pacsPort)));
        awaitPort(roguePort, start("storescp", "+tls", rogueCert.key().toString(), rogueCert.cert().toString(),
                "+cf", siteCa.cert().toString(), "-aet", "ROGUE", "-od", dir.resolve("rogue").toString(),
                Integer.toString(roguePort)));

        String modalities = """
                "DicomModalities": {
                  "pacs": {"AET": "PACS", "Host": "127.0.0.1", "Port": %d, "UseDicomTls": true},
                  "rogue": {"AET": "ROGUE", "Host": "127.0.0.1", "Port": %d, "UseDicomTls": true}
                }""".formatted(pacsPort, roguePort);
        orthancDicom = Tools.freePort();
        withIdentity = orthanc("with-identity", orthancDicom, modalities + """
                ,
                "DicomTlsEnabled": false,
                "DicomTlsCertificate": "%s",
                "DicomTlsPrivateKey": "%s",
                "DicomTlsTrustedCertificates": "%s"
                """.formatted(scu.cert(), scu.key(), siteCa.cert()));
        withoutIdentity = orthanc("without-identity", Tools.freePort(), modalities);
    }

    @AfterAll
    static void tearDown() throws InterruptedException {
        for (Process p : PROCESSES) {
            p.destroy();
        }
        for (Process p : PROCESSES) {
            if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    /** Starts Orthanc (SQLite index and files under the temp directory) and returns its HTTP port. */
    static int orthanc(String name, int dicomPort, String extra) throws Exception {
        Path home = Files.createDirectories(dir.resolve(name));
        int http = Tools.freePort();
        Files.writeString(home.resolve("orthanc.json"), """
                {
                  "Name": "%s",
                  "StorageDirectory": "%s",
                  "IndexDirectory": "%s",
                  "HttpPort": %d,
                  "DicomPort": %d,
                  "DicomAet": "ORTHANC",
                  "RemoteAccessAllowed": false,
                  "AuthenticationEnabled": false,
                  "DicomScuTimeout": 5,
                  %s
                }
                """.formatted(name, home.resolve("db"), home.resolve("db"), http, dicomPort, extra));
        Process p = start("Orthanc", home.resolve("orthanc.json").toString());
        awaitPort(http, p);
        return http;
    }

    static Process start(String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve(Path.of(command[0]).getFileName() + "-" + PROCESSES.size() + ".log").toFile())
                .start();
        PROCESSES.add(p);
        return p;
    }

    /** Waits (at most 30 s, 300 tries) until the port accepts, failing early when the process died. */
    static void awaitPort(int port, Process p) throws InterruptedException {
        for (int i = 0; i < 300; i++) {
            if (!p.isAlive()) {
                throw new AssertionError(p.info().command().orElse("process") + " exited with " + p.exitValue());
            }
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("port " + port + " never opened");
    }

    static HttpResponse<String> post(int port, String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> upload(int port) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/instances"))
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofFile(CT)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void withItsClientIdentityOrthancEchoesAndSendsAStudyToATlsModality() throws Exception {
        HttpResponse<String> echo = post(withIdentity, "/modalities/pacs/echo", "{}");
        assertThat(echo.statusCode()).as(echo.body()).isEqualTo(200);

        HttpResponse<String> stored = upload(withIdentity);
        assertThat(stored.statusCode()).as(stored.body()).isEqualTo(200);
        String study = new com.fasterxml.jackson.databind.ObjectMapper().readTree(stored.body()).get("ParentStudy").asText();
        HttpResponse<String> sent = post(withIdentity, "/modalities/pacs/store", study);
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(200);
        try (Stream<Path> files = Files.list(received)) {
            assertThat(files.toList()).as("files storescp received over TLS").hasSize(1);
        }
    }

    @Test
    void aModalityWhoseCaIsNotTrustedIsRefused() throws Exception {
        HttpResponse<String> echo = post(withIdentity, "/modalities/rogue/echo", "{}");
        assertThat(echo.statusCode()).as(echo.body()).isNotEqualTo(200);
        assertThat(echo.body()).contains("certificate verify failed");
    }

    @Test
    void withoutAClientIdentityNoTlsAssociationIsMade() throws Exception {
        HttpResponse<String> echo = post(withoutIdentity, "/modalities/pacs/echo", "{}");
        assertThat(echo.statusCode()).as(echo.body()).isNotEqualTo(200);
        // Orthanc 1.10.1: "DICOM TLS - No path to the private key of the local certificate was provided"
        assertThat(echo.body()).contains("No path to the private key");
    }

    @Test
    void orthancsOwnDicomServerStaysPlain() {
        Tools.run("echoscu", "-aec", "ORTHANC", "127.0.0.1", Integer.toString(orthancDicom))
                .expectSuccess("plain C-ECHO to Orthanc's SCP with DicomTlsEnabled false");
    }
}
