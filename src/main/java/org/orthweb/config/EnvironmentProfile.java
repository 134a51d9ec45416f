package org.orthweb.config;

/**
 * Everything that follows from the environment without a key of its own, computed once: prd and
 * stg are hardened (staging rehearses production, so it gets production's safety), dev and tst
 * are cheap and disposable. Components receive these values by name; nothing else tests
 * {@link Environment#hardened()}. The defaults of settings that differ per environment are in
 * their declarations ({@link Default#hardened()}); this record holds the rest.
 *
 * @param hardened                   prd/stg; selects the {@link Default#hardened()} column
 * @param keyDeletionWindowDays      KMS key deletion window, 7-30 (AWS's range)
 * @param secretRecoveryWindowDays   days a deleted Secrets Manager secret can be restored, 7-30
 * @param protect                    Pulumi {@code protect} on the key, buckets, secrets and database
 * @param deletionProtection         RDS deletion protection
 * @param finalSnapshot              RDS final snapshot on delete (and automated backups kept)
 * @param performanceInsights        RDS Performance Insights, encrypted with the stack's key
 * @param forceDestroy               buckets that {@code pulumi destroy} may empty
 * @param minLogRetentionDays        least {@code orthweb:logging.retentionDays} allowed (1 = any)
 * @param logBucketRetentionFloorDays least time access and flow logs stay in the log bucket
 * @param dicomFromAnywhere          whether {@code dicomClientCidrs} may contain a /0 block
 * @param applyChangesImmediately    RDS applies changes now, not in the maintenance window
 * @param recordDataEvents           a CloudTrail trail records the data bucket's object events
 * @param auditLogRetentionDays      least time the audit trail (log bucket, container logs) is kept;
 *                                   1 = no floor beyond the configured retention
 */
public record EnvironmentProfile(
        boolean hardened,
        int keyDeletionWindowDays,
        int secretRecoveryWindowDays,
        boolean protect,
        boolean deletionProtection,
        boolean finalSnapshot,
        boolean performanceInsights,
        boolean forceDestroy,
        int minLogRetentionDays,
        int logBucketRetentionFloorDays,
        boolean dicomFromAnywhere,
        boolean applyChangesImmediately,
        boolean recordDataEvents,
        int auditLogRetentionDays) {

    /**
     * Six years (2192 days, as CloudWatch Logs counts them): HIPAA keeps required documentation six
     * years (45 CFR 164.316(b)(2)(i)), and the audit trail is what shows who touched which study.
     */
    public static final int SIX_YEARS_DAYS = 2192;

    /** prd and stg: keep data, keep logs a year (CKV_AWS_338), refuse DICOM from anywhere. */
    public static final EnvironmentProfile HARDENED = new EnvironmentProfile(true, 30, 30, true, true, true, true,
            false, ConfigRules.HARDENED_MIN_RETENTION_DAYS, SIX_YEARS_DAYS, false, false, true, SIX_YEARS_DAYS);

    /** dev and tst: short windows (the reference's 10-day key window), disposable buckets. */
    public static final EnvironmentProfile DISPOSABLE = new EnvironmentProfile(false, 10, 7, false, false, false,
            false, true, 1, 30, true, true, false, 1);

    /** The profile of an environment. */
    public static EnvironmentProfile of(Environment environment) {
        return environment.hardened() ? HARDENED : DISPOSABLE;
    }

    /** The container log group (part of the audit trail) keeps logs at least as long as the audit floor. */
    public int containerLogRetentionDays(int configuredRetentionDays) {
        return Math.max(configuredRetentionDays, auditLogRetentionDays);
    }

    /** The log bucket keeps logs at least as long as the configured retention, never below the floor. */
    public int logBucketRetentionDays(int configuredRetentionDays) {
        return Math.max(configuredRetentionDays, logBucketRetentionFloorDays);
    }
}
