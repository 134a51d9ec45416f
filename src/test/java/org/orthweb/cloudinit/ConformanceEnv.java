package org.orthweb.cloudinit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.HttpURLConnection;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.orthweb.pki.DicomAccess;
import org.orthweb.pki.DicomPeer;
import org.orthweb.pki.PeerGrant;

/**
 * Real servers on loopback for the conformance tests and the benchmark: PostgreSQL with SSL only,
 * the rendered bootstrap's certificate, database and configuration steps, Debian's Orthanc with
 * the rendered configuration, Debian's nginx with the rendered nginx.conf. Every process started
 * here is stopped by {@link #close()}, also when a test fails.
 */
final class ConformanceEnv implements AutoCloseable {

    static final String NGINX_STREAM_MODULE = "/usr/lib/nginx/modules/ngx_stream_module.so";
    /** Debian's njs for the stream module (package libnginx-mod-stream-js). */
    static final String NGINX_STREAM_JS_MODULE = "/usr/lib/nginx/modules/ngx_stream_js_module.so";
    static final String DEBIAN_PLUGINS = "/usr/share/orthanc/plugins";
    static final String PG_BIN = pgBin();
    /** Plugins Debian ships, by the configuration section that enables them. */
    static final Map<String, String> DEBIAN_PLUGIN_FILES = Map.of(
            "PostgreSQL", "libOrthancPostgreSQLIndex.so",
            "DicomWeb", "libOrthancDicomWeb.so");
    static final String SITE = "localhost";
    /** Object-valued options of Orthanc itself (not of a plugin): kept whatever plugins Debian ships. */
    static final java.util.Set<String> ORTHANC_CORE_SECTIONS = java.util.Set.of("DicomModalities", "OrthancPeers", "UserMetadata");
    /** the instance id the bootstrap is told (on EC2 it reads it from IMDSv2) */
    static final String HOST_ID = "i-0c0f0e0d0c0b0a091";

    final Path root;
    /** network namespace every server runs in (null: this process's own) */
    final String netns;
    final Layout layout;
    final UserDataInputs inputs;
    final Map<String, String> files;
    final Path configDir;
    final Path secretsDir;
    final Path tlsDir;
    final Path rdsCa;
    /** Where the token refresher writes the roles' password files ({@code <dir>/<role>/pgpass}). */
    final Path dbAuthDir;
    /** The site PKI as the program would generate it, and certificates it must refuse. */
    final TestPki.Issued siteCa;
    final TestPki.Issued serverCert;
    /** Declared peers (rendered into nginx and Orthanc), by name. */
    final Map<String, TestPki.Issued> peers = new LinkedHashMap<>();
    final Map<String, DicomPeer> declared = new LinkedHashMap<>();
    /** Signed by the site CA but not (or no longer) declared. */
    final TestPki.Issued retiredPeer;
    /** Another stack's CA and a client certificate from it with a declared peer's name and serial. */
    final TestPki.Issued foreignPeer;
    /**
     * Orthanc's client certificate of the site CA, as SitePki issues it when a declared modality
     * is called over DICOM TLS (null otherwise); in the site TLS secret.
     */
    final TestPki.Issued orthancScu;
    /** What SitePki would grant the declared peers (the allow-list in the site TLS secret). */
    final List<PeerGrant> grants = new ArrayList<>();
    final Map<String, String> bootstrapEnv = new HashMap<>();
    final int pgPort;
    final String pgPassword = randomAlnum(32);
    private final Path pgData;
    private final Path pgSocket;
    private boolean pgStarted;
    private final Deque<Process> processes = new ArrayDeque<>();
    private final List<String> adaptations = new ArrayList<>();

    ConformanceEnv() throws IOException {
        this(null, "127.0.0.1");
    }

    /**
     * @param netns         network namespace (existing) in which every server and command of this
     *                      environment runs; null for this process's own
     * @param listenAddress address nginx listens on ({@code 0.0.0.0} to accept from other namespaces)
     */
    ConformanceEnv(String netns, String listenAddress) throws IOException {
        this(netns, listenAddress, null, null);
    }

