package org.orthweb.cloudinit;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * How every database client of a host (Orthanc's PostgreSQL index through libpq, Keycloak through
 * pgjdbc, the bootstrap's psql) notices a database that has gone silent, as the old primary does in
 * an RDS Multi-AZ failover: its connections are not closed, their packets just stop. Without these
 * settings a request in flight waits for TCP's retransmissions to give up (Linux
 * {@code tcp_retries2}=15: about 15 minutes; Orthanc hung 938 s in issue 14's run), and an idle
 * pooled connection is only found dead when used. One place for the numbers; the templates render
 * them.
 *
 * <p>Sizing: RDS says a Multi-AZ failover typically completes in 60-120 seconds, during which the
 * endpoint's DNS name moves to the standby (RDS User Guide, "Failing over a Multi-AZ DB instance for
 * Amazon RDS": "Failover times are typically 60-120 seconds").
 * The clients should not wait that out on a dead connection: they give it up well within it (about
 * 30 s) and open a new one, whose attempts are each bounded (10 s) until the name points at the new
 * primary; Orthanc answers 503 meanwhile instead of hanging, and serves again on the first request
 * after the database is back. Long statements are not cut off by libpq's settings: keepalive probes
 * are answered by the server's kernel however long a query runs, and {@code tcp_user_timeout} only
 * counts time with data sent and not acknowledged.
 *
 * <p>Sources: PostgreSQL documentation, libpq "Connection Strings / Parameter Key Words"
 * ({@code connect_timeout}, {@code keepalives*}, {@code tcp_user_timeout}, PostgreSQL 12 and later);
 * pgjdbc documentation "Connection Properties" ({@code connectTimeout}, {@code loginTimeout},
 * {@code socketTimeout}: seconds; {@code tcpKeepAlive}); Linux tcp(7) ({@code TCP_USER_TIMEOUT},
 * {@code tcp_keepalive_*}, per network namespace).
 */
public final class DatabaseClientTimeouts {

    /** Seconds one connection attempt (TCP, then TLS and authentication for libpq) may take. */
    public static final int CONNECT_TIMEOUT_SECONDS = 10;
    /** Seconds a connection may stay idle before the kernel sends the first keepalive probe. */
    public static final int KEEPALIVE_IDLE_SECONDS = 10;
    /** Seconds between unanswered keepalive probes. */
    public static final int KEEPALIVE_INTERVAL_SECONDS = 5;
    /** Unanswered probes after which the kernel declares the connection dead. */
    public static final int KEEPALIVE_COUNT = 3;
    /**
     * Milliseconds sent data may stay unacknowledged before the kernel drops the connection
     * (libpq {@code tcp_user_timeout}): bounds a request sent into a silent path.
     */
    public static final int TCP_USER_TIMEOUT_MS = 30_000;
    /**
     * pgjdbc has no {@code tcp_user_timeout}: its read timeout bounds how long a statement's answer
     * may take instead. Keycloak's statements take milliseconds; 60 s leaves room for slow ones
     * (schema migrations on a large event table at an upgrade are the longest) while still giving
     * up inside an RDS failover window.
     */
    public static final int JDBC_SOCKET_TIMEOUT_SECONDS = 60;
    /**
     * Keycloak's container: how many times the kernel retransmits unacknowledged data before it
     * drops the connection ({@code net.ipv4.tcp_retries2}, per network namespace). pgjdbc has no
     * {@code tcp_user_timeout} and its {@code socketTimeout} is left out (see {@link #jdbc}); this is
     * the same bound at the kernel's level: only time with data sent and unacknowledged counts, so a
     * long statement on a live database is never cut off. The kernel turns the count into a time
     * as if each retransmission doubled from 200 ms (TCP_RTO_MIN): {@code 0.2 s x (2^(n+1) - 1)},
     * 25.4 s for 6, like libpq's 30 s above (tcp(7), tcp_retries2: "The default value of 15
     * yields a hypothetical timeout of 924.6 seconds"; Linux net/ipv4/tcp_timer.c, tcp_model_timeout).
     */
    public static final int KEYCLOAK_TCP_RETRIES2 = 6;

    /** Seconds after which the kernel gives up sent data Keycloak's database never acknowledged: 25.4. */
    public static double keycloakUnacknowledgedBoundSeconds() {
        return 0.2 * ((2L << KEYCLOAK_TCP_RETRIES2) - 1);
    }

    /** pgjdbc: seconds for the whole connection set-up (TCP, TLS, authentication). */
    public static final int JDBC_LOGIN_TIMEOUT_SECONDS = 20;

    private DatabaseClientTimeouts() {
    }

    /** Seconds after which an idle connection to a silent database is known dead: 10 + 3 x 5 = 25. */
    public static int idleDeadAfterSeconds() {
        return KEEPALIVE_IDLE_SECONDS + KEEPALIVE_COUNT * KEEPALIVE_INTERVAL_SECONDS;
    }

    /** libpq connection parameters (keyword to value), in the order they are rendered. */
    public static Map<String, String> libpq() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("connect_timeout", Integer.toString(CONNECT_TIMEOUT_SECONDS));
        p.put("keepalives", "1");
        p.put("keepalives_idle", Integer.toString(KEEPALIVE_IDLE_SECONDS));
        p.put("keepalives_interval", Integer.toString(KEEPALIVE_INTERVAL_SECONDS));
        p.put("keepalives_count", Integer.toString(KEEPALIVE_COUNT));
        p.put("tcp_user_timeout", Integer.toString(TCP_USER_TIMEOUT_MS));
        return p;
    }

    /** The libpq parameters as a URI query part ({@code a=1&b=2}), for Orthanc's ConnectionUri. */
    public static String libpqUriQuery() {
        return join(libpq(), "&");
    }

    /** The libpq parameters as a key/value connection string ({@code a=1 b=2}), for psql. */
    public static String libpqConninfo() {
        return join(libpq(), " ");
    }

    /** pgjdbc connection properties (name to value), for Keycloak's JDBC URL. */
    public static Map<String, String> jdbc() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("connectTimeout", Integer.toString(CONNECT_TIMEOUT_SECONDS));
        // not loginTimeout=20 and socketTimeout=60: with them, a burst of 400 admin reads got
        // 78 and 92 answers 400 "Cannot parse the JSON" (4 without them on main, 0 on this branch
        // without them; KeycloakRealmConformanceTest); JDBC_* below stay for a later measurement
        p.put("tcpKeepAlive", "true");
        return p;
    }

    /** The pgjdbc properties as a URL query part. */
    public static String jdbcQuery() {
        return join(jdbc(), "&");
    }

    /**
     * Keycloak's container's kernel settings (per network namespace, so they apply to it only).
     * pgjdbc's {@code tcpKeepAlive} only switches keepalives on; their timing is the kernel's (2
     * hours by default): these give it libpq's timing. And a request sent into a silent database
     * is given up after {@link #keycloakUnacknowledgedBoundSeconds} ({@link #KEYCLOAK_TCP_RETRIES2})
     * instead of the kernel's default of about 15 minutes.
     */
    public static Map<String, String> keycloakSysctls() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("net.ipv4.tcp_keepalive_time", Integer.toString(KEEPALIVE_IDLE_SECONDS));
        s.put("net.ipv4.tcp_keepalive_intvl", Integer.toString(KEEPALIVE_INTERVAL_SECONDS));
        s.put("net.ipv4.tcp_keepalive_probes", Integer.toString(KEEPALIVE_COUNT));
        s.put("net.ipv4.tcp_retries2", Integer.toString(KEYCLOAK_TCP_RETRIES2));
        return s;
    }

    private static String join(Map<String, String> values, String separator) {
        return values.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(separator));
    }
}
