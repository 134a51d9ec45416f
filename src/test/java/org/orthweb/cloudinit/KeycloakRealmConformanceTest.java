package org.orthweb.cloudinit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.HashMap;
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
            Path realmFile = env.secretsDir.resolve("keycloak-realm.json");
            realm = new ObjectMapper().readTree(realmFile.toFile());

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
            Files.createDirectories(home.resolve("data/import"));
            // test-only: a confidential client whose service account creates users, as an
            // administrator does in the admin console (which needs a second factor here)
            com.fasterxml.jackson.databind.node.ObjectNode imported = realm.deepCopy();
            ((com.fasterxml.jackson.databind.node.ArrayNode) imported.get("clients")).add(new ObjectMapper().readTree(
                    "{\"clientId\": \"conformance-admin\", \"publicClient\": false, \"secret\": \"" + TEST_CLIENT_SECRET
                    + "\", \"serviceAccountsEnabled\": true, \"standardFlowEnabled\": false}"));
            ((com.fasterxml.jackson.databind.node.ArrayNode) imported.get("users")).add(new ObjectMapper().readTree(
                    "{\"username\": \"service-account-conformance-admin\", \"enabled\": true, \"serviceAccountClientId\": "
                    + "\"conformance-admin\", \"clientRoles\": {\"realm-management\": [\"manage-users\"]}}"));
            Files.writeString(home.resolve("data/import/orthanc-realm.json"), imported.toString());
            System.out.println("conformance adaptation: added client conformance-admin (manage-users) to the imported realm");
            // the master realm the bootstrap generated, as the compose file mounts it
            Files.copy(env.configDir.resolve("keycloak-master-realm.json"), home.resolve("data/import/master-realm.json"));

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
                .replace(Layout.RDS_CA_FILE, env.rdsCa.toString())));
        assertThat(kc.get("KC_DB_URL")).contains("sslmode=verify-full");
        System.out.println("conformance adaptation: Keycloak environment from the compose file with SITE_NAME="
                + publicHost + " and the test CA as RDS CA: " + kc.keySet());
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
                assertThat(text).contains("KC_DB=").doesNotContain(secrets.get(AppSecrets.KEYCLOAK_DB_PASSWORD))
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
}
