package org.orthweb.cloudinit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One Orthweb site of two hosts on real servers, in network namespaces ({@link SiteNetwork}):
 * PostgreSQL with TLS only and Debian's haproxy (TCP, standing in for the cloud load balancer)
 * in the core namespace; per host the rendered user data (the same for both hosts, as one launch
 * template gives them), the rendered bootstrap's {@code secrets db configure} steps with the
 * host's own instance id and private address, Debian's nginx on the rendered nginx.conf; a
 * modality namespace whose {@code /etc/hosts} points the site name at the balancer.
 *
 * <p>Certificates as the site PKI delivers them: one CA, one server certificate (SAN: the site
 * name) and one client certificate, generated here with openssl and placed where the bootstrap
 * writes them on every host.
 */
final class SiteFixture implements AutoCloseable {

    static final String SITE = "pacs.orthweb.test";
    /** The database port of the site's user data (RDS's default). */
    static final int DB_PORT = 5432;
    static final String[] HOST_IDS = {"i-0a11111111111111a", "i-0b22222222222222b", "i-0c33333333333333c"};

    final Path dir;
    final SiteNetwork net;
    final String modality;
    final List<Host> hosts = new ArrayList<>();
    private final List<ConformanceEnv> envs = new ArrayList<>();
    private ConformanceEnv first;
    private String appJson;
    private String dbJson;
    final Path pki;

    /** One host: its namespace, its rendered files and bootstrap, and its identity. */
    /** The declared DICOM peer the modality namespace sends as (its AE title: {@link #MODALITY_AET}). */
    static final String MODALITY = "modality-1";
    static final String MODALITY_AET = "MODALITY-1";

    record Host(String ns, String ip, String id, ConformanceEnv env) {
    }

