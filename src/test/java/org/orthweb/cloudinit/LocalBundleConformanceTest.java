package org.orthweb.cloudinit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.orthweb.local.LocalBundle;
import org.orthweb.local.LocalTarget;
import org.orthweb.pki.DicomPeer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The local bundle run for real, as far as this machine allows without a Docker engine: in a
 * network namespace of its own (so the bundle's own ports 443, 11112, 4242, 8042, 5432, 8080 are
 * free, and the Compose service name {@code postgres} resolves, through the namespace's
 * {@code /etc/netns/NS/hosts}), Debian's PostgreSQL with the bundle's TLS settings, pg_hba and
 * database init script; Debian's Orthanc with the bundle's orthanc.json and secret part; Debian's
 * nginx with the bundle's nginx.conf; dcmtk's storescu with the bundle's client kit and its printed
 * line; Keycloak at the image's version with the bundle's realm, configuration file and the compose
 * file's environment. What differs from the containers is printed as an adaptation.
 */
@Tag("conformance")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalBundleConformanceTest {

    static final String DICOM_FILE = "/usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm";

    static Path root;
    static Path bundle;
    static LocalBundle.Bundle built;
    static String ns;
    static Path pgData;
    static Path pgSocket;
    static Path pgPrivate;
    static boolean pgStarted;
    static final Deque<Process> processes = new ArrayDeque<>();
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        Tools.require("ip", "runuser", ConformanceEnv.PG_BIN + "/initdb", "psql", "Orthanc", "nginx", "curl", "storescu",
                ConformanceEnv.NGINX_STREAM_MODULE, ConformanceEnv.NGINX_STREAM_JS_MODULE,
                ConformanceEnv.DEBIAN_PLUGINS + "/" + ConformanceEnv.DEBIAN_PLUGIN_FILES.get("PostgreSQL"), DICOM_FILE);
        Netns.requireUsable();
        root = Files.createTempDirectory("orthweb-local");
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        try {
            bundle = root.resolve("bundle");
            built = LocalBundle.build("dev", "dev", "us-east-1", Map.of(), List.of(DicomPeer.named("modality-1")), 0);
            LocalBundle.writeTo(built, bundle);
            ns = "ow-local-" + Long.toString(new SecureRandom().nextLong() & 0xffffffffL, 36);
            Tools.run("ip", "netns", "add", ns).expectSuccess("ip netns add");
            Tools.run("ip", "-n", ns, "link", "set", "lo", "up").expectSuccess("lo up");
            // what Compose's DNS answers for the database service; `ip netns exec` mounts this over /etc/hosts
            Path hosts = Path.of("/etc/netns", ns, "hosts");
            Files.createDirectories(hosts.getParent());
            Files.writeString(hosts, "127.0.0.1 localhost " + LocalTarget.DB_SERVICE + "\n");
            adaptation("the namespace's /etc/hosts names " + LocalTarget.DB_SERVICE + " 127.0.0.1 (Compose's DNS on a host)");
            startPostgres();
        } catch (Throwable t) {
            stop();
            throw t;
        }
    }

    static void adaptation(String what) {
        System.out.println("local bundle conformance adaptation: " + what);
    }

    static String[] inNs(String... command) {
        return Netns.exec(ns, command);
    }

    static String[] asPostgres(String... command) {
        List<String> c = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
        c.addAll(List.of(command));
        return inNs(c.toArray(String[]::new));
    }

    static Path file(String relative) {
        return bundle.resolve(relative);
    }

    /**
     * Initialises a cluster with the bundle's superuser password, starts it with the bundle's TLS
     * settings and pg_hba, and runs the bundle's init script, as the postgres image does on a new
     * volume. The key and verifiers are copied for the postgres user first, as the compose file's
     * entrypoint does.
     */
    static void startPostgres() throws Exception {
        pgData = root.resolve("pgdata");
        pgSocket = root.resolve("pgsocket");
        pgPrivate = root.resolve("pg-private");
        Files.createDirectories(pgData);
        Files.createDirectories(pgSocket);
        Files.createDirectories(pgPrivate);
        Files.copy(file("tls/postgres.key"), pgPrivate.resolve(LocalBundle.DB_KEY_SECRET));
        for (String role : List.of(Layout.ORTHANC_DB, Layout.KEYCLOAK_DB)) {
            Files.copy(file("secrets/" + role + ".scram"), pgPrivate.resolve(role + ".scram"));
        }
        // readable by postgres: the bundle's tls/ and secrets/ are 0700 of the workstation user
        Path pgConf = root.resolve("pg-conf");
        Files.createDirectories(pgConf);
        Files.copy(file("tls/postgres.crt"), pgConf.resolve("postgres.crt"));
        Files.copy(file("config/pg_hba.conf"), pgConf.resolve("pg_hba.conf"));
        Files.copy(file("config/db-setup.sql"), pgConf.resolve("db-setup.sql"));
        Path pw = root.resolve("pg-pw");
        Files.writeString(pw, Files.readString(file("secrets/" + LocalBundle.DB_MASTER_SECRET)));
        Tools.run("chown", "-R", "postgres:postgres", pgData.toString(), pgSocket.toString(), pgPrivate.toString(),
                pgConf.toString(), pw.toString()).expectSuccess("chown");
        Tools.run("chmod", "0700", pgPrivate.toString()).expectSuccess("chmod");
        adaptation("key, verifiers and PostgreSQL's files copied for the postgres user (the entrypoint's install step)");
        Tools.run(root, Map.of(), 120, asPostgres(ConformanceEnv.PG_BIN + "/initdb", "-D", pgData.toString(),
                "-U", "postgres", "--pwfile=" + pw, "-E", "UTF8")).expectSuccess("initdb");
        List<String> options = new ArrayList<>(List.of("-c", "listen_addresses=127.0.0.1", "-c", "port=" + LocalTarget.DB_PORT,
                "-c", "unix_socket_directories=" + pgSocket, "-c", "fsync=off"));
        options.addAll(LocalBundle.postgresSettings(pgConf.resolve("postgres.crt").toString(),
                pgPrivate.resolve(LocalBundle.DB_KEY_SECRET).toString(), pgConf.resolve("pg_hba.conf").toString()));
        adaptation("PostgreSQL " + ConformanceEnv.PG_BIN + " (Debian) instead of " + LocalTarget.POSTGRES_IMAGE
                + "; listen 127.0.0.1, socket under the test directory, fsync off");
        Tools.run(root, Map.of(), 120, asPostgres(ConformanceEnv.PG_BIN + "/pg_ctl", "-D", pgData.toString(), "-l",
                pgData.resolve("postgres.log").toString(), "-w", "-t", "60", "-o", String.join(" ", options), "start"))
                .expectSuccess("pg_ctl start");
        pgStarted = true;
        Map<String, String> initEnv = Map.of("POSTGRES_USER", "postgres", "PGHOST", pgSocket.toString(),
                "PGPORT", Integer.toString(LocalTarget.DB_PORT),
                "ORTHWEB_SECRETS_DIR", pgPrivate.toString(), "ORTHWEB_CONFIG_DIR", pgConf.toString());
        List<String> init = new ArrayList<>(List.of("runuser", "-u", "postgres", "--", "env"));
        initEnv.forEach((k, v) -> init.add(k + "=" + v));
        init.addAll(List.of("sh", file("config/" + LocalBundle.DB_INIT_SCRIPT).toString()));
        Files.setPosixFilePermissions(bundle, PosixFilePermissions.fromString("rwxr-xr-x"));
        Tools.run(root, Map.of(), 120, inNs(init.toArray(String[]::new))).expectSuccess("the bundle's database init script");
    }

    static Tools.Result psqlAs(String role, String password, String sslmode) {
        return Tools.run(root, Map.of("PGPASSWORD", password), 60, inNs("psql", "-X", "-tAq",
                "host=" + LocalTarget.DB_SERVICE + " port=" + LocalTarget.DB_PORT + " dbname=" + role + " user=" + role
                        + " sslmode=" + sslmode + " sslrootcert=" + file("tls/ca.crt"), "-c", "SELECT current_user"));
    }

    static String secret(String name) throws IOException {
        return Files.readString(file("secrets/" + name)).strip();
    }

    /** A role's password: the last field of its password file (LocalTarget.DB_PASSWORD_ROUTE). */
    static String dbPassword(String role) throws IOException {
        String line = Files.readString(file(LocalBundle.DB_AUTH_DIR + "/" + role + "/pgpass")).strip();
        return line.substring(line.lastIndexOf(':') + 1);
    }

    /**
     * The service's {@code PGPASSFILE} as the compose file sets it, at the bundle's directory that
     * the compose file mounts at the container's path.
     */
    static Map<String, String> pgpassEnv(String service) throws IOException {
        JsonNode s = new YAMLMapper().readTree(file("docker-compose.yml").toFile()).at("/services/" + service);
        String passfile = s.at("/environment/PGPASSFILE").asText();
        for (JsonNode v : s.get("volumes")) {
            String[] p = v.asText().split(":");
            if (passfile.startsWith(p[1] + "/")) {
                return Map.of("PGPASSFILE", bundle.resolve(p[0]).normalize() + passfile.substring(p[1].length()));
            }
        }
        throw new AssertionError(service + ": no mount holds PGPASSFILE " + passfile);
    }

    @Test
    @Order(1)
    void databaseRolesLogInOverVerifiedTlsOnly() throws Exception {
        for (String role : List.of(Layout.ORTHANC_DB, Layout.KEYCLOAK_DB)) {
            String password = dbPassword(role);
            assertThat(psqlAs(role, password, "verify-full").expectSuccess(role + " over TLS").out().strip()).isEqualTo(role);
            // like RDS with rds.force_ssl: no TCP connection without TLS
            Tools.Result plain = psqlAs(role, password, "disable");
            assertThat(plain.exit()).as(plain.out()).isNotZero();
            assertThat(plain.out()).contains("no encryption");
        }
        assertThat(psqlAs(Layout.ORTHANC_DB, "wrong" + dbPassword(Layout.ORTHANC_DB), "verify-full").exit()).isNotZero();
    }

    @Test
    @Order(2)
    void dicomTlsStoreWithTheBundlesClientKitReachesOrthancOnPostgres() throws Exception {
        Path config = orthancConfig();
        Map<String, String> orthancEnv = new HashMap<>(Map.of("ORTHWEB_HOST_ID", LocalTarget.HOST_ID,
                "ORTHWEB_SITE", LocalTarget.SITE, "TCP_NODELAY", "1"));
        orthancEnv.putAll(pgpassEnv("orthanc"));
        adaptation("Orthanc's PGPASSFILE at the bundle's " + orthancEnv.get("PGPASSFILE"));
        Process orthanc = start("orthanc", orthancEnv, "Orthanc", config.toString());
        int httpPort = JSON.readTree(file("config/orthanc.json").toFile()).get("HttpPort").asInt();
        awaitCurl("http://127.0.0.1:" + httpPort + "/system", orthanc, "orthanc", Duration.ofSeconds(120));

        Path nginxDir = root.resolve("nginx");
        Files.createDirectories(nginxDir);
        // the peer check and its allow-list where Debian's nginx is told to find them (the image's directory there)
        Path njs = root.resolve("njs");
        Files.createDirectories(njs);
        Files.writeString(njs.resolve(Layout.DICOM_PEERS_JS), Files.readString(file("config/" + Layout.DICOM_PEERS_JS))
                .replace(Layout.NGINX_NJS_DIR + "/", njs + "/"));
        Files.copy(file("config/" + Layout.DICOM_PEERS_JSON), njs.resolve(Layout.DICOM_PEERS_JSON));
        String conf = ConformanceEnv.forDebianNginx(Files.readString(file("config/nginx.conf")), Layout.HOST.nginxTlsDir(),
                file(LocalBundle.TLS_DIR), njs);
        // no Docker DNS (127.0.0.11) in the namespace: the services by address (all in this namespace)
        var upstreams = java.util.regex.Pattern.compile("(set \\$\\w+ )(" + Layout.HOST.orthancHost() + "|"
                + Layout.HOST.keycloakHost() + "|" + Layout.HOST.authHost() + "):(\\d+);").matcher(conf);
        StringBuilder replaced = new StringBuilder();
        int upstreamCount = 0;
        while (upstreams.find()) {
            upstreams.appendReplacement(replaced, "$1127.0.0.1:$3;");
            upstreamCount++;
        }
        upstreams.appendTail(replaced);
        assertThat(upstreamCount).as("upstream settings of the DICOM and HTTPS servers").isGreaterThanOrEqualTo(3);
        conf = replaced.toString();
        adaptation("nginx: Debian's module paths, the peer check's directory; " + upstreamCount
                + " upstreams at 127.0.0.1 instead of Compose's DNS names");
        Files.writeString(nginxDir.resolve("nginx.conf"), conf);
        String[] nginxCmd = {"nginx", "-p", nginxDir + "/", "-c", nginxDir.resolve("nginx.conf").toString(), "-g",
                "pid " + nginxDir.resolve("nginx.pid") + "; daemon off;"};
        Process nginx = start("nginx", Map.of(), nginxCmd);
        awaitCurl("https://localhost:" + Layout.HTTPS_PORT + "/nginx_health", nginx, "nginx", Duration.ofSeconds(30));

        // the line the command printed, as the README says: from clients/, FILE.dcm replaced
        String line = built.storescu().replace("FILE.dcm...", DICOM_FILE);
        Tools.Result store = Tools.run(file(LocalBundle.CLIENTS_DIR), Map.of(), 120,
                inNs("bash", "-c", line.replaceFirst("^storescu ", "storescu -d ")));
        store.expectSuccess("storescu (the printed line)");
        Tools.Result count = Tools.run(root, Map.of(), 30, inNs("curl", "-fsS", "http://127.0.0.1:" + httpPort + "/instances"));
        assertThat(JSON.readTree(count.expectSuccess("instances").out())).hasSize(1);
        // the index is in PostgreSQL (the bundle's database), not in a local SQLite file
        Tools.Result rows = Tools.run(root, Map.of(), 60, asPostgres("psql", "-X", "-tAq", "-h", pgSocket.toString(),
                "-p", Integer.toString(LocalTarget.DB_PORT), "-U", "postgres", "-d", Layout.ORTHANC_DB,
                "-c", "SELECT count(*) FROM resources WHERE resourcetype = 3"));
        assertThat(rows.expectSuccess("psql count").out().strip()).isEqualTo("1");
        assertThat(Files.list(root.resolve("orthanc-storage")).count()).isPositive();

        // another CA's certificate with the peer's name is refused at the handshake
        Path other = root.resolve("other-ca");
        TestPki pki = new TestPki(other);
        TestPki.Issued ca = pki.ca("ca", "Other CA", java.math.BigInteger.TEN);
        TestPki.Issued peer = pki.peer("modality-1", ca, java.math.BigInteger.valueOf(11));
        Tools.Result refused = Tools.run(file(LocalBundle.CLIENTS_DIR), Map.of(), 60, inNs("bash", "-c",
                line.replace("modality-1.key modality-1.crt", peer.key() + " " + peer.cert())));
        assertThat(refused.exit()).as(refused.out()).isNotZero();
    }

    /**
     * The bundle's orthanc.json and secret part for Debian's Orthanc: sections of plugins Debian
     * lacks removed, the database CA at the bundle's path, the storage directory (the container's
     * volume) and plugin folder under the test's directory.
     */
    static Path orthancConfig() throws IOException {
        Path dir = root.resolve("orthanc-config");
        Path plugins = root.resolve("orthanc-plugins");
        Files.createDirectories(dir);
        Files.createDirectories(plugins);
        ObjectNode orthanc = (ObjectNode) JSON.readTree(file("config/orthanc.json").toFile());
        ObjectNode secrets = (ObjectNode) JSON.readTree(file("secrets/orthanc-secrets.json").toFile());
        assertThat(orthanc.has("AwsS3Storage")).isFalse();
        assertThat(orthanc.get("StorageDirectory").asText()).isEqualTo(LocalTarget.STORAGE_DIRECTORY);
        List<String> removed = new ArrayList<>();
        for (ObjectNode part : List.of(orthanc, secrets)) {
            List<String> names = new ArrayList<>();
            part.fieldNames().forEachRemaining(names::add);
            for (String n : names) {
                if (part.get(n).isObject() && !n.equals("PostgreSQL")) {
                    part.remove(n);
                    removed.add(n);
                }
            }
        }
        ObjectNode pg = (ObjectNode) secrets.get("PostgreSQL");
        pg.put("ConnectionUri", pg.get("ConnectionUri").asText().replace(LocalTarget.DB_CA_FILE, file("tls/ca.crt").toString()));
        orthanc.put("StorageDirectory", root.resolve("orthanc-storage").toString());
        orthanc.putArray("Plugins").add(plugins.toString());
        Files.createSymbolicLink(plugins.resolve(ConformanceEnv.DEBIAN_PLUGIN_FILES.get("PostgreSQL")),
                Path.of(ConformanceEnv.DEBIAN_PLUGINS, ConformanceEnv.DEBIAN_PLUGIN_FILES.get("PostgreSQL")));
        Files.writeString(dir.resolve("orthanc.json"), orthanc.toPrettyString());
        Files.writeString(dir.resolve("orthanc-secrets.json"), secrets.toPrettyString());
        Files.copy(file("config/" + Layout.ORTHANC_DICOM_JSON), dir.resolve(Layout.ORTHANC_DICOM_JSON));
        adaptation("Orthanc: removed sections of plugins Debian lacks or this test does not load " + removed
                + "; database CA at the bundle's tls/ca.crt; StorageDirectory and Plugins under the test directory");
        return dir;
    }

    @Test
    @Order(3)
    void realmLoadsInKeycloakAndThePrintedUserSignsIn() throws Exception {
        Tools.require("unzip", "bash");
        Path zip = KeycloakRealmConformanceTest.keycloakZip();
        Path java = KeycloakRealmConformanceTest.java21();
        Tools.run(root, Map.of(), 300, "unzip", "-q", zip.toString(), "-d", root.resolve("kc").toString())
                .expectSuccess("unzip keycloak");
        Path home;
        try (var s = Files.list(root.resolve("kc"))) {
            home = s.findFirst().orElseThrow();
        }
        Files.createDirectories(home.resolve("data/import"));
        // where the compose file mounts them
        JsonNode keycloak = new YAMLMapper().readTree(file("docker-compose.yml").toFile()).at("/services/keycloak");
        String importDir = null;
        for (JsonNode v : keycloak.get("volumes")) {
            String[] p = v.asText().split(":");
            if (p[1].equals("/opt/keycloak/data/import")) {
                importDir = p[0];
            }
        }
        assertThat(importDir).as("the compose file mounts a directory over Keycloak's import directory").isNotNull();
        try (var files = Files.list(bundle.resolve(importDir))) {
            for (Path f : files.toList()) {
                Files.copy(f, home.resolve("data/import").resolve(f.getFileName()));
            }
        }
        Files.copy(file("secrets/keycloak.conf"), home.resolve("conf/keycloak.conf"), StandardCopyOption.REPLACE_EXISTING);
        Map<String, String> env = new HashMap<>();
        keycloak.get("environment").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()
                .replaceAll("\\$\\{SITE_NAME[^}]*}", LocalTarget.SITE)
                .replace(LocalTarget.DB_CA_FILE, file("tls/ca.crt").toString())));
        env.putAll(pgpassEnv("keycloak"));
        env.put("JAVA_HOME", java.toString());
        env.put("JAVA_OPTS_APPEND", env.get("JAVA_OPTS_APPEND")
                + " --add-opens=java.base/java.lang=ALL-UNNAMED -Dnet.bytebuddy.experimental=true");
        adaptation("Keycloak " + System.getProperty("keycloak.version") + " from its distribution (the image's version), "
                + "environment from the compose file with SITE_NAME=localhost and the bundle's CA path; "
                + "the distribution builds at start (the image is pre-built: --optimized)");
        int http = Layout.HOST.keycloakPort();
        Process kc = start("keycloak", env, home.resolve("bin/kc.sh").toString(), "start", "--import-realm",
                "--http-host=127.0.0.1", "--http-port=" + http, "--http-management-port=9000", "--health-enabled=true");
        awaitCurl("http://127.0.0.1:9000/health/ready", kc, "keycloak", Duration.ofSeconds(600));

        // the browser's first steps, with curl, through the bundle's nginx at https://localhost/ as the
        // README says: the login form of the orthanc client, then the printed credentials
        String script = String.join("\n",
                "set -euo pipefail",
                "jar=$(mktemp); trap 'rm -f \"$jar\"' EXIT",
                "ca=" + file("tls/ca.crt"),
                "page=$(curl -fsS --cacert \"$ca\" -c \"$jar\" -b \"$jar\" "
                        + "\"https://localhost/keycloak/realms/orthanc/protocol/openid-connect/auth?client_id=orthanc"
                        + "&response_type=code&scope=openid&redirect_uri=https%3A%2F%2Flocalhost%2Forthanc%2Fui%2Fapp%2F"
                        + "&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256\")",
                "action=$(printf '%s' \"$page\" | grep -o 'action=\"[^\"]*\"' | head -1 | sed -e 's/^action=\"//' -e 's/\"$//' -e 's/&amp;/\\&/g')",
                "curl -sS -i --cacert \"$ca\" -c \"$jar\" -b \"$jar\" "
                        + "--data-urlencode \"username=$LOGIN_USER\" --data-urlencode \"password=$LOGIN_PASSWORD\" \"$action\"",
                "");
        Path login = root.resolve("login.sh");
        Files.writeString(login, script);
        Tools.Result ok = Tools.run(root, Map.of("LOGIN_USER", built.user(), "LOGIN_PASSWORD", built.password()), 60,
                inNs("bash", login.toString()));
        ok.expectSuccess("login");
        // accepted: Keycloak redirects to the required OTP enrolment (headers included with -i)
        assertThat(ok.out()).doesNotContain("Invalid username or password")
                .containsPattern("(?i)location: https://localhost/keycloak/realms/orthanc/login-actions/required-action\\S*CONFIGURE_TOTP");
        Tools.Result wrong = Tools.run(root, Map.of("LOGIN_USER", built.user(), "LOGIN_PASSWORD", "x" + built.password()),
                60, inNs("bash", login.toString()));
        assertThat(wrong.out()).contains("Invalid username or password");
    }

    static Process start(String name, Map<String, String> env, String... command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(inNs(command)).redirectErrorStream(true)
                .redirectOutput(root.resolve(name + ".log").toFile()).directory(root.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        processes.push(p);
        return p;
    }

    static String log(String name) {
        try {
            Path log = root.resolve(name + ".log");
            return Files.exists(log) ? Files.readString(log) : "(no log)";
        } catch (IOException e) {
            return "(unreadable log: " + e.getMessage() + ")";
        }
    }

    /** Waits (bounded) until {@code url} answers 2xx from inside the namespace; https trusts the bundle's CA. */
    static void awaitCurl(String url, Process p, String name, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!p.isAlive()) {
                throw new AssertionError(name + " exited with " + p.exitValue() + ":\n" + log(name));
            }
            if (Tools.run(root, Map.of(), 10, inNs("curl", "-fsS", "-o", "/dev/null", "-m", "5", "--cacert",
                    file("tls/ca.crt").toString(), url)).exit() == 0) {
                return;
            }
            ConformanceEnv.sleep(500);
        }
        throw new AssertionError(name + " did not answer " + url + ":\n" + log(name));
    }

    @AfterAll
    static void stop() {
        Tools.stopAll(processes, 20, 10);
        if (pgStarted) {
            Tools.run(root, Map.of(), 60, asPostgres(ConformanceEnv.PG_BIN + "/pg_ctl", "-D", pgData.toString(),
                    "-m", "fast", "-w", "stop"));
            pgStarted = false;
        }
        if (ns != null) {
            Tools.run("ip", "netns", "pids", ns).out().lines().filter(l -> l.matches("\\d+"))
                    .forEach(pid -> Tools.run("kill", "-9", pid));
            Tools.run("ip", "netns", "delete", ns);
            Tools.run("rm", "-rf", "/etc/netns/" + ns);
            ns = null;
        }
        if (root != null && !"true".equals(System.getenv("ORTHWEB_KEEP_TEST_DIR"))) {
            Tools.run("rm", "-rf", root.toString());
        }
    }
}
