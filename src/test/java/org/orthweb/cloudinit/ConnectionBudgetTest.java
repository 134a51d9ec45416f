package org.orthweb.cloudinit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;
import org.orthweb.config.ConfigException;
import org.orthweb.config.ConfigParser;
import org.orthweb.config.RawConfig;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every pool of every host against its role's connection limit, and the role limits against the
 * database class's max_connections: the pure rules, and the numbers the rendered files really carry.
 */
class ConnectionBudgetTest {

    /** Keycloak's own default when KC_DB_POOL_MAX_SIZE is not set (Keycloak "All configuration": db-pool-max-size). */
    static final int KEYCLOAK_DEFAULT_POOL = 100;
    /** The PostgreSQL plugin's default IndexConnectionsCount (orthanc-databases PostgreSQLParameters.cpp). */
    static final int ORTHANC_DEFAULT_POOL = 50;

    @Test
    void roleLimitsSumEveryPoolOfARoleOverTheHosts() {
        List<ConnectionBudget.Pool> pools = List.of(new ConnectionBudget.Pool("a", "r1", 4),
                new ConnectionBudget.Pool("b", "r1", 3), new ConnectionBudget.Pool("c", "r2", 5));
        assertThat(ConnectionBudget.roleLimits(pools, 3)).containsExactly(Map.entry("r1", 21), Map.entry("r2", 15));
        assertThatThrownBy(() -> ConnectionBudget.roleLimits(pools, 0)).hasMessageContaining("hosts");
    }

    @Test
    void aPoolLargerThanItsRoleShareIsAProblem() {
        // the fault found on Keycloak: a default pool of 100 against CONNECTION LIMIT 40
        List<ConnectionBudget.Pool> pools = List.of(new ConnectionBudget.Pool("Keycloak", "keycloak", 100));
        assertThat(ConnectionBudget.problems(pools, Map.of("keycloak", 40), 1, 5000, "x"))
                .singleElement().asString().contains("'keycloak' has CONNECTION LIMIT 40 but its pools need 100");
        assertThat(ConnectionBudget.problems(pools, Map.of("keycloak", 100), 1, 5000, "x")).isEmpty();
    }

    @Test
    void roleLimitsMustFitMaxConnectionsWithTheReservedOnes() {
        List<ConnectionBudget.Pool> pools = List.of(new ConnectionBudget.Pool("p", "r", 10));
        int reserved = ConnectionBudget.reservedConnections(2);
        assertThat(ConnectionBudget.problems(pools, Map.of("r", 20), 2, 20 + reserved, "c")).isEmpty();
        assertThat(ConnectionBudget.problems(pools, Map.of("r", 20), 2, 19 + reserved, "setting db.x.y"))
                .singleElement().asString().startsWith("setting db.x.y allows about").contains("choose a larger class");
    }

    @Test
    void maxConnectionsEstimateStaysBelowTheFormulaOnNominalMemory() {
        // LEAST(memory / 9531392, 5000) on nominal memory: micro 112, small 225, medium 450
        assertThat(ConnectionBudget.estimatedMaxConnections("db.t4g.micro")).isBetween(60, 112);
        assertThat(ConnectionBudget.estimatedMaxConnections("db.t4g.small")).isBetween(120, 225);
        assertThat(ConnectionBudget.estimatedMaxConnections("db.t4g.medium")).isBetween(240, 450);
        assertThat(ConnectionBudget.estimatedMaxConnections("db.r6g.16xlarge")).isEqualTo(5000);
        assertThatThrownBy(() -> ConnectionBudget.nominalMemoryGiB("db.t4g.huge")).hasMessageContaining("huge");
    }

    /** What the rendered files configure: pool sizes per host and each role's CONNECTION LIMIT. */
    static Map<String, String> rendered() {
        return Render.files(Fixtures.inputs(), Layout.HOST);
    }

    static List<ConnectionBudget.Pool> renderedPools(Map<String, String> files) throws Exception {
        JsonNode kc = new YAMLMapper().readTree(files.get(Layout.CONFIG_DIR + "/docker-compose.yml"))
                .at("/services/keycloak/environment/KC_DB_POOL_MAX_SIZE");
        int keycloak = kc.isMissingNode() ? KEYCLOAK_DEFAULT_POOL : Integer.parseInt(kc.asText());
        Matcher m = Pattern.compile("\"IndexConnectionsCount\":\\s*(\\d+)")
                .matcher(files.get(Layout.CONFIG_DIR + "/orthanc-secrets.jq"));
        int orthanc = m.find() ? Integer.parseInt(m.group(1)) : ORTHANC_DEFAULT_POOL;
        return List.of(new ConnectionBudget.Pool("keycloak", Layout.KEYCLOAK_DB, keycloak),
                new ConnectionBudget.Pool("orthanc", Layout.ORTHANC_DB, orthanc));
    }

