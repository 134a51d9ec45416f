package org.orthweb.components;

import com.pulumi.core.Output;
import org.orthweb.cloudinit.ConnectionBudget;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The stack's alarms, declared as {@link AlarmSpec}s by plain functions (tested directly). The
 * thresholds follow the common RDS alarm set (CPU above 80 %, free storage below 10 %;
 * cloudposse/terraform-aws-rds-cloudwatch-sns-alarms README) and EC2's status checks (EC2 guide,
 * "Status checks for your instances"); in high-availability mode the balancer's unhealthy-target
 * count (Elastic Load Balancing guide for Network Load Balancers, "CloudWatch metrics for your
 * Network Load Balancer": {@code UnHealthyHostCount} in {@code AWS/NetworkELB}, dimensions
 * {@code LoadBalancer} and {@code TargetGroup}).
 */
public final class Alarms {

    /**
     * Sum of the CONNECTION LIMITs of the application's database roles, as db-setup.sql renders
     * them from the connection budget ({@link ConnectionBudget#roleLimits()}).
     */
    public static int appRoleConnectionLimits() {
        return ConnectionBudget.roleLimits().values().stream().mapToInt(Integer::intValue).sum();
    }
    /**
     * What the application's roles can open on this database: their CONNECTION LIMITs, or, on a class
     * whose estimated {@code max_connections} less RDS's reserved ones is smaller (a small class for a
     * one-host stack, ConnectionBudget#checkDatabaseClass), that.
     *
     * @param instanceClass the RDS class, such as db.t4g.micro
     */
    public static int connectionCapacity(String instanceClass) {
        return Math.min(appRoleConnectionLimits(),
                ConnectionBudget.estimatedMaxConnections(instanceClass) - ConnectionBudget.RDS_RESERVED);
    }

    /** The connections alarm fires at this share of the role limits: pools are near exhaustion. */
    static final double CONNECTIONS_ALARM_SHARE = 0.8;
    static final double CPU_PERCENT = 80;
    static final double FREE_STORAGE_SHARE = 0.10;
    private static final double GIB = 1024.0 * 1024 * 1024;

    private Alarms() {
    }

    /**
     * Two alarms per host: the system check (AWS's hardware or network; the recover action moves
     * the instance to healthy hardware, keeping its id, addresses and volumes) and the instance
     * check (the guest: kernel, memory, network configuration; needs a person).
     *
     * @param host       host number from 1 (for names)
     * @param instanceId the instance
     * @param recoverArn {@code arn:<partition>:automate:<region>:ec2:recover}
     */
    public static List<AlarmSpec> host(int host, Output<String> instanceId, Output<String> recoverArn) {
        var dims = Map.of("InstanceId", instanceId);
        return List.of(
                new AlarmSpec("host-" + host + "-system-check",
                        "Host " + host + " fails its EC2 system status check (AWS hardware, power or network). "
                                + "EC2 is recovering it onto other hardware (same id, addresses and disks); the site "
                                + "returns in minutes. If the alarm stays on for 15 minutes, stop and start the "
                                + "instance from the console, then check the site.",
                        "AWS/EC2", "StatusCheckFailed_System", dims, "Maximum", "GreaterThanOrEqualToThreshold",
                        1, 60, 2, "missing", List.of(recoverArn)),
                new AlarmSpec("host-" + host + "-instance-check",
                        "Host " + host + " fails its EC2 instance status check (the operating system: boot, "
                                + "memory, disk or network configuration). Open the instance's system log or an "
                                + "SSM session (output ssmSessionCommands), look at cloud-init and Docker; reboot "
                                + "it if it does not answer.",
                        "AWS/EC2", "StatusCheckFailed_Instance", dims, "Maximum", "GreaterThanOrEqualToThreshold",
                        1, 60, 3, "missing", List.of()));
    }

