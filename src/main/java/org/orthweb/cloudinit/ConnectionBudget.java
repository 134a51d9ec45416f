package org.orthweb.cloudinit;

import org.orthweb.config.ConfigRules;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Database connections of the application layer: every pool, the role it logs in as, the role's
 * {@code CONNECTION LIMIT} and the PostgreSQL {@code max_connections} they must fit in. One place
 * for these numbers: the templates render the pool sizes and role limits from here, and the config
 * check refuses a database class too small for them.
 *
 * <p>Rules (each a pure function below, tested directly):
 * <ul>
 *   <li>a role's limit covers every pool that logs in as that role, summed over the most hosts
 *       that can run at once ({@link #MAX_HOSTS_AT_ONCE});</li>
 *   <li>the pools of the stack's own hosts at once ({@link #hostsAtOnce}) plus the connections
 *       PostgreSQL on RDS keeps for itself and for the bootstrap's master-user session
 *       ({@link #reservedConnections}) fit in {@code max_connections} of the database class (so a
 *       one-host stack may run on a smaller class than a three-zone one).</li>
 * </ul>
 */
public final class ConnectionBudget {

    /**
     * Keycloak's JDBC pool maximum per host ({@code KC_DB_POOL_MAX_SIZE}; Keycloak's default is 100).
     * A burst of 400 admin reads, 200 at a time, passes with this pool (KeycloakRealmConformanceTest).
     */
    public static final int KEYCLOAK_POOL_PER_HOST = 15;
    /** Orthanc's PostgreSQL index connections per host ({@code IndexConnectionsCount}; plugin default 50). */
    public static final int ORTHANC_POOL_PER_HOST = 5;

    /**
     * The most hosts whose pools can be open at once: one per availability zone at most, and twice
     * that while Pulumi replaces hosts (a new launch-template version replaces an instance, and Pulumi
     * creates the replacement before it deletes the old one). In high-availability mode the group
     * runs at most {@code ConfigRules.MAX_HA_HOSTS}, twice that during an instance refresh.
     */
    public static final int MAX_HOSTS_AT_ONCE = 2 * ConfigRules.MAX_AZ * ConfigRules.MAX_INSTANCES_PER_AZ;

    /**
     * RDS reserves {@code superuser_reserved_connections} (3) and
     * {@code rds.rds_superuser_reserved_connections} (2) of max_connections for its own sessions.
     */
    public static final int RDS_RESERVED = 5;

    /**
     * Share of an instance class's nominal memory counted as {@code DBInstanceClassMemory}: RDS
     * subtracts what the OS and its own processes use, and observed defaults are 75-90 % of the
     * nominal-memory value; 70 % keeps the estimate below every observed one.
     */
    static final double USABLE_MEMORY_SHARE = 0.70;
    /** RDS for PostgreSQL's default: max_connections = LEAST(DBInstanceClassMemory / 9531392, 5000). */
    static final long BYTES_PER_CONNECTION = 9_531_392L;
    static final int MAX_CONNECTIONS_CAP = 5000;

    /** One connection pool per host: who owns it, the role it logs in as, its maximum size. */
    public record Pool(String owner, String role, int perHost) {
    }

    /** The pools of one host, as the templates configure them. */
    public static final List<Pool> POOLS = List.of(
            new Pool("Keycloak (KC_DB_POOL_MAX_SIZE)", Layout.KEYCLOAK_DB, KEYCLOAK_POOL_PER_HOST),
            new Pool("Orthanc (PostgreSQL.IndexConnectionsCount)", Layout.ORTHANC_DB, ORTHANC_POOL_PER_HOST));

    private ConnectionBudget() {
    }

    /**
     * The {@code CONNECTION LIMIT} each role needs: the sum of its pools' sizes times the hosts.
     *
     * @param pools per-host pools
     * @param hosts most hosts running at once (at least 1)
     * @return role name to connection limit, in the order the roles first appear
     */
    public static Map<String, Integer> roleLimits(List<Pool> pools, int hosts) {
        if (hosts < 1) {
            throw new IllegalArgumentException("hosts must be at least 1 (got " + hosts + ")");
        }
        Map<String, Integer> limits = new java.util.LinkedHashMap<>();
        for (Pool p : pools) {
            if (p.perHost() < 1) {
                throw new IllegalArgumentException(p.owner() + " pool must hold at least 1 connection");
            }
            limits.merge(p.role(), p.perHost() * hosts, Integer::sum);
        }
        return limits;
    }

    /** The role limits the stack renders into db-setup.sql. */
    public static Map<String, Integer> roleLimits() {
        return roleLimits(POOLS, MAX_HOSTS_AT_ONCE);
    }

    /** Connections outside the roles' limits: RDS's reserved ones and one bootstrap session per host. */
    public static int reservedConnections(int hosts) {
        return RDS_RESERVED + hosts;
    }

    /**
     * Nominal memory of an RDS instance class in GiB, from its size (the smallest any family has
     * at that size: db.t4g.micro 1, small 2, medium 4, large 8, xlarge 16, Nxlarge 16·N).
     *
     * @throws IllegalArgumentException for a size this table does not know
     */
    /** What a refusal of an unknown class adds: the sizes {@link #nominalMemoryGiB} knows. */
    public static final String KNOWN_SIZES = " (sizes known: micro, small, medium, large, xlarge, Nxlarge, metal)";

    public static double nominalMemoryGiB(String instanceClass) {
        Matcher m = CLASS.matcher(instanceClass);
        if (!m.matches()) {
            throw new IllegalArgumentException("not an RDS instance class: '" + instanceClass + "'");
        }
        String size = m.group(2);
        switch (size) {
            case "micro":
                return 1;
            case "small":
                return 2;
            case "medium":
                return 4;
            case "large":
            case "metal":
                return 8;
            case "xlarge":
                return 16;
            default:
                Matcher n = MULTI_XLARGE.matcher(size);
                if (n.matches()) {
                    return 16.0 * Integer.parseInt(n.group(1));
                }
                throw new IllegalArgumentException("unknown RDS instance size '" + size + "' in '" + instanceClass + "'");
        }
    }

    private static final Pattern CLASS = Pattern.compile("db\\.([a-z0-9-]+)\\.([a-z0-9]+)");
    private static final Pattern MULTI_XLARGE = Pattern.compile("([0-9]{1,3})xlarge");

    /**
     * A conservative estimate of RDS for PostgreSQL's default {@code max_connections} for a class:
     * LEAST(DBInstanceClassMemory / 9531392, 5000) with {@link #USABLE_MEMORY_SHARE} of the nominal
     * memory (source: AWS Prescriptive Guidance, "Tuning PostgreSQL parameters: max_connections").
     */
    public static int estimatedMaxConnections(String instanceClass) {
        double bytes = nominalMemoryGiB(instanceClass) * 1024 * 1024 * 1024 * USABLE_MEMORY_SHARE;
        return (int) Math.min(MAX_CONNECTIONS_CAP, Math.floor(bytes / BYTES_PER_CONNECTION));
    }

    /**
     * Every way the connections do not fit, as messages that name the setting; empty when they fit.
     *
     * @param pools          per-host pools
     * @param roleLimits     role name to its CONNECTION LIMIT
     * @param hosts          most hosts running at once
     * @param maxConnections the database's max_connections
     * @param classSetting   the setting and value that chose the database (for the message)
     */
    public static List<String> problems(List<Pool> pools, Map<String, Integer> roleLimits, int hosts,
                                        int maxConnections, String classSetting) {
        return problems(pools, roleLimits, hosts, maxConnections, classSetting, "choose a larger class");
    }

    /** {@link #problems}, ending a class too small with {@code remedy}. */
    private static List<String> problems(List<Pool> pools, Map<String, Integer> roleLimits, int hosts,
                                         int maxConnections, String classSetting, String remedy) {
        List<String> problems = new ArrayList<>();
        Map<String, Integer> needed = roleLimits(pools, hosts);
        needed.forEach((role, need) -> {
            Integer limit = roleLimits.get(role);
            if (limit == null || limit < need) {
                problems.add("database role '" + role + "' has CONNECTION LIMIT " + limit + " but its pools need "
                        + need + " (" + hosts + " hosts x " + describe(pools, role) + ")");
            }
        });
        int sum = connectionsNeeded(pools, hosts);
        if (sum > maxConnections) {
            problems.add(classSetting + " allows about " + maxConnections + " connections (max_connections), but the "
                    + "stack needs " + sum + ": " + hosts + " hosts at once (its hosts and as many replacements) x "
                    + perHost(pools) + " = " + (sum - reservedConnections(hosts)) + ", plus RDS's " + RDS_RESERVED
                    + " reserved and " + hosts + " bootstrap sessions: " + remedy);
        }
        return problems;
    }

    /** Connections {@code hosts} hosts at once need: every pool of each, plus {@link #reservedConnections}. */
    static int connectionsNeeded(List<Pool> pools, int hosts) {
        return roleLimits(pools, hosts).values().stream().mapToInt(Integer::intValue).sum() + reservedConnections(hosts);
    }

    /** The pools of one host, as {@code Keycloak 15 + Orthanc 5 connections}. */
    private static String perHost(List<Pool> pools) {
        return pools.stream().map(p -> p.owner().replaceAll(" \\(.*", "") + " " + p.perHost())
                .collect(java.util.stream.Collectors.joining(" + ")) + " connections";
    }

    /** Sizes by memory, smallest first ({@link #nominalMemoryGiB}), for naming the smallest class that fits. */
    private static final List<String> SIZES = List.of("micro", "small", "medium", "large", "xlarge", "2xlarge",
            "4xlarge", "8xlarge");

    /**
     * The smallest class of the same family as {@code instanceClass} whose estimated
     * {@code max_connections} holds {@code needed}, such as db.t4g.small for db.t4g.micro.
     */
    static java.util.Optional<String> smallestThatHolds(String instanceClass, int needed) {
        Matcher m = CLASS.matcher(instanceClass);
        if (!m.matches()) {
            return java.util.Optional.empty();
        }
        return SIZES.stream().map(size -> "db." + m.group(1) + "." + size)
                .filter(c -> estimatedMaxConnections(c) >= needed).findFirst();
    }

    /**
     * The most hosts of one stack whose pools can be open at once: its hosts, doubled because a
     * replacement runs beside the host it replaces (Pulumi creates the new instance before it
     * deletes the old one; an instance refresh of the group launches before it terminates).
     *
     * @param hosts the stack's hosts: {@code host.instanceCount}, or {@code ha.maxHosts} in HA mode
     */
    public static int hostsAtOnce(int hosts) {
        return 2 * hosts;
    }

    /**
     * The plan-time check of a configured database class against this stack's pools: every pool
     * of the stack's hosts at once ({@link #hostsAtOnce}) plus the reserved connections must fit
     * the class's {@code max_connections}. The role limits stay those of the largest stack
     * ({@link #roleLimits()}), so adding hosts later never needs a role changed (the roles are set
     * once, when the database is provisioned); the class is checked again at every plan.
     *
     * @param instanceClass value of the setting, e.g. db.t4g.small
     * @param settingName   full name of the setting, for the message
     * @param hostsAtOnce   the stack's {@link #hostsAtOnce} (at most {@link #MAX_HOSTS_AT_ONCE})
     * @return problems, empty when the class fits
     */
    public static List<String> checkDatabaseClass(String instanceClass, String settingName, int hostsAtOnce) {
        int max;
        try {
            max = estimatedMaxConnections(instanceClass);
        } catch (IllegalArgumentException e) {
            return List.of(settingName + ": " + e.getMessage() + KNOWN_SIZES);
        }
        int hosts = Math.min(hostsAtOnce, MAX_HOSTS_AT_ONCE);
        String remedy = "choose a larger class" + smallestThatHolds(instanceClass, connectionsNeeded(POOLS, hosts))
                .map(c -> " (" + c + " holds it)").orElse("");
        return problems(POOLS, roleLimits(), hosts, max, settingName + " " + instanceClass, remedy);
    }

    private static String describe(List<Pool> pools, String role) {
        return pools.stream().filter(p -> p.role().equals(role)).map(p -> p.owner() + " " + p.perHost())
                .reduce((a, b) -> a + " + " + b).orElse("");
    }
}