    /**
     * One host of a site (the multi-host tests): its own namespace, layout and inputs.
     *
     * @param netns         network namespace (existing) in which every server and command of this
     *                      environment runs (bootstrap, PostgreSQL, psql); null for this process's own
     * @param listenAddress address nginx listens on when {@code hostLayout} is null
     * @param hostLayout    where the servers listen (null: {@code listenAddress}, free ports, tls under
     *                      the test's directory)
     * @param hostInputs    what the user data is rendered from (null: the loopback defaults, site
     *                      {@link #SITE}); the server certificate names its site name
     */
    ConformanceEnv(String netns, String listenAddress, Layout hostLayout, UserDataInputs hostInputs) throws IOException {
        this.netns = netns;
        root = Files.createTempDirectory("orthweb-conformance");
        try {
            // the postgres user must reach its data directory below this one
            Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
            pgPort = hostInputs == null ? Tools.freePort() : hostInputs.dbPort();
            layout = hostLayout != null ? hostLayout : new Layout(listenAddress + ":" + Tools.freePort(),
                    listenAddress + ":" + Tools.freePort(),
                    "127.0.0.1", Tools.freePort(), Tools.freePort(),
                    "127.0.0.1", Tools.freePort(), "127.0.0.1", Tools.freePort(),
                    root.resolve("tls").toString(), "127.0.0.1:" + Tools.freePort(),
                    listenAddress + ":" + Tools.freePort());
            inputs = hostInputs != null ? hostInputs : new UserDataInputs("conformance", "tst", "us-east-1", SITE,
                    "127.0.0.1", pgPort,
                    "arn:aws:secretsmanager:us-east-1:123456789012:secret:db",
                    "arn:aws:secretsmanager:us-east-1:123456789012:secret:app",
                    "conformance-bucket", null, Map.of(),
                    "arn:aws:secretsmanager:us-east-1:123456789012:secret:conformance/orthweb/tls-server",
                    "6a1e0c9d-2b3f-4c5d-8e7f-90a1b2c3d4e5");
            TestPki pki = new TestPki(root.resolve("site-pki"));
            // serials chosen to exercise both forms of nginx's $ssl_client_serial: a leading zero
            // nibble, and the high bit set (a sign byte in DER that nginx does not print)
            siteCa = pki.ca("site-ca", "Orthweb conformance site CA", new BigInteger("4A11CE", 16));
            serverCert = pki.server("server", siteCa, List.of(inputs.siteName()), List.of("127.0.0.1"), new BigInteger("5E12", 16));
            declared.put("modality-1", DicomPeer.named("modality-1"));
            declared.put("ct-scanner-1", DicomPeer.of("ct-scanner-1", "CT1"));
            peers.put("modality-1", pki.peer("modality-1", siteCa, new BigInteger("0A1B2C3D4E5F60718293A4B5C6D7E8F9", 16)));
            peers.put("ct-scanner-1", pki.peer("ct-scanner-1", siteCa, new BigInteger("F3E2D1C0B4A59687786950413223140F", 16)));
            retiredPeer = pki.peer("retired-1", siteCa, new BigInteger("7C0FFEE0000000000000000000000001", 16));
            TestPki.Issued foreignCa = pki.ca("foreign-ca", "Orthweb other-stack site CA", new BigInteger("4A11CE", 16));
            foreignPeer = pki.peer("foreign-modality-1", foreignCa, peers.get("modality-1").serial());
            declared.forEach((name, peer) -> grants.add(PeerGrant.of(peer, peers.get(name).decimalSerial())));
            orthancScu = org.orthweb.orthanc.OrthancSettings.scuTls(inputs.orthanc())
                    ? pki.peer("orthanc-scu", siteCa, new BigInteger("5C0", 16)) : null;
            files = Render.files(inputs, layout);
            configDir = root.resolve("etc-orthweb");
            secretsDir = configDir.resolve("secrets");
            tlsDir = root.resolve("tls");
            rdsCa = root.resolve("rds-ca.pem");
            pgData = root.resolve("pgdata");
            pgSocket = root.resolve("pgsocket");
            for (Map.Entry<String, String> f : files.entrySet()) {
                if (f.getKey().startsWith(Layout.CONFIG_DIR + "/")) {
                    Path target = configDir.resolve(f.getKey().substring(Layout.CONFIG_DIR.length() + 1));
                    Files.createDirectories(target.getParent());
                    // the peer check reads its allow-list from nginx's directory: here, from the test's
                    Files.writeString(target, f.getKey().endsWith("/" + Layout.DICOM_PEERS_JS)
                            ? f.getValue().replace(Layout.NGINX_NJS_DIR + "/", configDir + "/") : f.getValue());
                }
            }
            Files.writeString(bootstrapScript(), files.get("/usr/local/sbin/orthweb-bootstrap"));
            Files.writeString(dbAuthScript(), files.get(Layout.DB_AUTH_SCRIPT));
            // 0700 as on the host (the bootstrap runs it as a command)
            Files.setPosixFilePermissions(dbAuthScript(), PosixFilePermissions.fromString("rwx------"));
            dbAuthDir = configDir.resolve("db-auth");
            bootstrapEnv.put("ORTHWEB_CONFIG_DIR", configDir.toString());
            bootstrapEnv.put("ORTHWEB_TLS_DIR", tlsDir.toString());
            bootstrapEnv.put("ORTHWEB_RDS_CA_FILE", rdsCa.toString());
            // the token refresher the bootstrap runs (and the host's timer), writing under the test's directory
            bootstrapEnv.put("ORTHWEB_DB_AUTH_SCRIPT", dbAuthScript().toString());
            bootstrapEnv.put("ORTHWEB_DB_AUTH_DIR", dbAuthDir.toString());
            bootstrapEnv.put("ORTHWEB_LOG_FILE", root.resolve("bootstrap.log").toString());
            // what IMDSv2 answers on a host: its instance id and private address
            bootstrapEnv.put("ORTHWEB_HOST_ID", HOST_ID);
            bootstrapEnv.put("ORTHWEB_HOST_IP", "127.0.0.1");
            // the bootstrap's temporary files stay inside the test's directory
            Files.createDirectories(root.resolve("tmp"));
            bootstrapEnv.put("TMPDIR", root.resolve("tmp").toString());
        } catch (IOException | RuntimeException e) {
            // nothing was started yet: just do not leave the directory behind
            Tools.run("rm", "-rf", root.toString());
            throw e;
        }
    }