    /**
     * High-availability mode: one alarm per target group when a host behind the balancer has
     * failed its health check for longer than a new host's boot may take. A booting host is
     * registered (and checked) before its bootstrap ends, so a shorter window would fire on every
     * rolling replacement; the group itself replaces a host that still fails after the grace.
     *
     * @param balancerArnSuffix    the balancer's ARN from {@code net/} (dimension LoadBalancer)
     * @param targetGroupArnSuffixes port to the target group's ARN from {@code targetgroup/}
     * @param graceSeconds         the group's health check grace period, in seconds
     */
    public static List<AlarmSpec> balancer(Output<String> balancerArnSuffix,
                                           Map<Integer, Output<String>> targetGroupArnSuffixes, int graceSeconds) {
        int periods = unhealthyEvaluationPeriods(graceSeconds);
        List<AlarmSpec> alarms = new ArrayList<>();
        new java.util.TreeMap<>(targetGroupArnSuffixes).forEach((port, group) -> alarms.add(new AlarmSpec(
                "lb-unhealthy-hosts-" + port,
                "A host behind the site's load balancer (port " + port + ") has failed its health check for "
                        + periods + " minutes: its nginx answers " + org.orthweb.cloudinit.Layout.HEALTH_PATH
                        + " with 200 only while its Orthanc answers, so it takes no traffic now. The auto-scaling "
                        + "group replaces hosts that fail after their boot grace; if this alarm stays on, list the "
                        + "hosts (output hostListCommand), open an SSM session on the unhealthy one and look at "
                        + "cloud-init's log and the Orthanc container (docker compose ps, docker compose logs orthanc in /etc/orthweb). If every "
                        + "host is unhealthy the site is down: check the database first.",
                "AWS/NetworkELB", "UnHealthyHostCount", Map.of("LoadBalancer", balancerArnSuffix, "TargetGroup", group),
                "Maximum", "GreaterThanOrEqualToThreshold", 1, 60, periods, "notBreaching", List.of())));
        return List.copyOf(alarms);
    }

    /** One-minute periods covering the grace period and five minutes more. */
    static int unhealthyEvaluationPeriods(int graceSeconds) {
        return (graceSeconds + 59) / 60 + 5;
    }

    /**
     * CPU, free storage and connections of the database.
     *
     * @param identifier        the DB instance identifier
     * @param allocatedGiB      allocated storage (the free-storage threshold is a share of it)
     * @param instanceClass     the RDS class (the connections threshold, {@link #connectionCapacity})
     */
    public static List<AlarmSpec> database(Output<String> identifier, int allocatedGiB, String instanceClass) {
        var dims = Map.of("DBInstanceIdentifier", identifier);
        int limits = connectionCapacity(instanceClass);
        double connections = Math.floor(limits * CONNECTIONS_ALARM_SHARE);
        List<AlarmSpec> alarms = new ArrayList<>();
        alarms.add(new AlarmSpec("db-cpu",
                "The database's CPU has been above " + (int) CPU_PERCENT + "% for 15 minutes. Look at Performance "
                        + "Insights or the slow-statement log for the cause (a large import, a find on many "
                        + "studies); if it is the normal load, choose a larger orthweb:database.instanceClass.",
                "AWS/RDS", "CPUUtilization", dims, "Average", "GreaterThanThreshold", CPU_PERCENT, 300, 3,
                "missing", List.of()));
        alarms.add(new AlarmSpec("db-free-storage",
                "The database has less than " + (int) (FREE_STORAGE_SHARE * 100) + "% of its " + allocatedGiB
                        + " GiB free. When it is full, Orthanc can no longer store. Raise "
                        + "orthweb:database.allocatedStorageGiB and run pulumi up (gp3 grows online).",
                "AWS/RDS", "FreeStorageSpace", dims, "Minimum", "LessThanThreshold",
                Math.floor(allocatedGiB * FREE_STORAGE_SHARE * GIB), 300, 1, "missing", List.of()));
        alarms.add(new AlarmSpec("db-connections",
                "The database holds more than " + (int) connections + " connections, near the " + limits
                        + (limits < appRoleConnectionLimits()
                        ? " that " + instanceClass + " leaves its application roles (max_connections less RDS's reserved). "
                        : " its application roles may open (CONNECTION LIMIT of orthanc and keycloak). ")
                        + "New Orthanc or Keycloak connections will soon be refused. Look for hosts left over from "
                        + "a replacement or a client that does not close its connections (pg_stat_activity); "
                        + "restart the containers of the host that holds most.",
                "AWS/RDS", "DatabaseConnections", dims, "Maximum", "GreaterThanThreshold", connections, 300, 2,
                "missing", List.of()));
        return List.copyOf(alarms);
    }
}
