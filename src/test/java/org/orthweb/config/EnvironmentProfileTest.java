package org.orthweb.config;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What follows from the environment without a key, stated once (README, "What follows from the environment"). */
class EnvironmentProfileTest {

    @Test
    void prdAndStgAreHardened() {
        for (Environment env : new Environment[]{Environment.PRD, Environment.STG}) {
            EnvironmentProfile p = EnvironmentProfile.of(env);
            assertThat(p.hardened()).isTrue();
            assertThat(p.keyDeletionWindowDays()).isEqualTo(30);
            assertThat(p.secretRecoveryWindowDays()).isEqualTo(30);
            assertThat(p.protect()).isTrue();
            assertThat(p.deletionProtection()).isTrue();
            assertThat(p.finalSnapshot()).isTrue();
            assertThat(p.performanceInsights()).isTrue();
            assertThat(p.forceDestroy()).isFalse();
            assertThat(p.applyChangesImmediately()).isFalse();
            assertThat(p.minLogRetentionDays()).isEqualTo(365);
            assertThat(p.dicomFromAnywhere()).isFalse();
            // the log bucket and container logs hold the audit trail: six years (HIPAA 164.316(b)(2))
            assertThat(p.logBucketRetentionDays(90)).isEqualTo(2192);
            assertThat(p.logBucketRetentionDays(3653)).isEqualTo(3653);
            assertThat(p.containerLogRetentionDays(365)).isEqualTo(2192);
            assertThat(p.recordDataEvents()).isTrue();
        }
    }

    @Test
    void devAndTstAreDisposable() {
        for (Environment env : new Environment[]{Environment.DEV, Environment.TST}) {
            EnvironmentProfile p = EnvironmentProfile.of(env);
            assertThat(p.hardened()).isFalse();
            assertThat(p.keyDeletionWindowDays()).isEqualTo(10);
            assertThat(p.secretRecoveryWindowDays()).isEqualTo(7);
            assertThat(p.protect()).isFalse();
            assertThat(p.deletionProtection()).isFalse();
            assertThat(p.finalSnapshot()).isFalse();
            assertThat(p.performanceInsights()).isFalse();
            assertThat(p.forceDestroy()).isTrue();
            assertThat(p.applyChangesImmediately()).isTrue();
            assertThat(p.minLogRetentionDays()).isEqualTo(1);
            assertThat(p.dicomFromAnywhere()).isTrue();
            assertThat(p.logBucketRetentionDays(7)).isEqualTo(30);
            assertThat(p.containerLogRetentionDays(7)).isEqualTo(7);
            assertThat(p.recordDataEvents()).isFalse();
        }
    }
}
