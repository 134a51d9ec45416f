package org.orthweb.cloudinit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * DICOM ingest benchmark (prints figures; not a timed test, excluded from the default run; see
 * bench/ingest.sh). The shipped configuration (rendered orthanc.json with PostgreSQL over TLS,
 * TCP_NODELAY=1 as in the compose file) against Orthanc's default configuration, both behind the
 * rendered nginx DICOM TLS proxy, with dcmtk's storescu unmodified and with TCP_NODELAY=1.
 */
@Tag("benchmark")
class IngestBenchmark {

    /** per run where the client waits on Nagle (about 10-20 instances/s) */
    static final int INSTANCES = Integer.getInteger("bench.instances", 150);
    /** per run with the tuned client (over 100 instances/s): enough for a few seconds per run */
    static final int FAST_INSTANCES = Integer.getInteger("bench.fastInstances", 600);
    static final int REPETITIONS = Integer.getInteger("bench.repetitions", 5);
    /** a CT slice and a small MR image from Debian's python3-pydicom */
    static final List<String> SAMPLES = List.of(System.getProperty("bench.samples", "CT_small.dcm,MR_small.dcm").split(","));
    static final HttpClient HTTP = HttpClient.newHttpClient();

    record Figure(String scenario, int instances, double seconds, double bytesPerInstance) {
        double rate() {
            return instances / seconds;
        }
    }

    @Test
    void ingest() throws Exception {
        Tools.require("Orthanc", ConformanceEnv.PG_BIN + "/initdb", "nginx", "storescu", "dcmodify", "jq", "python3");
        try (ConformanceEnv env = new ConformanceEnv()) {
            env.startPostgres();
            env.writeSecrets();
            env.bootstrap("secrets", "certs", "db", "configure").expectSuccess("bootstrap");
            String nodelay = new YAMLMapper().readTree(env.files.get(Layout.CONFIG_DIR + "/docker-compose.yml"))
                    .at("/services/orthanc/environment/TCP_NODELAY").asText();

            // shipped: rendered configuration, environment as in the compose file
            Path shippedConfig = env.orthancConfig("shipped", true);
            env.startOrthanc("shipped", shippedConfig, env.layout.orthancHttpPort(), Map.of("TCP_NODELAY", nodelay,
                    "ORTHWEB_HOST_ID", ConformanceEnv.HOST_ID));
            Process shippedProxy = env.startNginx("nginx-shipped", env.files.get(Layout.CONFIG_DIR + "/nginx.conf"));
            env.awaitPort(ConformanceEnv.port(env.layout.dicomListen()), shippedProxy, "nginx-shipped");

            // default: Orthanc's defaults (SQLite, Nagle on), behind the same rendered proxy
            Path defaultConfig = env.orthancConfig("default", false);
            JsonNode d = new ObjectMapper().readTree(defaultConfig.resolve("zz-test-only.json").toFile());
            int defaultHttp = d.get("HttpPort").asInt();
            int defaultDicom = d.get("DicomPort").asInt();
            env.startOrthanc("default", defaultConfig, defaultHttp, Map.of());
            Layout l = env.layout;
            Layout defaultLayout = new Layout("127.0.0.1:" + Tools.freePort(), "127.0.0.1:" + Tools.freePort(),
                    "127.0.0.1", defaultHttp, defaultDicom, l.keycloakHost(), l.keycloakPort(), l.authHost(),
                    l.authPort(), l.nginxTlsDir());
            Process defaultProxy = env.startNginx("nginx-default",
                    Render.files(env.inputs, defaultLayout).get(Layout.CONFIG_DIR + "/nginx.conf"));
            env.awaitPort(ConformanceEnv.port(defaultLayout.dicomListen()), defaultProxy, "nginx-default");

            record Scenario(String name, int httpPort, int dicomPort, boolean tls, Map<String, String> clientEnv) {
            }
            Map<String, String> tuned = Map.of("TCP_NODELAY", "1");
            int defaultProxyPort = ConformanceEnv.port(defaultLayout.dicomListen());
            int shippedProxyPort = ConformanceEnv.port(l.dicomListen());
            List<Scenario> scenarios = List.of(
                    new Scenario("default config, TLS proxy, unmodified client", defaultHttp, defaultProxyPort, true, Map.of()),
                    new Scenario("shipped config, TLS proxy, unmodified client", l.orthancHttpPort(), shippedProxyPort, true, Map.of()),
                    new Scenario("default config, TLS proxy, client TCP_NODELAY=1", defaultHttp, defaultProxyPort, true, tuned),
                    new Scenario("shipped config, TLS proxy, client TCP_NODELAY=1", l.orthancHttpPort(), shippedProxyPort, true, tuned),
                    new Scenario("shipped config, no proxy, client TCP_NODELAY=1", l.orthancHttpPort(), l.orthancDicomPort(), false, tuned));

            // warm-up association on each path so that first-connection costs do not count
            send(env, defaultProxyPort, true, Map.of(), copies(env, "warm-d", SAMPLES.get(0), 5));
            send(env, shippedProxyPort, true, Map.of(), copies(env, "warm-s", SAMPLES.get(0), 5));

            StringBuilder out = new StringBuilder();
            out.append(String.format("DICOM ingest with dcmtk storescu, one association per run, %d instances per run "
                    + "(%d with the tuned client), median of %d runs (interleaved)%n", INSTANCES, FAST_INSTANCES, REPETITIONS));
            int run = 0;
            for (String sample : SAMPLES) {
                Map<Scenario, List<Figure>> results = new LinkedHashMap<>();
                for (int rep = 0; rep < REPETITIONS; rep++) {
                    for (Scenario sc : scenarios) {
                        results.computeIfAbsent(sc, k -> new ArrayList<>()).add(measure(env, sc.name(), sample, run++,
                                sc.httpPort(), sc.dicomPort(), sc.tls(), sc.clientEnv()));
                    }
                }
                out.append(String.format("%nsample %s (%d bytes)%n", sample,
                        Files.size(OrthancStackConformanceTest.TEST_FILES.resolve(sample))));
                out.append(String.format("  %-50s %12s %12s %18s%n", "scenario", "inst/s", "(min-max)", "bytes stored/inst"));
                List<Double> medians = new ArrayList<>();
                for (Map.Entry<Scenario, List<Figure>> e : results.entrySet()) {
                    List<Double> rates = e.getValue().stream().map(Figure::rate).sorted().toList();
                    double median = rates.get(rates.size() / 2);
                    medians.add(median);
                    out.append(String.format("  %-50s %12.1f %5.1f-%-6.1f %18.0f%n", e.getKey().name(), median,
                            rates.get(0), rates.get(rates.size() - 1), e.getValue().get(0).bytesPerInstance()));
                }
                out.append(String.format("  shipped vs default behind TLS, unmodified client: %.2fx (target >= 1.8x)%n",
                        medians.get(1) / medians.get(0)));
                out.append(String.format("  shipped vs default behind TLS, both with TCP_NODELAY=1 client: %.2fx%n",
                        medians.get(3) / medians.get(0)));
                out.append(String.format("  TLS proxy cost with tuned client: %.1f%% (target <= 10%%)%n",
                        (1 - medians.get(3) / medians.get(4)) * 100));
            }
            System.out.print(out);
            Files.createDirectories(Path.of("target"));
            Files.writeString(Path.of("target/ingest-benchmark.txt"), out.toString());
        }
    }

