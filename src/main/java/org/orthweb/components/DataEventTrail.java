package org.orthweb.components;

import com.pulumi.aws.cloudtrail.Trail;
import com.pulumi.aws.cloudtrail.TrailArgs;
import com.pulumi.aws.cloudtrail.inputs.TrailAdvancedEventSelectorArgs;
import com.pulumi.aws.cloudtrail.inputs.TrailAdvancedEventSelectorFieldSelectorArgs;
import com.pulumi.core.Output;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;
import com.pulumi.resources.CustomResourceOptions;
import org.orthweb.naming.Naming;

import java.util.List;
import java.util.Map;

/**
 * The audit trail of who read, wrote or deleted which DICOM object: a CloudTrail trail recording
 * S3 data events of the data bucket only (no management events: those belong to the account's
 * own trail), its log files encrypted with the stack key, validated (digest files), and
 * delivered into the log bucket under {@link DicomStorage#CLOUDTRAIL_PREFIX}. The log bucket's
 * policy and the key policy admit exactly this trail ({@link #trailArn}).
 */
public final class DataEventTrail extends ComponentResource {

    public static final String TYPE = "orthweb:index:DataEventTrail";
    /** The trail's name part ({@link Naming#name}). */
    public static final String NAME_PART = "data-events";
    public final Output<String> trailArn;

    /**
     * @param dataBucketArn  the bucket whose object-level events are recorded
     * @param logBucketName  where the log files go (its policy must admit {@link #trailArn})
     * @param kmsKeyArn      the stack key (its policy must admit this trail)
     */
    public DataEventTrail(String name, Naming naming, Output<String> dataBucketArn, Output<String> logBucketName,
                          Output<String> kmsKeyArn, ComponentResourceOptions options) {
        super(TYPE, name, options);
        var trail = new Trail(name + "-trail", TrailArgs.builder()
                .name(naming.name(NAME_PART))
                .s3BucketName(logBucketName)
                .s3KeyPrefix(DicomStorage.CLOUDTRAIL_PREFIX.substring(0, DicomStorage.CLOUDTRAIL_PREFIX.length() - 1))
                .kmsKeyId(kmsKeyArn)
                .enableLogFileValidation(true)
                .enableLogging(true)
                .includeGlobalServiceEvents(false)
                .isMultiRegionTrail(false)
                .advancedEventSelectors(TrailAdvancedEventSelectorArgs.builder()
                        .name("DICOM object reads, writes and deletes")
                        .fieldSelectors(
                                field("eventCategory", List.of("Data")),
                                field("resources.type", List.of("AWS::S3::Object")),
                                TrailAdvancedEventSelectorFieldSelectorArgs.builder()
                                        .field("resources.ARN")
                                        .startsWiths(dataBucketArn.applyValue(arn -> List.of(arn + "/")))
                                        .build())
                        .build())
                .tags(naming.tags(NAME_PART))
                .build(), CustomResourceOptions.builder().parent(this).build());
        this.trailArn = trail.arn();
        registerOutputs(Map.of("trailArn", trailArn));
    }

    private static TrailAdvancedEventSelectorFieldSelectorArgs field(String field, List<String> equals) {
        return TrailAdvancedEventSelectorFieldSelectorArgs.builder().field(field).equals_(equals).build();
    }

    /** The trail's ARN, known before the trail exists (the bucket and key policies name it). */
    public static Output<String> trailArn(Naming naming, AwsContext aws) {
        return Output.tuple(aws.partition(), aws.accountId(), naming.name(NAME_PART))
                .applyValue(t -> "arn:" + t.t1 + ":cloudtrail:" + aws.region() + ":" + t.t2 + ":trail/" + t.t3);
    }
}
