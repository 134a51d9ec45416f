package org.orthweb.cloudinit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A database that goes silent mid-use, as the old primary does in an RDS Multi-AZ failover (its
 * connections are not closed; their packets just stop), on real servers: PostgreSQL (TLS only) in
 * the core namespace, one host's rendered bootstrap and Debian's Orthanc with the rendered
 * configuration in the host's namespace ({@link SiteFixture}). The core namespace's firewall drops
 * every packet to and from port 5432 while Orthanc holds open index connections, then lets them
 * flow again. Orthanc must fail the request in bounded seconds (not TCP's ~15 minutes: issue 14
 * measured 938 s without keepalives), and answer again within a minute of the packets flowing.
 * The bootstrap's psql, with the rendered connection options, must also give up in bounded time.
 * The figures are printed.
 */
@Tag("conformance")
class DatabaseFailoverTest {

    static final Path SAMPLE = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm");
    /** Far above what the settings give (about 30 s), far below what TCP alone gives (~900 s). */
    static final Duration FAIL_FAST_BOUND = Duration.ofSeconds(90);
    /** The issue's requirement: Orthanc answers again within a minute of the database coming back. */
    static final Duration RECOVERY_BOUND = Duration.ofSeconds(60);

    @Test
    void orthancFailsFastWhileTheDatabaseIsSilentAndAnswersAgainSoonAfter() throws Exception {
        Tools.require("Orthanc", ConformanceEnv.DEBIAN_PLUGINS + "/libOrthancPostgreSQLIndex.so", ConformanceEnv.PG_BIN + "/initdb",
                "psql", "iptables", "curl", "jq", "openssl", "python3", SAMPLE.toString());
        SiteNetwork.requireNamespaces();
        try (SiteFixture site = new SiteFixture()) {
            site.startDatabase();
            SiteFixture.Host h = site.addHost("h1", 11, SiteFixture.HOST_IDS[0]);
            Path config = site.orthancConfig(h);
            String uri = new com.fasterxml.jackson.databind.ObjectMapper().readTree(config.resolve("orthanc-secrets.json")
                    .toFile()).at("/PostgreSQL/ConnectionUri").asText();
            // the rendered settings reach Orthanc's libpq (the password is not printed)
            assertThat(uri).contains("&" + DatabaseClientTimeouts.libpqUriQuery());
            String name = "orthanc-failover";
            site.awaitDatabase(h);
            Process orthanc = site.net.start(h.ns(), name, Map.of("ORTHWEB_SITE", SiteFixture.SITE,
                    "ORTHWEB_HOST_ID", SiteFixture.dotEnv(h, "HOST_ID"),
                    // the index role's IAM token file, as the compose file points Orthanc at it
                    "PGPASSFILE", h.env().pgpass(org.orthweb.cloudinit.Layout.ORTHANC_DB).toString()),
                    "Orthanc", config.toString());
            Instant deadline = Instant.now().plus(Duration.ofSeconds(180));
            while (get(site, h, "/system", 5).code() != 200) {
                assertThat(orthanc.isAlive() && Instant.now().isBefore(deadline))
                        .as("Orthanc starts:\n" + site.net.log(name)).isTrue();
                ConformanceEnv.sleep(300);
            }
            // in use: a study stored and read back through the index
            site.net.exec(h.ns(), 60, Map.of(), "curl", "-sS", "-f", "-o", "/dev/null", "--data-binary", "@" + SAMPLE,
                    "http://127.0.0.1:8042/instances").expectSuccess("store a study");
            assertThat(get(site, h, "/statistics", 10).body()).contains("\"CountInstances\" : 1");

            silence(site, true);
            Instant silent = Instant.now();
            // a request that needs the index, sent into the silence (bounded by curl far above the bound)
            Reply during = get(site, h, "/statistics", 300);
            Duration failedAfter = Duration.between(silent, Instant.now());
            // the bootstrap's psql with the rendered connection options, also into the silence
            Instant psqlStart = Instant.now();
            Tools.Result psql = site.net.exec(h.ns(), 300, Map.of("PGPASSWORD", "unused", "PGSSLMODE", "verify-full",
                    "PGSSLROOTCERT", h.env().rdsCa.toString()), "psql", "-X", "-q", "-h", SiteNetwork.CORE_IP, "-p", Integer.toString(SiteFixture.DB_PORT),
                    "-U", "postgres", "-d", "dbname=postgres " + bootstrapOptions(h), "-c", "select 1");
            Duration psqlFailedAfter = Duration.between(psqlStart, Instant.now());

            silence(site, false);
            Recovery recovery = awaitAnswer(() -> get(site, h, "/statistics", 15));
            Reply after = recovery.last();
            Duration answeredAfter = recovery.after();

            System.out.printf("database failover: Orthanc's request during the silence ended after %.1f s with HTTP %d "
                            + "(bound %d s; issue 14 measured 938 s without keepalives)%n",
                    failedAfter.toMillis() / 1000.0, during.code(), FAIL_FAST_BOUND.toSeconds());
            System.out.printf("database failover: the bootstrap's psql gave up after %.1f s (exit %d)%n",
                    psqlFailedAfter.toMillis() / 1000.0, psql.exit());
            System.out.printf("database failover: Orthanc answered again %.1f s after the packets flowed again (HTTP %d, "
                            + "%d requests; bound %d s)%n",
                    answeredAfter.toMillis() / 1000.0, after.code(), recovery.attempts(), RECOVERY_BOUND.toSeconds());

            assertThat(during.code()).as("the request during the silence fails (it cannot succeed)").isNotEqualTo(200);
            assertThat(failedAfter).as("Orthanc fails fast while the database is silent").isLessThan(FAIL_FAST_BOUND);
            assertThat(psql.exit()).isNotZero();
            assertThat(psqlFailedAfter).as("psql gives up in bounded time").isLessThan(FAIL_FAST_BOUND);
            assertThat(after.code()).as("Orthanc answers again once the database is back:\n" + site.net.log(name)).isEqualTo(200);
            assertThat(answeredAfter).as("and within a minute").isLessThan(RECOVERY_BOUND);
            assertThat(after.body()).contains("\"CountInstances\" : 1");
            assertThat(orthanc.isAlive()).as("Orthanc kept running").isTrue();
        }
    }

