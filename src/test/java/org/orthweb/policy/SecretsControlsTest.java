package org.orthweb.policy;

import org.junit.jupiter.api.DisplayName;
import org.orthweb.plan.Plan;
import org.orthweb.plan.Plan.PlannedResource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.orthweb.policy.PolicyStack.num;
import static org.orthweb.policy.PolicyStack.str;

/** Secrets Manager secrets: the application secrets, the site PKI's two (the DB master's is RDS's own). */
@DisplayName("Secrets Manager")
class SecretsControlsTest {

    @ForEachStack
    @DisplayName("CKV_AWS_149: secrets encrypted with the CMK, recovery window >= 7 days (30 when hardened), value generated")
    void CKV_AWS_149_secrets(String stack) {
        var s = PolicyStack.of(stack);
        List<PlannedResource> secrets = s.ofType(Types.SECRET);
        // the DB master credential is RDS's own secret (RdsControlsTest RDS.25), not one of ours
        assertThat(secrets).as("application, site TLS and DICOM peer secrets").hasSize(3);
        for (PlannedResource secret : secrets) {
            assertThat(secret.inputs().get("kmsKeyId")).as("%s key", secret.name()).isEqualTo(s.keyArn());
            long window = num(secret.inputs().get("recoveryWindowInDays"));
            assertThat(window).as("%s recovery window", secret.name()).isBetween(7L, 30L);
            if (s.hardened()) {
                assertThat(window).isEqualTo(30L);
                assertThat(s.protect(secret.name())).as("%s protected", secret.name()).isTrue();
            }
            // exactly one value, generated in the program (masked as a secret in the plan)
            List<PlannedResource> versions = s.where(Types.SECRET_VERSION, "secretId", s.id(secret.name()));
            assertThat(versions).as("versions of %s", secret.name()).hasSize(1);
            assertThat(versions.get(0).inputs().get("secretString")).isEqualTo(Plan.SECRET);
            assertThat(versions.get(0).inputs()).doesNotContainKey("secretBinary");
            // generated: random passwords or tls keys live under the same component
            List<PlannedResource> generators = new java.util.ArrayList<>(s.ofType(Types.RANDOM_PASSWORD));
            generators.addAll(s.ofType(Types.TLS_PRIVATE_KEY));
            assertThat(generators).as("generators beside %s", secret.name())
                    .anyMatch(p -> p.parent() != null && p.parent().equals(secret.parent()));
        }
        // the generated values are long enough
        s.ofType(Types.RANDOM_PASSWORD).forEach(p -> assertThat(num(p.inputs().get("length"))).isGreaterThanOrEqualTo(16L));
        // secret ARNs (not values) reach the hosts
        assertThat(s.plan().outputs().get("dbSecretArn")).isEqualTo(IamControlsTest.masterSecretArn(s));
    }

    @ForEachStack
    @DisplayName("CKV2_AWS_57, SecretsManager.1: rotation (database credentials: RDS-managed master, IAM tokens for the applications; the rest: EX-05)")
    void CKV2_AWS_57_SecretsManager_1_rotation(String stack) {
        var s = PolicyStack.of(stack);
        // the database credentials need no exception: RDS rotates the master's (managed secret),
        // and the application roles have no password to rotate (IAM tokens, rds-db:connect)
        assertThat(s.single(Types.DB_INSTANCE).inputs()).containsEntry("manageMasterUserPassword", true);
        assertThat(s.ofType(Types.SECRET)).noneMatch(x -> str(x, "name").endsWith("/db-master"));
        for (PlannedResource secret : s.ofType(Types.SECRET)) {
            boolean rotated = !s.where(Types.SECRET_ROTATION, "secretId", s.id(secret.name())).isEmpty();
            if (!rotated) {
                assertThat(PolicyExceptions.covers("CKV2_AWS_57", s, secret.name()))
                        .as("%s is not rotated and no exception covers it", secret.name()).isTrue();
            }
        }
    }
}
