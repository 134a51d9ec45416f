package org.orthweb.components;

import com.pulumi.aws.s3.BucketLifecycleConfigurationV2;
import com.pulumi.aws.s3.BucketLifecycleConfigurationV2Args;
import com.pulumi.aws.s3.BucketLoggingV2;
import com.pulumi.aws.s3.BucketLoggingV2Args;
import com.pulumi.aws.s3.BucketOwnershipControls;
import com.pulumi.aws.s3.BucketOwnershipControlsArgs;
import com.pulumi.aws.s3.BucketPolicy;
import com.pulumi.aws.s3.BucketPolicyArgs;
import com.pulumi.aws.s3.BucketPublicAccessBlock;
import com.pulumi.aws.s3.BucketPublicAccessBlockArgs;
import com.pulumi.aws.s3.BucketServerSideEncryptionConfigurationV2;
import com.pulumi.aws.s3.BucketServerSideEncryptionConfigurationV2Args;
import com.pulumi.aws.s3.BucketV2;
import com.pulumi.aws.s3.BucketV2Args;
import com.pulumi.aws.s3.BucketVersioningV2;
import com.pulumi.aws.s3.BucketVersioningV2Args;
import com.pulumi.aws.s3.inputs.BucketLifecycleConfigurationV2RuleAbortIncompleteMultipartUploadArgs;
import com.pulumi.aws.s3.inputs.BucketLifecycleConfigurationV2RuleArgs;
import com.pulumi.aws.s3.inputs.BucketLifecycleConfigurationV2RuleExpirationArgs;
import com.pulumi.aws.s3.inputs.BucketLifecycleConfigurationV2RuleFilterArgs;
import com.pulumi.aws.s3.inputs.BucketLifecycleConfigurationV2RuleNoncurrentVersionExpirationArgs;
import com.pulumi.aws.s3.inputs.BucketOwnershipControlsRuleArgs;
import com.pulumi.aws.s3.inputs.BucketServerSideEncryptionConfigurationV2RuleApplyServerSideEncryptionByDefaultArgs;
import com.pulumi.aws.s3.inputs.BucketServerSideEncryptionConfigurationV2RuleArgs;
import com.pulumi.aws.s3.inputs.BucketVersioningV2VersioningConfigurationArgs;
import com.pulumi.core.Output;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.Resource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.orthweb.naming.Policies.document;
import static org.orthweb.naming.Policies.service;
import static org.orthweb.naming.Policies.statement;

/**
 * The DICOM data bucket (Orthanc's S3 storage plugin writes every instance here) and the log
 * bucket that receives the data bucket's access logs and the VPC flow logs. Both: versioned,
 * SSE-KMS with bucket keys, ACLs disabled, public access blocked, TLS 1.2+ only, lifecycle rules.
 */
public final class DicomStorage extends ComponentResource {

    public static final String TYPE = "orthweb:index:DicomStorage";
    /** Where S3 server access logs of the data bucket land in the log bucket. */
    public static final String ACCESS_LOG_PREFIX = "accesslog/orthbucket/";
    /** Where CloudTrail delivers the data-event trail's log files (its S3 key prefix, plus "/"). */
    public static final String CLOUDTRAIL_PREFIX = "cloudtrail/";
    /** Where VPC flow logs land in the log bucket. */
    public static final String FLOW_LOG_PREFIX = "flowlog/";
    /** Old versions of DICOM objects are kept this long after an overwrite or delete. */
    public static final int NONCURRENT_VERSION_DAYS = 90;
    public static final int ABORT_MULTIPART_DAYS = 7;

    public final Output<String> bucketName;
    public final Output<String> bucketArn;
    public final Output<String> logBucketName;
    public final Output<String> logBucketArn;

