package org.orthweb.components;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.orthweb.plan.Plan;
import org.orthweb.support.TestStacks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class EncryptionKeyTest {

    /**
     * Pins each service statement's conditions, key by key, to what that service documents for
     * KMS key policies (sources in EncryptionKey.keyPolicy): CloudWatch Logs documents only the
     * encryption context, so aws:SourceAccount there would deny log group creation.
     */
    @Test
    void eachServiceStatementUsesOnlyTheConditionKeysItsServiceDocuments() {
        JsonNode policy = TestStacks.json(EncryptionKey.keyPolicy("aws", "111122223333", "eu-west-3", "calm-otter", null));
        Map<String, String> conditions = new TreeMap<>();
        for (JsonNode st : policy.get("Statement")) {
            JsonNode p = st.get("Principal");
            assertThat(p.isTextual()).as("no wildcard principal").isFalse();
            if (p.has("AWS")) {
                assertThat(p.get("AWS").asText()).isEqualTo("arn:aws:iam::111122223333:root");
                assertThat(st.has("Condition")).isFalse();
                continue;
            }
            String service = p.get("Service").asText();
            st.get("Condition").fields().forEachRemaining(op -> op.getValue().fields().forEachRemaining(k ->
                    conditions.put(service + " " + op.getKey() + " " + k.getKey(), k.getValue().asText())));
        }
        assertThat(conditions).containsExactlyEntriesOf(new TreeMap<>(Map.of(
                "logs.eu-west-3.amazonaws.com ArnLike kms:EncryptionContext:aws:logs:arn",
                "arn:aws:logs:eu-west-3:111122223333:*",
                "delivery.logs.amazonaws.com StringEquals aws:SourceAccount", "111122223333",
                "delivery.logs.amazonaws.com ArnLike aws:SourceArn", "arn:aws:logs:eu-west-3:111122223333:*",
                "logging.s3.amazonaws.com ArnLike kms:EncryptionContext:aws:s3:arn", "arn:aws:s3:::calm-otter-*",
                "cloudwatch.amazonaws.com StringEquals aws:SourceAccount", "111122223333",
                "cloudwatch.amazonaws.com ArnLike aws:SourceArn",
                "arn:aws:cloudwatch:eu-west-3:111122223333:alarm:calm-otter-alarm-*")));
    }

    @Test
    void devKeyRotatesWithTenDayWindowAndProdWithThirty() {
        var dev = TestStacks.shipped("dev").named("encryption-key");
        var prod = TestStacks.shipped("prod").named("encryption-key");
        assertThat(dev.inputs()).containsEntry("enableKeyRotation", true).containsEntry("deletionWindowInDays", 10L);
        assertThat(prod.inputs()).containsEntry("enableKeyRotation", true).containsEntry("deletionWindowInDays", 30L);
        assertThat(dev.parent()).isEqualTo("encryption");
    }

    @Test
    void aliasPointsAtTheKey() {
        Plan plan = TestStacks.shipped("dev");
        var key = plan.named("encryption-key");
        var alias = plan.named("encryption-alias");
        assertThat(alias.inputs().get("targetKeyId")).isEqualTo(key.get("keyId"));
        assertThat(String.valueOf(alias.inputs().get("name"))).startsWith("alias/").endsWith("-orthweb");
    }
}
