package org.orthweb.components;

import com.pulumi.core.Output;
import org.orthweb.naming.Naming;

/**
 * @param naming             physical names and Name tags
 * @param aws                account, partition and region
 * @param kmsKeyArn          the stack's key, for SSE-KMS on both buckets
 * @param logRetentionDays   how long access and flow logs are kept in the log bucket
 * @param forceDestroy       {@code pulumi destroy} may empty the buckets (disposable environments)
 * @param protect            Pulumi protect on both buckets (hardened environments)
 * @param hostRoleArn        the only principal that may read or write DICOM objects (data perimeter)
 * @param dataEventTrailArn  the CloudTrail trail allowed to deliver into the log bucket, or null
 *                           when the stack records no S3 data events
 */
public record DicomStorageArgs(Naming naming, AwsContext aws, Output<String> kmsKeyArn, int logRetentionDays,
                               boolean forceDestroy, boolean protect, Output<String> hostRoleArn,
                               Output<String> dataEventTrailArn) {
}