    /** The libpq options the rendered bootstrap gives every psql call. */
    static String bootstrapOptions(SiteFixture.Host h) {
        Matcher m = Pattern.compile("(?m)^DB_CLIENT_OPTIONS=\"([^\"]*)\"$").matcher(h.env().files.get("/usr/local/sbin/orthweb-bootstrap"));
        assertThat(m.find()).as("DB_CLIENT_OPTIONS in the rendered bootstrap").isTrue();
        return m.group(1);
    }

    /**
     * The database goes silent (true) or speaks again (false): the core namespace's firewall drops
     * every packet to and from port 5432, as an RDS failover leaves the old primary's connections.
     */
    static void silence(SiteFixture site, boolean on) {
        String action = on ? "-I" : "-D";
        String port = Integer.toString(SiteFixture.DB_PORT);
        firewall(site, action, "INPUT", List.of("-p", "tcp", "--dport", port, "-j", "DROP"));
        firewall(site, action, "OUTPUT", List.of("-p", "tcp", "--sport", port, "-j", "DROP"));
    }

    static void firewall(SiteFixture site, String action, String chain, List<String> rule) {
        List<String> cmd = new ArrayList<>(List.of("iptables", "-w", action, chain));
        cmd.addAll(rule);
        site.net.exec(site.net.core, 30, Map.of(), cmd.toArray(String[]::new)).expectSuccess(String.join(" ", cmd));
    }

    /** The last reply of {@link #awaitAnswer}, how many requests it took, and how long since the call. */
    record Recovery(Reply last, int attempts, Duration after) {
    }

    /** Repeats {@code request} a second apart until it answers 200, for at most 120 s. */
    static Recovery awaitAnswer(java.util.function.Supplier<Reply> request) {
        Instant start = Instant.now();
        int attempts = 0;
        Reply last;
        do {
            attempts++;
            last = request.get();
            if (last.code() == 200) {
                break;
            }
            ConformanceEnv.sleep(1000);
        } while (Duration.between(start, Instant.now()).compareTo(Duration.ofSeconds(120)) < 0);
        return new Recovery(last, attempts, Duration.between(start, Instant.now()));
    }

    record Reply(int code, String body) {
    }

    /** GET on Orthanc's HTTP port in the host's namespace; code 0 when curl got no answer. */
    static Reply get(SiteFixture site, SiteFixture.Host h, String path, int maxSeconds) {
        return curl(site, h, maxSeconds, "http://127.0.0.1:8042" + path);
    }

    /** curl in the host's namespace with {@code args}, bounded by {@code maxSeconds}; code 0 when it got no answer. */
    static Reply curl(SiteFixture site, SiteFixture.Host h, int maxSeconds, String... args) {
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "-m", Integer.toString(maxSeconds), "-w", "\n%{http_code}"));
        cmd.addAll(List.of(args));
        Tools.Result r = site.net.exec(h.ns(), maxSeconds + 30L, Map.of(), cmd.toArray(String[]::new));
        String out = r.out().strip();
        int nl = out.lastIndexOf('\n');
        String code = nl < 0 ? out : out.substring(nl + 1);
        return new Reply(code.matches("\\d{3}") ? Integer.parseInt(code) : 0, nl < 0 ? "" : out.substring(0, nl));
    }
}