    /** {@code command} as run in this environment's network namespace. */
    String[] here(String... command) {
        return netns == null ? command : Netns.exec(netns, command);
    }

    Path bootstrapScript() {
        return root.resolve("orthweb-bootstrap");
    }

    Path dbAuthScript() {
        return root.resolve("orthweb-db-auth");
    }

    /** The password file of a database role as its container sees it at PGPASSFILE. */
    Path pgpass(String role) {
        return dbAuthDir.resolve(role).resolve("pgpass");
    }

    /** Runs the rendered token refresher once, as the host's timer does. */
    Tools.Result refreshDbTokens() {
        return Tools.run(root, bootstrapEnv, 120, here("bash", dbAuthScript().toString()));
    }

    static String randomAlnum(int n) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        SecureRandom r = new SecureRandom();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    /**
     * What Secrets Manager holds for the stack, served to the bootstrap's secrets step by a
     * stand-in for the AWS CLI (first on PATH), which answers get-secret-value from files.
     */
    Map<String, String> writeSecrets() throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        ObjectNode app = new ObjectMapper().createObjectNode();
        for (String key : AppSecrets.KEYS) {
            values.put(key, randomAlnum(32));
            app.put(key, values.get(key));
        }
        ObjectNode master = new ObjectMapper().createObjectNode();
        master.put("username", "postgres");
        master.put("password", pgPassword);
        serveSecrets(app.toString(), master.toString());
        return values;
    }

    /** The site TLS secret as SitePki writes it ({@link DicomAccess#hostSecret}), for the declared peers. */
    String pkiSecretJson() throws IOException {
        return pkiSecretJson(grants);
    }

    String pkiSecretJson(List<PeerGrant> peers) throws IOException {
        java.util.Optional<DicomAccess.ClientIdentity> scu = java.util.Optional.empty();
        if (orthancScu != null) {
            scu = java.util.Optional.of(new DicomAccess.ClientIdentity(Files.readString(orthancScu.cert()),
                    Files.readString(orthancScu.key())));
        }
        return new ObjectMapper().writeValueAsString(DicomAccess.hostSecret(Files.readString(siteCa.cert()),
                Files.readString(serverCert.cert()), Files.readString(serverCert.key()), peers, scu));
    }

    void serveSecrets(String appJson, String masterJson) throws IOException {
        serveSecrets(appJson, masterJson, pkiSecretJson());
    }

    void serveSecrets(String appJson, String masterJson, String pkiJson) throws IOException {
        Path fake = root.resolve("fake-aws");
        Files.createDirectories(fake);
        Files.writeString(fake.resolve("app.json"), appJson);
        Files.writeString(fake.resolve("db.json"), masterJson);
        Files.writeString(fake.resolve("pki.json"), pkiJson);
        Path aws = fake.resolve("aws");
        Path tag = dbProvisionedTagFile();
        Files.writeString(aws, String.join("\n",
                "#!/bin/bash",
                "# test stand-in for the AWS CLI's Secrets Manager calls of the bootstrap. Like the instance role's",
                "# policy, it refuses to read the master secret once it carries the provisioning tag.",
                "# IAM database tokens: the RDS IAM stand-in issues them (as the CLI signs them locally)",
                "if [[ $1 == rds && $2 == generate-db-auth-token ]]; then exec '" + RdsIamStandIn.get().issuer + "' \"${@:3}\"; fi",
                "[[ $1 == secretsmanager ]] || exit 252",
                "op=$2; args=\"$*\"",
                "while [[ $# -gt 0 ]]; do case $1 in --secret-id) id=$2 ;; --tags) tags=$2 ;; --version-id) ver=$2 ;; esac; shift; done",
                "case $op:$id in",
                "  get-secret-value:" + inputs.appSecretArn() + ")",
                "    [[ $args == *'--query SecretString --output text'* ]] || exit 252",
                "    cat '" + fake.resolve("app.json") + "' ;;",
                "  get-secret-value:" + inputs.dbSecretArn() + ")",
                "    [[ $args == *'--query SecretString --output text'* ]] || exit 252",
                "    if [[ -s '" + tag + "' ]]; then echo 'AccessDeniedException: not authorized (tag condition)' >&2; exit 254; fi",
                "    cat '" + fake.resolve("db.json") + "' ;;",
                "  describe-secret:" + inputs.dbSecretArn() + ")",
                "    [[ $args == *\"Tags[?Key=='" + Layout.DB_PROVISIONED_TAG + "'].Value | [0]\"*'--output text'* ]] || exit 252",
                "    if [[ -s '" + tag + "' ]]; then cat '" + tag + "'; echo; else echo None; fi ;;",
                "  tag-resource:" + inputs.dbSecretArn() + ")",
                "    [[ $tags == Key=" + Layout.DB_PROVISIONED_TAG + ",Value=?* ]] || { echo \"AccessDenied: tag $tags\" >&2; exit 254; }",
                "    printf '%s' \"${tags#*,Value=}\" >'" + tag + "' ;;",
                "  # the site TLS secret only at the version the user data names",
                "  get-secret-value:" + inputs.pkiSecretArn() + ")",
                "    [[ ${ver:-} == " + inputs.pkiSecretVersionId() + " ]] || "
                        + "{ echo \"ResourceNotFoundException: version ${ver:-AWSCURRENT}\" >&2; exit 254; }",
                "    # not written yet (the deployment that makes the host writes it): what AWS answers",
                "    [[ -f '" + fake.resolve("pki.json") + "' ]] || "
                        + "{ echo 'An error occurred (ResourceNotFoundException) when calling the GetSecretValue operation' >&2; exit 254; }",
                "    cat '" + fake.resolve("pki.json") + "' ;;",
                "  *) echo \"unexpected call: $op $id\" >&2; exit 254 ;;",
                "esac", ""));
        Files.setPosixFilePermissions(aws, PosixFilePermissions.fromString("rwxr-xr-x"));
        bootstrapEnv.put("PATH", fake + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    }

    /** Where the stand-in CLI keeps the master secret's provisioning tag (empty: untagged). */
    Path dbProvisionedTagFile() {
        return root.resolve("fake-aws").resolve("db-provisioned-tag");
    }

    /** Where this environment keeps a host path under {@link Layout#CONFIG_DIR} (the bootstrap's ORTHWEB_CONFIG_DIR). */
    Path local(String hostPath) {
        if (!hostPath.startsWith(Layout.CONFIG_DIR + "/")) {
            throw new IllegalArgumentException("not under " + Layout.CONFIG_DIR + ": " + hostPath);
        }
        return configDir.resolve(hostPath.substring(Layout.CONFIG_DIR.length() + 1));
    }

    /** Keycloak's import directory in its image, where the compose file mounts the realms. */
    static final String KEYCLOAK_IMAGE_IMPORT = "/opt/keycloak/data/import";

    /**
     * Fills a Keycloak distribution's import directory as the rendered compose file fills the
     * image's: a mount onto it brings the host directory's files, a mount into it one file under
     * the mounted name; the host paths are where this environment's bootstrap wrote them. So a
     * test imports the names the host really gives Keycloak (they decide its import order).
     *
     * @return the file names placed, in the import directory {@code importDir}
     */
    List<String> copyKeycloakImports(Path importDir) throws IOException {
        Files.createDirectories(importDir);
        List<String> placed = new ArrayList<>();
        for (Map.Entry<String, String> mount : composeMounts("keycloak").entrySet()) {
            String target = mount.getKey();
            if (target.equals(KEYCLOAK_IMAGE_IMPORT)) {
                try (var list = Files.list(hostFile(mount.getValue()))) {
                    for (Path f : list.sorted().toList()) {
                        Files.copy(f, importDir.resolve(f.getFileName()));
                        placed.add(f.getFileName().toString());
                    }
                }
            } else if (target.startsWith(KEYCLOAK_IMAGE_IMPORT + "/")) {
                String name = target.substring(KEYCLOAK_IMAGE_IMPORT.length() + 1);
                Files.copy(hostFile(mount.getValue()), importDir.resolve(name));
                placed.add(name);
            }
        }
        if (placed.isEmpty()) {
            throw new AssertionError("the compose file mounts nothing into Keycloak's " + KEYCLOAK_IMAGE_IMPORT);
        }
        System.out.println("conformance: Keycloak's import directory as the compose file mounts it: " + placed);
        return placed;
    }

    Tools.Result bootstrap(String... steps) {
        List<String> cmd = new ArrayList<>(List.of("bash", bootstrapScript().toString()));
        cmd.addAll(List.of(steps));
        Tools.Result r = Tools.run(root, bootstrapEnv, 300, here(cmd.toArray(String[]::new)));
        if (r.exit() == 0 && List.of(steps).contains("configure")) {
            startDbTokenTimer();
        }
        return r;
    }

    private java.util.concurrent.ScheduledExecutorService dbTokenTimer;

    /**
     * What {@code orthweb-db-auth.timer} does on the host: a new token per role every
     * {@link Layout#DB_TOKEN_REFRESH_MINUTES} minutes, so servers of a long test can still open
     * connections after the first token's 15 minutes. Stopped by {@link #close()}.
     */
    /** Stops the host-like token timer (a test that runs its own refresher schedule). */
    synchronized void stopDbTokenTimer() {
        if (dbTokenTimer != null) {
            dbTokenTimer.shutdownNow();
        }
    }

    private synchronized void startDbTokenTimer() {
        if (dbTokenTimer != null && !dbTokenTimer.isShutdown()) {
            return;
        }
        dbTokenTimer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "db-token-timer");
            t.setDaemon(true);
            return t;
        });
        long period = Layout.DB_TOKEN_REFRESH_MINUTES * 60L;
        dbTokenTimer.scheduleAtFixedRate(this::refreshDbTokens, period, period, java.util.concurrent.TimeUnit.SECONDS);
    }

    // ---------------------------------------------------------------- PostgreSQL (SSL only)

    private String[] asPostgres(String... cmd) {
        if (!Tools.isRoot()) {
            return cmd;
        }
        List<String> c = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
        c.addAll(List.of(cmd));
        return c.toArray(String[]::new);
    }

    /** Starts PostgreSQL accepting TCP only over TLS, with a certificate from a test "RDS" CA. */
    void startPostgres() throws IOException {
        startPostgres("127.0.0.1", "127.0.0.1/32");
    }

    /**
     * Same, listening on {@code address} (the certificate's IP SAN) for clients from {@code clients}
     * (a CIDR), in this environment's network namespace (see {@link #here}).
     */
    void startPostgres(String address, String clients) throws IOException {
        Path pki = root.resolve("pg-pki");
        Files.createDirectories(pki);
        Tools.run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=Test RDS CA",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
                "-keyout", pki.resolve("ca.key").toString(), "-out", rdsCa.toString()).expectSuccess("test CA");
        Tools.run("openssl", "req", "-new", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=" + address,
                "-keyout", pki.resolve("server.key").toString(), "-out", pki.resolve("server.csr").toString())
                .expectSuccess("pg csr");
        Files.writeString(pki.resolve("ext"), "subjectAltName=IP:" + address + "\n");
        Tools.run("openssl", "x509", "-req", "-in", pki.resolve("server.csr").toString(), "-CA", rdsCa.toString(),
                "-CAkey", pki.resolve("ca.key").toString(), "-CAcreateserial", "-days", "2",
                "-extfile", pki.resolve("ext").toString(), "-out", pki.resolve("server.crt").toString())
                .expectSuccess("pg cert");
        Files.createDirectories(pgData);
        Files.createDirectories(pgSocket);
        Path pw = root.resolve("pg-pw");
        Files.writeString(pw, pgPassword + "\n");
        if (Tools.isRoot()) {
            Tools.run("chown", "-R", "postgres:postgres", pgData.toString(), pgSocket.toString(), pki.toString(),
                    pw.toString()).expectSuccess("chown");
        }
        Tools.run(root, Map.of(), 120, asPostgres(PG_BIN + "/initdb", "-D", pgData.toString(), "-U", "postgres",
                "--auth-local=trust", "--auth-host=scram-sha-256", "--pwfile=" + pw, "-E", "UTF8"))
                .expectSuccess("initdb");
        Files.delete(pw);
        Files.writeString(pgData.resolve("postgresql.conf"), String.join("\n",
                "listen_addresses = '" + address + "'",
                "port = " + pgPort,
                "unix_socket_directories = '" + pgSocket + "'",
                "ssl = on",
                "ssl_cert_file = '" + pki.resolve("server.crt") + "'",
                "ssl_key_file = '" + pki.resolve("server.key") + "'",
                "ssl_min_protocol_version = 'TLSv1.2'",
                "password_encryption = 'scram-sha-256'",
                "fsync = off", "synchronous_commit = off", "full_page_writes = off", ""),
                java.nio.file.StandardOpenOption.APPEND);
        // like rds.force_ssl=1: TCP clients must use TLS
        // members of rds_iam sign in with IAM tokens, as on RDS (RdsIamStandIn), everyone else with a password
        Files.writeString(pgData.resolve("pg_hba.conf"), "local all postgres trust\n"
                + RdsIamStandIn.get().hbaLine(clients)
                + "hostssl all all " + clients + " scram-sha-256\n");
        Tools.run(root, Map.of(), 120, here(asPostgres(PG_BIN + "/pg_ctl", "-D", pgData.toString(), "-l",
                pgData.resolve("postgres.log").toString(), "-w", "-t", "60", "start"))).expectSuccess("pg_ctl start");
        pgStarted = true;
        // the role RDS has built in: db-setup.sql grants it to the application roles
        sql("postgres", "CREATE ROLE rds_iam NOLOGIN").expectSuccess("create rds_iam");
    }

    /** PostgreSQL's server log. */
    Path pgLog() {
        return pgData.resolve("postgres.log");
    }

    /** psql as the superuser over the private socket. */
    Tools.Result sql(String database, String query) {
        return Tools.run(root, Map.of(), 60, here(asPostgres("psql", "-X", "-h", pgSocket.toString(), "-p",
                Integer.toString(pgPort), "-U", "postgres", "-d", database, "-tAq", "-v", "ON_ERROR_STOP=1", "-c", query)));
    }

    /** psql over TCP+TLS as a given role with the password file the refresher wrote for it. */
    Tools.Result sqlWithPgpass(String role, Path pgpass, String database, String query) {
        // psql (libpq) ignores a password file its group may read: Keycloak's is 0640 (pgjdbc does
        // not check), so psql gets a private copy
        Path copy;
        try {
            copy = Files.createTempFile(root.resolve("tmp"), "pgpass", "");
            Files.writeString(copy, Files.readString(pgpass));
            Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> env = Map.of("PGPASSFILE", copy.toString(), "PGSSLMODE", "verify-full",
                "PGSSLROOTCERT", rdsCa.toString());
        return Tools.run(root, env, 60, here("psql", "-X", "-w", "-h", "127.0.0.1", "-p", Integer.toString(pgPort), "-U", role,
                "-d", database, "-tAq", "-c", query));
    }

    /** psql over TCP+TLS as a given role with its password. */
    Tools.Result sqlAs(String role, String password, String database, String query) {
        Map<String, String> env = Map.of("PGPASSWORD", password, "PGSSLMODE", "verify-full", "PGSSLROOTCERT", rdsCa.toString());
        return Tools.run(root, env, 60, here("psql", "-X", "-h", "127.0.0.1", "-p", Integer.toString(pgPort), "-U", role,
                "-d", database, "-tAq", "-c", query));
    }

    // ---------------------------------------------------------------- Orthanc

    /**
     * Orthanc's configuration folder: the rendered orthanc.json and the secret fragment the
     * bootstrap wrote, each without the sections of plugins Debian lacks (printed), plus a
     * test-only file naming the plugin folder and the storage directory.
     */
    Path orthancConfig(String name, boolean shipped) throws IOException {
        return orthancConfig(name, shipped ? files.get(Layout.CONFIG_DIR + "/orthanc.json") : null);
    }

    /** Same, from a given rendered orthanc.json (null: Orthanc's defaults). */
    Path orthancConfig(String name, String renderedOrthancJson) throws IOException {
        boolean shipped = renderedOrthancJson != null;
        Path dir = root.resolve(name + "-config");
        Path plugins = root.resolve(name + "-plugins");
        Files.createDirectories(dir);
        Files.createDirectories(plugins);
        ObjectMapper json = new ObjectMapper();
        ObjectNode test = json.createObjectNode();
        if (shipped) {
            ObjectNode orthanc = (ObjectNode) json.readTree(renderedOrthancJson);
            // the DICOM peers, as the bootstrap wrote them (the image merges every /etc/orthanc/*.json)
            Files.copy(configDir.resolve(Layout.ORTHANC_DICOM_JSON), dir.resolve(Layout.ORTHANC_DICOM_JSON));
            ObjectNode secrets = (ObjectNode) json.readTree(secretsDir.resolve("orthanc-secrets.json").toFile());
            for (ObjectNode part : List.of(orthanc, secrets)) {
                List<String> removed = new ArrayList<>();
                part.fieldNames().forEachRemaining(section -> {
                    if (Character.isUpperCase(section.charAt(0)) && part.get(section).isObject()
                            && !DEBIAN_PLUGIN_FILES.containsKey(section) && !ORTHANC_CORE_SECTIONS.contains(section)) {
                        removed.add(section);
                    }
                });
                part.remove(removed);
                if (!removed.isEmpty()) {
                    adaptations.add("removed sections of plugins Debian lacks: " + removed);
                }
            }
            JsonNode dicomWeb = orthanc.path("DicomWeb");
            if (dicomWeb.isObject() && dicomWeb.has("PublicRoot") && dicomWeb.has("Host")) {
                // Debian's DICOMweb plugin (1.7) predates "PublicRoot" and builds links from Host +
                // Root; the same public URL comes out when Root's public prefix moves into Host
                String root = dicomWeb.path("Root").asText("/dicom-web/");
                String publicRoot = dicomWeb.get("PublicRoot").asText();
                if (publicRoot.endsWith(root)) {
                    ObjectNode dw = (ObjectNode) dicomWeb;
                    dw.put("Host", dicomWeb.get("Host").asText() + publicRoot.substring(0, publicRoot.length() - root.length()));
                    dw.remove("PublicRoot");
                    adaptations.add("DicomWeb: PublicRoot " + publicRoot + " expressed as Host " + dw.get("Host").asText()
                            + " + Root " + root + " for Debian's plugin, which has no PublicRoot option");
                }
            }
            // files orthanc.json names by their path inside the container (DICOM TLS to modalities):
            // the host files the compose file mounts there, where the bootstrap and the bundle put them
            List<String> mounted = new ArrayList<>();
            orthanc.fieldNames().forEachRemaining(option -> {
                JsonNode value = orthanc.get(option);
                if (value.isTextual() && value.asText().startsWith(Layout.ORTHANC_DICOM_TLS_DIR + "/")) {
                    mounted.add(option);
                }
            });
            for (String option : mounted) {
                String hostFile = hostFileMountedAt("orthanc", orthanc.get(option).asText());
                orthanc.put(option, hostFile);
                adaptations.add(option + ": the host file the compose file mounts there, " + hostFile);
            }
            Files.writeString(dir.resolve("orthanc.json"), orthanc.toPrettyString());
            Files.writeString(dir.resolve("orthanc-secrets.json"), secrets.toPrettyString());
            for (String section : DEBIAN_PLUGIN_FILES.keySet()) {
                if (orthanc.has(section) || secrets.has(section)) {
                    Files.createSymbolicLink(plugins.resolve(DEBIAN_PLUGIN_FILES.get(section)),
                            Path.of(DEBIAN_PLUGINS, DEBIAN_PLUGIN_FILES.get(section)));
                }
            }
        } else {
            // Orthanc's defaults: only what a loopback test needs (ports, storage, no auth)
            test.put("HttpPort", Tools.freePort());
            test.put("DicomPort", Tools.freePort());
            test.put("RemoteAccessAllowed", false);
            test.put("AuthenticationEnabled", false);
        }
        ArrayNode pluginList = test.putArray("Plugins");
        pluginList.add(plugins.toString());
        test.put("StorageDirectory", root.resolve(name + "-storage").toString());
        test.put("IndexDirectory", root.resolve(name + "-index").toString());
        Files.writeString(dir.resolve("zz-test-only.json"), test.toPrettyString());
        adaptations.add(name + ": added zz-test-only.json " + test);
        return dir;
    }

    /**
     * Where this environment keeps the host file the rendered compose file mounts at
     * {@code containerPath} in {@code service}: under {@link Layout#TLS_DIR} the bootstrap's
     * ORTHWEB_TLS_DIR, under {@link Layout#CONFIG_DIR} its ORTHWEB_CONFIG_DIR.
     *
     * @throws AssertionError when the compose file mounts nothing there
     */
    String hostFileMountedAt(String service, String containerPath) {
        String host = composeMounts(service).get(containerPath);
        if (host == null) {
            throw new AssertionError("the compose file mounts nothing at " + containerPath + " in " + service);
        }
        return hostFile(host).toString();
    }

    /** The rendered compose file's volumes of {@code service}: path in the container to host path, in order. */
    Map<String, String> composeMounts(String service) {
        JsonNode volumes;
        try {
            volumes = new com.fasterxml.jackson.dataformat.yaml.YAMLMapper()
                    .readTree(files.get(Layout.CONFIG_DIR + "/docker-compose.yml")).at("/services/" + service + "/volumes");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> mounts = new LinkedHashMap<>();
        for (JsonNode v : volumes) {
            String[] p = v.asText().split(":");
            mounts.put(p[1], p[0]);
        }
        return mounts;
    }

    /**
     * Where this environment keeps a host path: under {@link Layout#TLS_DIR} the bootstrap's
     * ORTHWEB_TLS_DIR, else under {@link Layout#CONFIG_DIR} its ORTHWEB_CONFIG_DIR ({@link #local}).
     */
    Path hostFile(String hostPath) {
        return hostPath.startsWith(Layout.TLS_DIR + "/") ? tlsDir.resolve(hostPath.substring(Layout.TLS_DIR.length() + 1))
                : local(hostPath);
    }

    List<String> adaptations() {
        return adaptations;
    }

    Process start(String name, Map<String, String> env, String... command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(here(command)).redirectErrorStream(true)
                .redirectOutput(root.resolve(name + ".log").toFile()).directory(root.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        processes.push(p);
        return p;
    }

    String log(String name) {
        try {
            Path log = root.resolve(name + ".log");
            return Files.exists(log) ? Files.readString(log) : "(no log)";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts Orthanc on a configuration folder and waits until its HTTP port answers. */
    Process startOrthanc(String name, Path configDirectory, int httpPort, Map<String, String> env) throws IOException {
        // the rendered DatabaseServerIdentifier reads the host's id from the environment (compose
        // passes HOST_ID): this host's, unless the caller runs another server on the same index
        Map<String, String> withHostId = new HashMap<>(env);
        withHostId.putIfAbsent("ORTHWEB_HOST_ID", HOST_ID);
        // the index role's IAM token, as the compose file points Orthanc at it (PGPASSFILE)
        withHostId.putIfAbsent("PGPASSFILE", pgpass(Layout.ORTHANC_DB).toString());
        Process p = start(name, withHostId, "Orthanc", configDirectory.toString());
        awaitHttp("http://127.0.0.1:" + httpPort + "/system", p, name);
        return p;
    }

    void awaitHttp(String url, Process p, String name) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        while (Instant.now().isBefore(deadline)) {
            if (!p.isAlive()) {
                throw new AssertionError(name + " exited with " + p.exitValue() + ":\n" + log(name));
            }
            if (netns != null) {
                // this process cannot reach into the namespace: ask from inside it
                if (Tools.run(null, Map.of(), 10, here("curl", "-fsS", "-o", "/dev/null", "-m", "5", url)).exit() == 0) {
                    return;
                }
                sleep(300);
                continue;
            }
            try {
                HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
                c.setConnectTimeout(1000);
                c.setReadTimeout(5000);
                if (c.getResponseCode() == 200) {
                    return;
                }
            } catch (IOException ignored) {
                // not up yet
            }
            sleep(300);
        }
        throw new AssertionError(name + " did not answer " + url + ":\n" + log(name));
    }

    void awaitPort(int port, Process p, String name) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(deadline)) {
            if (!p.isAlive()) {
                throw new AssertionError(name + " exited with " + p.exitValue() + ":\n" + log(name));
            }
            if (netns != null) {
                if (Tools.run(null, Map.of(), 10, here("bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/" + port)).exit() == 0) {
                    return;
                }
                sleep(200);
                continue;
            }
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException ignored) {
                sleep(200);
            }
        }
        throw new AssertionError(name + " did not listen on " + port + ":\n" + log(name));
    }

    // ---------------------------------------------------------------- nginx

    /**
     * The rendered nginx.conf made loadable by Debian's nginx: load the stream module (compiled
     * into the official image, a separate module on Debian) before the njs module (at Debian's
     * path), and point at the test certificates and the rendered peer check.
     */
    static String forDebianNginx(String rendered, String imageTlsDir, Path tls, Path configDir) {
        return "load_module " + NGINX_STREAM_MODULE + ";\n" + rendered
                .replace("load_module modules/ngx_stream_js_module.so;", "load_module " + NGINX_STREAM_JS_MODULE + ";")
                .replace(imageTlsDir + "/", tls + "/")
                .replace(Layout.NGINX_NJS_DIR + "/", configDir + "/");
    }

    Process startNginx(String name, String renderedConf) throws IOException {
        Path dir = root.resolve(name);
        Files.createDirectories(dir);
        Path conf = dir.resolve("nginx.conf");
        Files.writeString(conf, forDebianNginx(renderedConf, layout.nginxTlsDir(), tlsDir, configDir));
        Tools.run(dir, Map.of(), 60, "nginx", "-t", "-p", dir + "/", "-c", conf.toString(),
                "-g", "pid " + dir.resolve("nginx.pid") + ";").expectSuccess("nginx -t");
        Process p = start(name, Map.of(), "nginx", "-p", dir + "/", "-c", conf.toString(),
                "-g", "pid " + dir.resolve("nginx.pid") + "; daemon off;");
        return p;
    }

    static int port(String listen) {
        return Integer.parseInt(listen.substring(listen.lastIndexOf(':') + 1));
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String pgBin() {
        try (var s = Files.list(Path.of("/usr/lib/postgresql"))) {
            return s.map(p -> p.resolve("bin")).filter(p -> Files.exists(p.resolve("initdb")))
                    .map(Path::toString).sorted().reduce((a, b) -> b).orElse("/usr/lib/postgresql/15/bin");
        } catch (IOException e) {
            return "/usr/lib/postgresql/15/bin";
        }
    }

    private boolean closed;

    /** Stops everything started here and removes the directory; safe to call more than once. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (dbTokenTimer != null) {
            dbTokenTimer.shutdownNow();
        }
        Tools.stopAll(processes, 20, 10);
        if (pgStarted) {
            Tools.run(root, Map.of(), 60, asPostgres(PG_BIN + "/pg_ctl", "-D", pgData.toString(), "-m", "fast", "-w", "stop"));
        }
        if (!"true".equals(System.getenv("ORTHWEB_KEEP_TEST_DIR"))) {
            Tools.run("rm", "-rf", root.toString());
        } else {
            System.out.println("kept " + root);
        }
    }
}
