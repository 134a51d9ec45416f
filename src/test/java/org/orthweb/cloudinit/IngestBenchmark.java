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

    static final int INSTANCES = Integer.getInteger("bench.instances", 200);
    static final String SAMPLE = System.getProperty("bench.sample", "CT_small.dcm");
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
            env.bootstrap("certs", "db", "configure").expectSuccess("bootstrap");
            String nodelay = new YAMLMapper().readTree(env.files.get(Layout.CONFIG_DIR + "/docker-compose.yml"))
                    .at("/services/orthanc/environment/TCP_NODELAY").asText();

            // shipped: rendered configuration, environment as in the compose file
            Path shippedConfig = env.orthancConfig("shipped", true);
            env.startOrthanc("shipped", shippedConfig, env.layout.orthancHttpPort(), Map.of("TCP_NODELAY", nodelay));
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

            List<Figure> figures = new ArrayList<>();
            // warm-up association on each so that first-connection costs do not count
            send(env, ConformanceEnv.port(defaultLayout.dicomListen()), true, Map.of(), copies(env, "warm-d", 5));
            send(env, ConformanceEnv.port(l.dicomListen()), true, Map.of(), copies(env, "warm-s", 5));

            figures.add(measure(env, "default config, TLS proxy, unmodified client", defaultHttp,
                    ConformanceEnv.port(defaultLayout.dicomListen()), true, Map.of()));
            figures.add(measure(env, "shipped config, TLS proxy, unmodified client", l.orthancHttpPort(),
                    ConformanceEnv.port(l.dicomListen()), true, Map.of()));
            figures.add(measure(env, "default config, TLS proxy, client TCP_NODELAY=1", defaultHttp,
                    ConformanceEnv.port(defaultLayout.dicomListen()), true, Map.of("TCP_NODELAY", "1")));
            figures.add(measure(env, "shipped config, TLS proxy, client TCP_NODELAY=1", l.orthancHttpPort(),
                    ConformanceEnv.port(l.dicomListen()), true, Map.of("TCP_NODELAY", "1")));
            figures.add(measure(env, "shipped config, no proxy, client TCP_NODELAY=1", l.orthancHttpPort(),
                    l.orthancDicomPort(), false, Map.of("TCP_NODELAY", "1")));

            StringBuilder out = new StringBuilder();
            out.append(String.format("DICOM ingest, %d x %s (%d bytes each), storescu (dcmtk), one association%n",
                    INSTANCES, SAMPLE, Files.size(OrthancStackConformanceTest.TEST_FILES.resolve(SAMPLE))));
            out.append(String.format("%-50s %12s %18s%n", "scenario", "instances/s", "bytes stored/inst"));
            for (Figure f : figures) {
                out.append(String.format("%-50s %12.1f %18.0f%n", f.scenario(), f.rate(), f.bytesPerInstance()));
            }
            double gainUnmodified = figures.get(1).rate() / figures.get(0).rate();
            double proxyCost = 1 - figures.get(3).rate() / figures.get(4).rate();
            out.append(String.format("shipped vs default behind TLS, unmodified client: %.2fx (target >= 1.8x)%n", gainUnmodified));
            out.append(String.format("TLS proxy cost with tuned client: %.1f%% slower than without proxy (target <= 10%%)%n",
                    proxyCost * 100));
            System.out.print(out);
            Files.createDirectories(Path.of("target"));
            Files.writeString(Path.of("target/ingest-benchmark.txt"), out.toString());
        }
    }

    /** n copies of the sample, each with its own SOP Instance UID (Orthanc would otherwise dedupe). */
    static List<String> copies(ConformanceEnv env, String name, int n) throws Exception {
        Path dir = env.root.resolve("bench-" + name);
        Files.createDirectories(dir);
        List<String> files = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Path f = dir.resolve(i + ".dcm");
            Files.copy(OrthancStackConformanceTest.TEST_FILES.resolve(SAMPLE), f);
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

    static Figure measure(ConformanceEnv env, String scenario, int httpPort, int dicomPort, boolean tls,
                          Map<String, String> clientEnv) throws Exception {
        List<String> files = copies(env, scenario.replaceAll("[^a-z0-9]+", "-"), INSTANCES);
        JsonNode before = statistics(httpPort);
        long start = System.nanoTime();
        send(env, dicomPort, tls, clientEnv, files);
        double seconds = (System.nanoTime() - start) / 1e9;
        JsonNode after = statistics(httpPort);
        long stored = after.get("TotalDiskSize").asLong() - before.get("TotalDiskSize").asLong();
        int count = after.get("CountInstances").asInt() - before.get("CountInstances").asInt();
        if (count != INSTANCES) {
            throw new AssertionError(scenario + ": stored " + count + " of " + INSTANCES);
        }
        return new Figure(scenario, INSTANCES, seconds, (double) stored / count);
    }
}
