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
 * the EBS volumes, the CloudWatch log groups, the alert topic and the backup vault. Rotation is
 * on; besides the account, only the services that write encrypted data for this stack may use it.
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
        Output<String> policy = Output.tuple(aws.partition(), aws.accountId(), args.naming().prefix(), trail)
                .applyValue(t -> keyPolicy(t.t1, t.t2, aws.region(), t.t3, t.t4));
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
     * Key policy: the account administers the key through IAM; each AWS service that encrypts
     * for the stack may use it only under condition keys that service documents for KMS key
     * policies (a condition key a service does not send evaluates false and silently denies):
     * <ul>
     *   <li>CloudWatch Logs: {@code kms:EncryptionContext:aws:logs:arn} on this account's log
     *       groups in this region (CloudWatch Logs guide, "Encrypt log data in CloudWatch Logs using
     *       AWS KMS"; it documents no {@code aws:SourceAccount} for key policies).</li>
     *   <li>Log delivery (VPC flow logs to the log bucket): {@code aws:SourceAccount} and
     *       {@code aws:SourceArn} of this account's log deliveries (CloudWatch Logs guide, "Enable
     *       logging from AWS services", Amazon S3 destination, key policy for SSE-KMS).</li>
     *   <li>S3 server access logging: the S3 encryption context
     *       {@code kms:EncryptionContext:aws:s3:arn} of the stack's buckets (S3 guide, "Using
     *       server-side encryption with AWS KMS keys", encryption context); S3 documents
     *       {@code aws:SourceAccount}/{@code aws:SourceArn} for the logging principal in bucket
     *       policies only, so they are not used here.</li>
     *   <li>CloudWatch alarms publishing to the encrypted alert topic: {@code aws:SourceAccount}
     *       and {@code aws:SourceArn} of this stack's alarms (SNS guide, "Enable compatibility
     *       between event sources from AWS services and encrypted topics").</li>
     *   <li>With a data-event trail, CloudTrail: {@code aws:SourceArn} = the trail,
     *       {@code aws:SourceAccount}, and the encryption context {@code aws:cloudtrail:arn} of
     *       this account's trails (CloudTrail User Guide, "Configure AWS KMS key policies for
     *       CloudTrail").</li>
     * </ul>
     * AWS Backup and the budget need no statement: AWS Backup works through its role's IAM
     * policies (the first statement delegates to IAM), Budgets e-mails directly.
     *
     * @param prefix   the stack's name prefix: buckets and alarms are named {@code <prefix>-...}
     * @param trailArn the stack's data-event trail, or null
     */
    static String keyPolicy(String partition, String account, String region, String prefix, String trailArn) {
        List<String> use = List.of("kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*");
        List<String> deliver = List.of("kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey");
        List<Map<String, Object>> statements = new java.util.ArrayList<>(List.of(
                statement("AccountAdministersKeyThroughIam", "Allow", "kms:*", Map.of(
                        "Principal", Map.of("AWS", "arn:" + partition + ":iam::" + account + ":root"),
                        "Resource", "*")),
                statement("CloudWatchLogsEncryptLogGroups", "Allow", use, Map.of(
                        "Principal", service("logs." + region + ".amazonaws.com"),
                        "Resource", "*",
                        "Condition", Map.of("ArnLike", Map.of("kms:EncryptionContext:aws:logs:arn",
                                "arn:" + partition + ":logs:" + region + ":" + account + ":*")))),
                statement("FlowLogDeliveryToEncryptedBucket", "Allow", deliver, Map.of(
                        "Principal", service("delivery.logs.amazonaws.com"),
                        "Resource", "*",
                        "Condition", Map.of(
                                "StringEquals", Map.of("aws:SourceAccount", account),
                                "ArnLike", Map.of("aws:SourceArn", "arn:" + partition + ":logs:" + region + ":" + account + ":*")))),
                statement("S3AccessLogDeliveryToEncryptedBucket", "Allow", deliver, Map.of(
                        "Principal", service("logging.s3.amazonaws.com"),
                        "Resource", "*",
                        "Condition", Map.of("ArnLike", Map.of("kms:EncryptionContext:aws:s3:arn",
                                "arn:" + partition + ":s3:::" + prefix + "-*")))),
                statement("CloudWatchAlarmsPublishToEncryptedTopic", "Allow", List.of("kms:Decrypt", "kms:GenerateDataKey*"), Map.of(
                        "Principal", service("cloudwatch.amazonaws.com"),
                        "Resource", "*",
                        "Condition", Map.of(
                                "StringEquals", Map.of("aws:SourceAccount", account),
                                "ArnLike", Map.of("aws:SourceArn", "arn:" + partition + ":cloudwatch:" + region + ":"
                                        + account + ":alarm:" + prefix + "-" + Alerting.ALARM_NAME_PART + "*"))))));
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
