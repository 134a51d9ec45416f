package org.orthweb.cloudinit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The database clients' timeouts: sized against an RDS failover, and rendered into every client. */
class DatabaseClientTimeoutsTest {

    /** RDS: a Multi-AZ failover typically completes within 60-120 s (RDS User Guide). */
    static final int RDS_FAILOVER_LOW_SECONDS = 60;

    @Test
    void aSilentConnectionIsGivenUpWellWithinAFailover() {
        assertThat(DatabaseClientTimeouts.idleDeadAfterSeconds()).isEqualTo(25).isLessThan(RDS_FAILOVER_LOW_SECONDS / 2);
        assertThat(DatabaseClientTimeouts.TCP_USER_TIMEOUT_MS / 1000).isLessThan(RDS_FAILOVER_LOW_SECONDS);
        assertThat(DatabaseClientTimeouts.JDBC_SOCKET_TIMEOUT_SECONDS).isLessThanOrEqualTo(RDS_FAILOVER_LOW_SECONDS);
        // a new connection's attempts are short enough to be repeated several times within a failover
        assertThat(DatabaseClientTimeouts.CONNECT_TIMEOUT_SECONDS * 3).isLessThanOrEqualTo(RDS_FAILOVER_LOW_SECONDS);
        assertThat(DatabaseClientTimeouts.JDBC_LOGIN_TIMEOUT_SECONDS).isGreaterThan(DatabaseClientTimeouts.CONNECT_TIMEOUT_SECONDS);
    }

    @Test
    void theParametersAreLibpqsAndPgjdbcsNames() {
        assertThat(DatabaseClientTimeouts.libpqUriQuery()).isEqualTo("connect_timeout=10&keepalives=1&keepalives_idle=10"
                + "&keepalives_interval=5&keepalives_count=3&tcp_user_timeout=30000");
        assertThat(DatabaseClientTimeouts.libpqConninfo()).isEqualTo(DatabaseClientTimeouts.libpqUriQuery().replace('&', ' '));
        assertThat(DatabaseClientTimeouts.jdbcQuery()).isEqualTo("connectTimeout=10&tcpKeepAlive=true");
        assertThat(DatabaseClientTimeouts.keycloakSysctls()).containsExactly(Map.entry("net.ipv4.tcp_keepalive_time", "10"),
                Map.entry("net.ipv4.tcp_keepalive_intvl", "5"), Map.entry("net.ipv4.tcp_keepalive_probes", "3"),
                Map.entry("net.ipv4.tcp_retries2", "6"));
        // the kernel's model of 6 retransmissions doubling from 200 ms (tcp(7): 15 gives 924.6 s)
        assertThat(DatabaseClientTimeouts.keycloakUnacknowledgedBoundSeconds()).isCloseTo(25.4, within(0.001));
    }

    /** Orthanc's URI is checked after the bootstrap wrote it, against a real server, in DatabaseFailoverTest. */
    @Test
    void everyRenderedClientCarriesThem() throws Exception {
        Map<String, String> files = Render.files(Fixtures.inputs());
        assertThat(files.get(Layout.CONFIG_DIR + "/orthanc-secrets.jq"))
                .contains("sslrootcert=\" + $caFile\n      + \"&" + DatabaseClientTimeouts.libpqUriQuery() + "\"),");
        JsonNode keycloak = new YAMLMapper().readTree(files.get(Layout.CONFIG_DIR + "/docker-compose.yml")).at("/services/keycloak");
        assertThat(keycloak.at("/environment/KC_DB_URL").asText()).endsWith("&" + DatabaseClientTimeouts.jdbcQuery());
        DatabaseClientTimeouts.keycloakSysctls().forEach((k, v) ->
                assertThat(keycloak.at("/sysctls").get(k).asText()).as(k).isEqualTo(v));
        String bootstrap = files.get("/usr/local/sbin/orthweb-bootstrap");
        assertThat(bootstrap).contains("\nDB_CLIENT_OPTIONS=\"" + DatabaseClientTimeouts.libpqConninfo() + "\"\n")
                .contains("-d \"dbname=postgres $DB_CLIENT_OPTIONS\"");
        // every psql call of the bootstrap uses them
        assertThat(bootstrap.lines().filter(l -> l.matches("\\s*psql .*"))).allMatch(l -> l.contains("$DB_CLIENT_OPTIONS"));
    }
}
