package org.orthweb.config;

import java.util.List;
import java.util.Set;

/** Allowed values and ranges of the stack configuration: one place for each. */
public final class ConfigRules {

    /** Retention periods CloudWatch Logs accepts, in days. */
    public static final List<Integer> LOG_RETENTION_DAYS = List.of(
            1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557,
            2922, 3288, 3653);

    /** Minimum log retention in hardened environments (CKV_AWS_338). */
    public static final int HARDENED_MIN_RETENTION_DAYS = 365;

    /**
     * Services that may get an interface endpoint in the private subnets. The reference offers
     * kms+secretsmanager and the SSM set; logs and sts are useful for private workloads too.
     */
    public static final Set<String> INTERFACE_ENDPOINT_SERVICES = Set.of(
            "kms", "secretsmanager", "ec2", "ssm", "ec2messages", "ssmmessages", "logs", "sts");

    public static final int MIN_AZ = 1;
    public static final int MAX_AZ = 3;
    public static final int MIN_BACKUP_DAYS = 7;
    public static final int MAX_BACKUP_DAYS = 35;
    /** gp3 on RDS starts at 20 GiB; 65536 is RDS's maximum. */
    public static final int MIN_DB_STORAGE_GIB = 20;
    public static final int MAX_DB_STORAGE_GIB = 65536;
    /** Amazon Linux 2023's image needs 8 GiB; Docker images and certificates need more. */
    public static final int MIN_ROOT_VOLUME_GIB = 20;
    public static final int MAX_ROOT_VOLUME_GIB = 16384;
    public static final int MAX_INSTANCES_PER_AZ = 1;
    /**
     * Most hosts of an auto-scaling group: as many as single-host mode allows. The database roles'
     * connection limits cover twice that (ConnectionBudget.MAX_HOSTS_AT_ONCE), which is exactly
     * what an instance refresh at its maximum healthy percentage (200) runs at once; more hosts
     * would have their pools refused by PostgreSQL during a refresh.
     */
    public static final int MAX_HA_HOSTS = MAX_AZ * MAX_INSTANCES_PER_AZ;
    /**
     * The grace period must cover a first boot (packages, image pulls, Orthanc start): under 5
     * minutes hosts would be replaced before they could ever be healthy; one hour is the most a
     * failed boot should keep a broken host in the group.
     */
    public static final int MIN_HA_GRACE_SECONDS = 300;
    public static final int MAX_HA_GRACE_SECONDS = 3600;

    /**
     * AWS Backup retention: at least 35 days (the longest RDS keeps automated backups, so a
     * recovery point outlives them); at most ten years (HIPAA asks for six).
     */
    public static final int MIN_AWS_BACKUP_DAYS = 35;
    public static final int MAX_AWS_BACKUP_DAYS = 3650;
    /** A sanity bound on the budget, not an AWS limit: catches a limit typed in cents. */
    public static final int MAX_BUDGET_USD = 1_000_000;
    /** orthanc.stableAgeSeconds: up to a day (a study quiet for longer is long complete). */
    public static final int MAX_STABLE_AGE_SECONDS = 86_400;
    /** Budget notification thresholds are percentages; AWS accepts more than 100 (overrun alerts). */
    public static final int MAX_BUDGET_PERCENT = 1000;

    /** Only PostgreSQL majors whose parameter names we set are accepted. */
    public static final Set<String> DB_ENGINE_MAJORS = Set.of("16", "17");

    private ConfigRules() {
    }
}
