package org.orthweb.components;

import com.pulumi.aws.kms.Alias;
import com.pulumi.aws.kms.AliasArgs;
import com.pulumi.aws.kms.Key;
import com.pulumi.aws.kms.KeyArgs;
import com.pulumi.core.Output;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;
import com.pulumi.resources.CustomResourceOptions;

import java.util.List;
import java.util.Map;

import static org.orthweb.naming.Policies.document;
import static org.orthweb.naming.Policies.service;
import static org.orthweb.naming.Policies.statement;

/**
 * The stack's customer managed KMS key: one key encrypts the buckets, the database, its secrets,
 * the EBS volumes and the CloudWatch log groups. Rotation is on; besides the account, only the
 * log services that write encrypted data for this account may use it.
 */
public final class EncryptionKey extends ComponentResource {

    public static final String TYPE = "orthweb:index:EncryptionKey";

    public final Output<String> keyArn;
    public final Output<String> keyId;

    public EncryptionKey(String name, EncryptionKeyArgs args, ComponentResourceOptions options) {
        super(TYPE, name, options);
        var child = CustomResourceOptions.builder().parent(this).protect(args.protect()).build();
        var aws = args.aws();

        Output<String> trail = args.dataEventTrailArn() == null ? Output.ofNullable(null) : args.dataEventTrailArn();
        Output<String> policy = Output.tuple(aws.partition(), aws.accountId(), trail)
                .applyValue(t -> keyPolicy(t.t1, t.t2, aws.region(), t.t3));
        var key = new Key(name + "-key", KeyArgs.builder()
                .description(args.naming().name("orthweb").applyValue(n -> "Orthweb stack " + n + ": S3, RDS, secrets, EBS, logs"))
                .enableKeyRotation(true)
                .isEnabled(true)
                .deletionWindowInDays(args.deletionWindowInDays())
                .policy(policy)
                .tags(args.naming().tags("key"))
                .build(), child);
        new Alias(name + "-alias", AliasArgs.builder()
                .name(args.naming().name("orthweb").applyValue(n -> "alias/" + n))
                .targetKeyId(key.keyId())
                .build(), CustomResourceOptions.builder().parent(this).build());

        this.keyArn = key.arn();
        this.keyId = key.keyId();
        registerOutputs(Map.of("keyArn", keyArn, "keyId", keyId));
    }

    /**
     * Key policy: the account administers the key through IAM; the three log delivery services
     * may use it only on behalf of this account (aws:SourceAccount), which stops another
     * account's log delivery from using our key (confused deputy). With a data-event trail,
     * CloudTrail may encrypt that trail's log files (aws:SourceArn = the trail, encryption context
     * {@code aws:cloudtrail:arn} of this account's trails: CloudTrail User Guide, "Configure AWS
     * KMS key policies for CloudTrail").
     *
     * @param trailArn the stack's data-event trail, or null
     */
    static String keyPolicy(String partition, String account, String region, String trailArn) {
        Map<String, Object> sourceAccount = Map.of("StringEquals", Map.of("aws:SourceAccount", account));
        List<String> use = List.of("kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*");
        List<Map<String, Object>> statements = new java.util.ArrayList<>(List.of(
                statement("AccountAdministersKeyThroughIam", "Allow", "kms:*", Map.of(
                        "Principal", Map.of("AWS", "arn:" + partition + ":iam::" + account + ":root"),
                        "Resource", "*")),
                statement("CloudWatchLogsEncryptLogGroups", "Allow", use, Map.of(
                        "Principal", service("logs." + region + ".amazonaws.com"),
                        "Resource", "*",
                        "Condition", Map.of(
                                "StringEquals", Map.of("aws:SourceAccount", account),
                                "ArnLike", Map.of("kms:EncryptionContext:aws:logs:arn",
                                        "arn:" + partition + ":logs:" + region + ":" + account + ":*")))),
                statement("FlowLogDeliveryToEncryptedBucket", "Allow", List.of("kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*",
                        "kms:GenerateDataKey*", "kms:DescribeKey"), Map.of(
                        "Principal", service("delivery.logs.amazonaws.com"),
                        "Resource", "*",
                        "Condition", sourceAccount)),
                statement("S3AccessLogDeliveryToEncryptedBucket", "Allow", List.of("kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*",
                        "kms:GenerateDataKey*", "kms:DescribeKey"), Map.of(
                        "Principal", service("logging.s3.amazonaws.com"),
                        "Resource", "*",
                        "Condition", sourceAccount))));
        if (trailArn != null) {
            Map<String, Object> thisTrail = Map.of("aws:SourceArn", trailArn, "aws:SourceAccount", account);
            statements.add(statement("CloudTrailEncryptDataEventLogs", "Allow", "kms:GenerateDataKey*", Map.of(
                    "Principal", service("cloudtrail.amazonaws.com"),
                    "Resource", "*",
                    "Condition", Map.of(
                            "StringEquals", thisTrail,
                            "StringLike", Map.of("kms:EncryptionContext:aws:cloudtrail:arn",
                                    "arn:" + partition + ":cloudtrail:*:" + account + ":trail/*")))));
            statements.add(statement("CloudTrailDescribeKey", "Allow", "kms:DescribeKey", Map.of(
                    "Principal", service("cloudtrail.amazonaws.com"),
                    "Resource", "*",
                    "Condition", Map.of("StringEquals", thisTrail))));
        }
        return document(statements);
    }
}
