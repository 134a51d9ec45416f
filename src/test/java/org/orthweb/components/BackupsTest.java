package org.orthweb.components;

import com.pulumi.test.Mocks;
import com.pulumi.test.PulumiTest;
import com.pulumi.test.TestOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.orthweb.OrthwebProgram;
import org.orthweb.config.StackConfig;
import org.orthweb.plan.PlanMocks;
import org.orthweb.support.TestStacks;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

class BackupsTest {

    private static final String COPY = """
              orthweb:network:
                dicomClientCidrs: [203.0.113.0/24]
              orthweb:alerts:
                emails: [ops@example.org]
              orthweb:backup:
                retentionDays: 90
                dataBucket: false
                copyRegion: eu-west-1
            """;

    @AfterEach
    void cleanup() {
        PulumiTest.cleanup();
    }

    /**
     * A copy region gets a vault and a key of its own, both created through a provider for that
     * region that carries the stack tags; the plan's rule copies there with the same retention.
     */
    @Test
    void copiesGoToAVaultWithItsOwnKeyInTheSecondRegion() {
        StackConfig cfg = TestStacks.config("ops", TestStacks.yaml("prd", COPY));
        PlanMocks plan = new PlanMocks(cfg.region(), cfg.stack());
        Map<String, String> providerOf = new ConcurrentHashMap<>();
        Map<String, Map<String, Object>> inputs = new ConcurrentHashMap<>();
        Mocks recording = new Mocks() {
            @Override
            public CompletableFuture<ResourceResult> newResourceAsync(ResourceArgs args) {
                providerOf.put(args.name, String.valueOf(args.provider));
                inputs.put(args.name, args.inputs);
                return plan.newResourceAsync(args);
            }

            @Override
            public CompletableFuture<Map<String, Object>> callAsync(CallArgs args) {
                return plan.callAsync(args);
            }
        };
        var result = PulumiTest.withMocks(recording)
                .withOptions(TestOptions.builder().projectName(OrthwebProgram.PROJECT).stackName(cfg.stack())
                        .preview(false).build())
                .runTest(ctx -> OrthwebProgram.define(ctx, cfg));
        assertThat(result.exceptions()).isEmpty();

        assertThat(inputs.get("aws-backup-copy")).containsEntry("region", "eu-west-1");
        assertThat(String.valueOf(inputs.get("aws-backup-copy").get("defaultTags"))).contains("\"Stack\":\"ops\"")
                .contains("\"Environment\":\"prd\"");
        for (String copy : List.of("backup-copy-key", "backup-copy-vault")) {
            assertThat(providerOf.get(copy)).as(copy).contains("pulumi:providers:aws::aws-backup-copy::");
        }
        assertThat(providerOf.get("backup-vault")).contains("pulumi:providers:aws::aws::");
        assertThat(inputs.get("backup-copy-key")).containsEntry("enableKeyRotation", true);
        assertThat(String.valueOf(inputs.get("backup-copy-vault").get("kmsKeyArn"))).contains(":key/");
        assertThat(inputs.get("backup-copy-vault").get("kmsKeyArn"))
                .isNotEqualTo(inputs.get("backup-vault").get("kmsKeyArn"));

        Map<?, ?> rule = (Map<?, ?>) ((List<?>) inputs.get("backup-plan").get("rules")).get(0);
        Map<?, ?> copyAction = (Map<?, ?>) ((List<?>) rule.get("copyActions")).get(0);
        assertThat(String.valueOf(copyAction.get("destinationVaultArn"))).contains("backup");
        assertThat(((Number) ((Map<?, ?>) copyAction.get("lifecycle")).get("deleteAfter")).intValue()).isEqualTo(90);
        // dataBucket: false selects the database alone
        assertThat((List<?>) inputs.get("backup-selection").get("resources")).hasSize(1)
                .allMatch(a -> String.valueOf(a).contains(":rds:"));
    }

    @Test
    void devStacksHaveNoBackupUnlessAskedAndTheDataBucketIsSelectedByDefault() {
        assertThat(TestStacks.shipped("dev").ofType("aws:backup/vault:Vault")).isEmpty();
        var plan = TestStacks.plan("trial", TestStacks.yaml("dev", "  orthweb:backup:\n    enabled: true\n"));
        var selection = plan.named("backup-selection");
        assertThat((List<?>) selection.get("resources")).hasSize(2)
                .anyMatch(a -> String.valueOf(a).startsWith("arn:aws:s3:::"));
        assertThat(plan.named("backup-vault").get("forceDestroy")).as("dev vaults may be destroyed").isEqualTo(true);
    }
}