    public DicomStorage(String name, DicomStorageArgs args, ComponentResourceOptions options) {
        super(TYPE, name, options);

        var logBucket = bucket(name + "-logs", "orthlogs", args);
        var dataBucket = bucket(name + "-data", "orthbucket", args);

        List<BucketLifecycleConfigurationV2RuleArgs> logRules = new ArrayList<>(baseRules());
        logRules.add(BucketLifecycleConfigurationV2RuleArgs.builder()
                .id("expire-logs")
                .status("Enabled")
                .filter(everyObject())
                .expiration(BucketLifecycleConfigurationV2RuleExpirationArgs.builder()
                        .days(args.logRetentionDays()).build())
                .build());
        lifecycle(logBucket, logRules);
        lifecycle(dataBucket, baseRules());

        var aws = args.aws();
        Output<String> trail = args.dataEventTrailArn() == null ? Output.ofNullable(null) : args.dataEventTrailArn();
        Output<String> logPolicy = Output.tuple(logBucket.bucket.arn(), dataBucket.bucket.arn(), aws.accountId(), trail)
                .applyValue(t -> logBucketPolicy(t.t1, t.t2, t.t3, t.t4));
        var logPolicyResource = new BucketPolicy(name + "-logs-policy", BucketPolicyArgs.builder()
                .bucket(logBucket.bucket.id())
                .policy(logPolicy)
                .build(), opts(logBucket.bucket, List.of(logBucket.publicAccessBlock)));
        new BucketPolicy(name + "-data-policy", BucketPolicyArgs.builder()
                .bucket(dataBucket.bucket.id())
                .policy(Output.tuple(dataBucket.bucket.arn(), args.hostRoleArn())
                        .applyValue(t -> dataBucketPolicy(t.t1, t.t2)))
                .build(), opts(dataBucket.bucket, List.of(dataBucket.publicAccessBlock)));

        new BucketLoggingV2(name + "-data-access-logs", BucketLoggingV2Args.builder()
                .bucket(dataBucket.bucket.id())
                .targetBucket(logBucket.bucket.id())
                .targetPrefix(ACCESS_LOG_PREFIX)
                .build(), opts(dataBucket.bucket, List.of(logPolicyResource)));

        this.bucketName = dataBucket.bucket.bucket();
        this.bucketArn = dataBucket.bucket.arn();
        this.logBucketName = logBucket.bucket.bucket();
        this.logBucketArn = logBucket.bucket.arn();
        registerOutputs(Map.of("bucketName", bucketName, "bucketArn", bucketArn,
                "logBucketName", logBucketName, "logBucketArn", logBucketArn));
    }

    private record Bucket(BucketV2 bucket, BucketPublicAccessBlock publicAccessBlock) {
    }

    /** A bucket with the controls both buckets share; children sit under the bucket. */
    private Bucket bucket(String name, String what, DicomStorageArgs args) {
        var bucket = new BucketV2(name, BucketV2Args.builder()
                .bucket(args.naming().name(what))
                .forceDestroy(args.forceDestroy())
                .tags(args.naming().tags(what))
                .build(), CustomResourceOptions.builder().parent(this).protect(args.protect()).build());
        new BucketOwnershipControls(name + "-ownership", BucketOwnershipControlsArgs.builder()
                .bucket(bucket.id())
                .rule(BucketOwnershipControlsRuleArgs.builder().objectOwnership("BucketOwnerEnforced").build())
                .build(), opts(bucket, List.of()));
        var block = new BucketPublicAccessBlock(name + "-public-access-block", BucketPublicAccessBlockArgs.builder()
                .bucket(bucket.id())
                .blockPublicAcls(true)
                .blockPublicPolicy(true)
                .ignorePublicAcls(true)
                .restrictPublicBuckets(true)
                .build(), opts(bucket, List.of()));
        new BucketVersioningV2(name + "-versioning", BucketVersioningV2Args.builder()
                .bucket(bucket.id())
                .versioningConfiguration(BucketVersioningV2VersioningConfigurationArgs.builder().status("Enabled").build())
                .build(), opts(bucket, List.of()));
        new BucketServerSideEncryptionConfigurationV2(name + "-encryption",
                BucketServerSideEncryptionConfigurationV2Args.builder()
                        .bucket(bucket.id())
                        .rules(BucketServerSideEncryptionConfigurationV2RuleArgs.builder()
                                .applyServerSideEncryptionByDefault(
                                        BucketServerSideEncryptionConfigurationV2RuleApplyServerSideEncryptionByDefaultArgs.builder()
                                                .sseAlgorithm("aws:kms")
                                                .kmsMasterKeyId(args.kmsKeyArn())
                                                .build())
                                // bucket keys cut KMS requests (and their cost) by orders of magnitude
                                .bucketKeyEnabled(true)
                                .build())
                        .build(), opts(bucket, List.of()));
        return new Bucket(bucket, block);
    }

