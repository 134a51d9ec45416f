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
    static HttpClient http;

    @BeforeAll
    static void generateRealmAndStartKeycloak() throws Exception {
        Tools.require("jq", "unzip", "python3", ConformanceEnv.PG_BIN + "/initdb", "psql", "nginx",
                ConformanceEnv.NGINX_STREAM_MODULE, "openssl");
        env = new ConformanceEnv();
        try {
            env.startPostgres();
            secrets = env.writeSecrets();
            env.bootstrap("secrets", "certs", "db", "configure").expectSuccess("bootstrap secrets certs db configure");
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
            Files.createDirectories(home.resolve("data/import"));
            Files.copy(realmFile, home.resolve("data/import/orthanc-realm.json"));

            // behind the rendered nginx, as on the host: the public URL is https://localhost:<port>/keycloak
            int https = ConformanceEnv.port(env.layout.httpsListen());
            String publicHost = ConformanceEnv.SITE + ":" + https;
            base = "https://" + publicHost + "/keycloak";
            Map<String, String> kc = new HashMap<>(keycloakEnvironment(publicHost));
            kc.put("JAVA_HOME", java.toString());
            // the JDK found here may be newer than Keycloak expects (Java 24+ closes java.lang; Keycloak
            // 26.2's Byte Buddy knows Java up to 24 unless told to try newer class files)
            kc.put("JAVA_OPTS_APPEND", "--add-opens=java.base/java.lang=ALL-UNNAMED -Dnet.bytebuddy.experimental=true");
            // what the container's start command exports from its secret files
            kc.put("KC_DB_PASSWORD", Files.readString(env.secretsDir.resolve(AppSecrets.KEYCLOAK_DB_PASSWORD)));
            kc.put("KC_BOOTSTRAP_ADMIN_PASSWORD", Files.readString(env.secretsDir.resolve(AppSecrets.KEYCLOAK_ADMIN_PASSWORD)));
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
        Instant deadline = Instant.now().plus(Duration.ofSeconds(240));
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
        // what the auth service does with it: the realm's users through the admin API
        assertThat(get("/admin/realms/orthanc/users", accessToken).statusCode()).isEqualTo(200);

        HttpResponse<String> wrong = post("/realms/orthanc/protocol/openid-connect/token", Map.of(
                "grant_type", "client_credentials", "client_id", "admin-cli",
                "client_secret", ConformanceEnv.randomAlnum(32)), null);
        assertThat(wrong.statusCode()).isEqualTo(401);
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

    @Test
    void generatedAdminPasswordOpensTheMasterRealm() throws Exception {
        HttpResponse<String> r = post("/realms/master/protocol/openid-connect/token", Map.of(
                "grant_type", "password", "client_id", "admin-cli", "username", "admin",
                "password", secrets.get(AppSecrets.KEYCLOAK_ADMIN_PASSWORD)), null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }
}