    static Map<String, Integer> renderedRoleLimits(Map<String, String> files) {
        Map<String, Integer> limits = new LinkedHashMap<>();
        Matcher m = Pattern.compile("ALTER ROLE (\\w+) WITH[^;]*CONNECTION LIMIT (\\d+)")
                .matcher(files.get(Layout.CONFIG_DIR + "/db-setup.sql"));
        while (m.find()) {
            limits.put(m.group(1), Integer.parseInt(m.group(2)));
        }
        return limits;
    }

    @Test
    void renderedPoolsFitTheRenderedRoleLimitsOnTheSmallestAcceptedClass() throws Exception {
        Map<String, String> files = rendered();
        Map<String, Integer> limits = renderedRoleLimits(files);
        assertThat(limits).containsOnlyKeys(Layout.ORTHANC_DB, Layout.KEYCLOAK_DB);
        int smallest = ConnectionBudget.estimatedMaxConnections(SMALLEST_ACCEPTED);
        assertThat(ConnectionBudget.problems(renderedPools(files), limits, ConnectionBudget.MAX_HOSTS_AT_ONCE,
                smallest, SMALLEST_ACCEPTED)).isEmpty();
    }

    static final String SMALLEST_ACCEPTED = "db.t4g.small";

    static void parseWithClass(String cls, String extra) {
        ConfigParser.parse("test", RawConfig.fromStackYaml("""
                config:
                  aws:region: eu-west-1
                  orthweb:environment: dev
                  orthweb:owner: radiology-it
                  orthweb:database:
                    instanceClass: %s
                """.formatted(cls) + extra, "Pulumi.test.yaml"));
    }

    static void parseWithClass(String cls) {
        parseWithClass(cls, "");
    }

    @Test
    void theClassMustHoldThePoolsOfTheStacksOwnHostsAtOnce() {
        // one host (two while it is replaced): 2 x (15 + 5) + 5 reserved + 2 bootstrap sessions = 47
        assertThat(ConnectionBudget.hostsAtOnce(1)).isEqualTo(2);
        assertThat(ConnectionBudget.checkDatabaseClass("db.t4g.micro", "c", 2)).isEmpty();
        parseWithClass("db.t4g.micro");
        // two hosts: 4 x 20 + 9 = 89, more than micro's estimated 78
        assertThatThrownBy(() -> parseWithClass("db.t4g.micro", """
                  orthweb:host:
                    instanceCount: 2
                """)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("orthweb:database.instanceClass: db.t4g.micro allows about 78 connections "
                        + "(max_connections), but the stack needs 89: 4 hosts at once (its hosts and as many replacements) "
                        + "x Keycloak 15 + Orthanc 5 connections = 80, plus RDS's 5 reserved and 4 bootstrap sessions: "
                        + "choose a larger class (db.t4g.small holds it); for orthweb:host.instanceCount 2");
        parseWithClass(SMALLEST_ACCEPTED, """
                  orthweb:host:
                    instanceCount: 2
                """);
        // HA mode counts the group's maximum, whatever runs now
        assertThatThrownBy(() -> parseWithClass("db.t4g.micro", """
                  orthweb:ha:
                    enabled: true
                    minHosts: 1
                    maxHosts: 2
                """)).isInstanceOf(ConfigException.class).hasMessageContaining("; for orthweb:ha.maxHosts 2");
    }

    @Test
    void theLargestStackFitsTheSmallestClassThatHoldsTheRoleLimits() {
        // db.t4g.small holds every pool of the largest stack: the role limits are sized for it
        assertThat(ConnectionBudget.checkDatabaseClass(SMALLEST_ACCEPTED, "c", ConnectionBudget.MAX_HOSTS_AT_ONCE)).isEmpty();
        parseWithClass("db.m7g.large");
        assertThatThrownBy(() -> parseWithClass("db.t4g.gigantic")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("orthweb:database.instanceClass").hasMessageContaining("gigantic");
    }
}
