package org.orthweb.cloudinit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
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

/**
 * Real servers on loopback for the conformance tests and the benchmark: PostgreSQL with SSL only,
 * the rendered bootstrap's certificate, database and configuration steps, Debian's Orthanc with
 * the rendered configuration, Debian's nginx with the rendered nginx.conf. Every process started
 * here is stopped by {@link #close()}, also when a test fails.
 */
final class ConformanceEnv implements AutoCloseable {

    static final String NGINX_STREAM_MODULE = "/usr/lib/nginx/modules/ngx_stream_module.so";
    static final String DEBIAN_PLUGINS = "/usr/share/orthanc/plugins";
    static final String PG_BIN = pgBin();
    /** Plugins Debian ships, by the configuration section that enables them. */
    static final Map<String, String> DEBIAN_PLUGIN_FILES = Map.of(
            "PostgreSQL", "libOrthancPostgreSQLIndex.so",
            "DicomWeb", "libOrthancDicomWeb.so");
    static final String SITE = "localhost";
    /** the instance id the bootstrap is told (on EC2 it reads it from IMDSv2) */
    static final String HOST_ID = "i-0c0f0e0d0c0b0a091";

    final Path root;
    final Layout layout;
    final UserDataInputs inputs;
    final Map<String, String> files;
    final Path configDir;
    final Path secretsDir;
    final Path tlsDir;
    final Path rdsCa;
    final Map<String, String> bootstrapEnv = new HashMap<>();
    final int pgPort;
    final String pgPassword = randomAlnum(32);
    private final Path pgData;
    private final Path pgSocket;
    private boolean pgStarted;
    private final Deque<Process> processes = new ArrayDeque<>();
    private final List<String> adaptations = new ArrayList<>();

    /** Commands that run "on the host" (bootstrap, PostgreSQL) start with this, e.g. ip netns exec NS. */
    final List<String> hostPrefix = new ArrayList<>();

    ConformanceEnv() throws IOException {
        this(null, null);
    }

    /**
     * @param hostLayout where the servers listen (null: loopback, free ports, tls under the test's directory)
     * @param hostInputs what the user data is rendered from (null: the loopback defaults, site {@link #SITE})
     */
    ConformanceEnv(Layout hostLayout, UserDataInputs hostInputs) throws IOException {
        root = Files.createTempDirectory("orthweb-conformance");
        try {
            // the postgres user must reach its data directory below this one
            Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
            pgPort = hostInputs == null ? Tools.freePort() : hostInputs.dbPort();
            layout = hostLayout != null ? hostLayout : new Layout("127.0.0.1:" + Tools.freePort(), "127.0.0.1:" + Tools.freePort(),
                    "127.0.0.1", Tools.freePort(), Tools.freePort(),
                    "127.0.0.1", Tools.freePort(), "127.0.0.1", Tools.freePort(),
                    root.resolve("tls").toString());
            inputs = hostInputs != null ? hostInputs : new UserDataInputs("conformance", "tst", "us-east-1", SITE,
                    "127.0.0.1", pgPort,
                    "arn:aws:secretsmanager:us-east-1:123456789012:secret:db",
                    "arn:aws:secretsmanager:us-east-1:123456789012:secret:app",
                    "conformance-bucket", null, Map.of());
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
                    Files.writeString(target, f.getValue());
                }
            }
            Files.writeString(bootstrapScript(), files.get("/usr/local/sbin/orthweb-bootstrap"));
            bootstrapEnv.put("ORTHWEB_CONFIG_DIR", configDir.toString());
            bootstrapEnv.put("ORTHWEB_TLS_DIR", tlsDir.toString());
            bootstrapEnv.put("ORTHWEB_RDS_CA_FILE", rdsCa.toString());
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

