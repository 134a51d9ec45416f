package org.orthweb.cloudinit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two Orthanc hosts of one site on real servers (see {@link SiteFixture}): Debian's Orthanc with
 * each host's rendered configuration on one PostgreSQL index, the rendered nginx in front of
 * each, haproxy in front of both, a modality in its own namespace storing over DICOM TLS with the
 * site's client certificate. Prints its timings.
 */
@Tag("conformance")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoHostSiteTest {

    static final Path SAMPLE = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm");
    /** instances stored in the ingest with a host killed half-way */
    static final int INGEST = 40;
    static final String UID_ROOT = "1.2.826.0.1.3680043.8.498.77";

    static SiteFixture site;
    static SiteFixture.Host h1;
    static SiteFixture.Host h2;
    static final Map<String, Process> orthancs = new LinkedHashMap<>();
    static final Map<String, Process> nginxes = new LinkedHashMap<>();
    static final ObjectMapper JSON = new ObjectMapper();
    static final Map<String, String> timings = new LinkedHashMap<>();

    @BeforeAll
    static void bringUpTheSite() throws Exception {
        Tools.require("Orthanc", ConformanceEnv.DEBIAN_PLUGINS + "/libOrthancPostgreSQLIndex.so",
                ConformanceEnv.DEBIAN_PLUGINS + "/libOrthancDicomWeb.so", ConformanceEnv.PG_BIN + "/initdb", "psql",
                "nginx", ConformanceEnv.NGINX_STREAM_MODULE, "haproxy", "storescu", "dcmodify", "openssl", "curl",
                "jq", "python3", SAMPLE.toString());
        SiteNetwork.requireNamespaces();
        Instant start = Instant.now();
        site = new SiteFixture();
        try {
            site.startDatabase();
            h1 = site.addHost("h1", 11, SiteFixture.HOST_IDS[0]);
            h2 = site.addHost("h2", 12, SiteFixture.HOST_IDS[1]);
            for (SiteFixture.Host h : List.of(h1, h2)) {
                startOrthanc(h);
                nginxes.put(h.ns(), site.startNginx(h, "nginx-" + h.ns()));
            }
            site.startBalancer(List.of(h1, h2));
            timings.put("site up (namespaces, PostgreSQL, 2 bootstraps, 2 Orthanc, 2 nginx, haproxy)",
                    Duration.between(start, Instant.now()).toMillis() + " ms");
        } catch (Throwable t) {
            site.close();
            throw t;
        }
    }

    /** Debian's Orthanc with the host's configuration and the environment Compose gives the container. */
    static void startOrthanc(SiteFixture.Host h) throws Exception {
        Path config = site.orthancConfig(h);
        Map<String, String> env = Map.of("TCP_NODELAY", "1", "ORTHWEB_SITE", SiteFixture.SITE,
                // what the compose file passes from .env (written by the bootstrap from IMDSv2)
                "ORTHWEB_HOST_ID", SiteFixture.dotEnv(h, "HOST_ID"),
                // the index role's IAM token file, as the compose file points Orthanc at it
                "PGPASSFILE", h.env().pgpass(Layout.ORTHANC_DB).toString());
        String name = "orthanc-" + h.ns() + "-" + System.nanoTime();
        site.awaitDatabase(h);
        Process p = site.net.start(h.ns(), name, env, "Orthanc", config.toString());
        Instant deadline = Instant.now().plus(Duration.ofSeconds(180));
        while (site.net.exec(h.ns(), 10, Map.of(), "curl", "-sf", "-o", "/dev/null", "http://127.0.0.1:8042/system").exit() != 0) {
            if (!p.isAlive() || Instant.now().isAfter(deadline)) {
                throw new AssertionError("Orthanc on " + h.ns() + " did not start:\n" + site.net.log(name));
            }
            ConformanceEnv.sleep(300);
        }
        orthancs.put(h.ns(), p);
    }

    @AfterAll
    static void tearDown() {
        timings.forEach((k, v) -> System.out.println("two-host site timing: " + k + ": " + v));
        if (site != null) {
            site.close();
        }
    }

    /**
     * nginx lets requests without a credential only read (the anonymous-write gate): writes and
     * /tools/lookup carry one (Debian's Orthanc has no authorization plugin to check its value).
     */
    static final String WRITE_CREDENTIAL = "Authorization: " + EdgeSecurityConformanceTest.CREDENTIAL;

    static String storescu(String file) {
        return String.join(" ", "storescu", "-to", "10", "-ta", "10", "-td", "30", "+tls",
                site.pki.resolve("client.key").toString(), site.pki.resolve("client.crt").toString(),
                "+cf", site.pki.resolve("ca.crt").toString(), "-aet", SiteFixture.MODALITY_AET, "-aec", "ORTHANC", SiteFixture.SITE,
                Integer.toString(Layout.DICOM_TLS_PORT), file);
    }

    /** Copies of the sample with our own SOP instance UIDs (dcmodify keeps the meta header in step). */
    static List<Path> instances(String batch, int n) throws Exception {
        Path dir = site.dir.resolve("instances-" + batch);
        Files.createDirectories(dir);
        List<Path> files = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            Path f = dir.resolve(batch + "-" + i + ".dcm");
            Files.copy(SAMPLE, f);
            Tools.run("dcmodify", "-nb", "-m", "(0008,0018)=" + uid(batch, i), f.toString()).expectSuccess("dcmodify");
            files.add(f);
        }
        return files;
    }

    static String uid(String batch, int i) {
        return UID_ROOT + "." + (batch.equals("a") ? 1 : 2) + "." + i;
    }

    static JsonNode lookup(SiteFixture.Host via, String uid) throws Exception {
        return JSON.readTree(site.curl(via.ip(), "/orthanc/tools/lookup", "-X", "POST", "--data-binary", uid,
                "-H", WRITE_CREDENTIAL)
                .expectSuccess("lookup").out());
    }

    static JsonNode qido(SiteFixture.Host via, String uid) throws Exception {
        return JSON.readTree(site.curl(via.ip(), "/orthanc/dicom-web/instances?SOPInstanceUID=" + uid)
                .expectSuccess("qido").out());
    }

    @Test
    @Order(5)
    void eachHostHasItsOwnServerIdentityInTheSharedIndex() throws Exception {
        assertThat(SiteFixture.dotEnv(h1, "HOST_ID")).isEqualTo(SiteFixture.HOST_IDS[0]);
        assertThat(SiteFixture.dotEnv(h2, "HOST_PRIVATE_IP")).isEqualTo(h2.ip());
        // Orthanc keeps its non-shared global properties (the saved job registry, plugins' state)
        // under DatabaseServerIdentifier. With SaveJobs off nothing per host is written, so for this
        // check only each host runs once with SaveJobs on (printed): its shutdown saves the registry
        // under the identifier the rendered configuration took from the environment.
        for (SiteFixture.Host h : List.of(h1, h2)) {
            Path json = site.orthancConfig(h).resolve("orthanc.json");
            String rendered = Files.readString(json);
            assertThat(rendered).contains("\"SaveJobs\" : false");
            System.out.println("conformance adaptation: " + h.ns() + " restarted once with SaveJobs true");
            stopOrthanc(h);
            Files.writeString(json, rendered.replace("\"SaveJobs\" : false", "\"SaveJobs\" : true"));
            startOrthanc(h);
            stopOrthanc(h);
            Files.writeString(json, rendered);
        }
        String servers = dbQuery("SELECT DISTINCT server FROM ServerProperties ORDER BY 1");
        assertThat(servers.lines().toList()).containsExactly(SiteFixture.HOST_IDS[0], SiteFixture.HOST_IDS[1]);
    }

    static String dbQuery(String sql) {
        // the superuser over the private socket, in the core namespace
        return site.database().sql("orthanc", sql).expectSuccess(sql).out();
    }

    @Test
    @Order(2)
    void theModalityStoresThroughTheBalancerAndEveryInstanceIsFoundThroughEitherHost() throws Exception {
        List<Path> files = instances("a", 6);
        Map<String, Integer> before = site.balancerSessions(Layout.DICOM_TLS_PORT);
        for (Path f : files) {
            // one association per file: the balancer spreads them over the hosts
            site.net.exec(site.modality, 60, Map.of(), "bash", "-c", storescu(f.toString())).expectSuccess("storescu " + f);
        }
        Map<String, Integer> after = site.balancerSessions(Layout.DICOM_TLS_PORT);
        System.out.println("two-host site: DICOM associations per host through the balancer: " + before + " -> " + after);
        assertThat(after.get("h1") - before.getOrDefault("h1", 0)).as("associations on h1").isPositive();
        assertThat(after.get("h2") - before.getOrDefault("h2", 0)).as("associations on h2").isPositive();
        for (int i = 1; i <= files.size(); i++) {
            for (SiteFixture.Host via : List.of(h1, h2)) {
                assertThat(lookup(via, uid("a", i))).as("lookup %s via %s", uid("a", i), via.ns()).hasSize(1);
                assertThat(qido(via, uid("a", i))).as("QIDO %s via %s", uid("a", i), via.ns()).hasSize(1);
            }
        }
    }

    @Test
    @Order(3)
    void aHostKilledMidIngestLosesNoAcknowledgedInstance() throws Exception {
        List<Path> files = instances("b", INGEST);
        // the modality's own retry: each file until it is acknowledged (storescu exit 0), 8 tries at most
        Path script = site.dir.resolve("ingest.sh");
        Files.writeString(script, "#!/bin/bash\nfor f in \"$@\"; do\n  for try in 1 2 3 4 5 6 7 8; do\n"
                + "    if " + storescu("\"$f\"") + " >/dev/null 2>&1; then echo \"ACK $f $try $(date +%s%3N)\"; break; fi\n"
                + "    echo \"RETRY $f $try $(date +%s%3N)\"; sleep 0.5\n  done\ndone\necho DONE\n");
        List<String> args = new ArrayList<>(List.of("bash", script.toString()));
        files.forEach(f -> args.add(f.toString()));
        long t0 = System.currentTimeMillis();
        Process ingest = site.net.start(site.modality, "ingest", Map.of(), args.toArray(String[]::new));
        Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
        while (count(site.net.log("ingest"), "ACK ") < INGEST / 3 && Instant.now().isBefore(deadline) && ingest.isAlive()) {
            ConformanceEnv.sleep(100);
        }
        long killedAt = System.currentTimeMillis();
        int ackedBeforeKill = count(site.net.log("ingest"), "ACK ");
        // host 1 dies: every process on it killed, nothing shut down
        site.net.killAll(h1.ns());
        SiteNetwork.kill(orthancs.remove(h1.ns()));
        SiteNetwork.kill(nginxes.remove(h1.ns()));
        assertThat(ingest.waitFor(180, java.util.concurrent.TimeUnit.SECONDS)).as("ingest finished").isTrue();
        long t1 = System.currentTimeMillis();
        String log = site.net.log("ingest");
        assertThat(log).contains("DONE");
        List<String> acked = new ArrayList<>();
        long firstAckAfterKill = -1;
        long lastRetry = -1;
        for (String line : log.split("\n")) {
            String[] f = line.split(" ");
            if (f[0].equals("RETRY")) {
                lastRetry = Long.parseLong(f[3]);
            }
            if (f[0].equals("ACK")) {
                acked.add(f[1]);
                long at = Long.parseLong(f[3]);
                if (at > killedAt && firstAckAfterKill < 0) {
                    firstAckAfterKill = at;
                }
            }
        }
        timings.put("ingest of " + INGEST + " instances, one association each, host 1 killed after " + ackedBeforeKill,
                (t1 - t0) + " ms, " + count(log, "RETRY ") + " client retries, first acknowledgement after the kill "
                        + (firstAckAfterKill - killedAt) + " ms later"
                        + (lastRetry < 0 ? "" : ", last retry " + (lastRetry - killedAt) + " ms after the kill"));
        // every file was acknowledged in the end (the retry went to host 2)...
        assertThat(acked).hasSize(INGEST);
        // ...and every acknowledged instance is in the index, found through the surviving host
        Set<String> missing = new TreeSet<>();
        for (int i = 1; i <= INGEST; i++) {
            if (lookup(h2, uid("b", i)).size() != 1) {
                missing.add(uid("b", i));
            }
        }
        assertThat(missing).as("acknowledged but not found").isEmpty();
        assertThat(dbQuery("SELECT count(*) FROM Resources WHERE resourceType = 3").trim())
                .isEqualTo(Integer.toString(6 + INGEST));
    }

    static int count(String text, String prefix) {
        return (int) text.lines().filter(l -> l.startsWith(prefix)).count();
    }

    @Test
    @Order(4)
    void eachHostKeepsItsOwnJobRegistry() throws Exception {
        // host 1 comes back (a restart, not a replacement: same identity)
        startOrthanc(h1);
        nginxes.put(h1.ns(), site.startNginx(h1, "nginx-" + h1.ns() + "-2"));
        String study = JSON.readTree(site.curl(h2.ip(), "/orthanc/studies").expectSuccess("studies").out()).get(0).asText();
        // an anonymization job: one Orthanc serializes into its saved registry (archive jobs it does not)
        JsonNode job = JSON.readTree(site.curl(h2.ip(), "/orthanc/studies/" + study + "/anonymize", "-H", WRITE_CREDENTIAL, "-X", "POST",
                "--data-binary", "{\"Asynchronous\": true}").expectSuccess("anonymization job").out());
        String jobId = job.get("ID").asText();
        assertThat(jobs(h2)).contains(jobId);
        assertThat(jobs(h1)).doesNotContain(jobId);
        // host 1 shuts down, then host 2 (each would save its registry under SaveJobs; host 2's last),
        // then host 1 starts: it must not pick up host 2's job (the failure seen with identical
        // settings on both hosts)
        stopOrthanc(h1);
        stopOrthanc(h2);
        startOrthanc(h1);
        assertThat(jobs(h1)).doesNotContain(jobId);
        startOrthanc(h2);
        // SaveJobs false: host 2's own registry is not restored either (jobs are per host, in memory)
        assertThat(jobs(h2)).doesNotContain(jobId);
    }

    /** Both Orthancs running and both hosts in service behind the stand-in (after the tests that stop them). */
    static void bothHostsInService() throws Exception {
        for (SiteFixture.Host h : List.of(h1, h2)) {
            if (!orthancs.containsKey(h.ns())) {
                startOrthanc(h);
            }
        }
        awaitBalancerStatus(Layout.HTTPS_PORT, Map.of("h1", "UP", "h2", "UP"));
    }

    /** Waits (bounded by the planned check period) until haproxy reports these statuses; returns the ms it took. */
    static long awaitBalancerStatus(int port, Map<String, String> wanted) {
        var hc = (Map<?, ?>) org.orthweb.support.TestStacks.shipped("prod").ofType("aws:lb/targetGroup:TargetGroup").get(0)
                .get("healthCheck");
        int interval = ((Number) hc.get("interval")).intValue();
        int thresholds = Math.max(((Number) hc.get("healthyThreshold")).intValue(), ((Number) hc.get("unhealthyThreshold")).intValue());
        long start = System.nanoTime();
        Instant deadline = Instant.now().plusSeconds((long) interval * (thresholds + 2) + 10);
        Map<String, String> seen = Map.of();
        while (Instant.now().isBefore(deadline)) {
            Map<String, String> now = new java.util.TreeMap<>();
            site.balancerServers(port).forEach((name, f) -> now.put(name, f[0].split(" ")[0]));
            seen = now;
            if (now.entrySet().containsAll(wanted.entrySet())) {
                return (System.nanoTime() - start) / 1_000_000;
            }
            ConformanceEnv.sleep(500);
        }
        throw new AssertionError("balancer statuses " + seen + ", wanted " + wanted);
    }

    /** n HTTPS requests for the health path through the balancer, each its own connection; the sessions per host. */
    static Map<String, Integer> httpsThroughBalancer(int n) {
        Map<String, Integer> before = site.balancerSessions(Layout.HTTPS_PORT);
        for (int i = 0; i < n; i++) {
            assertThat(site.curl(null, Layout.HEALTH_PATH, "-o", "/dev/null", "-w", "%{http_code}").expectSuccess("curl").out())
                    .isEqualTo("200");
        }
        Map<String, Integer> after = site.balancerSessions(Layout.HTTPS_PORT);
        Map<String, Integer> delta = new java.util.TreeMap<>();
        after.forEach((k, v) -> delta.put(k, v - before.getOrDefault(k, 0)));
        return delta;
    }

    @Test
    @Order(6)
    void aClientsHttpsRequestsStayOnOneHost() throws Exception {
        bothHostsInService();
        Map<String, Integer> delta = httpsThroughBalancer(10);
        // source-IP stickiness on 443 as planned: all ten connections on one host (round robin would split them)
        assertThat(delta.values()).containsExactlyInAnyOrder(10, 0);
        // DICOM (not sticky) still spreads, as the earlier store test showed
    }

    @Test
    @Order(7)
    void aHostWhoseOrthancIsStoppedIsTakenOutByTheHealthCheck() throws Exception {
        bothHostsInService();
        // nginx's health status follows Orthanc: 200 while it answers...
        assertThat(site.curl(h1.ip(), Layout.HEALTH_PATH, "-o", "/dev/null", "-w", "%{http_code}").out()).isEqualTo("200");
        stopOrthanc(h1);
        // ...an error once it does not, while nginx itself still runs (a static 200 would stay 200)
        assertThat(site.curl(h1.ip(), Layout.HEALTH_PATH, "-o", "/dev/null", "-w", "%{http_code}").out()).startsWith("5");
        assertThat(site.curl(h1.ip(), "/nginx_health", "-o", "/dev/null", "-w", "%{http_code}").out()).isEqualTo("200");
        long down = awaitBalancerStatus(Layout.HTTPS_PORT, Map.of("h1", "DOWN", "h2", "UP"));
        awaitBalancerStatus(Layout.DICOM_TLS_PORT, Map.of("h1", "DOWN", "h2", "UP"));
        timings.put("host 1's Orthanc stopped until the planned health check took it out", down + " ms");
        // every request now lands on host 2, whichever host the client was stuck to
        Map<String, Integer> delta = httpsThroughBalancer(5);
        assertThat(delta).containsEntry("h1", 0).containsEntry("h2", 5);
        startOrthanc(h1);
        long up = awaitBalancerStatus(Layout.HTTPS_PORT, Map.of("h1", "UP", "h2", "UP"));
        timings.put("host 1's Orthanc back until the health check returned it", up + " ms");
    }

    static List<String> jobs(SiteFixture.Host via) throws Exception {
        List<String> ids = new ArrayList<>();
        JSON.readTree(site.curl(via.ip(), "/orthanc/jobs").expectSuccess("jobs").out()).forEach(j -> ids.add(j.asText()));
        return ids;
    }

    static void stopOrthanc(SiteFixture.Host h) throws Exception {
        Process p = orthancs.remove(h.ns());
        p.destroy();
        assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).as("Orthanc on %s stopped", h.ns()).isTrue();
    }
}
