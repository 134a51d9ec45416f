package org.orthweb.policy;

import org.junit.jupiter.api.DisplayName;
import org.orthweb.config.ConfigRules;
import org.orthweb.plan.Plan.PlannedResource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.orthweb.policy.PolicyStack.num;
import static org.orthweb.policy.PolicyStack.str;

/** CloudWatch log groups: RDS exports and container logs. */
@DisplayName("CloudWatch logs")
class LogGroupControlsTest {

    @ForEachStack
    @DisplayName("CKV_AWS_158: every log group encrypted with the CMK")
    void CKV_AWS_158_encrypted(String stack) {
        var s = PolicyStack.of(stack);
        assertThat(s.ofType(Types.LOG_GROUP)).isNotEmpty();
        for (PlannedResource group : s.ofType(Types.LOG_GROUP)) {
            assertThat(group.inputs().get("kmsKeyId")).as("%s", str(group, "name")).isEqualTo(s.keyArn());
        }
    }

    @ForEachStack
    @DisplayName("CKV_AWS_66, CKV_AWS_338: retention set on every log group; >= 365 days when hardened")
    void CKV_AWS_66_CKV_AWS_338_retention(String stack) {
        var s = PolicyStack.of(stack);
        for (PlannedResource group : s.ofType(Types.LOG_GROUP)) {
            assertThat(group.inputs().get("retentionInDays")).as("%s retention", str(group, "name")).isNotNull();
            long days = num(group.inputs().get("retentionInDays"));
            assertThat(ConfigRules.LOG_RETENTION_DAYS).as("CloudWatch accepts only a fixed set").contains((int) days);
            if (s.hardened()) {
                assertThat(days).as("%s retention", str(group, "name"))
                        .isGreaterThanOrEqualTo(ConfigRules.HARDENED_MIN_RETENTION_DAYS);
            }
        }
    }

    @ForEachStack
    @DisplayName("custom: container log group exists exactly when container logs are enabled")
    void custom_containerLogGroup(String stack) {
        var s = PolicyStack.of(stack);
        Object exported = s.plan().outputs().get("containerLogGroup");
        boolean present = s.ofType(Types.LOG_GROUP).stream().anyMatch(g -> str(g, "name").equals(exported));
        assertThat(present).isEqualTo(s.config().logging().containerLogs());
    }
}