    Path bootstrapScript() {
        return root.resolve("orthweb-bootstrap");
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

    void serveSecrets(String appJson, String masterJson) throws IOException {
        Path fake = root.resolve("fake-aws");
        Files.createDirectories(fake);
        Files.writeString(fake.resolve("app.json"), appJson);
        Files.writeString(fake.resolve("db.json"), masterJson);
        Path aws = fake.resolve("aws");
        Files.writeString(aws, String.join("\n",
                "#!/bin/bash",
                "# test stand-in for: aws secretsmanager get-secret-value --secret-id ARN --query SecretString --output text",
                "[[ $1 == secretsmanager && $2 == get-secret-value && $* == *'--query SecretString --output text'* ]] || exit 252",
                "while [[ $# -gt 0 ]]; do [[ $1 == --secret-id ]] && id=$2; shift; done",
                "case $id in",
                "  " + inputs.appSecretArn() + ") cat '" + fake.resolve("app.json") + "' ;;",
                "  " + inputs.dbSecretArn() + ") cat '" + fake.resolve("db.json") + "' ;;",
                "  *) echo \"ResourceNotFoundException: $id\" >&2; exit 254 ;;",
                "esac", ""));
        Files.setPosixFilePermissions(aws, PosixFilePermissions.fromString("rwxr-xr-x"));
        bootstrapEnv.put("PATH", fake + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    }

    Tools.Result bootstrap(String... steps) {
        List<String> cmd = new ArrayList<>(hostPrefix);
        cmd.addAll(List.of("bash", bootstrapScript().toString()));
        cmd.addAll(List.of(steps));
        return Tools.run(root, bootstrapEnv, 300, cmd.toArray(String[]::new));
    }

    // ---------------------------------------------------------------- PostgreSQL (SSL only)

    private String[] asPostgres(String... cmd) {
        if (!Tools.isRoot()) {
            return cmd;
        }
        List<String> c = new ArrayList<>(hostPrefix);
        c.addAll(List.of("runuser", "-u", "postgres", "--"));
        c.addAll(List.of(cmd));
        return c.toArray(String[]::new);
    }

    /** Starts PostgreSQL accepting TCP only over TLS, with a certificate from a test "RDS" CA. */
    void startPostgres() throws IOException {
        startPostgres("127.0.0.1", "127.0.0.1/32");
    }

    /**
     * Same, listening on {@code address} (the certificate's IP SAN) for clients from {@code clients}
     * (a CIDR), run with {@link #hostPrefix} (in a network namespace, for the multi-host tests).
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
        Files.writeString(pgData.resolve("pg_hba.conf"), "local all postgres trust\n"
                + "hostssl all all " + clients + " scram-sha-256\n");
        Tools.run(root, Map.of(), 120, asPostgres(PG_BIN + "/pg_ctl", "-D", pgData.toString(), "-l",
                pgData.resolve("postgres.log").toString(), "-w", "-t", "60", "start")).expectSuccess("pg_ctl start");
        pgStarted = true;
    }

    /** psql as the superuser over the private socket. */
    Tools.Result sql(String database, String query) {
        return Tools.run(root, Map.of(), 60, asPostgres("psql", "-X", "-h", pgSocket.toString(), "-p",
                Integer.toString(pgPort), "-U", "postgres", "-d", database, "-tAq", "-v", "ON_ERROR_STOP=1", "-c", query));
    }

    /** psql over TCP+TLS as a given role with its password. */
    Tools.Result sqlAs(String role, String password, String database, String query) {
        Map<String, String> env = Map.of("PGPASSWORD", password, "PGSSLMODE", "verify-full", "PGSSLROOTCERT", rdsCa.toString());
        return Tools.run(root, env, 60, "psql", "-X", "-h", "127.0.0.1", "-p", Integer.toString(pgPort), "-U", role,
                "-d", database, "-tAq", "-c", query);
    }

    // ---------------------------------------------------------------- Orthanc

    /**
     * Orthanc's configuration folder: the rendered orthanc.json and the secret fragment the
     * bootstrap wrote, each without the sections of plugins Debian lacks (printed), plus a
     * test-only file naming the plugin folder and the storage directory.
     */
    Path orthancConfig(String name, boolean shipped) throws IOException {
        Path dir = root.resolve(name + "-config");
        Path plugins = root.resolve(name + "-plugins");
        Files.createDirectories(dir);
        Files.createDirectories(plugins);
        ObjectMapper json = new ObjectMapper();
        ObjectNode test = json.createObjectNode();
        if (shipped) {
            ObjectNode orthanc = (ObjectNode) json.readTree(files.get(Layout.CONFIG_DIR + "/orthanc.json"));
            ObjectNode secrets = (ObjectNode) json.readTree(secretsDir.resolve("orthanc-secrets.json").toFile());
            for (ObjectNode part : List.of(orthanc, secrets)) {
                List<String> removed = new ArrayList<>();
                part.fieldNames().forEachRemaining(section -> {
                    if (Character.isUpperCase(section.charAt(0)) && part.get(section).isObject()
                            && !DEBIAN_PLUGIN_FILES.containsKey(section)) {
                        removed.add(section);
                    }
                });
                part.remove(removed);
                if (!removed.isEmpty()) {
                    adaptations.add("removed sections of plugins Debian lacks: " + removed);
                }
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

    List<String> adaptations() {
        return adaptations;
    }

    Process start(String name, Map<String, String> env, String... command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
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
        Process p = start(name, env, "Orthanc", configDirectory.toString());
        awaitHttp("http://127.0.0.1:" + httpPort + "/system", p, name);
        return p;
    }

    void awaitHttp(String url, Process p, String name) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        while (Instant.now().isBefore(deadline)) {
            if (!p.isAlive()) {
                throw new AssertionError(name + " exited with " + p.exitValue() + ":\n" + log(name));
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
     * into the official image, a separate module on Debian) and point at the test certificates.
     */
    static String forDebianNginx(String rendered, String imageTlsDir, Path tls) {
        return "load_module " + NGINX_STREAM_MODULE + ";\n" + rendered.replace(imageTlsDir + "/", tls + "/");
    }

    Process startNginx(String name, String renderedConf) throws IOException {
        Path dir = root.resolve(name);
        Files.createDirectories(dir);
        Path conf = dir.resolve("nginx.conf");
        Files.writeString(conf, forDebianNginx(renderedConf, layout.nginxTlsDir(), tlsDir));
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
        while (!processes.isEmpty()) {
            Process p = processes.pop();
            p.destroy();
            try {
                if (!p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
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
