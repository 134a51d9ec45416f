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

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keycloak as one service across the site's hosts, on real servers: two Keycloak server
 * distributions of the version the orthanc-keycloak image runs (Maven's keycloak-quarkus-dist,
 * see pom.xml), each in its host's namespace with the environment of the rendered compose file
 * (jdbc-ping cluster, advertised address = the host's private address), behind the host's rendered
 * nginx, on one TLS PostgreSQL, with haproxy in front. A browser's login (authorization code with
 * PKCE S256, as Orthanc Explorer 2 does it) is driven with plain HTTP requests (curl in the
 * modality namespace, the site name resolving to the balancer or pinned to one host per step).
 */
@Tag("conformance")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoHostKeycloakTest {

    static final String REDIRECT = "https://" + SiteFixture.SITE + "/orthanc/ui/app/";
    static final String PASSWORD = "Correct-Horse-9-Battery";
    static final ObjectMapper JSON = new ObjectMapper();
    static final Map<String, String> timings = new LinkedHashMap<>();

    static SiteFixture site;
    static SiteFixture.Host h1;
    static SiteFixture.Host h2;
    /** Host 2's replacement (test 4). */
    static SiteFixture.Host h3;
    static Path javaHome;
    static Path distribution;
    static final Map<String, Path> homes = new HashMap<>();
    static int flows;

    @BeforeAll
    static void bringUp() throws Exception {
        Tools.require("jq", "unzip", "python3", ConformanceEnv.PG_BIN + "/initdb", "psql", "nginx",
                ConformanceEnv.NGINX_STREAM_MODULE, "openssl", "haproxy", "curl");
        SiteNetwork.requireNamespaces();
        Path zip = KeycloakRealmConformanceTest.keycloakZip();
        javaHome = KeycloakRealmConformanceTest.java21();
        Instant start = Instant.now();
        site = new SiteFixture();
        try {
            site.startDatabase();
            distribution = buildDistribution(zip);
            h1 = site.addHost("h1", 11, SiteFixture.HOST_IDS[0]);
            h2 = site.addHost("h2", 12, SiteFixture.HOST_IDS[1]);
            Instant kc = Instant.now();
            startKeycloak(h1);
            timings.put("first Keycloak ready (imports the realm)", Duration.between(kc, Instant.now()).toMillis() + " ms");
            kc = Instant.now();
            startKeycloak(h2);
            timings.put("second Keycloak ready (joins the cluster)", Duration.between(kc, Instant.now()).toMillis() + " ms");
            for (SiteFixture.Host h : List.of(h1, h2)) {
                Instant r = Instant.now();
                h.env().bootstrap("realm").expectSuccess("bootstrap realm on " + h.ns());
                timings.put("bootstrap realm step on " + h.ns(), Duration.between(r, Instant.now()).toMillis() + " ms");
                site.startNginx(h, "nginx-" + h.ns());
            }
            // hosts without Orthanc: the planned health check (needs Orthanc) would take both out
            site.startBalancer(List.of(h1, h2), false);
            timings.put("site up", Duration.between(start, Instant.now()).toMillis() + " ms");
        } catch (Throwable t) {
            site.close();
            throw t;
        }
    }

    @AfterAll
    static void tearDown() {
        timings.forEach((k, v) -> System.out.println("two-host Keycloak timing: " + k + ": " + v));
        if (site != null) {
            site.close();
        }
    }

    /** The server distribution, unpacked and built once (database vendor and health are build options). */
    static Path buildDistribution(Path zip) throws Exception {
        Path kc = site.dir.resolve("kc-dist");
        Tools.run(site.dir, Map.of(), 300, "unzip", "-q", zip.toString(), "-d", kc.toString()).expectSuccess("unzip keycloak");
        Path home;
        try (var s = Files.list(kc)) {
            home = s.findFirst().orElseThrow();
        }
        Instant t = Instant.now();
        Tools.run(home, Map.of("JAVA_HOME", javaHome.toString(), "JAVA_OPTS_APPEND", "--add-opens=java.base/java.lang=ALL-UNNAMED -Dnet.bytebuddy.experimental=true"),
                600, home.resolve("bin/kc.sh").toString(), "build", "--db=postgres", "--health-enabled=true")
                .expectSuccess("kc.sh build");
        timings.put("kc.sh build", Duration.between(t, Instant.now()).toMillis() + " ms");
        return home;
    }

    /**
     * Keycloak on a host: the keycloak service's environment from the host's rendered compose file
     * (Compose's variables from the host's .env as the bootstrap wrote it, the test CA as RDS CA),
     * the passwords from the host's secret files as the container's start command exports them.
     * The container binds JGroups to its own address; here there is no container, so the bind
     * address is the host's (printed as an adaptation).
     */
    static void startKeycloak(SiteFixture.Host h) throws Exception {
        // the host's namespace must reach the database before Keycloak's pool tries (bounded)
        site.awaitDatabase(h);
        Path home = site.dir.resolve("kc-" + h.ns());
        Tools.run("cp", "-a", distribution.toString(), home.toString()).expectSuccess("copy keycloak");
        h.env().copyKeycloakImports(home.resolve("data/import"));
        JsonNode environment = new YAMLMapper().readTree(h.env().files.get(Layout.CONFIG_DIR + "/docker-compose.yml"))
                .at("/services/keycloak/environment");
        Map<String, String> dotEnv = Map.of("SITE_NAME", SiteFixture.dotEnv(h, "SITE_NAME"),
                "HOST_PRIVATE_IP", SiteFixture.dotEnv(h, "HOST_PRIVATE_IP"));
        Map<String, String> env = new HashMap<>();
        environment.fields().forEachRemaining(e -> {
            String v = e.getValue().asText();
            for (var d : dotEnv.entrySet()) {
                v = v.replaceAll("\\$\\{" + d.getKey() + "[^}]*}", d.getValue());
            }
            env.put(e.getKey(), v.replace(Layout.RDS_CA_FILE, h.env().rdsCa.toString())
                    .replace(Layout.DB_AUTH_CONTAINER_DIR + "/", h.env().dbAuthDir.resolve(Layout.KEYCLOAK_DB) + "/"));
        });
        assertThat(env.get("KC_HOSTNAME")).isEqualTo("https://" + SiteFixture.SITE + "/keycloak");
        assertThat(env.get("JAVA_OPTS_APPEND")).contains("-Djgroups.external_addr=" + h.ip());
        env.put("JAVA_OPTS_APPEND", env.get("JAVA_OPTS_APPEND") + " -Djgroups.bind.address=" + h.ip()
                + " --add-opens=java.base/java.lang=ALL-UNNAMED -Dnet.bytebuddy.experimental=true"
                // the first connection from a freshly made namespace sometimes takes longer than the
                // pool's 5 s default to be acquired here (seen in about half the runs on this machine)
                + " -Dquarkus.datasource.jdbc.acquisition-timeout=60S");
        System.out.println("conformance adaptation: Keycloak on " + h.ns() + " binds JGroups to " + h.ip()
                + " (the container would bind its own address and publish the ports there)");
        env.put("JAVA_HOME", javaHome.toString());
        assertThat(env.get("PGPASSFILE")).isEqualTo(h.env().pgpass(Layout.KEYCLOAK_DB).toString());
        env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", Files.readString(h.env().secretsDir.resolve(AppSecrets.KEYCLOAK_ADMIN_PASSWORD)));
        String name = "keycloak-" + h.ns();
        Process p = site.net.start(h.ns(), name, env, home.resolve("bin/kc.sh").toString(), "start", "--optimized",
                "--import-realm", "--http-host=127.0.0.1", "--http-port=8080", "--http-management-port=9000");
        // generous: on a busy 2-core machine the first start (schema creation, realm import) took minutes
        Instant deadline = Instant.now().plus(Duration.ofSeconds(900));
        while (site.net.exec(h.ns(), 10, Map.of(), "curl", "-sf", "-o", "/dev/null", "http://127.0.0.1:9000/health/ready").exit() != 0) {
            if (!p.isAlive() || Instant.now().isAfter(deadline)) {
                throw new AssertionError("Keycloak on " + h.ns() + " not ready:\n" + site.net.log(name));
            }
            ConformanceEnv.sleep(1000);
        }
        homes.put(h.ns(), home);
        // the bootstrap's realm step runs this kcadm (on EC2: the container's, through docker compose exec)
        Path kcadm = h.env().root.resolve("kcadm");
        // it gets the client secret as the container's would: KC_CLI_CLIENT_SECRET from the bootstrap
        Files.writeString(kcadm, "#!/bin/bash\nexport JAVA_HOME='" + javaHome + "'\n"
                + "exec '" + home.resolve("bin/kcadm.sh") + "' \"$@\"\n");
        Files.setPosixFilePermissions(kcadm, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        h.env().bootstrapEnv.put("ORTHWEB_KCADM", kcadm.toString());
        h.env().bootstrapEnv.put("ORTHWEB_KEYCLOAK_ADMIN_URL", "http://127.0.0.1:8080");
    }

    /**
     * kcadm on a host with the sign-in the bootstrap's realm step uses: the orthanc realm's
     * orthweb-realm-sync client and its generated secret (the master admin needs OTP).
     */
    static Tools.Result kcadm(SiteFixture.Host h, String... args) {
        // as the bootstrap's kc(): kcadm 26.2 reads KC_CLI_CLIENT_SECRET in `config credentials` only
        List<String> c = new ArrayList<>(List.of("bash", "-c", "cfg=$(mktemp) && trap 'rm -f \"$cfg\"' EXIT && "
                + "\"$0\" config credentials --config \"$cfg\" --server http://127.0.0.1:8080 --realm orthanc "
                + "--client orthweb-realm-sync && \"$0\" \"$@\" --config \"$cfg\"", h.env().bootstrapEnv.get("ORTHWEB_KCADM")));
        c.addAll(List.of(args));
        String secret;
        try {
            secret = Files.readString(h.env().secretsDir.resolve(AppSecrets.KEYCLOAK_REALM_SYNC_SECRET)).strip();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return site.net.exec(h.ns(), 120, Map.of("KC_CLI_CLIENT_SECRET", secret), c.toArray(String[]::new));
    }

    /** kcadm's answer: its last line (the output here also holds its sign-in message from stderr). */
    static String lastLine(String out) {
        List<String> lines = out.strip().lines().toList();
        return lines.get(lines.size() - 1).strip();
    }

    static void createUser(SiteFixture.Host via, String username) {
        kcadm(via, "create", "users", "-r", "orthanc", "-s", "username=" + username, "-s", "enabled=true",
                "-s", "email=" + username + "@example.org", "-s", "emailVerified=true", "-s", "firstName=" + username,
                "-s", "lastName=Test").expectSuccess("create user " + username);
        // new users must enrol OTP (realm default); this test's logins are about the cluster, not OTP
        String id = lastLine(kcadm(via, "get", "users", "-r", "orthanc", "-q", "username=" + username, "-q", "exact=true",
                "--fields", "id", "--format", "csv", "--noquotes").expectSuccess("user id").out());
        kcadm(via, "update", "users/" + id, "-r", "orthanc", "-s", "requiredActions=[]").expectSuccess("no OTP enrolment");
        kcadm(via, "set-password", "-r", "orthanc", "--username", username, "--new-password", PASSWORD)
                .expectSuccess("set password");
    }

    // ------------------------------------------------------------------ the login, step by step

    /** What one HTTP step answered. */
    record Answer(int status, String location, String body) {
    }

    /**
     * One request from the modality namespace's "browser" (one cookie jar per login); {@code via}
     * null goes through the balancer, else the site name is pinned to that host.
     */
    static Answer step(Path jar, SiteFixture.Host via, String url, String form) throws Exception {
        Path body = Files.createTempFile(site.dir, "body", ".html");
        List<String> args = new ArrayList<>(List.of("-c", jar.toString(), "-b", jar.toString(), "-o", body.toString(),
                "-w", "%{http_code} %{redirect_url}"));
        if (form != null) {
            args.addAll(List.of("-X", "POST", "-H", "Content-Type: application/x-www-form-urlencoded", "--data-binary", form));
        }
        String path = url.substring(("https://" + SiteFixture.SITE).length());
        Tools.Result r = site.curl(via == null ? null : via.ip(), path, args.toArray(String[]::new)).expectSuccess("curl " + url);
        String[] w = r.out().trim().split(" ", 2);
        return new Answer(Integer.parseInt(w[0]), w.length > 1 ? w[1] : "", Files.readString(body));
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** The realm roles in the access token a completed login returns, or the step that failed. */
    static Login login(String user, SiteFixture.Host authorizeVia, SiteFixture.Host credentialsVia, SiteFixture.Host tokenVia)
            throws Exception {
        Path jar = site.dir.resolve("cookies-" + (++flows));
        String verifier = ConformanceEnv.randomAlnum(64);
        String challenge = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        String base = "https://" + SiteFixture.SITE + "/keycloak/realms/orthanc/protocol/openid-connect/";
        Answer page = step(jar, authorizeVia, base + "auth?client_id=orthanc&response_type=code&scope=openid"
                + "&redirect_uri=" + enc(REDIRECT) + "&state=s" + flows + "&code_challenge=" + challenge
                + "&code_challenge_method=S256", null);
        if (page.status() != 200) {
            return new Login("authorize answered " + page.status() + ": " + page.body(), null);
        }
        Matcher action = Pattern.compile("action=\"([^\"]+)\"").matcher(page.body());
        if (!action.find()) {
            return new Login("no login form: " + page.body(), null);
        }
        Answer sent = step(jar, credentialsVia, action.group(1).replace("&amp;", "&"),
                "username=" + enc(user) + "&password=" + enc(PASSWORD) + "&credentialId=");
        Matcher code = Pattern.compile("[?&]code=([^&]+)").matcher(sent.location());
        if (sent.status() != 302 || !sent.location().startsWith(REDIRECT) || !code.find()) {
            return new Login("credentials answered " + sent.status() + " " + sent.location() + ": "
                    + sent.body().replaceAll("(?s).*<span[^>]*kc-feedback-text[^>]*>([^<]*)<.*", "$1").trim(), null);
        }
        Answer token = step(jar, tokenVia, base + "token", "grant_type=authorization_code&client_id=orthanc"
                + "&code=" + code.group(1) + "&redirect_uri=" + enc(REDIRECT) + "&code_verifier=" + verifier);
        if (token.status() != 200) {
            return new Login("token answered " + token.status() + ": " + token.body(), null);
        }
        String access = JSON.readTree(token.body()).get("access_token").asText();
        JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(access.split("\\.")[1]));
        assertThat(claims.get("iss").asText()).isEqualTo("https://" + SiteFixture.SITE + "/keycloak/realms/orthanc");
        List<String> roles = new ArrayList<>();
        claims.at("/realm_access/roles").forEach(r -> roles.add(r.asText()));
        return new Login(null, roles);
    }

    /** A login's outcome: the failing step, or the realm roles of the token. */
    record Login(String failure, List<String> roles) {
        Login completed() {
            assertThat(failure).as("login failed").isNull();
            return this;
        }
    }

    // ------------------------------------------------------------------ tests

    @Test
    @Order(1)
    void theTwoKeycloaksFormOneClusterThroughTheDatabase() {
        // Infinispan logs each cluster view with its member count
        assertThat(site.net.log("keycloak-" + h2.ns())).containsPattern("ISPN000094: Received new cluster view .*\\(2\\)");
        assertThat(site.net.log("keycloak-" + h2.ns())).contains("Realm 'orthanc' already exists. Import skipped");
    }

    @Test
    @Order(2)
    void aLoginCompletesWhicheverHostAnswersEachStep() throws Exception {
        createUser(h1, "alice");
        Instant t = Instant.now();
        login("alice", h1, h2, h1).completed();
        login("alice", h2, h1, h2).completed();
        login("alice", null, null, null).completed();
        timings.put("three logins of three steps each", Duration.between(t, Instant.now()).toMillis() + " ms");
    }

    @Test
    @Order(3)
    void userAndRoleChangesThroughOneHostAreSeenByTheOtherAtOnce() throws Exception {
        createUser(h1, "bob");
        // host 2 has bob (and his roles) in its caches now
        assertThat(login("bob", h2, h2, h2).completed().roles()).doesNotContain("doctor-role");
        kcadm(h1, "add-roles", "-r", "orthanc", "--uusername", "bob", "--rolename", "doctor-role").expectSuccess("add role");
        assertThat(login("bob", h2, h2, h2).completed().roles()).contains("doctor-role");
        String id = lastLine(kcadm(h1, "get", "users", "-r", "orthanc", "-q", "username=bob", "-q", "exact=true",
                "--fields", "id", "--format", "csv", "--noquotes").expectSuccess("user id").out());
        kcadm(h1, "update", "users/" + id, "-r", "orthanc", "-s", "enabled=false").expectSuccess("disable");
        assertThat(login("bob", h2, h2, h2).failure()).as("a user disabled through host 1, on host 2").isNotNull();
    }

    @Test
    @Order(4)
    void aReplacedHostReconcilesTheRealmAndTheLoginStillCompletes() throws Exception {
        // the realm in the database drifted from what the stack renders (as a realm created by a
        // host with its own DNS name left it), and the client secret was rotated in Secrets Manager
        String clientId = lastLine(kcadm(h1, "get", "clients", "-r", "orthanc", "-q", "clientId=orthanc", "--fields", "id",
                "--format", "csv", "--noquotes").expectSuccess("client id").out());
        kcadm(h1, "update", "clients/" + clientId, "-r", "orthanc", "-s",
                "redirectUris=[\"https://ec2-198-51-100-7.compute-1.amazonaws.com/orthanc/*\"]").expectSuccess("drift");
        assertThat(login("alice", h1, h1, h1).failure()).contains("authorize answered 400");
        JsonNode app = JSON.readTree(site.appSecretJson());
        String rotated = ConformanceEnv.randomAlnum(32);
        ((com.fasterxml.jackson.databind.node.ObjectNode) app).put(AppSecrets.KEYCLOAK_CLIENT_SECRET, rotated);
        site.serveAppSecret(app.toString());

        // host 2 dies; its replacement is freshly rendered with a new instance id and address
        site.net.killAll(h2.ns());
        Instant t = Instant.now();
        h3 = site.addHost("h3", 13, SiteFixture.HOST_IDS[2]);
        startKeycloak(h3);
        Instant r = Instant.now();
        h3.env().bootstrap("realm").expectSuccess("bootstrap realm on the replacement");
        timings.put("replacement: bootstrap realm step", Duration.between(r, Instant.now()).toMillis() + " ms");
        site.startNginx(h3, "nginx-" + h3.ns());
        timings.put("replacement host: bootstrap, Keycloak ready, realm reconciled, nginx",
                Duration.between(t, Instant.now()).toMillis() + " ms");

        login("alice", h1, h3, h1).completed();
        login("alice", h3, h1, h3).completed();
        // the rotated secret is the admin-cli client's secret on both hosts, the old one is refused
        String old = JSON.readTree(Files.readString(site.database().root.resolve("fake-aws/app.json")))
                .get(AppSecrets.KEYCLOAK_CLIENT_SECRET).asText();
        for (SiteFixture.Host via : List.of(h1, h3)) {
            assertThat(clientCredentials(via, rotated)).as("rotated secret via " + via.ns()).isEqualTo(200);
            assertThat(clientCredentials(via, old)).as("old secret via " + via.ns()).isEqualTo(401);
        }
    }

    static int clientCredentials(SiteFixture.Host via, String secret) throws Exception {
        Path jar = site.dir.resolve("cookies-cc-" + (++flows));
        return step(jar, via, "https://" + SiteFixture.SITE + "/keycloak/realms/orthanc/protocol/openid-connect/token",
                "grant_type=client_credentials&client_id=admin-cli&client_secret=" + secret).status();
    }

    /** Far above what the rendered settings give (about 25-40 s), far below TCP's default (~15 minutes). */
    static final Duration KEYCLOAK_FAIL_FAST_BOUND = Duration.ofSeconds(90);
    /** How long the host with the kernel's defaults is watched (its figure is printed, for comparison). */
    static final int DEFAULT_KERNEL_WATCH_SECONDS = 90;

    /**
     * A database that goes silent, as the old primary in an RDS Multi-AZ failover: h1's namespace
     * gets the Keycloak container's sysctls from its rendered compose file (as Docker gives them to
     * the container: keepalive timing, tcp_retries2), h3's keeps the kernel's defaults. The core
     * namespace drops every packet of port 5432 while each host's Keycloak answers a user search
     * (a database query, not cached) for the realm-sync client. h1 must end its request in bounded
     * seconds and answer again within a minute of the packets flowing; h3's figure is printed.
     */
    @Test
    @Order(5)
    void aSilentDatabaseEndsKeycloaksRequestsInSecondsWithTheRenderedKernelSettings() throws Exception {
        JsonNode sysctls = new YAMLMapper().readTree(h1.env().files.get(Layout.CONFIG_DIR + "/docker-compose.yml"))
                .at("/services/keycloak/sysctls");
        assertThat(sysctls.path("net.ipv4.tcp_retries2").asText()).isEqualTo(
                Integer.toString(DatabaseClientTimeouts.KEYCLOAK_TCP_RETRIES2));
        sysctls.fields().forEachRemaining(e -> site.net.exec(h1.ns(), 10, Map.of(), "sysctl", "-qw",
                e.getKey() + "=" + e.getValue().asText()).expectSuccess("sysctl " + e.getKey()));
        assertThat(site.net.exec(h3.ns(), 10, Map.of(), "sysctl", "-n", "net.ipv4.tcp_retries2").out().strip())
                .as("h3 keeps the kernel's default").isEqualTo("15");
        Map<SiteFixture.Host, String> tokens = new LinkedHashMap<>();
        for (SiteFixture.Host h : List.of(h1, h3)) {
            tokens.put(h, realmSyncToken(h));
            assertThat(userSearch(h, tokens.get(h), 20).code()).as("search on " + h.ns() + " before").isEqualTo(200);
        }

        DatabaseFailoverTest.silence(site, true);
        Instant silent = Instant.now();
        var defaults = java.util.concurrent.CompletableFuture.supplyAsync(() -> timed(() ->
                userSearch(h3, tokens.get(h3), DEFAULT_KERNEL_WATCH_SECONDS)));
        Timed rendered = timed(() -> userSearch(h1, tokens.get(h1), 300));
        Timed kernelDefaults = defaults.get(DEFAULT_KERNEL_WATCH_SECONDS + 60L, java.util.concurrent.TimeUnit.SECONDS);
        DatabaseFailoverTest.silence(site, false);
        var recovery = DatabaseFailoverTest.awaitAnswer(() -> userSearch(h1, tokens.get(h1), 15));
        DatabaseFailoverTest.Reply after = recovery.last();
        Duration answeredAfter = recovery.after();

        System.out.printf("Keycloak failover: with the rendered sysctls the request during the silence ended after %.1f s "
                + "with HTTP %d (bound %d s)%n", rendered.seconds(), rendered.reply().code(), KEYCLOAK_FAIL_FAST_BOUND.toSeconds());
        System.out.printf("Keycloak failover: with the kernel's defaults: %s%n", kernelDefaults.reply().code() == 0
                ? "no answer after " + DEFAULT_KERNEL_WATCH_SECONDS + " s (still waiting)"
                : String.format(java.util.Locale.ROOT, "ended after %.1f s with HTTP %d", kernelDefaults.seconds(),
                kernelDefaults.reply().code()));
        System.out.printf("Keycloak failover: answered again %.1f s after the packets flowed again (HTTP %d)%n",
                answeredAfter.toMillis() / 1000.0, after.code());
        System.out.println("Keycloak failover: started " + silent);

        assertThat(rendered.reply().code()).as("the request during the silence cannot succeed").isNotEqualTo(200);
        assertThat(rendered.seconds()).as("Keycloak ends it in bounded time").isLessThan(KEYCLOAK_FAIL_FAST_BOUND.toSeconds());
        assertThat(after.code()).as("Keycloak answers again once the database is back:\n"
                + site.net.log("keycloak-" + h1.ns())).isEqualTo(200);
        assertThat(answeredAfter).as("and within a minute").isLessThan(Duration.ofSeconds(60));
    }

    /** A reply and how long it took. */
    record Timed(DatabaseFailoverTest.Reply reply, double seconds) {
    }

    static Timed timed(java.util.function.Supplier<DatabaseFailoverTest.Reply> request) {
        long start = System.nanoTime();
        DatabaseFailoverTest.Reply r = request.get();
        return new Timed(r, (System.nanoTime() - start) / 1e9);
    }

    /** A token of realm orthanc's orthweb-realm-sync client (realm management), from the host's Keycloak. */
    static String realmSyncToken(SiteFixture.Host h) throws Exception {
        String secret = Files.readString(h.env().secretsDir.resolve(AppSecrets.KEYCLOAK_REALM_SYNC_SECRET)).strip();
        Tools.Result r = site.net.exec(h.ns(), 60, Map.of(), "curl", "-sS", "-f", "-m", "30",
                "--data-urlencode", "grant_type=client_credentials", "--data-urlencode", "client_id=orthweb-realm-sync",
                "--data-urlencode", "client_secret=" + secret,
                "http://127.0.0.1:8080/realms/orthanc/protocol/openid-connect/token").expectSuccess("realm-sync token");
        return JSON.readTree(r.out()).get("access_token").asText();
    }

    /** GET of a user search on the host's Keycloak (a query of the database); code 0 when curl got no answer. */
    static DatabaseFailoverTest.Reply userSearch(SiteFixture.Host h, String token, int maxSeconds) {
        return DatabaseFailoverTest.curl(site, h, maxSeconds, "-H", "Authorization: Bearer " + token,
                "http://127.0.0.1:8080/admin/realms/orthanc/users?search=failover-" + ConformanceEnv.randomAlnum(8));
    }
}
