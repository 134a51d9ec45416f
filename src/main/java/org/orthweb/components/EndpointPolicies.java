package org.orthweb.components;

import com.pulumi.aws.ec2.VpcEndpointPolicy;
import com.pulumi.aws.ec2.VpcEndpointPolicyArgs;
import com.pulumi.core.Output;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;
import com.pulumi.resources.CustomResourceOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.orthweb.naming.Policies.document;
import static org.orthweb.naming.Policies.statement;

/**
 * Endpoint policies: what may pass the stack's VPC endpoints. Without one an endpoint allows
 * every request to every resource of every account, so a host (or a container on it) could copy
 * data into a bucket of another account through the S3 gateway endpoint. Created after the
 * hosts' role, bucket, secrets and key exist (they are named here), as separate
 * {@code aws:ec2/vpcEndpointPolicy} resources on the endpoints {@link SecureVpc} made.
 * <ul>
 * <li>S3 gateway endpoint: the host role on the data bucket, plus read-only, unsigned or signed,
 *     GetObject on the AWS-owned buckets the hosts download from through it: the Amazon Linux
 *     2023 package repositories ({@code al2023-repos-<region>-de612dc2}, Amazon Linux 2023 User
 *     Guide), the SSM Agent's buckets (AWS Systems Manager User Guide, "Create a VPC endpoint
 *     policy": {@code amazon-ssm-<region>}, {@code aws-ssm-<region>}...), and ECR's layer bucket
 *     ({@code prod-<region>-starport-layer-bucket}, Amazon ECR User Guide, "Amazon ECR interface
 *     VPC endpoints") for images overridden to ECR. That statement names principal "*" because
 *     dnf fetches unsigned (exception EX-11).</li>
 * <li>Secrets Manager interface endpoint (when configured): the host role on the stack's two
 *     secrets.</li>
 * <li>KMS interface endpoint (when configured): the host role on the stack key.</li>
 * </ul>
 * Other interface endpoints (ssm, ssmmessages, ec2messages, ec2) keep the default policy: the SSM
 * agent's APIs are not resource-scoped (see EX-08).
 */
public final class EndpointPolicies extends ComponentResource {

    public static final String TYPE = "orthweb:index:EndpointPolicies";

    /**
     * @param endpoints    the stack's endpoints
     * @param region       the stack's region (names of the AWS-owned buckets)
     * @param hostRoleArn  the only principal of the stack that uses the endpoints
     * @param bucketArn    the data bucket
     * @param secretArns   the master DB secret and the application secret
     * @param kmsKeyArn    the stack key
     */
    public EndpointPolicies(String name, StackEndpoints endpoints, String region, Output<String> hostRoleArn,
                            Output<String> bucketArn, Output<List<String>> secretArns, Output<String> kmsKeyArn,
                            ComponentResourceOptions options) {
        super(TYPE, name, options);
        var child = CustomResourceOptions.builder().parent(this).build();
        new VpcEndpointPolicy(name + "-s3", VpcEndpointPolicyArgs.builder()
                .vpcEndpointId(endpoints.s3EndpointId())
                .policy(Output.tuple(hostRoleArn, bucketArn).applyValue(t -> s3Policy(region, t.t1, t.t2)))
                .build(), child);
        endpoints.interfaceEndpoint("secretsmanager").ifPresent(id -> new VpcEndpointPolicy(name + "-secretsmanager",
                VpcEndpointPolicyArgs.builder()
                        .vpcEndpointId(id)
                        .policy(Output.tuple(hostRoleArn, secretArns).applyValue(t -> document(List.of(
                                statement("StackSecretsForTheHostRole", "Allow", OrthancHost.SECRET_ACTIONS, Map.of(
                                        "Principal", Map.of("AWS", t.t1),
                                        "Resource", t.t2))))))
                        .build(), child));
        endpoints.interfaceEndpoint("kms").ifPresent(id -> new VpcEndpointPolicy(name + "-kms",
                VpcEndpointPolicyArgs.builder()
                        .vpcEndpointId(id)
                        .policy(Output.tuple(hostRoleArn, kmsKeyArn).applyValue(t -> document(List.of(
                                statement("StackKeyForTheHostRole", "Allow", OrthancHost.KEY_ACTIONS, Map.of(
                                        "Principal", Map.of("AWS", t.t1),
                                        "Resource", t.t2))))))
                        .build(), child));
        registerOutputs(Map.of());
    }

    /** The AWS-owned buckets hosts read from through the S3 gateway endpoint, as object ARNs. */
    static List<String> awsOwnedDownloadBuckets(String region) {
        return List.of(
                "arn:aws:s3:::al2023-repos-" + region + "-de612dc2/*",
                "arn:aws:s3:::amazon-ssm-" + region + "/*",
                "arn:aws:s3:::amazon-ssm-packages-" + region + "/*",
                "arn:aws:s3:::aws-ssm-" + region + "/*",
                "arn:aws:s3:::" + region + "-birdwatcher-prod/*",
                "arn:aws:s3:::aws-ssm-document-attachments-" + region + "/*",
                "arn:aws:s3:::patch-baseline-snapshot-" + region + "/*",
                "arn:aws:s3:::prod-" + region + "-starport-layer-bucket/*");
    }

    static String s3Policy(String region, String hostRoleArn, String bucketArn) {
        List<Map<String, Object>> statements = new ArrayList<>();
        statements.add(statement("DataBucketForTheHostRole", "Allow", OrthancHost.BUCKET_ACTIONS, Map.of(
                "Principal", Map.of("AWS", hostRoleArn),
                "Resource", bucketArn)));
        statements.add(statement("DicomObjectsForTheHostRole", "Allow", OrthancHost.OBJECT_ACTIONS, Map.of(
                "Principal", Map.of("AWS", hostRoleArn),
                "Resource", bucketArn + "/*")));
        statements.add(statement("AwsOwnedDownloads", "Allow", "s3:GetObject", Map.of(
                "Principal", "*",
                "Resource", awsOwnedDownloadBuckets(region))));
        return document(statements);
    }
}
