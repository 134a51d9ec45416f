package org.orthweb.components;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.orthweb.plan.Plan;
import org.orthweb.support.TestStacks;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EncryptionKeyTest {

    @Test
    void keyPolicyGrantsTheAccountAndThreeLogServicesForThisAccountOnly() {
        JsonNode policy = TestStacks.json(EncryptionKey.keyPolicy("aws", "111122223333", "eu-west-3", null));
        List<String> principals = new ArrayList<>();
        for (JsonNode st : policy.get("Statement")) {
            JsonNode p = st.get("Principal");
            assertThat(p.isTextual()).as("no wildcard principal").isFalse();
            if (p.has("AWS")) {
                assertThat(p.get("AWS").asText()).isEqualTo("arn:aws:iam::111122223333:root");
            } else {
                principals.add(p.get("Service").asText());
                assertThat(st.at("/Condition/StringEquals/aws:SourceAccount").asText()).isEqualTo("111122223333");
            }
        }
        assertThat(principals).containsExactlyInAnyOrder("logs.eu-west-3.amazonaws.com",
                "delivery.logs.amazonaws.com", "logging.s3.amazonaws.com");
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
