package org.orthweb.cloudinit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * DICOM ingest benchmark (prints figures and writes {@code target/ingest-benchmark.json}; not a
 * timed test, excluded from the default run; see bench/ingest.sh).
 *
 * <p>Two topologies over the same servers, which run in a "host" network namespace: {@code veth}
 * (the client in a "modality" namespace joined by a veth pair with MTU 1500, the packet size of a
 * real network) and {@code loopback} (the client in the host namespace, 64 KiB MTU). The servers
 * are Debian's PostgreSQL (TLS only), Debian's Orthanc on the rendered orthanc.json with the secret
 * fragment the rendered bootstrap wrote, and Debian's nginx on the rendered nginx.conf. Configurations:
 * <ul>
 * <li>{@code reference}: Orthanc without {@code TCP_NODELAY} (as the reference design runs it), no
 * quick ACK;</li>
 * <li>{@code shipped}: {@code TCP_NODELAY} as the rendered compose file sets it, no quick ACK;</li>
 * <li>{@code shipped-quickack}: the same, with the host namespace's routes set up by the rendered
 * {@code orthweb-quickack apply} (the code the host runs in nginx's namespace).</li>
 * </ul>
 * Clients: dcmtk's storescu, {@code unmodified} or {@code tuned} ({@code TCP_NODELAY=1}); 1, 4 or
 * 16 concurrent associations (one storescu process each). STOW-RS with curl (one POST per instance
 * on a kept-alive connection per client) through nginx and straight to Orthanc.
 *
 * <p>Each scenario is sized by a first, discarded run (about {@code bench.seconds} per run), then
 * measured {@code bench.repetitions} times, interleaved with the other scenarios; the figure is the
 * median with the range. Instances per second = instances stored / wall time from the start of the
 * first client to the end of the last; every run checks that Orthanc counted every instance.
 */
@Tag("benchmark")
class IngestBenchmark {

    static final int REPETITIONS = Integer.getInteger("bench.repetitions", 5);
    /** wall time aimed at per run, in seconds: sets the instances per run of each scenario */
    static final double SECONDS = Double.parseDouble(System.getProperty("bench.seconds", "2"));
    static final int MAX_INSTANCES = Integer.getInteger("bench.maxInstances", 800);
    static final List<Integer> ASSOCIATIONS = Arrays.stream(System.getProperty("bench.associations", "1,4,16").split(","))
            .map(String::trim).map(Integer::valueOf).toList();
    /** a CT slice from Debian's python3-pydicom */
    static final String SAMPLE = System.getProperty("bench.sample", "CT_small.dcm");
    static final int MTU = 1500;
    static final String BOUNDARY = "orthweb-bench-boundary";
    static final Path JSON_OUT = Path.of("target/ingest-benchmark.json");

    /** One line of the JSON's {@code scenarios}; {@code path} says whether nginx was in between. */
    record Scenario(String topology, String config, String client, String protocol, String path, int associations) {
        String label() {
            return String.join(" ", topology, config, client, protocol, path, associations + "x");
        }
    }

    /** one measured run: instances stored, seconds, bytes stored per instance, machine CPU busy 0-1 */
    record Run(int instances, double seconds, double bytesPerInstance, double cpuBusy) {
        double rate() {
            return instances / seconds;
        }
    }

    /** What a scenario talks to: the Orthanc (HTTP port for statistics and STOW) and its nginx. */
    record Server(int orthancHttpPort, int orthancDicomPort, int nginxHttpsPort, int nginxDicomPort) {
    }

    private ConformanceEnv env;
    private Netns net;
    private Path quickack;
    private final Map<String, Server> servers = new LinkedHashMap<>();

    @Test
    void ingest() throws Exception {
        Tools.require("Orthanc", ConformanceEnv.PG_BIN + "/initdb", "nginx", "storescu", "dcmodify", "jq", "python3", "curl");
        Netns.requireUsable();
        machine = machine();
        try (Netns n = new Netns("owib", MTU); ConformanceEnv e = new ConformanceEnv(n.host, "0.0.0.0")) {
            net = n;
            env = e;
            startServers();
            List<Scenario> scenarios = scenarios();
            Map<Scenario, Integer> sizes = new LinkedHashMap<>();
            for (Scenario sc : scenarios) {
                // first run: warms the path up and sizes the scenario's runs; not counted
                // at least 8 instances per association, so that starting the clients (a TLS
                // handshake each) does not make the figure
                int probe = Math.max(20, 8 * sc.associations());
                Run r = measure(sc, probe, "probe");
                int n0 = (int) Math.min(MAX_INSTANCES, Math.max(probe, Math.round(r.rate() * SECONDS)));
                sizes.put(sc, (n0 + sc.associations() - 1) / sc.associations() * sc.associations());
                System.out.printf("sized %-50s %7.1f inst/s -> %d instances per run%n", sc.label(), r.rate(), sizes.get(sc));
            }
            Map<Scenario, List<Run>> results = new LinkedHashMap<>();
            for (int rep = 0; rep < REPETITIONS; rep++) {
                for (Scenario sc : scenarios) {
                    results.computeIfAbsent(sc, k -> new ArrayList<>()).add(measure(sc, sizes.get(sc), "r" + rep));
                }
            }
            report(results, sizes);
            indexStatementsPerInstance();
        }
    }

    /**
     * Statements Orthanc sends to its PostgreSQL index per stored instance (each one a network
     * round trip: the plugin does not pipeline), counted in PostgreSQL's log with log_statement=all
     * during one storescu run. The figure the AWS latency budget multiplies by the RDS round trip.
     */
    void indexStatementsPerInstance() throws Exception {
        int n = 50;
        Server shipped = servers.get("shipped");
        env.sql("postgres", "ALTER SYSTEM SET log_statement = 'all'").expectSuccess("log_statement");
        env.sql("postgres", "SELECT pg_reload_conf()").expectSuccess("reload");
        Thread.sleep(500);
        try {
            Path dir = env.root.resolve("bench-statements");
            List<Path> files = copies(dir, n);
            long from = Files.size(env.pgLog());
            Tools.run(null, Map.of("TCP_NODELAY", "1"), 300, Netns.exec(net.host,
                    storescu("127.0.0.1", shipped.nginxDicomPort(), files).toArray(String[]::new))).expectSuccess("storescu");
            Thread.sleep(500);
            String log;
            try (var in = Files.newInputStream(env.pgLog())) {
                in.skipNBytes(from);
                log = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            long statements = log.lines().filter(l -> l.matches(".*LOG:\\s+(statement|execute [^:]*):.*")).count();
            long commits = log.lines().filter(l -> l.matches(".*LOG:\\s+(statement|execute [^:]*):\\s*(COMMIT|END).*")).count();
            System.out.printf("%nPostgreSQL index: %.1f statements (round trips) per stored instance, %.1f commits, over %d instances%n",
                    (double) statements / n, (double) commits / n, n);
        } finally {
            env.sql("postgres", "ALTER SYSTEM RESET log_statement").expectSuccess("reset log_statement");
            env.sql("postgres", "SELECT pg_reload_conf()");
        }
    }

    // ------------------------------------------------------------------ servers

    void startServers() throws Exception {
        env.startPostgres();
        env.writeSecrets();
        env.bootstrap("secrets", "db", "configure").expectSuccess("bootstrap");
        String nodelay = new YAMLMapper().readTree(env.files.get(Layout.CONFIG_DIR + "/docker-compose.yml"))
                .at("/services/orthanc/environment/TCP_NODELAY").asText();
        if (!"1".equals(nodelay)) {
            throw new AssertionError("the compose file no longer sets TCP_NODELAY=1 for Orthanc: " + nodelay);
        }
        quickack = env.root.resolve("orthweb-quickack");
        Files.writeString(quickack, env.files.get(Layout.QUICKACK_SCRIPT));

        Layout l = env.layout;
        start("shipped", l, env.files, Map.of("TCP_NODELAY", nodelay, "ORTHWEB_HOST_ID", ConformanceEnv.HOST_ID));
        // the reference: the same rendered files on other ports, Orthanc without TCP_NODELAY
        Layout ref = new Layout("0.0.0.0:" + Tools.freePort(), "0.0.0.0:" + Tools.freePort(), "127.0.0.1",
                Tools.freePort(), Tools.freePort(), l.keycloakHost(), l.keycloakPort(), l.authHost(), l.authPort(),
                l.nginxTlsDir(), "127.0.0.1:" + Tools.freePort(), "0.0.0.0:" + Tools.freePort());
        // a server of its own on the shared index: its own identifier, as a second host would have
        start("reference", ref, Render.files(env.inputs, ref), Map.of("ORTHWEB_HOST_ID", "i-0feedfacecafe0001"));
    }

    void start(String name, Layout layout, Map<String, String> files, Map<String, String> orthancEnv) throws Exception {
        Path config = env.orthancConfig(name, files.get(Layout.CONFIG_DIR + "/orthanc.json"));
        env.startOrthanc(name, config, layout.orthancHttpPort(), orthancEnv);
        Process nginx = env.startNginx("nginx-" + name, files.get(Layout.CONFIG_DIR + "/nginx.conf"));
        env.awaitPort(ConformanceEnv.port(layout.dicomListen()), nginx, "nginx-" + name);
        env.awaitPort(ConformanceEnv.port(layout.httpsListen()), nginx, "nginx-" + name);
        servers.put(name, new Server(layout.orthancHttpPort(), layout.orthancDicomPort(),
                ConformanceEnv.port(layout.httpsListen()), ConformanceEnv.port(layout.dicomListen())));
    }

    static List<Scenario> scenarios() {
        List<Scenario> list = new ArrayList<>();
        for (String config : List.of("reference", "shipped", "shipped-quickack")) {
            for (String client : List.of("unmodified", "tuned")) {
                for (int a : ASSOCIATIONS) {
                    list.add(new Scenario("veth", config, client, "dicom-tls", "nginx", a));
                }
            }
        }
        for (String path : List.of("nginx", "direct")) {
            for (int a : ASSOCIATIONS) {
                list.add(new Scenario("veth", "shipped-quickack", "unmodified", "stow-rs", path, a));
            }
        }
        // loopback for comparison: one association (quick ACK on routes does not reach loopback,
        // whose routes live in the local table)
        for (String config : List.of("reference", "shipped")) {
            for (String client : List.of("unmodified", "tuned")) {
                list.add(new Scenario("loopback", config, client, "dicom-tls", "nginx", 1));
            }
        }
        for (String path : List.of("nginx", "direct")) {
            list.add(new Scenario("loopback", "shipped", "unmodified", "stow-rs", path, 1));
        }
        return list;
    }

    // ------------------------------------------------------------------ one run

    Run measure(Scenario sc, int instances, String tag) throws Exception {
        Server server = servers.get(sc.config().equals("reference") ? "reference" : "shipped");
        // the host namespace's routes as the configuration has them, by the host's own script
        String action = sc.config().equals("shipped-quickack") ? "apply" : "clear";
        Tools.run(null, Map.of(), 30, Netns.exec(net.host, "bash", quickack.toString(), action)).expectSuccess("quickack " + action);

        Path dir = env.root.resolve("bench-" + tag + "-" + Math.abs(sc.hashCode()));
        List<Path> files = copies(dir, instances);
        String clientNs = sc.topology().equals("veth") ? net.client : net.host;
        String address = sc.topology().equals("veth") ? net.hostAddress : "127.0.0.1";
        List<List<String>> commands = new ArrayList<>();
        List<Path> outputs = new ArrayList<>();
        for (int a = 0; a < sc.associations(); a++) {
            List<Path> share = new ArrayList<>();
            for (int i = a; i < files.size(); i += sc.associations()) {
                share.add(files.get(i));
            }
            commands.add(sc.protocol().equals("dicom-tls")
                    ? storescu(address, server.nginxDicomPort(), share)
                    : curl(dir.resolve("curl-" + a + ".conf"), sc.path(), address, server, share));
            outputs.add(dir.resolve("client-" + a + ".out"));
        }
        Map<String, String> clientEnv = sc.client().equals("tuned") ? Map.of("TCP_NODELAY", "1") : Map.of();

        JsonNode before = statistics(server.orthancHttpPort());
        long[] cpu0 = cpuTimes();
        long start = System.nanoTime();
        List<Process> running = new ArrayList<>();
        for (int a = 0; a < commands.size(); a++) {
            ProcessBuilder pb = new ProcessBuilder(Netns.exec(clientNs, commands.get(a).toArray(String[]::new)))
                    .redirectErrorStream(true).redirectOutput(outputs.get(a).toFile()).directory(dir.toFile());
            pb.environment().putAll(clientEnv);
            running.add(pb.start());
        }
        for (int a = 0; a < running.size(); a++) {
            Process p = running.get(a);
            if (!p.waitFor(600, TimeUnit.SECONDS)) {
                running.forEach(Process::destroyForcibly);
                throw new AssertionError(sc.label() + ": client timed out");
            }
            if (p.exitValue() != 0) {
                throw new AssertionError(sc.label() + ": client " + a + " exited " + p.exitValue() + ":\n"
                        + Files.readString(outputs.get(a)));
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long[] cpu1 = cpuTimes();
        JsonNode after = statistics(server.orthancHttpPort());
        if (sc.protocol().equals("stow-rs")) {
            for (Path out : outputs) {
                List<String> codes = Files.readAllLines(out).stream().filter(s -> !s.isBlank()).toList();
                if (!codes.stream().allMatch("200"::equals)) {
                    throw new AssertionError(sc.label() + ": STOW-RS answers " + codes);
                }
            }
        }
        long stored = after.get("TotalDiskSize").asLong() - before.get("TotalDiskSize").asLong();
        int count = after.get("CountInstances").asInt() - before.get("CountInstances").asInt();
        if (count != instances) {
            throw new AssertionError(sc.label() + ": stored " + count + " of " + instances);
        }
        // the copies are not needed any more: keep the disk use of long runs bounded
        Tools.run("rm", "-rf", dir.toString());
        double busy = (double) (cpu1[0] - cpu0[0]) / Math.max(1, cpu1[1] - cpu0[1]);
        return new Run(instances, seconds, (double) stored / count, busy);
    }

    List<String> storescu(String address, int port, List<Path> files) {
        // the declared peer's certificate and calling AE title: Orthanc accepts stores only from declared peers
        TestPki.Issued peer = env.peers.get("modality-1");
        List<String> cmd = new ArrayList<>(List.of("storescu", "+tls", peer.key().toString(),
                peer.cert().toString(), "+cf", env.tlsDir.resolve("ca.crt").toString(),
                "-aet", env.declared.get("modality-1").effectiveAeTitle(), "-aec", "ORTHANC", address, Integer.toString(port)));
        files.forEach(f -> cmd.add(f.toString()));
        return cmd;
    }

    /**
     * One curl process: a STOW-RS POST (multipart/related, one instance) per file on one kept-alive
     * connection, printing each status. Through nginx: HTTPS to /orthanc/dicom-web/studies with the
     * site CA and a bearer credential (the edge gate's condition for writes; the authorization
     * plugin's call to the auth service is not part of this figure); direct: plain HTTP to
     * Orthanc's own port.
     */
    List<String> curl(Path conf, String path, String address, Server server, List<Path> files) throws IOException {
        StringBuilder c = new StringBuilder();
        for (Path f : files) {
            if (c.length() > 0) {
                c.append("next\n");
            }
            Path body = Path.of(f + ".mime");
            try (OutputStream out = Files.newOutputStream(body)) {
                out.write(("--" + BOUNDARY + "\r\nContent-Type: application/dicom\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(Files.readAllBytes(f));
                out.write(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
            }
            if (path.equals("nginx")) {
                c.append("url = \"https://").append(ConformanceEnv.SITE).append(':').append(server.nginxHttpsPort())
                        .append("/orthanc/dicom-web/studies\"\n");
                c.append("resolve = \"").append(ConformanceEnv.SITE).append(':').append(server.nginxHttpsPort())
                        .append(':').append(address).append("\"\n");
                c.append("cacert = \"").append(env.tlsDir.resolve("ca.crt")).append("\"\n");
                // nginx's edge gate refuses anonymous writes (403); any bearer value passes it here,
                // where no authorization plugin runs (on a host the plugin asks the auth service)
                c.append("header = \"Authorization: ").append(EdgeSecurityConformanceTest.CREDENTIAL).append("\"\n");
            } else {
                c.append("url = \"http://").append(address).append(':').append(server.orthancHttpPort())
                        .append("/dicom-web/studies\"\n");
            }
            c.append("header = \"Content-Type: multipart/related; type=\\\"application/dicom\\\"; boundary=")
                    .append(BOUNDARY).append("\"\n");
            c.append("header = \"Accept: application/dicom+json\"\n");
            c.append("data-binary = \"@").append(body).append("\"\n");
            c.append("output = \"/dev/null\"\nsilent\nshow-error\nwrite-out = \"%{http_code}\\n\"\n");
        }
        Files.writeString(conf, c.toString());
        return List.of("curl", "--config", conf.toString());
    }

    /** n copies of the sample, each with its own Study/Series/SOP Instance UID (Orthanc would dedupe). */
    static List<Path> copies(Path dir, int n) throws IOException {
        Files.createDirectories(dir);
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Path f = dir.resolve(i + ".dcm");
            Files.copy(OrthancStackConformanceTest.TEST_FILES.resolve(SAMPLE), f);
            files.add(f);
        }
        List<String> cmd = new ArrayList<>(List.of("dcmodify", "-nb", "-gin", "-gst", "-gse"));
        files.forEach(f -> cmd.add(f.toString()));
        Tools.run(dir, Map.of(), 300, cmd.toArray(String[]::new)).expectSuccess("dcmodify");
        return files;
    }

    JsonNode statistics(int httpPort) throws IOException {
        String body = Tools.run(null, Map.of(), 30, Netns.exec(net.host, "curl", "-fsS",
                "http://127.0.0.1:" + httpPort + "/statistics")).expectSuccess("statistics").out();
        return new ObjectMapper().readTree(body);
    }

    /** busy and total jiffies of the whole machine (/proc/stat), to see whether the CPU bounds a run */
    static long[] cpuTimes() throws IOException {
        String[] f;
        try (var in = Files.newInputStream(Path.of("/proc/stat"))) {
            f = new String(in.readAllBytes(), StandardCharsets.US_ASCII).lines().findFirst().orElseThrow().trim().split("\\s+");
        }
        long total = 0;
        for (int i = 1; i < Math.min(f.length, 9); i++) {
            total += Long.parseLong(f[i]);
        }
        long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
        return new long[]{total - idle, total};
    }

    // ------------------------------------------------------------------ report

    static double median(List<Double> xs) {
        List<Double> s = xs.stream().sorted().toList();
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    static double round1(double x) {
        return Math.round(x * 10) / 10.0;
    }

    /** The machine as {@link #machine()} described it before the servers started. */
    String machine;

    /** Cores, CPU model, kernel and the 1-minute load average now (before the run: other work). */
    static String machine() throws IOException {
        String model = "unknown CPU";
        try (var in = Files.newInputStream(Path.of("/proc/cpuinfo"))) {
            model = new String(in.readAllBytes(), StandardCharsets.US_ASCII).lines()
                    .filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst().orElse(model);
        }
        // measured, not assumed: whether other work shared the machine when the run began
        String load = Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        return Runtime.getRuntime().availableProcessors() + " cores (" + model + "), Linux " + System.getProperty("os.version")
                + ", load average " + load + " at the start";
    }

    void report(Map<Scenario, List<Run>> results, Map<Scenario, Integer> sizes) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("date", OffsetDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        root.put("machine", machine);
        ArrayNode list = root.putArray("scenarios");
        Map<String, Double> medians = new LinkedHashMap<>();
        StringBuilder out = new StringBuilder();
        out.append(String.format("DICOM ingest: %s, %s; median of %d runs (min-max), runs interleaved%n",
                SAMPLE, machine, REPETITIONS));
        out.append(String.format("%-9s %-17s %-11s %-10s %-7s %5s %6s %8s %17s %9s %9s%n", "topology", "config", "client",
                "protocol", "path", "assoc", "inst", "inst/s", "(min-max)", "B/inst", "cpu busy"));
        for (Map.Entry<Scenario, List<Run>> e : results.entrySet()) {
            Scenario sc = e.getKey();
            List<Double> rates = e.getValue().stream().map(Run::rate).toList();
            double med = median(rates);
            double min = rates.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
            double max = rates.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
            long bytes = Math.round(median(e.getValue().stream().map(Run::bytesPerInstance).toList()));
            double busy = median(e.getValue().stream().map(Run::cpuBusy).toList());
            medians.put(key(sc), med);
            ObjectNode o = list.addObject();
            o.put("topology", sc.topology());
            o.put("config", sc.config());
            o.put("client", sc.client());
            o.put("protocol", sc.protocol());
            o.put("path", sc.path());
            o.put("associations", sc.associations());
            ObjectNode ips = o.putObject("instancesPerSecond");
            ips.put("median", round1(med));
            ips.put("min", round1(min));
            ips.put("max", round1(max));
            o.put("bytesStoredPerInstance", bytes);
            out.append(String.format("%-9s %-17s %-11s %-10s %-7s %5d %6d %8.1f %17s %9d %8.0f%%%n", sc.topology(), sc.config(),
                    sc.client(), sc.protocol(), sc.path(), sc.associations(), sizes.get(sc), med,
                    String.format("(%.1f-%.1f)", min, max), bytes, busy * 100));
        }
        out.append(String.format("%nRatios (medians):%n"));
        ratio(out, medians, "veth, 1 association: shipped-quickack, unmodified vs tuned client", ">= 0.9x",
                key("veth", "shipped-quickack", "unmodified", "dicom-tls", "nginx", 1),
                key("veth", "shipped-quickack", "tuned", "dicom-tls", "nginx", 1));
        ratio(out, medians, "veth, 1 association, unmodified client: shipped-quickack vs reference", ">= 10x",
                key("veth", "shipped-quickack", "unmodified", "dicom-tls", "nginx", 1),
                key("veth", "reference", "unmodified", "dicom-tls", "nginx", 1));
        ratio(out, medians, "veth, 1 association, unmodified client: shipped (no quick ACK) vs reference", "",
                key("veth", "shipped", "unmodified", "dicom-tls", "nginx", 1),
                key("veth", "reference", "unmodified", "dicom-tls", "nginx", 1));
        for (String client : List.of("unmodified", "tuned")) {
            for (int a : ASSOCIATIONS) {
                if (a != 1) {
                    ratio(out, medians, "veth, shipped-quickack, " + client + " client: " + a + " vs 1 associations",
                            a == 4 ? ">= 2.5x (or say what bounds it)" : "",
                            key("veth", "shipped-quickack", client, "dicom-tls", "nginx", a),
                            key("veth", "shipped-quickack", client, "dicom-tls", "nginx", 1));
                }
            }
        }
        for (String topology : List.of("veth", "loopback")) {
            for (int a : ASSOCIATIONS) {
                String config = topology.equals("veth") ? "shipped-quickack" : "shipped";
                ratio(out, medians, topology + ", STOW-RS, " + a + " clients: through nginx vs straight to Orthanc",
                        ">= 0.85x (within 15%)",
                        key(topology, config, "unmodified", "stow-rs", "nginx", a),
                        key(topology, config, "unmodified", "stow-rs", "direct", a));
            }
        }
        ratio(out, medians, "loopback, 1 association, unmodified client: shipped vs reference", "",
                key("loopback", "shipped", "unmodified", "dicom-tls", "nginx", 1),
                key("loopback", "reference", "unmodified", "dicom-tls", "nginx", 1));
        System.out.print(out);
        Files.createDirectories(JSON_OUT.getParent());
        Files.writeString(JSON_OUT, json.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n");
        Files.writeString(Path.of("target/ingest-benchmark.txt"), out.toString());
        System.out.println("wrote " + JSON_OUT.toAbsolutePath());
    }

    static String key(Scenario sc) {
        return key(sc.topology(), sc.config(), sc.client(), sc.protocol(), sc.path(), sc.associations());
    }

    static String key(String topology, String config, String client, String protocol, String path, int associations) {
        return String.join("/", topology, config, client, protocol, path, Integer.toString(associations));
    }

    static void ratio(StringBuilder out, Map<String, Double> medians, String what, String target, String a, String b) {
        if (medians.containsKey(a) && medians.containsKey(b)) {
            out.append(String.format("  %-90s %6.2fx %s%n", what, medians.get(a) / medians.get(b),
                    target.isEmpty() ? "" : "(target " + target + ")"));
        }
    }
}