    private void lifecycle(Bucket bucket, List<BucketLifecycleConfigurationV2RuleArgs> rules) {
        new BucketLifecycleConfigurationV2(bucket.bucket.pulumiResourceName() + "-lifecycle",
                BucketLifecycleConfigurationV2Args.builder()
                        .bucket(bucket.bucket.id())
                        .rules(rules)
                        .build(), opts(bucket.bucket, List.of()));
    }

    /** A rule filter matching every object of the bucket. */
    private static BucketLifecycleConfigurationV2RuleFilterArgs everyObject() {
        return BucketLifecycleConfigurationV2RuleFilterArgs.builder().prefix("").build();
    }

    private static List<BucketLifecycleConfigurationV2RuleArgs> baseRules() {
        var all = everyObject();
        return List.of(
                BucketLifecycleConfigurationV2RuleArgs.builder()
                        .id("abort-incomplete-multipart-uploads")
                        .status("Enabled")
                        .filter(all)
                        .abortIncompleteMultipartUpload(BucketLifecycleConfigurationV2RuleAbortIncompleteMultipartUploadArgs.builder()
                                .daysAfterInitiation(ABORT_MULTIPART_DAYS).build())
                        .build(),
                BucketLifecycleConfigurationV2RuleArgs.builder()
                        .id("expire-noncurrent-versions")
                        .status("Enabled")
                        .filter(all)
                        .noncurrentVersionExpiration(BucketLifecycleConfigurationV2RuleNoncurrentVersionExpirationArgs.builder()
                                .noncurrentDays(NONCURRENT_VERSION_DAYS).build())
                        .build());
    }

    private CustomResourceOptions opts(Resource parent, List<Resource> dependsOn) {
        return CustomResourceOptions.builder().parent(parent).dependsOn(dependsOn).build();
    }

