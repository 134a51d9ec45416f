package org.orthweb.components;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.orthweb.plan.Plan;
import org.orthweb.support.TestStacks;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.orthweb.support.TestStacks.map;

class DicomStorageTest {

    private final Plan dev = TestStacks.shipped("dev");
    private final Plan prod = TestStacks.shipped("prod");

    @Test
    void dataBucketIsNamedFromThePrefixAndForceDestroyOnlyOutsideProd() {
        String pet = String.valueOf(dev.named("name-prefix").id());
        assertThat(dev.named("storage-data").inputs()).containsEntry("bucket", pet + "-orthbucket")
                .containsEntry("forceDestroy", true);
        assertThat(prod.named("storage-data").inputs()).containsEntry("forceDestroy", false);
    }

    @Test
    void bothBucketsEncryptWithTheStackKeyAndBucketKeys() {
        Object keyArn = dev.named("encryption-key").get("arn");
        for (String bucket : List.of("storage-data", "storage-logs")) {
            var sse = dev.named(bucket + "-encryption");
            assertThat(sse.parent()).isEqualTo(bucket);
            var rule = map(((List<?>) sse.inputs().get("rules")).get(0));
            assertThat(rule).containsEntry("bucketKeyEnabled", true);
            assertThat(map(rule.get("applyServerSideEncryptionByDefault")))
                    .containsEntry("sseAlgorithm", "aws:kms").containsEntry("kmsMasterKeyId", keyArn);
        }
    }

    @Test
    void dataBucketAccessLogsGoToTheLogBucketUnderItsPrefix() {
        var logging = dev.named("storage-data-access-logs");
        assertThat(logging.inputs()).containsEntry("bucket", dev.named("storage-data").id())
                .containsEntry("targetBucket", dev.named("storage-logs").id())
                .containsEntry("targetPrefix", "accesslog/orthbucket/");
    }

    @Test
    void lifecycleAbortsUploadsExpiresOldVersionsAndLogs() {
        var data = (List<?>) dev.named("storage-data-lifecycle").inputs().get("rules");
        assertThat(data).extracting(r -> map(r).get("id"))
                .containsExactly("abort-incomplete-multipart-uploads", "expire-noncurrent-versions");
        var logs = (List<?>) prod.named("storage-logs-lifecycle").inputs().get("rules");
        Map<String, Object> expire = map(logs.stream().filter(r -> "expire-logs".equals(map(r).get("id"))).findFirst().orElseThrow());
        assertThat((Long) map(expire.get("expiration")).get("days")).isGreaterThanOrEqualTo(365L);
    }

    @Test
    void logBucketPolicyAdmitsOnlyOurAccessLogsAndFlowLogs() {
        JsonNode policy = TestStacks.json(DicomStorage.logBucketPolicy("arn:aws:s3:::logs", "arn:aws:s3:::data", "111122223333", null));
        int allows = 0;
        for (JsonNode st : policy.get("Statement")) {
            if (st.get("Effect").asText().equals("Allow")) {
                allows++;
                assertThat(st.at("/Condition/StringEquals/aws:SourceAccount").asText()).isEqualTo("111122223333");
                String service = st.at("/Principal/Service").asText();
                assertThat(service).isIn("logging.s3.amazonaws.com", "delivery.logs.amazonaws.com");
                if (service.startsWith("logging")) {
                    assertThat(st.get("Resource").asText()).isEqualTo("arn:aws:s3:::logs/accesslog/orthbucket/*");
                    assertThat(st.at("/Condition/ArnLike/aws:SourceArn").asText()).isEqualTo("arn:aws:s3:::data");
                }
            } else {
                assertThat(st.get("Principal").asText()).isEqualTo("*");
            }
        }
        assertThat(allows).isEqualTo(3);
    }

    @Test
    void dataBucketPolicyDeniesPlainHttpAndOldTls() {
        var policy = TestStacks.json(dev.named("storage-data-policy").inputs().get("policy"));
        // TLS only, plus the two perimeter denies (PerimeterControlsTest checks those)
        assertThat(policy.get("Statement")).hasSize(4);
        assertThat(policy.toString()).contains("aws:SecureTransport").contains("s3:TlsVersion")
                .contains(String.valueOf(dev.named("storage-data").get("arn")));
    }
}
