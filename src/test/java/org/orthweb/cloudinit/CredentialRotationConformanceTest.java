package org.orthweb.cloudinit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Credential rotation end to end on real servers: PostgreSQL with TLS whose application roles
 * sign in with IAM tokens ({@link RdsIamStandIn}), the rendered token refresher
 * ({@code orthweb-db-auth}) run on a timer, Debian's Orthanc on the rendered configuration and
 * Keycloak 26.2.5 from its distribution with the compose file's database settings.
 *
 * <p>Time is compressed: tokens live {@value #LIFETIME_SECONDS} s instead of RDS's 900 s and
 * the refresher runs every {@value #REFRESH_SECONDS} s instead of every 300 s (the same one
 * third). During the run both services keep opening new connections (Keycloak's pool retires
 * connections after {@value #POOL_MAX_LIFETIME} s; a second Orthanc server starts, stores and
 * stops over and over, as a replaced host would), each with the token the file holds then.
 * Then the refresher stops, and the same kind of new connection is refused: the run above could
 * have failed.
 */
@Tag("conformance")
class CredentialRotationConformanceTest {

    static final int LIFETIME_SECONDS = 24;
    static final int REFRESH_SECONDS = 8;
    static final int POOL_MAX_LIFETIME = 5;
    static final Duration RUN = Duration.ofSeconds(4L * LIFETIME_SECONDS);
    static final Path SAMPLE = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm");
    static final String USER = "rotation-user";
    static final String USER_PASSWORD = "Rot-" + ConformanceEnv.randomAlnum(24);

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void storesAndLoginsSurviveTokenRotationAndNewConnectionsFailWithoutIt() throws Exception {
        Tools.require("jq", "unzip", "/usr/bin/python3", ConformanceEnv.PG_BIN + "/initdb", "psql", "openssl", "storescu",
                "Orthanc", SAMPLE.toString());
        RdsIamStandIn iam = RdsIamStandIn.get();
        ScheduledExecutorService timer = Executors.newScheduledThreadPool(3);
        try (ConformanceEnv env = new ConformanceEnv()) {
            env.startPostgres();
            env.writeSecrets();
            env.bootstrap("secrets", "db", "configure").expectSuccess("bootstrap secrets db configure");
            // this test runs the refresher on its own compressed schedule, and stops it on purpose
            env.stopDbTokenTimer();
            assertThat(Files.readString(env.pgpass(Layout.ORTHANC_DB))).as("the token's ':' escaped")
                    .startsWith("127.0.0.1:" + env.pgPort + ":*:orthanc:127.0.0.1\\:" + env.pgPort + "/?Action=connect");
            iam.lifetime(LIFETIME_SECONDS);
            List<Path> instances = instances(env, 2000);

            // the host's timer, compressed
            AtomicInteger refreshes = new AtomicInteger();
            AtomicInteger refreshFailures = new AtomicInteger();
            AtomicReference<String> refreshError = new AtomicReference<>();
            var refresher = timer.scheduleAtFixedRate(() -> {
                Tools.Result r = env.refreshDbTokens();
                if (r.exit() == 0) {
                    refreshes.incrementAndGet();
                } else {
                    refreshFailures.incrementAndGet();
                    refreshError.set(r.out());
                }
            }, 0, REFRESH_SECONDS, TimeUnit.SECONDS);

            Process keycloak = startKeycloak(env);
            String tokenUrl = "http://127.0.0.1:" + env.layout.keycloakPort() + "/realms/orthanc/protocol/openid-connect/token";
            Path orthancA = env.orthancConfig("orthanc", true);
            Process a = env.startOrthanc("orthanc", orthancA, env.layout.orthancHttpPort(), Map.of());
            int bHttp = Tools.freePort();
            int bDicom = Tools.freePort();
            ObjectNode bJson = (ObjectNode) new ObjectMapper().readTree(env.files.get(Layout.CONFIG_DIR + "/orthanc.json"));
            bJson.put("HttpPort", bHttp).put("DicomPort", bDicom);
            Path orthancB = env.orthancConfig("orthanc-b", bJson.toString());
            String aet = env.declared.get("modality-1").effectiveAeTitle();

            // ---- the run: ingest into A, logins at Keycloak, B restarting, tokens rotating
            long runStart = Instant.now().getEpochSecond();
            Instant end = Instant.now().plus(RUN);
            AtomicInteger next = new AtomicInteger();
            AtomicInteger stores = new AtomicInteger();
            List<String> failedStores = java.util.Collections.synchronizedList(new ArrayList<>());
            AtomicInteger logins = new AtomicInteger();
            List<String> failedLogins = java.util.Collections.synchronizedList(new ArrayList<>());
            AtomicInteger bStarts = new AtomicInteger();
            var ingest = timer.submit(() -> {
                while (Instant.now().isBefore(end) && next.get() < instances.size() - 50) {
                    String failure = store(aet, env.layout.orthancDicomPort(), instances.get(next.getAndIncrement()));
                    if (failure == null) {
                        stores.incrementAndGet();
                    } else {
                        failedStores.add(failure);
                    }
                }
                return null;
            });
            var loginLoop = timer.submit(() -> {
                while (Instant.now().isBefore(end)) {
                    String failure = login(tokenUrl);
                    if (failure == null) {
                        logins.incrementAndGet();
                    } else {
                        failedLogins.add(failure);
                    }
                    Thread.sleep(200);
                }
                return null;
            });
            // a server that opens its connections now: started, one store, stopped
            while (Instant.now().plusSeconds(15).isBefore(end)) {
                int n = bStarts.incrementAndGet();
                Process b = env.startOrthanc("orthanc-b-" + n, orthancB, bHttp, Map.of("ORTHWEB_HOST_ID", "i-0b0b0b0b0b0b0b0b" + n));
                String failure = store(aet, bDicom, instances.get(next.getAndIncrement()));
                if (failure == null) {
                    stores.incrementAndGet();
                } else {
                    failedStores.add("via B: " + failure);
                }
                b.destroy();
                assertThat(b.waitFor(30, TimeUnit.SECONDS)).as("orthanc-b stops").isTrue();
                Thread.sleep(REFRESH_SECONDS * 1000L / 2);
            }
            ingest.get(RUN.toSeconds() + 60, TimeUnit.SECONDS);
            loginLoop.get(RUN.toSeconds() + 60, TimeUnit.SECONDS);
            long runEnd = Instant.now().getEpochSecond();
            refresher.cancel(false);
            Thread.sleep(1000);

            Map<String, Set<String>> tokens = new HashMap<>();
            List<String> refused = new ArrayList<>();
            for (String line : iam.logins()) {
                String[] f = line.split(" ");
                long at = Long.parseLong(f[0]);
                if (at < runStart || at > runEnd) {
                    continue;
                }
                if (f[1].equals("accepted")) {
                    tokens.computeIfAbsent(f[2], k -> new TreeSet<>()).add(f[3]);
                } else {
                    refused.add(line);
                }
            }
            long indexed = Long.parseLong(env.sql(Layout.ORTHANC_DB, "select count(*) from resources where resourcetype = 3")
                    .expectSuccess("count instances").out().trim());
            System.out.printf("credential rotation: %d s with tokens living %d s, refreshed every %d s (%d refreshes, %d failed);"
                            + " stores %d ok / %d failed (index holds %d); Keycloak logins %d ok / %d failed;"
                            + " orthanc-b starts %d; distinct tokens accepted: orthanc %d, keycloak %d; refused logins %d%n",
                    runEnd - runStart, LIFETIME_SECONDS, REFRESH_SECONDS, refreshes.get(), refreshFailures.get(),
                    stores.get(), failedStores.size(), indexed, logins.get(), failedLogins.size(), bStarts.get(),
                    tokens.getOrDefault(Layout.ORTHANC_DB, Set.of()).size(),
                    tokens.getOrDefault(Layout.KEYCLOAK_DB, Set.of()).size(), refused.size());
            assertThat(refreshFailures.get()).as("refresher: %s", refreshError.get()).isZero();
            assertThat(failedStores).as("failed C-STOREs").isEmpty();
            assertThat(failedLogins).as("failed logins").isEmpty();
            assertThat(refused).as("database logins refused during the run").isEmpty();
            assertThat(indexed).as("every acknowledged store is in the index").isEqualTo(stores.get());
            assertThat(stores.get()).isGreaterThan(50);
            assertThat(logins.get()).isGreaterThan(50);
            // no restart: the same processes all along
            assertThat(a.isAlive()).as("orthanc A still running").isTrue();
            assertThat(keycloak.isAlive()).as("keycloak still running").isTrue();
            // the run did open new connections, with tokens issued after the services started:
            // several distinct ones per role, more than one lifetime apart
            assertThat(tokens.getOrDefault(Layout.ORTHANC_DB, Set.of())).hasSizeGreaterThanOrEqualTo(3);
            assertThat(tokens.getOrDefault(Layout.KEYCLOAK_DB, Set.of())).hasSizeGreaterThanOrEqualTo(3);

            // ---- the mechanism broken: the file is no longer refreshed
            Thread.sleep((LIFETIME_SECONDS + 2) * 1000L);
            int before = iam.logins().size();
            int refusedLogins = 0;
            for (int i = 0; i < 40; i++) {
                if (login(tokenUrl) != null) {
                    refusedLogins++;
                }
                Thread.sleep(250);
            }
            Process stuck = env.start("orthanc-b-stale", Map.of("PGPASSFILE", env.pgpass(Layout.ORTHANC_DB).toString(),
                    "ORTHWEB_HOST_ID", "i-0b0b0b0b0b0b0stale"), "Orthanc", orthancB.toString());
            Instant until = Instant.now().plusSeconds(20);
            while (Instant.now().isBefore(until) && iam.logins().subList(before, iam.logins().size()).stream()
                    .noneMatch(l -> l.contains("refused orthanc expired"))) {
                Thread.sleep(500);
            }
            List<String> after = iam.logins().subList(before, iam.logins().size());
            System.out.printf("credential rotation, refresher stopped: %d of 40 Keycloak logins failed; database logins "
                            + "refused as expired: orthanc %d, keycloak %d%n", refusedLogins,
                    after.stream().filter(l -> l.contains("refused orthanc expired")).count(),
                    after.stream().filter(l -> l.contains("refused keycloak expired")).count());
            assertThat(after).as("Orthanc's new connection with a stale token").anyMatch(l -> l.contains("refused orthanc expired"));
            assertThat(refusedLogins).as("Keycloak logins once its pool needs a new connection").isPositive();
            // and a refresh heals it without a restart: the stalled server connects on its next retry
            env.refreshDbTokens().expectSuccess("refresh");
            env.awaitHttp("http://127.0.0.1:" + bHttp + "/system", stuck, "orthanc-b-stale");
            assertThat(login(tokenUrl)).as("a login after the refresh").isNull();
        } finally {
            timer.shutdownNow();
            iam.lifetime(RdsIamStandIn.DEFAULT_LIFETIME_SECONDS);
        }
    }

    /** One C-STORE with dcmtk; null when Orthanc answered Success, else what went wrong. */
    static String store(String aet, int port, Path file) {
        Tools.Result r = Tools.run(null, Map.of(), 60, "storescu", "-v", "-aet", aet, "-aec", Layout.ORTHANC_AET,
                "127.0.0.1", Integer.toString(port), file.toString());
        return r.exit() == 0 && r.out().contains("Received Store Response (Success)") ? null
                : file.getFileName() + ": exit " + r.exit() + " " + r.out().lines().filter(l -> l.contains("E:") || l.contains("Status"))
                .collect(Collectors.joining(" | "));
    }

    /** A password grant of the test user; null on 200, else the status and body. */
    String login(String tokenUrl) {
        String body = Map.of("grant_type", "password", "client_id", "rotation-login", "username", USER, "password", USER_PASSWORD)
                .entrySet().stream().map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(tokenUrl)).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? null : r.statusCode() + " " + r.body();
        } catch (IOException | InterruptedException e) {
            return e.toString();
        }
    }

    /** {@code n} copies of a CT image, each a new instance (new SOP Instance UID), written by pydicom. */
    static List<Path> instances(ConformanceEnv env, int n) throws IOException {
        Path dir = env.root.resolve("instances");
        Files.createDirectories(dir);
        Path script = env.root.resolve("instances.py");
        Files.writeString(script, String.join("\n",
                "import sys, pydicom",
                "from pydicom.uid import generate_uid",
                "ds = pydicom.dcmread(sys.argv[1])",
                "ds.StudyInstanceUID = generate_uid()",
                "for i in range(int(sys.argv[3])):",
                "    if i % 100 == 0:",
                "        ds.SeriesInstanceUID = generate_uid()",
                "    ds.SOPInstanceUID = generate_uid()",
                "    ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID",
                "    ds.save_as('%s/%05d.dcm' % (sys.argv[2], i))",
                ""));
        // Debian's python3, where python3-pydicom is installed (not whatever python3 comes first on PATH)
        Tools.run(env.root, Map.of(), 300, "/usr/bin/python3", script.toString(), SAMPLE.toString(), dir.toString(), Integer.toString(n))
                .expectSuccess("instances");
        try (var s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    /**
     * Keycloak 26.2.5 with the compose file's database settings (no password: PGPASSFILE), the
     * rendered realm plus a test-only public client with the password grant and a test user, and
     * a pool whose connections live {@value #POOL_MAX_LIFETIME} s so that logins keep opening new ones.
     */
    Process startKeycloak(ConformanceEnv env) throws Exception {
        Path zip = KeycloakRealmConformanceTest.keycloakZip();
        Path java = KeycloakRealmConformanceTest.java21();
        Tools.run(env.root, Map.of(), 300, "unzip", "-q", zip.toString(), "-d", env.root.resolve("kc").toString())
                .expectSuccess("unzip keycloak");
        Path home;
        try (var s = Files.list(env.root.resolve("kc"))) {
            home = s.findFirst().orElseThrow();
        }
        // the realms under the names the rendered compose file gives Keycloak (they decide the order)
        Path importDir = home.resolve("data/import");
        ObjectMapper json = new ObjectMapper();
        Path realmFile = null;
        for (String name : env.copyKeycloakImports(importDir)) {
            if ("orthanc".equals(json.readTree(importDir.resolve(name).toFile()).path("realm").asText())) {
                realmFile = importDir.resolve(name);
            }
        }
        assertThat(realmFile).as("the orthanc realm among Keycloak's imports").isNotNull();
        ObjectNode realm = (ObjectNode) json.readTree(realmFile.toFile());
        ((ArrayNode) realm.get("clients")).add(json.readTree("{\"clientId\": \"rotation-login\", \"publicClient\": true, "
                + "\"directAccessGrantsEnabled\": true, \"standardFlowEnabled\": false}"));
        ((ArrayNode) realm.withArray("users")).add(json.readTree("{\"username\": \"" + USER + "\", \"enabled\": true, "
                + "\"email\": \"rotation@example.org\", \"emailVerified\": true, \"firstName\": \"Rotation\", \"lastName\": "
                + "\"Test\", \"requiredActions\": [], \"credentials\": [{\"type\": \"password\", \"value\": \""
                + USER_PASSWORD + "\", \"temporary\": false}]}"));
        Files.writeString(realmFile, realm.toString());
        System.out.println("conformance adaptation: added public client rotation-login (password grant) and user " + USER
                + " to the imported realm");
        Files.copy(env.secretsDir.resolve("keycloak.conf"), home.resolve("conf/keycloak.conf"), StandardCopyOption.REPLACE_EXISTING);
        assertThat(Files.readString(home.resolve("conf/keycloak.conf"))).doesNotContain("db-password");

        JsonNode environment = new YAMLMapper().readTree(env.files.get(Layout.CONFIG_DIR + "/docker-compose.yml"))
                .at("/services/keycloak/environment");
        Map<String, String> kc = new HashMap<>();
        environment.fields().forEachRemaining(e -> kc.put(e.getKey(), e.getValue().asText()
                .replaceAll("\\$\\{SITE_NAME[^}]*}", "localhost")
                .replace(Layout.RDS_CA_FILE, env.rdsCa.toString())
                .replace(Layout.DB_AUTH_CONTAINER_DIR + "/", env.dbAuthDir.resolve(Layout.KEYCLOAK_DB) + "/")));
        assertThat(kc).doesNotContainKey("KC_DB_PASSWORD").containsEntry("PGPASSFILE", env.pgpass(Layout.KEYCLOAK_DB).toString());
        kc.put("JAVA_HOME", java.toString());
        // as KeycloakRealmConformanceTest: a newer JDK than Keycloak 26.2 expects; test-only: a pool
        // whose connections are replaced every few seconds (on the host they live until closed)
        kc.put("JAVA_OPTS_APPEND", "--add-opens=java.base/java.lang=ALL-UNNAMED -Dnet.bytebuddy.experimental=true"
                + " -Dquarkus.datasource.jdbc.max-lifetime=" + POOL_MAX_LIFETIME + "S"
                + " -Dquarkus.datasource.jdbc.acquisition-timeout=30S");
        System.out.println("conformance adaptation: Keycloak pool max lifetime " + POOL_MAX_LIFETIME
                + " s (forces new database connections during the run)");
        int management = Tools.freePort();
        Process p = env.start("keycloak", kc, home.resolve("bin/kc.sh").toString(), "start", "--import-realm",
                "--http-host=127.0.0.1", "--http-port=" + env.layout.keycloakPort(),
                "--http-management-port=" + management, "--health-enabled=true");
        Instant deadline = Instant.now().plus(Duration.ofSeconds(600));
        String ready = "http://127.0.0.1:" + management + "/health/ready";
        while (true) {
            if (!p.isAlive()) {
                throw new AssertionError("keycloak exited:\n" + env.log("keycloak") + "\ndatabase logins:\n"
                        + String.join("\n", RdsIamStandIn.get().logins()));
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(ready)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().contains("UP")) {
                    return p;
                }
            } catch (IOException ignored) {
                // still starting
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("keycloak not ready:\n" + env.log("keycloak"));
            }
            Thread.sleep(1000);
        }
    }
}