    /** n copies of the sample, each with its own SOP Instance UID (Orthanc would otherwise dedupe). */
    static List<String> copies(ConformanceEnv env, String name, String sample, int n) throws Exception {
        Path dir = env.root.resolve("bench-" + name);
        Files.createDirectories(dir);
        List<String> files = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Path f = dir.resolve(i + ".dcm");
            Files.copy(OrthancStackConformanceTest.TEST_FILES.resolve(sample), f);
            files.add(f.toString());
        }
        List<String> cmd = new ArrayList<>(List.of("dcmodify", "-nb", "-gin", "-gst", "-gse"));
        cmd.addAll(files);
        Tools.run(dir, Map.of(), 300, cmd.toArray(String[]::new)).expectSuccess("dcmodify");
        return files;
    }

    static void send(ConformanceEnv env, int port, boolean tls, Map<String, String> clientEnv, List<String> files) {
        List<String> cmd = new ArrayList<>(List.of("storescu"));
        if (tls) {
            cmd.addAll(List.of("+tls", env.tlsDir.resolve("client.key").toString(), env.tlsDir.resolve("client.crt").toString(),
                    "+cf", env.tlsDir.resolve("ca.crt").toString()));
        }
        cmd.addAll(List.of("-aec", "ORTHANC", "127.0.0.1", Integer.toString(port)));
        cmd.addAll(files);
        Tools.run(env.root, clientEnv, 900, cmd.toArray(String[]::new)).expectSuccess("storescu");
    }

    static JsonNode statistics(int httpPort) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/statistics")).build(),
                HttpResponse.BodyHandlers.ofString());
        return new ObjectMapper().readTree(r.body());
    }

    static Figure measure(ConformanceEnv env, String scenario, String sample, int run, int httpPort, int dicomPort,
                          boolean tls, Map<String, String> clientEnv) throws Exception {
        int instances = clientEnv.isEmpty() ? INSTANCES : FAST_INSTANCES;
        List<String> files = copies(env, "run" + run, sample, instances);
        JsonNode before = statistics(httpPort);
        long start = System.nanoTime();
        send(env, dicomPort, tls, clientEnv, files);
        double seconds = (System.nanoTime() - start) / 1e9;
        JsonNode after = statistics(httpPort);
        long stored = after.get("TotalDiskSize").asLong() - before.get("TotalDiskSize").asLong();
        int count = after.get("CountInstances").asInt() - before.get("CountInstances").asInt();
        if (count != instances) {
            throw new AssertionError(scenario + ": stored " + count + " of " + instances);
        }
        // the sample copies are not needed any more: keep the disk use of long runs bounded
        Tools.run("rm", "-rf", env.root.resolve("bench-run" + run).toString());
        return new Figure(scenario, instances, seconds, (double) stored / count);
    }
}