    SiteFixture() throws IOException {
        dir = Files.createTempDirectory("orthweb-site");
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        net = new SiteNetwork(dir);
        try {
            pki = dir.resolve("pki");
            modality = net.node("mod", 100);
            net.hosts(modality, Map.of(SITE, SiteNetwork.CORE_IP));
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    static UserDataInputs inputs() {
        return new UserDataInputs("site", "tst", "us-east-1", SITE, SiteNetwork.CORE_IP, DB_PORT,
                "arn:aws:secretsmanager:us-east-1:123456789012:secret:db",
                "arn:aws:secretsmanager:us-east-1:123456789012:secret:app",
                "site-bucket", null, Map.of(),
                "arn:aws:secretsmanager:us-east-1:123456789012:secret:site/orthweb/tls-server",
                "0b5e7c1d-4a2f-4e6b-9c8d-7f6e5d4c3b2a", 2);
    }

    /** Where things listen on a host: nginx on every address, the rest on the host's loopback. */
    static Layout hostLayout() {
        return new Layout(Integer.toString(Layout.HTTPS_PORT), Integer.toString(Layout.DICOM_TLS_PORT),
                "127.0.0.1", 8042, 4242, "127.0.0.1", 8080, "127.0.0.1", 8000, Layout.HOST.nginxTlsDir(),
                "127.0.0.1:" + Layout.HOST.keycloakAdminListen().replaceAll(".*:", ""),
                Integer.toString(Layout.PLAIN_DICOM_PORT));
    }

    /** PostgreSQL (TLS only) in the core namespace, for the site's subnet. */
    void startDatabase() throws IOException {
        first = new ConformanceEnv(net.core, null, hostLayout(), inputs());
        envs.add(first);
        // the site's PKI is the first environment's (as SitePki generates it): CA, server
        // certificate for the site name, and the declared peer modality-1 for the modality
        Files.createDirectories(pki);
        copy(first.siteCa.cert(), "ca.crt");
        copy(first.serverCert.cert(), "server.crt");
        copy(first.serverCert.key(), "server.key");
        copy(first.peers.get(MODALITY).cert(), "client.crt");
        copy(first.peers.get(MODALITY).key(), "client.key");
        first.startPostgres(SiteNetwork.CORE_IP, SiteNetwork.SUBNET + ".0/24");
        first.writeSecrets();
        appJson = Files.readString(first.root.resolve("fake-aws/app.json"));
        dbJson = Files.readString(first.root.resolve("fake-aws/db.json"));
    }

    private void copy(Path from, String name) throws IOException {
        Files.copy(from, pki.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** The environment that runs PostgreSQL (its {@code sql} is the superuser in the core namespace). */
    ConformanceEnv database() {
        return first;
    }

    /** Secrets Manager now holds this application secret (a rotation). */
    void serveAppSecret(String json) throws IOException {
        appJson = json;
    }

    String appSecretJson() {
        return appJson;
    }

    /**
     * A new host in namespace {@code role} at {@code SUBNET.n}: freshly rendered files, the shared
     * certificates, and the bootstrap's {@code secrets db configure} steps with its identity.
     */
    Host addHost(String role, int n, String instanceId) throws IOException {
        String ns = net.node(role, n);
        ConformanceEnv env = new ConformanceEnv(ns, null, hostLayout(), inputs());
        envs.add(env);
        Files.copy(first.rdsCa, env.rdsCa);
        // every host reads the one site TLS secret (the secrets step writes ca.crt, server.crt, server.key)
        env.serveSecrets(appJson, dbJson, first.pkiSecretJson());
        env.bootstrapEnv.put("ORTHWEB_HOST_ID", instanceId);
        env.bootstrapEnv.put("ORTHWEB_HOST_IP", net.ip(ns));
        env.bootstrap("secrets", "db", "configure").expectSuccess("bootstrap on " + role);
        net.hosts(ns, Map.of(SITE, SiteNetwork.CORE_IP));
        Host host = new Host(ns, net.ip(ns), instanceId, env);
        hosts.add(host);
        return host;
    }

    /** A value of the host's Compose .env, as the bootstrap wrote it. */
    static String dotEnv(Host host, String key) throws IOException {
        for (String line : Files.readAllLines(host.env().configDir.resolve(".env"))) {
            if (line.startsWith(key + "=")) {
                return line.substring(key.length() + 1);
            }
        }
        throw new AssertionError(key + " missing from .env of " + host.ns());
    }

    /** Debian's nginx on the host's rendered nginx.conf. */
    Process startNginx(Host host, String name) throws IOException {
        Path ndir = host.env().root.resolve(name);
        Files.createDirectories(ndir);
        Path conf = ndir.resolve("nginx.conf");
        Files.writeString(conf, ConformanceEnv.forDebianNginx(host.env().files.get(Layout.CONFIG_DIR + "/nginx.conf"),
                host.env().layout.nginxTlsDir(), host.env().tlsDir, host.env().configDir));
        String pid = "pid " + ndir.resolve("nginx.pid") + ";";
        net.exec(host.ns(), 60, Map.of(), "nginx", "-t", "-p", ndir + "/", "-c", conf.toString(), "-g", pid)
                .expectSuccess("nginx -t");
        Process p = net.start(host.ns(), name, Map.of(), "nginx", "-p", ndir + "/", "-c", conf.toString(),
                "-g", pid + " daemon off;");
        awaitTcp(host.ns(), "127.0.0.1", Layout.HTTPS_PORT, p, name);
        return p;
    }

    /** Loopback port (core namespace) of the stand-in's CSV statistics. */
    static final int BALANCER_STATS_PORT = 8404;

    /**
     * haproxy in the core namespace as the planned network load balancer (shipped prod file):
     * TCP pass-through on each listener's port to every host, the target groups' health checks
     * (HTTPS on nginx's health path) and stickiness (see {@link BalancerStandIn}).
     */
    Process startBalancer(List<Host> targets) throws IOException {
        return startBalancer(targets, true);
    }

    /**
     * The stand-in's view of one backend's servers: name to {status (UP/DOWN...), total sessions},
     * from haproxy's CSV statistics (fields pxname, svname, ..., stot is field 7, status field 17).
     */
    Map<String, String[]> balancerServers(int port) {
        String csv = net.exec(net.core, 10, Map.of(), "curl", "-fsS", "http://127.0.0.1:" + BALANCER_STATS_PORT + "/stats;csv")
                .expectSuccess("haproxy stats").out();
        Map<String, String[]> servers = new java.util.LinkedHashMap<>();
        for (String line : csv.split("\n")) {
            String[] f = line.split(",", -1);
            if (f.length > 17 && f[0].equals("b" + port) && !f[1].equals("BACKEND")) {
                servers.put(f[1], new String[]{f[17], f[7]});
            }
        }
        return servers;
    }

    /** Same; {@code planChecks} false checks by TCP connect (hosts that run no Orthanc). */
    Process startBalancer(List<Host> targets, boolean planChecks) throws IOException {
        List<BalancerStandIn.Target> t = targets.stream()
                .map(h -> new BalancerStandIn.Target(h.ns().substring(h.ns().lastIndexOf('-') + 1), h.ip())).toList();
        String cfg = BalancerStandIn.haproxyConfig(org.orthweb.support.TestStacks.shipped("prod"), SiteNetwork.CORE_IP, t,
                planChecks, BALANCER_STATS_PORT);
        Path file = dir.resolve("haproxy.cfg");
        Files.writeString(file, cfg.toString());
        net.exec(net.core, 30, Map.of(), "haproxy", "-c", "-f", file.toString()).expectSuccess("haproxy -c");
        Process p = net.start(net.core, "haproxy", Map.of(), "haproxy", "-db", "-f", file.toString());
        awaitTcp(net.core, SiteNetwork.CORE_IP, Layout.HTTPS_PORT, p, "haproxy");
        return p;
    }

    /** Sessions each balancer backend server has taken so far, from haproxy's CSV statistics. */
    Map<String, Integer> balancerSessions(int port) {
        String csv = net.exec(net.core, 30, Map.of(), "curl", "-sS", "http://127.0.0.1:8404/stats;csv")
                .expectSuccess("haproxy stats").out();
        Map<String, Integer> sessions = new java.util.TreeMap<>();
        for (String line : csv.split("\n")) {
            String[] f = line.split(",");
            if (f.length > 7 && f[0].equals("b" + port) && !f[1].equals("BACKEND")) {
                sessions.put(f[1], Integer.parseInt(f[7]));
            }
        }
        return sessions;
    }

    /**
     * Waits until {@code host}'s namespace opens a TCP connection to PostgreSQL in the core
     * namespace (at most 120 s, probes of {@link SiteNetwork#connect}) and prints how long that
     * took. After 10 s without one it flushes the
     * neighbour tables of both ends once and goes on trying, so a stale ARP entry cannot be what
     * fails a run. Fails with what it saw: the last probe's error, both ends' addresses,
     * routes, neighbours, link-layer addresses and bridge ports, the listening sockets, whether the
     * server still answers on its socket, and the end of its log. (CI runs saw no connection here
     * for 10 s and once for 60 s, seconds after the same namespace's bootstrap had connected: host
     * 1's ARP entry held a bridge address that adding hosts had changed; {@link SiteNetwork} now
     * fixes the bridge's address, and this stays as the guard and the report.)
     */
    void awaitDatabase(Host host) {
        String ns = host.ns();
        long start = System.nanoTime();
        Duration limit = Duration.ofSeconds(120);
        Duration flushAfter = Duration.ofSeconds(10);
        Instant deadline = Instant.now().plus(limit);
        Instant flushAt = Instant.now().plus(flushAfter);
        boolean flushed = false;
        Tools.Result last;
        do {
            last = net.connect(ns, SiteNetwork.CORE_IP, DB_PORT);
            if (last.exit() == 0) {
                System.out.printf("database reachable from %s after %d ms%n", ns, (System.nanoTime() - start) / 1_000_000);
                return;
            }
            if (!flushed && Instant.now().isAfter(flushAt)) {
                flushed = true;
                System.out.println("database not reachable from " + ns + " for " + flushAfter.toSeconds() + " s (" + last.out().strip()
                        + "); flushing neighbour tables\n" + networkState(ns));
                net.exec(ns, 10, Map.of(), "ip", "neigh", "flush", "all");
                net.exec(net.core, 10, Map.of(), "ip", "neigh", "flush", "all");
            }
            ConformanceEnv.sleep(500);
        } while (Instant.now().isBefore(deadline));
        throw new AssertionError("PostgreSQL at " + SiteNetwork.CORE_IP + ":" + DB_PORT + " not reachable from " + ns
                + " for " + limit.toSeconds() + " s; last probe (exit " + last.exit() + "): " + last.out().strip() + "\n" + networkState(ns)
                + "\nserver answers on its socket: " + first.sql("postgres", "SELECT 1").out().strip()
                + "\nend of its log:\n" + tail(first.pgLog(), 30));
    }

    /** Addresses, routes, neighbours of {@code ns} and the core namespace, its links, bridge ports and listeners. */
    private String networkState(String ns) {
        StringBuilder b = new StringBuilder();
        // namespace, then the command run in it
        for (String[] c : List.of(new String[]{ns, "ip", "-br", "addr"}, new String[]{ns, "ip", "route"},
                new String[]{ns, "ip", "neigh"}, new String[]{net.core, "ip", "-br", "addr"}, new String[]{net.core, "ip", "-br", "link"},
                new String[]{net.core, "ip", "neigh"}, new String[]{net.core, "bridge", "link"},
                new String[]{net.core, "ss", "-ltn"})) {
            String[] command = java.util.Arrays.copyOfRange(c, 1, c.length);
            b.append("[").append(c[0]).append("] ").append(String.join(" ", command)).append(":\n")
                    .append(net.exec(c[0], 10, Map.of(), command).out());
        }
        return b.toString();
    }

    private static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    void awaitTcp(String ns, String ip, int port, Process p, String name) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            if (!p.isAlive()) {
                throw new AssertionError(name + " exited:\n" + net.log(name));
            }
            if (net.connect(ns, ip, port).exit() == 0) {
                return;
            }
            ConformanceEnv.sleep(300);
        }
        throw new AssertionError(name + " does not listen on " + ip + ":" + port + ":\n" + net.log(name));
    }

    /**
     * Orthanc's configuration folder for a host: the rendered orthanc.json and the secret fragment
     * its bootstrap wrote (adapted to Debian's plugins as in the single-host test), with one storage
     * directory shared by every host, standing in for the shared S3 bucket.
     */
    Path orthancConfig(Host host) throws IOException {
        Path existing = host.env().root.resolve("orthanc-config");
        if (Files.exists(existing.resolve("zz-test-only.json"))) {
            return existing;
        }
        Path config = host.env().orthancConfig("orthanc", true);
        Path testOnly = config.resolve("zz-test-only.json");
        ObjectNode t = (ObjectNode) new ObjectMapper().readTree(testOnly.toFile());
        t.put("StorageDirectory", dir.resolve("shared-storage").toString());
        Files.writeString(testOnly, t.toPrettyString());
        return config;
    }

    /** curl in the modality's namespace with the site CA; {@code via} pins the site name to one address. */
    Tools.Result curl(String via, String path, String... extra) {
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time", "30", "--cacert",
                pki.resolve("ca.crt").toString()));
        if (via != null) {
            cmd.addAll(List.of("--resolve", SITE + ":443:" + via));
        }
        cmd.addAll(List.of(extra));
        cmd.add("https://" + SITE + path);
        return net.exec(modality, 60, Map.of(), cmd.toArray(String[]::new));
    }

    @Override
    public void close() {
        net.close();
        for (ConformanceEnv env : envs) {
            env.close();
        }
        if (!"true".equals(System.getenv("ORTHWEB_KEEP_TEST_DIR"))) {
            Tools.run("rm", "-rf", dir.toString());
        } else {
            System.out.println("kept " + dir);
        }
    }
}
