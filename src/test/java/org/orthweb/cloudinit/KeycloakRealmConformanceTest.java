package org.orthweb.cloudinit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;

import com.fasterxml.jackson.databind.node.ObjectNode;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.HashMap;
import java.net.URI;
import java.net.URLDecoder;
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
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The realm the bootstrap generates (rendered keycloak-realm.jq run by the bootstrap's configure
 * step), imported by a real Keycloak server from Maven Central (the version of the
 * orthanc-keycloak image is not on Maven Central; the closest served one is pinned in the pom).
 */
@Tag("conformance")
// the browser logins last, each after a pause (awaitLoginRate)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KeycloakRealmConformanceTest {

    /** the site name the bootstrap used for the realm's redirect URIs and the server certificate */
    static final String SITE = ConformanceEnv.SITE;
    static final String REDIRECT = "https://" + SITE + "/orthanc/ui/app/";

    static ConformanceEnv env;
    static Map<String, String> secrets;
    static JsonNode realm;
    static Process keycloak;
    static String base;
    /** Keycloak itself, as the auth service reaches it (not through nginx) */
    static String direct;
    /** the operator listener (Keycloak's admin console, master realm) */
    static String operator;
    static final String TEST_CLIENT_SECRET = ConformanceEnv.randomAlnum(32);
    /** test-only second administrator of the master realm, for the admin console in the browser */
    static final String TEST_OPERATOR = "conformance-operator";
    static final String TEST_OPERATOR_PASSWORD = "Op-" + ConformanceEnv.randomAlnum(24);
    /** the unpacked Keycloak and the JDK it runs on (the realm step's kcadm runs from there) */
    static Path keycloakHome;
    static Path javaHome;
    static HttpClient http;

    @BeforeAll
    static void generateRealmAndStartKeycloak() throws Exception {
        Tools.require("jq", "unzip", "python3", ConformanceEnv.PG_BIN + "/initdb", "psql", "nginx",
                ConformanceEnv.NGINX_STREAM_MODULE, "openssl");
        env = new ConformanceEnv();
        try {
            env.startPostgres();
            secrets = env.writeSecrets();
            env.bootstrap("secrets", "db", "configure").expectSuccess("bootstrap secrets db configure");
            Path zip = keycloakZip();
            Path java = java21();
            Tools.run(env.root, Map.of(), 300, "unzip", "-q", zip.toString(), "-d", env.root.resolve("kc").toString())
                    .expectSuccess("unzip keycloak");
            Path home;
            try (var s = Files.list(env.root.resolve("kc"))) {
                home = s.findFirst().orElseThrow();
            }
            keycloakHome = home;
            javaHome = java;
            // the realms under the names and in the directory layout the rendered compose file gives
            // Keycloak (the names decide the import order); the test's additions go into those files
            Path importDir = home.resolve("data/import");
            Map<String, Path> byRealm = new HashMap<>();
            for (String name : env.copyKeycloakImports(importDir)) {
                byRealm.put(new ObjectMapper().readTree(importDir.resolve(name).toFile()).path("realm").asText(),
                        importDir.resolve(name));
            }
            assertThat(byRealm).containsOnlyKeys("orthanc", "master");
            realm = new ObjectMapper().readTree(byRealm.get("orthanc").toFile());
            // test-only: a confidential client whose service account creates users, as an
            // administrator does in the admin console (which needs a second factor here)
            com.fasterxml.jackson.databind.node.ObjectNode imported = realm.deepCopy();
            ((com.fasterxml.jackson.databind.node.ArrayNode) imported.get("clients")).add(new ObjectMapper().readTree(
                    "{\"clientId\": \"conformance-admin\", \"publicClient\": false, \"secret\": \"" + TEST_CLIENT_SECRET
                    + "\", \"serviceAccountsEnabled\": true, \"standardFlowEnabled\": false}"));
            ((com.fasterxml.jackson.databind.node.ArrayNode) imported.get("users")).add(new ObjectMapper().readTree(
                    "{\"username\": \"service-account-conformance-admin\", \"enabled\": true, \"serviceAccountClientId\": "
                    + "\"conformance-admin\", \"clientRoles\": {\"realm-management\": [\"manage-users\"]}}"));
            Files.writeString(byRealm.get("orthanc"), imported.toString());
            System.out.println("conformance adaptation: added client conformance-admin (manage-users) to the imported realm");
            // the master realm the bootstrap generated, as the compose file mounts it
            // test-only: a second administrator with a password and the same pending OTP enrolment,
            // for the browser's admin console test (the generated admin's lockout is tested too)
            com.fasterxml.jackson.databind.node.ObjectNode master = (com.fasterxml.jackson.databind.node.ObjectNode)
                    new ObjectMapper().readTree(byRealm.get("master").toFile());
            master.putArray("users").add(new ObjectMapper().readTree("{\"username\": \"" + TEST_OPERATOR + "\", "
                    + "\"enabled\": true, \"email\": \"operator@example.org\", \"emailVerified\": true, \"firstName\": "
                    + "\"Conformance\", \"lastName\": \"Operator\", \"realmRoles\": [\"admin\"], \"requiredActions\": "
                    + "[\"CONFIGURE_TOTP\"], \"credentials\": [{\"type\": \"password\", \"value\": \""
                    + TEST_OPERATOR_PASSWORD + "\", \"temporary\": false}]}"));
            Files.writeString(byRealm.get("master"), master.toString());
            System.out.println("conformance adaptation: added user " + TEST_OPERATOR + " (admin, OTP to enrol) to the imported master realm");

            // behind the rendered nginx, as on the host: the public URL is https://localhost:<port>/keycloak
            int https = ConformanceEnv.port(env.layout.httpsListen());
            String publicHost = ConformanceEnv.SITE + ":" + https;
            base = "https://" + publicHost + "/keycloak";
            direct = "http://127.0.0.1:" + env.layout.keycloakPort();
            operator = "http://localhost:" + env.layout.keycloakAdminPort() + "/keycloak";
            Map<String, String> kc = new HashMap<>(keycloakEnvironment(publicHost));
            kc.put("JAVA_HOME", java.toString());
            // the JDK found here may be newer than Keycloak 26.2 expects (Java 24+ closes java.lang;
            // the Byte Buddy of its build step knows class files up to Java 24 unless told otherwise)
            kc.put("JAVA_OPTS_APPEND", "--add-opens=java.base/java.lang=ALL-UNNAMED -Dnet.bytebuddy.experimental=true");
            // the passwords reach Keycloak as the compose file mounts them: its configuration file
            Files.copy(env.secretsDir.resolve("keycloak.conf"), home.resolve("conf/keycloak.conf"),
                    StandardCopyOption.REPLACE_EXISTING);
            int management = Tools.freePort();
            keycloak = env.start("keycloak", kc, home.resolve("bin/kc.sh").toString(), "start", "--import-realm",
                    "--http-host=127.0.0.1", "--http-port=" + env.layout.keycloakPort(),
                    "--http-management-port=" + management, "--health-enabled=true");
            awaitReady("http://127.0.0.1:" + management + "/health/ready");
            Process nginx = env.startNginx("nginx", env.files.get(Layout.CONFIG_DIR + "/nginx.conf"));
            env.awaitPort(https, nginx, "nginx");
            http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                    .connectTimeout(Duration.ofSeconds(5)).sslContext(trusting(env.tlsDir.resolve("ca.crt"))).build();
        } catch (Throwable t) {
            env.close();
            throw t;
        }
    }

    /**
     * The Keycloak service's environment from the rendered compose file, with Compose's SITE_NAME
     * variable set to the test's public host and the RDS CA path pointing at the test CA.
     */
    static Map<String, String> keycloakEnvironment(String publicHost) throws Exception {
        JsonNode environment = new YAMLMapper().readTree(env.files.get(Layout.CONFIG_DIR + "/docker-compose.yml"))
                .at("/services/keycloak/environment");
        Map<String, String> kc = new HashMap<>();
        environment.fields().forEachRemaining(e -> kc.put(e.getKey(), e.getValue().asText()
                .replaceAll("\\$\\{SITE_NAME[^}]*}", publicHost)
                .replace(Layout.RDS_CA_FILE, env.rdsCa.toString())
                .replace(Layout.DB_AUTH_CONTAINER_DIR + "/", env.dbAuthDir.resolve(Layout.KEYCLOAK_DB) + "/")));
        // no password for the database: pgjdbc reads the role's IAM token from the password file
        assertThat(kc).doesNotContainKey("KC_DB_PASSWORD").containsEntry("PGPASSFILE", env.pgpass(Layout.KEYCLOAK_DB).toString());
        assertThat(kc.get("KC_DB_URL")).contains("sslmode=verify-full")
                // Keycloak below runs with these (pgjdbc refuses a malformed value at connect)
                .endsWith("&" + DatabaseClientTimeouts.jdbcQuery());
        System.out.println("conformance adaptation: Keycloak environment from the compose file with SITE_NAME="
                + publicHost + ", the test CA as RDS CA and the host path of the token file: " + kc.keySet());
        return kc;
    }

    static SSLContext trusting(Path caPem) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (var in = Files.newInputStream(caPem)) {
            trust.setCertificateEntry("site-ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    /** The server zip, fetched by Maven as a test dependency (path passed by surefire). */
    static Path keycloakZip() {
        String zip = System.getProperty("keycloak.dist.zip", "");
        Tools.require(zip.isEmpty() ? "/keycloak-quarkus-dist.zip (test dependency in pom.xml)" : zip);
        return Path.of(zip);
    }

    /** Keycloak needs Java 21 or newer; Debian 12's default is 17. */
    static Path java21() throws IOException {
        List<Path> candidates = new ArrayList<>();
        String configured = System.getenv("KEYCLOAK_JAVA_HOME");
        if (configured != null) {
            candidates.add(Path.of(configured));
        }
        candidates.add(Path.of(System.getProperty("java.home")));
        if (Files.isDirectory(Path.of("/usr/lib/jvm"))) {
            try (var s = Files.list(Path.of("/usr/lib/jvm"))) {
                candidates.addAll(s.sorted().collect(Collectors.toList()));
            }
        }
        for (Path home : candidates) {
            Path release = home.resolve("release");
            if (Files.isExecutable(home.resolve("bin/java")) && Files.exists(release)) {
                String text = Files.readString(release);
                int i = text.indexOf("JAVA_VERSION=\"");
                if (i >= 0) {
                    String v = text.substring(i + 14, text.indexOf('"', i + 14));
                    int major = Integer.parseInt(v.split("[.]")[0]);
                    if (major >= 21) {
                        return home;
                    }
                }
            }
        }
        Tools.require("/usr/lib/jvm/<a Java 21+ JDK> (or KEYCLOAK_JAVA_HOME)");
        throw new IllegalStateException("unreachable");
    }

    static void awaitReady(String url) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(600));
        while (Instant.now().isBefore(deadline)) {
            if (!keycloak.isAlive()) {
                throw new AssertionError("keycloak exited:\n" + env.log("keycloak"));
            }
            try {
                HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().contains("UP")) {
                    return;
                }
            } catch (IOException ignored) {
                // still starting
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("keycloak not ready:\n" + env.log("keycloak"));
    }

    @AfterAll
    static void stop() {
        if (env != null) {
            env.close();
        }
    }

    static HttpResponse<String> post(String path, Map<String, String> form, String bearer) throws Exception {
        String body = form.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> get(String path, String bearer) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode client(String id) {
        for (JsonNode c : realm.get("clients")) {
            if (c.get("clientId").asText().equals(id)) {
                return c;
            }
        }
        throw new AssertionError("no client " + id);
    }

    @Test
    void passwordsAreNotInKeycloaksEnvironment() throws Exception {
        List<ProcessHandle> tree = new ArrayList<>(List.of(keycloak.toHandle()));
        keycloak.toHandle().descendants().forEach(tree::add);
        int checked = 0;
        for (ProcessHandle p : tree) {
            Path environ = Path.of("/proc", Long.toString(p.pid()), "environ");
            if (Files.isReadable(environ)) {
                String text = new String(Files.readAllBytes(environ), StandardCharsets.UTF_8);
                // the database credential is a token in a password file, never in the environment
                assertThat(text).contains("KC_DB=").contains("PGPASSFILE=").doesNotContain("X-Amz-Signature")
                        .doesNotContain(secrets.get(AppSecrets.KEYCLOAK_ADMIN_PASSWORD));
                checked++;
            }
        }
        assertThat(checked).isPositive();
    }

    @Test
    void generatedRealmCarriesThePresetSecretAndTheSite() {
        assertThat(client("admin-cli").get("secret").asText()).isEqualTo(secrets.get(AppSecrets.KEYCLOAK_CLIENT_SECRET));
        assertThat(client("orthanc").get("redirectUris").get(0).asText()).isEqualTo("https://" + SITE + "/orthanc/*");
        assertThat(client("orthanc").at("/attributes/pkce.code.challenge.method").asText()).isEqualTo("S256");
        // no demo users with passwords, unlike the image's own realm
        assertThat(realm.toString()).doesNotContain("\"credentials\"");
    }

    @Test
    void keycloakServesItsPublicUrlsThroughTheProxyAndUsesItsOwnDatabaseRole() throws Exception {
        HttpResponse<String> discovery = get("/realms/orthanc/.well-known/openid-configuration", null);
        assertThat(discovery.statusCode()).isEqualTo(200);
        JsonNode d = new ObjectMapper().readTree(discovery.body());
        assertThat(d.get("issuer").asText()).isEqualTo(base + "/realms/orthanc");
        assertThat(d.get("authorization_endpoint").asText()).startsWith(base + "/realms/orthanc/");
        // Keycloak created its schema as the least-privilege role, over TLS
        assertThat(env.sql("keycloak", "select count(*) from pg_tables where tableowner = 'keycloak'")
                .expectSuccess("tables").out().trim()).isNotEqualTo("0");
        assertThat(env.sql("postgres", "select bool_and(s.ssl) from pg_stat_ssl s join pg_stat_activity a using (pid) "
                + "where a.usename = 'keycloak'").expectSuccess("ssl").out().trim()).isEqualTo("t");
    }

    @Test
    void presetClientSecretObtainsAServiceAccountTokenThatManagesUsers() throws Exception {
        HttpResponse<String> token = post("/realms/orthanc/protocol/openid-connect/token", Map.of(
                "grant_type", "client_credentials", "client_id", "admin-cli",
                "client_secret", secrets.get(AppSecrets.KEYCLOAK_CLIENT_SECRET)), null);
        assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
        String accessToken = new ObjectMapper().readTree(token.body()).get("access_token").asText();
        // what the auth service does with it: the realm's users through the admin API, which it
        // reaches directly; through nginx the admin API is not published
        assertThat(send(HttpRequest.newBuilder(URI.create(direct + "/admin/realms/orthanc/users"))
                .header("Authorization", "Bearer " + accessToken)).statusCode()).isEqualTo(200);
        assertThat(get("/admin/realms/orthanc/users", accessToken).statusCode()).isEqualTo(404);

        HttpResponse<String> wrong = post("/realms/orthanc/protocol/openid-connect/token", Map.of(
                "grant_type", "client_credentials", "client_id", "admin-cli",
                "client_secret", ConformanceEnv.randomAlnum(32)), null);
        assertThat(wrong.statusCode()).isEqualTo(401);
    }

    @Test
    void realmStepSignsInWithoutASecondFactorAndMayManageRealmOrthancOnly() throws Exception {
        // the credential the bootstrap's realm step uses: client credentials, no OTP involved
        HttpResponse<String> token = form(direct + "/realms/orthanc/protocol/openid-connect/token", Map.of(
                "grant_type", "client_credentials", "client_id", "orthweb-realm-sync",
                "client_secret", secrets.get(AppSecrets.KEYCLOAK_REALM_SYNC_SECRET)));
        assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
        String bearer = new ObjectMapper().readTree(token.body()).get("access_token").asText();
        java.util.function.Function<String, Integer> status = path -> {
            try {
                return send(HttpRequest.newBuilder(URI.create(direct + path)).header("Authorization", "Bearer " + bearer))
                        .statusCode();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        assertThat(status.apply("/admin/realms/orthanc")).isEqualTo(200);
        // nothing of the master realm: its users (the admin), its clients, its settings
        assertThat(status.apply("/admin/realms/master")).isEqualTo(403);
        assertThat(status.apply("/admin/realms/master/users")).isEqualTo(403);

        // drift the realm as a foreign change would, then let the rendered step reconcile it
        Path kcadm = env.root.resolve("kcadm");
        Files.writeString(kcadm, "#!/bin/bash\nexport JAVA_HOME='" + javaHome + "'\nexec '"
                + keycloakHome.resolve("bin/kcadm.sh") + "' \"$@\"\n");
        Files.setPosixFilePermissions(kcadm, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        String id = new ObjectMapper().readTree(send(HttpRequest.newBuilder(URI.create(direct
                + "/admin/realms/orthanc/clients?clientId=orthanc")).header("Authorization", "Bearer " + bearer)).body())
                .get(0).get("id").asText();
        HttpResponse<String> drift = send(HttpRequest.newBuilder(URI.create(direct + "/admin/realms/orthanc/clients/" + id))
                .header("Authorization", "Bearer " + bearer).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"redirectUris\": [\"https://attacker.example/*\"]}")));
        assertThat(drift.statusCode()).as(drift.body()).isEqualTo(204);
        env.bootstrapEnv.put("ORTHWEB_KCADM", kcadm.toString());
        env.bootstrapEnv.put("ORTHWEB_KEYCLOAK_ADMIN_URL", direct);
        Tools.Result step = env.bootstrap("realm");
        if (step.exit() != 0) {
            // leave the realm as the other tests expect it, then report the step's failure
            send(HttpRequest.newBuilder(URI.create(direct + "/admin/realms/orthanc/clients/" + id))
                    .header("Authorization", "Bearer " + bearer).header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"redirectUris\": "
                            + client("orthanc").get("redirectUris") + "}")));
        }
        step.expectSuccess("realm step");
        assertThat(step.out()).doesNotContain(secrets.get(AppSecrets.KEYCLOAK_REALM_SYNC_SECRET));
        HttpResponse<String> after = send(HttpRequest.newBuilder(URI.create(direct + "/admin/realms/orthanc/clients/" + id))
                .header("Authorization", "Bearer " + bearer));
        assertThat(new ObjectMapper().readTree(after.body()).get("redirectUris").toString())
                .isEqualTo(client("orthanc").get("redirectUris").toString());
    }

    static String authorize(String extra) throws Exception {
        HttpResponse<String> r = get("/realms/orthanc/protocol/openid-connect/auth?client_id=orthanc&response_type=code"
                + "&scope=openid&redirect_uri=" + URLEncoder.encode(REDIRECT, StandardCharsets.UTF_8) + extra, null);
        return r.statusCode() + " " + r.headers().firstValue("location").orElse("") + " "
                + (r.statusCode() == 200 ? "" : r.body());
    }

    @Test
    void publicClientRequiresPkceS256() throws Exception {
        String challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
        // without PKCE, and with the plain method: sent back to the app with invalid_request
        assertThat(authorize("")).startsWith("302 " + REDIRECT).contains("error=invalid_request");
        assertThat(authorize("&code_challenge=" + challenge + "&code_challenge_method=plain"))
                .startsWith("302 " + REDIRECT).contains("error=invalid_request");
        // with S256: the login page
        assertThat(authorize("&code_challenge=" + challenge + "&code_challenge_method=S256")).startsWith("200");
        // a redirect outside the site is refused outright
        String foreign = get("/realms/orthanc/protocol/openid-connect/auth?client_id=orthanc&response_type=code"
                + "&redirect_uri=" + URLEncoder.encode("https://evil.example/", StandardCharsets.UTF_8)
                + "&code_challenge=" + challenge + "&code_challenge_method=S256", null).body();
        assertThat(foreign).contains("Invalid parameter: redirect_uri");
        // the password grant is off for the browser client
        HttpResponse<String> direct = post("/realms/orthanc/protocol/openid-connect/token", Map.of(
                "grant_type", "password", "client_id", "orthanc", "username", "x", "password", "y"), null);
        assertThat(direct.statusCode()).isIn(400, 401);
        assertThat(direct.body()).contains("unauthorized_client");
    }

    static HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> form(String url, Map<String, String> form, String... headers) throws Exception {
        String body = form.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return send(b);
    }

    static String adminGrant(String root, String password) throws Exception {
        HttpResponse<String> r = form(root + "/realms/master/protocol/openid-connect/token", Map.of(
                "grant_type", "password", "client_id", "admin-cli", "username", "admin", "password", password));
        return r.statusCode() + " " + r.body();
    }

    @Test
    void adminConsoleAndMasterRealmOnlyOnTheOperatorListener() throws Exception {
        // public path: nothing of the master realm or the admin console
        for (String path : List.of("/", "/admin/", "/admin/master/console/", "/realms/master/",
                "/realms/master/protocol/openid-connect/certs", "/admin/realms")) {
            assertThat(get(path, null).statusCode()).as("public " + path).isEqualTo(404);
        }
        assertThat(post("/realms/master/protocol/openid-connect/token", Map.of("grant_type", "password",
                "client_id", "admin-cli", "username", "admin", "password", "x"), null).statusCode()).isEqualTo(404);
        // operator listener: the admin console, whose URLs name the operator address
        HttpResponse<String> console = send(HttpRequest.newBuilder(URI.create(operator + "/admin/master/console/")));
        assertThat(console.statusCode()).isEqualTo(200);
        assertThat(console.body()).contains(operator);
        HttpResponse<String> issuer = send(HttpRequest.newBuilder(
                URI.create(operator + "/realms/master/.well-known/openid-configuration")));
        assertThat(new ObjectMapper().readTree(issuer.body()).get("issuer").asText()).isEqualTo(operator + "/realms/master");
    }

    @Test
    void masterAdminNeedsASecondFactorAndGuessingLocksTemporarily() throws Exception {
        String password = secrets.get(AppSecrets.KEYCLOAK_ADMIN_PASSWORD);
        // the right password alone is not enough: the account must first enrol OTP
        assertThat(adminGrant(operator, password)).startsWith("400").contains("Account is not fully set up");
        // guessing (directly at Keycloak, below nginx's rate limit): then even the right password is refused
        for (int i = 0; i < 6; i++) {
            assertThat(adminGrant(direct, "wrong-" + i)).startsWith("401");
        }
        assertThat(adminGrant(direct, password)).startsWith("401").contains("Invalid user credentials");
        // the lockout is temporary: Keycloak stores a wait time, not a disabled account
        assertThat(env.sql("keycloak", "select count(*) from user_entity u join realm r on r.id = u.realm_id "
                + "where r.name = 'master' and u.username = 'admin' and u.enabled").expectSuccess("admin").out().trim())
                .isEqualTo("1");
    }

    @Test
    void bothRealmsStoreEventsWithTheRetentionAndHaveBruteForceProtection() {
        String rows = env.sql("keycloak", "select name, events_enabled, admin_events_enabled, events_expiration "
                + "from realm order by name").expectSuccess("realms").out();
        assertThat(rows.trim().split("\n")).containsExactly(
                "master|t|t|" + Render.AUDIT_RETENTION_SECONDS, "orthanc|t|t|" + Render.AUDIT_RETENTION_SECONDS);
        // brute-force detection with temporary lockouts; offline sessions (refresh tokens) end
        for (String attribute : List.of("bruteForceProtected:true", "permanentLockout:false", "failureFactor:5",
                "offlineSessionMaxLifespanEnabled:true", "offlineSessionMaxLifespan:43200")) {
            String name = attribute.substring(0, attribute.indexOf(':'));
            String values = env.sql("keycloak", "select r.name || ':' || a.value from realm_attribute a join realm r "
                    + "on r.id = a.realm_id where a.name = '" + name + "' order by 1").expectSuccess(name).out();
            assertThat(values.trim().split("\n")).as(name).containsExactly(
                    "master" + attribute.substring(name.length()), "orthanc" + attribute.substring(name.length()));
        }
    }

    /** A browser login to the orthanc realm through nginx: the page after submitting the password. */
    static String browserLogin(HttpClient browser, String username, String password, String forwardedFor) throws Exception {
        String challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
        HttpResponse<String> page = browser.send(HttpRequest.newBuilder(URI.create(base
                + "/realms/orthanc/protocol/openid-connect/auth?client_id=orthanc&response_type=code&scope=openid"
                + "&redirect_uri=" + URLEncoder.encode(REDIRECT, StandardCharsets.UTF_8)
                + "&code_challenge=" + challenge + "&code_challenge_method=S256")).build(), HttpResponse.BodyHandlers.ofString());
        java.util.regex.Matcher action = java.util.regex.Pattern.compile("action=\"([^\"]+login-actions/authenticate[^\"]*)\"")
                .matcher(page.body());
        assertThat(action.find()).as("login form in:\n" + page.body()).isTrue();
        String url = action.group(1).replace("&amp;", "&");
        HttpResponse<String> r = browser.send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded").header("X-Forwarded-For", forwardedFor)
                .POST(HttpRequest.BodyPublishers.ofString("username=" + username + "&password="
                        + URLEncoder.encode(password, StandardCharsets.UTF_8) + "&credentialId=")).build(),
                HttpResponse.BodyHandlers.ofString());
        return r.statusCode() + " " + r.body();
    }

    @Test
    void newUsersMustEnrolOtpAndGuessingLocksAndEventsCarryTheRealClientAddress() throws Exception {
        // eight login POSTs through nginx: the other tests' logins from 127.0.0.1 must not have used
        // up the burst (CI saw the sixth wrong password answered 429 instead of Keycloak's page)
        awaitLoginRate();
        HttpResponse<String> token = form(direct + "/realms/orthanc/protocol/openid-connect/token", Map.of(
                "grant_type", "client_credentials", "client_id", "conformance-admin", "client_secret", TEST_CLIENT_SECRET));
        String admin = new ObjectMapper().readTree(token.body()).get("access_token").asText();
        String password = "Pw-" + ConformanceEnv.randomAlnum(20);
        HttpResponse<String> created = send(HttpRequest.newBuilder(URI.create(direct + "/admin/realms/orthanc/users"))
                .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\": \"dr.test\", \"enabled\": true, \"email\": "
                        + "\"dr.test@example.org\", \"emailVerified\": true, \"firstName\": \"Dr\", \"lastName\": \"Test\", "
                        + "\"credentials\": [{\"type\": \"password\", \"value\": \"" + password + "\", \"temporary\": false}]}")));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode user = new ObjectMapper().readTree(send(HttpRequest.newBuilder(URI.create(
                direct + "/admin/realms/orthanc/users?exact=true&username=dr.test")).header("Authorization", "Bearer " + admin)).body()).get(0);
        assertThat(user.get("requiredActions").toString()).contains("CONFIGURE_TOTP");

        HttpClient browser = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                .cookieHandler(new java.net.CookieManager()).connectTimeout(Duration.ofSeconds(5))
                .sslContext(trusting(env.tlsDir.resolve("ca.crt"))).build();
        String forged = "203.0.113.66";
        // the right password leads to the OTP enrolment, not into the application
        assertThat(browserLogin(browser, "dr.test", password, forged)).startsWith("200").contains("login-config-totp");
        for (int i = 0; i < 6; i++) {
            assertThat(browserLogin(browser, "dr.test", "wrong-" + i, forged)).contains("Invalid username or password");
        }
        assertThat(browserLogin(browser, "dr.test", password, forged)).contains("Invalid username or password")
                .doesNotContain("login-config-totp");
        // every attempt is an event in Keycloak's database, with nginx's view of the client
        String events = env.sql("keycloak", "select type || ' ' || coalesce(ip_address, '') from event_entity e join realm r "
                + "on r.id = e.realm_id where r.name = 'orthanc' and e.type like 'LOGIN%' order by event_time").expectSuccess("events").out();
        assertThat(events).contains("LOGIN_ERROR 127.0.0.1").doesNotContain(forged);
    }

    // ------------------------------------------------------------------ the admin API as the auth service uses it

    static final ObjectMapper JSON = new ObjectMapper();

    static HttpResponse<String> send(String method, String url, String bearer, Object json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        if (json != null) {
            b.header("Content-Type", "application/json");
            b.method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(json)));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String token(String tokenUrl, Map<String, String> form) throws Exception {
        HttpResponse<String> r = form(tokenUrl, form);
        assertThat(r.statusCode()).as(tokenUrl + " " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).get("access_token").asText();
    }

    /**
     * An administrator of realm orthanc: the harness's conformance-admin client (manage-users),
     * since the master admin's password grant needs a second factor. Directly at Keycloak: the
     * token endpoint behind nginx is rate-limited per client address.
     */
    static String adminToken() throws Exception {
        return token(direct + "/realms/orthanc/protocol/openid-connect/token", Map.of(
                "grant_type", "client_credentials", "client_id", "conformance-admin", "client_secret", TEST_CLIENT_SECRET));
    }

    /** Realm orthanc's admin API as operators reach it: the operator listener of the rendered nginx. */
    static String realmAdmin() {
        return operator + "/admin/realms/orthanc";
    }

    /** The auth service's own Keycloak URIs, from the rendered compose file (direct, not through nginx). */
    static String authServiceUri(String name) throws Exception {
        String uri = new YAMLMapper().readTree(env.files.get(Layout.CONFIG_DIR + "/docker-compose.yml"))
                .at("/services/orthanc-auth-service/environment/" + name).asText();
        assertThat(uri).as(name).startsWith(direct + "/");
        return uri;
    }

    /** A token for the admin-cli service account, obtained as the auth service does. */
    static String serviceAccountToken() throws Exception {
        return token(authServiceUri("KEYCLOAK_URI") + "protocol/openid-connect/token", Map.of(
                "grant_type", "client_credentials", "client_id", "admin-cli",
                "client_secret", secrets.get(AppSecrets.KEYCLOAK_CLIENT_SECRET)));
    }

    /** A row id of Keycloak's database for realm orthanc (the test client may not read clients or roles). */
    static String orthancRealmId(String table, String column, String value) {
        return env.sql("keycloak", "select t.id from " + table + " t join realm r on r.id = t.realm_id where r.name = "
                + "'orthanc' and t." + column + " = '" + value + "'").expectSuccess(table).out().trim();
    }

    /** Creates an enabled user of realm orthanc with a complete profile, a password and a realm role; returns its id. */
    static String createUser(String adminToken, String username, String password, String role) throws Exception {
        Map<String, Object> user = Map.of("username", username, "enabled", true, "email", username + "@example.org",
                "emailVerified", true, "firstName", "Test", "lastName", "User",
                "credentials", List.of(Map.of("type", "password", "value", password, "temporary", false)));
        HttpResponse<String> created = send("POST", realmAdmin() + "/users", adminToken, user);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String location = created.headers().firstValue("location").orElseThrow();
        String id = location.substring(location.lastIndexOf('/') + 1);
        Map<String, Object> roleRep = Map.of("id", orthancRealmId("keycloak_role", "name", role), "name", role);
        HttpResponse<String> mapped = send("POST", realmAdmin() + "/users/" + id + "/role-mappings/realm", adminToken,
                List.of(roleRep));
        assertThat(mapped.statusCode()).as(mapped.body()).isEqualTo(204);
        return id;
    }

    @Test
    void anApiKeySetByTheAdminIsFoundByTheServiceAccountAsTheAuthServiceSearchesIt() throws Exception {
        String admin = adminToken();
        String id = createUser(admin, "apikey-user", ConformanceEnv.randomAlnum(20), "doctor-role");
        String key = ConformanceEnv.randomAlnum(40);
        String userUrl = realmAdmin() + "/users/" + id;
        ObjectNode user = (ObjectNode) JSON.readTree(send("GET", userUrl, admin, null).body());
        user.putObject("attributes").putArray("api-key").add(key);
        assertThat(send("PUT", userUrl, admin, user).statusCode()).isEqualTo(204);
        // the attribute was stored, not silently dropped (unmanaged attributes disabled)
        assertThat(JSON.readTree(send("GET", userUrl, admin, null).body()).at("/attributes/api-key/0").asText())
                .as("api-key attribute after the admin's save").isEqualTo(key);

        // the auth service: q=api-key:<key> on the admin API with its service account
        // (orthanc-auth-service shares/keycloak_admin.py get_user_profile_from_api_key)
        String sa = serviceAccountToken();
        String adminUri = authServiceUri("KEYCLOAK_ADMIN_URI");
        HttpResponse<String> found = send("GET", adminUri + "users?q="
                + URLEncoder.encode("api-key:" + key, StandardCharsets.UTF_8), sa, null);
        assertThat(found.statusCode()).as(found.body()).isEqualTo(200);
        assertThat(JSON.readTree(found.body())).extracting(u -> u.get("id").asText()).containsExactly(id);
        // and the other reads the auth service makes for that user's profile
        assertThat(send("GET", adminUri + "users/" + id, sa, null).statusCode()).isEqualTo(200);
        HttpResponse<String> roles = send("GET", adminUri + "users/" + id + "/role-mappings/realm/composite", sa, null);
        assertThat(roles.statusCode()).isEqualTo(200);
        assertThat(roles.body()).contains("doctor-role");
        assertThat(send("GET", adminUri + "roles", sa, null).statusCode()).isEqualTo(200);
    }

    @Test
    void theServiceAccountMayOnlyReadUsers() throws Exception {
        String sa = serviceAccountToken();
        String adminUri = authServiceUri("KEYCLOAK_ADMIN_URI");
        // clients, and with them every client secret, are refused: Keycloak 26.2 answers an empty
        // list (it lists only clients the caller may view), 26.4 answers 403
        HttpResponse<String> clients = send("GET", adminUri + "clients", sa, null);
        System.out.println("service account GET clients: " + clients.statusCode() + " " + clients.body());
        assertThat(clients.statusCode() == 403 || clients.statusCode() == 200 && JSON.readTree(clients.body()).isEmpty())
                .as("GET clients refused (403 or an empty list): " + clients.statusCode() + " " + clients.body()).isTrue();
        String clientId = orthancRealmId("client", "client_id", "admin-cli");
        assertThat(clientId).isNotEmpty();
        assertThat(send("GET", adminUri + "clients/" + clientId + "/client-secret", sa, null).statusCode()).isEqualTo(403);
        // no user management: creating a user (say, an administrator) is refused
        assertThat(send("POST", adminUri + "users", sa, Map.of("username", "intruder", "enabled", true)).statusCode())
                .isEqualTo(403);
        String admin = adminToken();
        JsonNode me = JSON.readTree(send("GET", realmAdmin() + "/users?username=service-account-admin-cli&exact=true",
                admin, null).body()).get(0);
        JsonNode granted = JSON.readTree(send("GET", realmAdmin() + "/users/" + me.get("id").asText() + "/role-mappings",
                admin, null).body()).at("/clientMappings/realm-management/mappings");
        assertThat(granted).extracting(r -> r.get("name").asText()).containsExactly("view-users");
    }

    @Test
    void aBurstOfAdminReadsThroughNginxGetsNo5xxAndStaysWithinTheRoleLimit() throws Exception {
        int limit = ConnectionBudgetTest.renderedRoleLimits(env.files).get(Layout.KEYCLOAK_DB);
        int pool = ConnectionBudgetTest.renderedPools(env.files).stream()
                .filter(p -> p.role().equals(Layout.KEYCLOAK_DB)).findFirst().orElseThrow().perHost();
        // one host's fair share of its role's limit: what the budget gives each of the most hosts at once
        int share = limit / ConnectionBudget.MAX_HOSTS_AT_ONCE;
        // the auth service's own reads (realm orthanc's tokens live 5 minutes), through the rendered
        // nginx's operator listener: the public path does not publish the admin API
        String sa = serviceAccountToken();
        String url = realmAdmin() + "/users?briefRepresentation=false&max=50";
        int total = 400;
        int concurrent = 200;
        java.util.concurrent.ExecutorService workers = java.util.concurrent.Executors.newFixedThreadPool(concurrent);
        java.util.concurrent.atomic.AtomicInteger maxSeen = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            while (running.get()) {
                Tools.Result r = env.sql("postgres", "select count(*) from pg_stat_activity where usename = 'keycloak'");
                if (r.exit() == 0) {
                    maxSeen.accumulateAndGet(Integer.parseInt(r.out().trim()), Math::max);
                }
                ConformanceEnv.sleep(100);
            }
        });
        sampler.start();
        Map<Integer, Integer> statuses = new java.util.TreeMap<>();
        Map<String, Integer> failures = new java.util.concurrent.ConcurrentHashMap<>();
        // 200 connections at once on a shared two-core machine take longer than the usual 5 s
        HttpClient burstClient = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(150)).build();
        long started = System.nanoTime();
        try {
            List<java.util.concurrent.Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < total; i++) {
                answers.add(workers.submit(() -> {
                    try {
                        HttpResponse<String> r = burstClient.send(HttpRequest.newBuilder(URI.create(url))
                                .header("Authorization", "Bearer " + sa).timeout(Duration.ofSeconds(150)).build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() != 200) {
                            failures.merge(r.statusCode() + " " + r.body().substring(0, Math.min(200, r.body().length())),
                                    1, Integer::sum);
                        }
                        return r.statusCode();
                    } catch (IOException e) {
                        failures.merge(e.toString(), 1, Integer::sum);
                        return -1;
                    }
                }));
            }
            for (var a : answers) {
                statuses.merge(a.get(300, java.util.concurrent.TimeUnit.SECONDS), 1, Integer::sum);
            }
        } finally {
            running.set(false);
            sampler.join(10_000);
            workers.shutdownNow();
        }
        System.out.printf("Keycloak burst: %d admin reads, %d at a time, in %.1f s: statuses %s; at most %d connections "
                + "of role keycloak (pool %d per host, role limit %d = share %d for each of %d hosts)%n", total, concurrent,
                (System.nanoTime() - started) / 1e9, statuses, maxSeen.get(), pool, limit, share,
                ConnectionBudget.MAX_HOSTS_AT_ONCE);
        // no server error and no failed exchange; Keycloak 26.2.5 answers a few of these reads 400
        // "Cannot parse the JSON" under this concurrency, with or without this realm's user profile
        // (seen with the previous realm too): a client error, retried by the caller, not a pool failure
        assertThat(statuses.keySet()).as("HTTP statuses; failures: " + failures)
                .allMatch(status -> status == 200 || status == 400);
        assertThat(statuses.getOrDefault(200, 0)).as("successful reads; failures: " + failures)
                .isGreaterThanOrEqualTo(total * 9 / 10);
        assertThat(maxSeen.get()).as("connections of role keycloak from this one host")
                .isLessThanOrEqualTo(pool).isLessThanOrEqualTo(share);
        assertThat(env.log("keycloak")).doesNotContain("too many connections");
    }

    // ------------------------------------------------------------------ a real browser

    static void requireBrowser() {
        Tools.require(HeadlessChromium.CHROMIUM, HeadlessChromium.CHROMEDRIVER);
    }

    static String b64url(byte[] bytes) {
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * Completes Keycloak's CONFIGURE_TOTP required action as a user with an authenticator app does:
     * switches the enrolment page to manual mode, reads the secret it shows, computes the current
     * code (RFC 6238) and submits it.
     */
    static void enrolOtp(HeadlessChromium browser, String screenshotPrefix) {
        By manual = By.id("mode-manual");
        browser.await("the OTP enrolment page", Duration.ofSeconds(60),
                d -> d.findElements(manual).isEmpty() ? null : true);
        browser.screenshot(screenshotPrefix + "-otp-enrolment");
        browser.driver.findElement(manual).click();
        String secret = browser.await("the OTP secret in manual mode", Duration.ofSeconds(60), d -> {
            List<org.openqa.selenium.WebElement> shown = d.findElements(By.id("kc-totp-secret-key"));
            return shown.isEmpty() || shown.get(0).getText().isBlank() ? null : shown.get(0).getText();
        });
        // not at the end of a 30-second step: the code must still be current when Keycloak checks it
        long intoStep = Instant.now().getEpochSecond() % 30;
        if (intoStep > 25) {
            ConformanceEnv.sleep((31 - intoStep) * 1000);
        }
        browser.type(By.id("totp"), Totp.code(secret, Instant.now()));
        if (!browser.driver.findElements(By.id("userLabel")).isEmpty()) {
            browser.type(By.id("userLabel"), "conformance authenticator");
        }
        browser.driver.findElement(By.id("saveTOTPBtn")).click();
    }

    /**
     * Every test here logs in from 127.0.0.1, and nginx's login zone (30 requests a minute, burst
     * 10, per client address) is shared by the public and the operator listener: wait until it has
     * refilled (20 s at 0.5 requests a second) so that a browser login is not answered 429.
     */
    static void awaitLoginRate() {
        ConformanceEnv.sleep(20_000);
    }

    @Test
    @Order(Order.DEFAULT + 1)
    void chromiumLogsInThroughTheRenderedNginxAsOrthancExplorer2StartsIt() throws Exception {
        requireBrowser();
        awaitLoginRate();
        String password = ConformanceEnv.randomAlnum(20);
        createUser(adminToken(), "browser-user", password, "doctor-role");
        // what keycloak-js (OE2's login) sends: code flow, PKCE S256, fragment response mode
        byte[] verifierBytes = new byte[32];
        new java.security.SecureRandom().nextBytes(verifierBytes);
        String verifier = b64url(verifierBytes);
        String challenge = b64url(java.security.MessageDigest.getInstance("SHA-256")
                .digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        String state = java.util.UUID.randomUUID().toString();
        String authUrl = base + "/realms/orthanc/protocol/openid-connect/auth?client_id=orthanc"
                + "&redirect_uri=" + URLEncoder.encode(REDIRECT, StandardCharsets.UTF_8)
                + "&state=" + state + "&response_mode=fragment&response_type=code&scope=openid"
                + "&nonce=" + java.util.UUID.randomUUID() + "&code_challenge=" + challenge + "&code_challenge_method=S256";
        try (HeadlessChromium browser = new HeadlessChromium(env.tlsDir.resolve("server.crt"), env.root)) {
            browser.driver.get(authUrl);
            browser.await("Keycloak's login page", Duration.ofSeconds(60),
                    d -> d.findElements(By.id("username")).isEmpty() ? null : true);
            browser.screenshot("oe2-login-page");
            assertThat(browser.driver.getCurrentUrl()).startsWith(base + "/realms/orthanc/");
            browser.type(By.id("username"), "browser-user");
            browser.type(By.id("password"), password);
            browser.driver.findElement(By.id("kc-login")).click();
            // a new user: the second factor is enrolled before any code is issued
            enrolOtp(browser, "oe2");
            // the redirect back to OE2 (nothing serves it here: the Location header is what counts)
            String landing = browser.await("the redirect to Orthanc Explorer 2 with a code", Duration.ofSeconds(60),
                    d -> browser.redirectLocations().stream().filter(l -> l.startsWith(REDIRECT)).findFirst().orElse(null));
            browser.screenshot("oe2-after-login");
            assertThat(landing).startsWith(REDIRECT + "#").contains("state=" + state).contains("code=");
            assertThat(browser.requestedUrls()).noneMatch(u -> u.startsWith("http://"));
            String code = java.util.Arrays.stream(landing.substring(landing.indexOf('#') + 1).split("&"))
                    .filter(p -> p.startsWith("code=")).findFirst().orElseThrow().substring(5);
            // the code is good for the orthanc client with the verifier, as keycloak-js redeems it
            String access = token(base + "/realms/orthanc/protocol/openid-connect/token", Map.of(
                    "grant_type", "authorization_code", "client_id", "orthanc", "code",
                    URLDecoder.decode(code, StandardCharsets.UTF_8), "redirect_uri", REDIRECT, "code_verifier", verifier));
            JsonNode claims = JSON.readTree(java.util.Base64.getUrlDecoder().decode(access.split("\\.")[1]));
            assertThat(claims.get("preferred_username").asText()).isEqualTo("browser-user");
            assertThat(claims.get("iss").asText()).isEqualTo(base + "/realms/orthanc");
            assertThat(claims.at("/realm_access/roles").toString()).contains("doctor-role");
        }
        // the enrolment was stored: the user now holds an OTP credential and no pending action
        String admin = adminToken();
        String id = JSON.readTree(send("GET", realmAdmin() + "/users?username=browser-user&exact=true", admin, null).body())
                .get(0).get("id").asText();
        assertThat(send("GET", realmAdmin() + "/users/" + id + "/credentials", admin, null).body()).contains("\"otp\"");
    }

    @Test
    @Order(Order.DEFAULT + 2)
    void chromiumLoadsTheAdminConsoleWithoutRedirectLoopsOrMixedContent() throws Exception {
        requireBrowser();
        awaitLoginRate();
        // test-only: a second master-realm administrator the harness imports (see the setup), so
        // that the generated admin's own state stays as the other tests expect it
        String console = operator + "/admin/";
        try (HeadlessChromium browser = new HeadlessChromium(env.tlsDir.resolve("server.crt"), env.root)) {
            browser.driver.get(console);
            browser.await("the master realm's login page", Duration.ofSeconds(90),
                    d -> d.findElements(By.id("username")).isEmpty() ? null : true);
            browser.screenshot("admin-console-login");
            browser.type(By.id("username"), TEST_OPERATOR);
            browser.type(By.id("password"), TEST_OPERATOR_PASSWORD);
            browser.driver.findElement(By.id("kc-login")).click();
            enrolOtp(browser, "admin-console");
            browser.await("the admin console", Duration.ofSeconds(120), d -> {
                String text = d.findElement(By.tagName("body")).getText();
                return d.getCurrentUrl().contains("/admin/master/console/") && text.contains("Realm settings") ? true : null;
            });
            browser.screenshot("admin-console");
            List<String> redirects = browser.redirectLocations();
            List<String> messages = browser.consoleMessages();
            System.out.println("admin console at " + console + ": " + redirects.size() + " redirects, "
                    + browser.requestedUrls().size() + " requests");
            assertThat(redirects.size()).as("redirects " + redirects).isLessThan(10);
            assertThat(messages).noneMatch(m -> m.contains("Mixed Content"))
                    .noneMatch(m -> m.contains("ERR_TOO_MANY_REDIRECTS"));
            // everything from the operator listener itself: nothing of the public https origin or elsewhere
            String origin = console.substring(0, console.indexOf('/', "http://".length()));
            assertThat(browser.requestedUrls()).as("requests of the console").filteredOn(u -> u.startsWith("http"))
                    .isNotEmpty().allMatch(u -> u.startsWith(origin + "/"));
        }
    }
}