    /** Deny any request without TLS, and any with TLS older than 1.2 (S3.5). */
    static List<Map<String, Object>> tlsOnly(String bucketArn) {
        List<Object> resources = List.of(bucketArn, bucketArn + "/*");
        return new ArrayList<>(List.of(
                statement("DenyInsecureTransport", "Deny", "s3:*", Map.of(
                        "Principal", "*", "Resource", resources,
                        "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false")))),
                statement("DenyTlsOlderThan12", "Deny", "s3:*", Map.of(
                        "Principal", "*", "Resource", resources,
                        "Condition", Map.of("NumericLessThan", Map.of("s3:TlsVersion", "1.2"))))));
    }

    /**
     * The data bucket's perimeter, on top of TLS only:
     * <ul>
     * <li>EC2 instance-role credentials (any instance role) work only through a VPC endpoint of
     *     the VPC they were delivered to: {@code aws:SourceVpc} must equal
     *     {@code ${aws:ec2InstanceSourceVPC}} (IAM User Guide, global condition keys
     *     aws:ec2InstanceSourceVPC and aws:SourceVpc; the key is present whenever a request is
     *     signed with EC2 role credentials). Credentials copied off a host fail from anywhere
     *     else, and from another VPC's endpoint. Requests a service makes on the caller's behalf
     *     ({@code aws:ViaAWSService}) are left alone: they carry no network keys.</li>
     * <li>Reading and writing DICOM objects is for the host role only ({@code aws:PrincipalArn});
     *     anyone else in the account, administrators included, must change this policy first,
     *     which CloudTrail records. Deleting is not denied, so `pulumi destroy` of a non-hardened
     *     stack can still empty the bucket.</li>
     * </ul>
     * Only Deny statements: the bucket grants nothing; the host role's identity policy does.
     */
    static String dataBucketPolicy(String bucketArn, String hostRoleArn) {
        List<Map<String, Object>> statements = tlsOnly(bucketArn);
        statements.add(statement("DenyInstanceCredentialsOutsideTheirVpc", "Deny", "s3:*", Map.of(
                "Principal", "*",
                "Resource", List.of(bucketArn, bucketArn + "/*"),
                "Condition", Map.of(
                        "Null", Map.of("aws:ec2InstanceSourceVPC", "false"),
                        "StringNotEquals", Map.of("aws:SourceVpc", "${aws:ec2InstanceSourceVPC}"),
                        "BoolIfExists", Map.of("aws:ViaAWSService", "false")))));
        statements.add(statement("DenyDicomObjectsToOtherPrincipals", "Deny", List.of("s3:GetObject",
                "s3:GetObjectVersion", "s3:PutObject"), Map.of(
                "Principal", "*",
                "Resource", bucketArn + "/*",
                "Condition", Map.of(
                        "ArnNotEquals", Map.of("aws:PrincipalArn", hostRoleArn),
                        "BoolIfExists", Map.of("aws:PrincipalIsAWSService", "false")))));
        return document(statements);
    }

    /**
     * The log bucket admits exactly its writers: S3 server access logging for our data bucket
     * (SourceArn and SourceAccount), VPC flow log delivery for our account, and, when the stack
     * has one, the data-event trail (CloudTrail User Guide, "Amazon S3 bucket policy for
     * CloudTrail": GetBucketAcl and PutObject under {@code <prefix>/AWSLogs/<account>/}, bound to
     * the trail by aws:SourceArn).
     *
     * @param trailArn the data-event trail, or null
     */
    static String logBucketPolicy(String logBucketArn, String dataBucketArn, String account, String trailArn) {
        List<Map<String, Object>> statements = tlsOnly(logBucketArn);
        statements.add(statement("S3ServerAccessLogsFromDataBucket", "Allow", "s3:PutObject", Map.of(
                "Principal", service("logging.s3.amazonaws.com"),
                "Resource", logBucketArn + "/" + ACCESS_LOG_PREFIX + "*",
                "Condition", Map.of(
                        "ArnLike", Map.of("aws:SourceArn", dataBucketArn),
                        "StringEquals", Map.of("aws:SourceAccount", account)))));
        statements.add(statement("FlowLogDeliveryWrite", "Allow", "s3:PutObject", Map.of(
                "Principal", service("delivery.logs.amazonaws.com"),
                "Resource", logBucketArn + "/" + FLOW_LOG_PREFIX + "AWSLogs/" + account + "/*",
                "Condition", Map.of("StringEquals", Map.of(
                        "s3:x-amz-acl", "bucket-owner-full-control",
                        "aws:SourceAccount", account)))));
        statements.add(statement("FlowLogDeliveryCheckAcl", "Allow", List.of("s3:GetBucketAcl", "s3:ListBucket"), Map.of(
                "Principal", service("delivery.logs.amazonaws.com"),
                "Resource", logBucketArn,
                "Condition", Map.of("StringEquals", Map.of("aws:SourceAccount", account)))));
        if (trailArn != null) {
            statements.add(statement("CloudTrailCheckAcl", "Allow", "s3:GetBucketAcl", Map.of(
                    "Principal", service("cloudtrail.amazonaws.com"),
                    "Resource", logBucketArn,
                    "Condition", Map.of("StringEquals", Map.of("aws:SourceArn", trailArn, "aws:SourceAccount", account)))));
            statements.add(statement("CloudTrailWriteDataEvents", "Allow", "s3:PutObject", Map.of(
                    "Principal", service("cloudtrail.amazonaws.com"),
                    "Resource", logBucketArn + "/" + CLOUDTRAIL_PREFIX + "AWSLogs/" + account + "/*",
                    "Condition", Map.of("StringEquals", Map.of(
                            "s3:x-amz-acl", "bucket-owner-full-control",
                            "aws:SourceArn", trailArn,
                            "aws:SourceAccount", account)))));
        }
        return document(statements);
    }
}
