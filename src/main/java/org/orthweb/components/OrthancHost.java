package org.orthweb.components;

import com.pulumi.aws.cloudwatch.LogGroup;
import com.pulumi.aws.cloudwatch.LogGroupArgs;
import com.pulumi.aws.ec2.Ec2Functions;
import com.pulumi.aws.ec2.EipAssociation;
import com.pulumi.aws.ec2.EipAssociationArgs;
import com.pulumi.aws.ec2.Instance;
import com.pulumi.aws.ec2.InstanceArgs;
import com.pulumi.aws.ec2.KeyPair;
import com.pulumi.aws.ec2.KeyPairArgs;
import com.pulumi.aws.ec2.LaunchTemplate;
import com.pulumi.aws.ec2.LaunchTemplateArgs;
import com.pulumi.aws.ec2.inputs.GetAmiArgs;
import com.pulumi.aws.ec2.inputs.GetAmiFilterArgs;
import com.pulumi.aws.ec2.inputs.InstanceLaunchTemplateArgs;
import com.pulumi.aws.ec2.inputs.LaunchTemplateBlockDeviceMappingArgs;
import com.pulumi.aws.ec2.inputs.LaunchTemplateBlockDeviceMappingEbsArgs;
import com.pulumi.aws.ec2.inputs.LaunchTemplateIamInstanceProfileArgs;
import com.pulumi.aws.ec2.inputs.LaunchTemplateMetadataOptionsArgs;
import com.pulumi.aws.ec2.inputs.LaunchTemplateMonitoringArgs;
import com.pulumi.aws.ec2.inputs.LaunchTemplateTagSpecificationArgs;
import com.pulumi.aws.iam.InstanceProfile;
import com.pulumi.aws.iam.InstanceProfileArgs;
import com.pulumi.aws.iam.Role;
import com.pulumi.aws.iam.RoleArgs;
import com.pulumi.aws.iam.RolePolicy;
import com.pulumi.aws.iam.RolePolicyArgs;
import com.pulumi.aws.iam.RolePolicyAttachment;
import com.pulumi.aws.iam.RolePolicyAttachmentArgs;
import com.pulumi.core.Output;
import com.pulumi.deployment.InvokeOptions;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;
import com.pulumi.resources.CustomResourceOptions;
import org.orthweb.cloudinit.CloudInit;
import org.orthweb.cloudinit.UserDataInputs;
import org.orthweb.naming.Policies;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.orthweb.naming.Policies.statement;

/**
 * The Orthanc hosts: one EC2 instance per public subnet (up to the configured count) from one
 * launch template (latest Amazon Linux 2023 x86_64, IMDSv2, encrypted root volume, templated
 * cloud-init), with a role scoped to exactly the stack's bucket, secrets, key and log group.
 */
public final class OrthancHost extends ComponentResource {

    public static final String TYPE = "orthweb:index:OrthancHost";
    /** Containers reach the instance role through IMDS: one hop more than the host itself. */
    public static final int METADATA_HOP_LIMIT = 2;
    public static final String AMI_NAME_FILTER = "al2023-ami-2023.*-x86_64";
    public static final String ROOT_DEVICE = "/dev/xvda";
    /**
     * The application's database roles. Today they sign in with generated passwords over verified
     * TLS; IAM authentication is granted for exactly these roles (not "dbuser:*"), never the master.
     */
    static final List<String> DB_ROLES = List.of(org.orthweb.cloudinit.Layout.ORTHANC_DB,
            org.orthweb.cloudinit.Layout.KEYCLOAK_DB);

    public final List<Output<String>> instanceIds;
    public final List<Output<String>> publicDnsNames;
    public final List<Output<String>> publicIps;
    public final Output<String> roleArn;
    public final Output<String> containerLogGroup;

    public OrthancHost(String name, OrthancHostArgs args, ComponentResourceOptions options, InvokeOptions invoke) {
        super(TYPE, name, options);
        var naming = args.naming();
        var cfg = args.config();
        var child = CustomResourceOptions.builder().parent(this).build();

        Output<String> logGroupName = Output.ofNullable(null);
        Output<String> logGroupArn = null;
        if (cfg.logging().containerLogs()) {
            var logGroup = new LogGroup(name + "-container-logs", LogGroupArgs.builder()
                    .name(naming.prefix().applyValue(p -> "/" + p + "/orthweb/containers"))
                    .retentionInDays(cfg.logging().retentionDays())
                    .kmsKeyId(args.kmsKeyArn())
                    .tags(naming.tags("container-logs"))
                    .build(), child);
            logGroupName = logGroup.name();
            logGroupArn = logGroup.arn();
        }
        this.containerLogGroup = logGroupName;

        var role = new Role(name + "-role", RoleArgs.builder()
                .name(naming.name("host-role"))
                .description("Orthanc hosts: SSM, the stack's secrets, bucket, key and logs")
                .assumeRolePolicy(Policies.assumeRoleBy("ec2.amazonaws.com"))
                .tags(naming.tags("host-role"))
                .build(), child);
        new RolePolicyAttachment(name + "-ssm-core", RolePolicyAttachmentArgs.builder()
                .role(role.name())
                .policyArn("arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore")
                .build(), CustomResourceOptions.builder().parent(role).build());
        Output<List<String>> dbUserArns = Output.tuple(args.aws().arn("rds-db", true, "dbuser:"), args.dbResourceId())
                .applyValue(t -> DB_ROLES.stream().map(dbRole -> t.t1 + t.t2 + "/" + dbRole).toList());
        new RolePolicy(name + "-access", RolePolicyArgs.builder()
                .role(role.id())
                .policy(Output.tuple(args.bucketArn(), args.dbSecretArn(), args.appSecretArn(), args.kmsKeyArn(),
                                dbUserArns, logGroupArn == null ? Output.<String>ofNullable(null) : logGroupArn)
                        .applyValue(t -> hostPolicy(new HostPolicyScope(t.t1, t.t2, t.t3, t.t4, t.t5, t.t6))))
                .build(), CustomResourceOptions.builder().parent(role).build());
        var profile = new InstanceProfile(name + "-profile", InstanceProfileArgs.builder()
                .name(naming.name("host-profile"))
                .role(role.name())
                .tags(naming.tags("host-profile"))
                .build(), CustomResourceOptions.builder().parent(role).build());

        KeyPair keyPair = cfg.host().publicKey().map(key -> new KeyPair(name + "-ssh-key", KeyPairArgs.builder()
                .keyName(naming.name("host-key"))
                .publicKey(cfg.secretKeys().contains("orthweb:host") ? Output.ofSecret(key) : Output.of(key))
                .tags(naming.tags("host-key"))
                .build(), child)).orElse(null);

        Output<String> ami = Ec2Functions.getAmi(GetAmiArgs.builder()
                .mostRecent(true)
                .owners("amazon")
                .filters(GetAmiFilterArgs.builder().name("name").values(AMI_NAME_FILTER).build(),
                        GetAmiFilterArgs.builder().name("architecture").values("x86_64").build())
                .build(), invoke).applyValue(r -> r.id());

        // never a secret: the parser refuses a secret site name, so user data stays plain; the
        // stable name (configured, or the first Elastic IP's DNS name), the same on every host
        Output<String> siteName = args.siteName();
        int hostCount = cfg.host().instanceCount();
        Output<String> userData = Output.tuple(args.dbAddress(), args.dbPort(), args.dbSecretArn(), args.appSecretArn(),
                        args.bucketName(), logGroupName, siteName)
                .applyValue(t -> CloudInit.encode(CloudInit.userData(new UserDataInputs(
                        cfg.stack(), cfg.environment().code(), args.aws().region(), t.t7, t.t1, t.t2, t.t3, t.t4, t.t5, t.t6,
                        cfg.images(), hostCount))));

        var template = new LaunchTemplate(name + "-template", LaunchTemplateArgs.builder()
                .namePrefix(naming.name("host-"))
                .description("Orthanc host: Amazon Linux 2023, IMDSv2, encrypted root, cloud-init application")
                .imageId(ami)
                .instanceType(cfg.host().instanceType())
                .keyName(keyPair == null ? Output.ofNullable(null) : keyPair.keyName())
                .iamInstanceProfile(LaunchTemplateIamInstanceProfileArgs.builder().arn(profile.arn()).build())
                .vpcSecurityGroupIds(args.securityGroupId().applyValue(List::of))
                .ebsOptimized("true")
                .monitoring(LaunchTemplateMonitoringArgs.builder().enabled(true).build())
                .metadataOptions(LaunchTemplateMetadataOptionsArgs.builder()
                        .httpEndpoint("enabled")
                        .httpTokens("required")
                        .httpPutResponseHopLimit(METADATA_HOP_LIMIT)
                        .instanceMetadataTags("disabled")
                        .build())
                .blockDeviceMappings(LaunchTemplateBlockDeviceMappingArgs.builder()
                        .deviceName(ROOT_DEVICE)
                        .ebs(LaunchTemplateBlockDeviceMappingEbsArgs.builder()
                                .volumeSize(cfg.host().rootVolumeGiB())
                                .volumeType("gp3")
                                .encrypted("true")
                                .kmsKeyId(args.kmsKeyArn())
                                .deleteOnTermination("true")
                                .build())
                        .build())
                .userData(userData)
                .tagSpecifications(
                        LaunchTemplateTagSpecificationArgs.builder().resourceType("instance").tags(naming.tags("host")).build(),
                        LaunchTemplateTagSpecificationArgs.builder().resourceType("volume").tags(naming.tags("host-root")).build())
                .updateDefaultVersion(true)
                .tags(naming.tags("host-template"))
                .build(), child);

        List<Output<String>> ids = new ArrayList<>();
        List<Output<String>> dns = new ArrayList<>();
        List<Output<String>> ips = new ArrayList<>();
        for (int i = 0; i < cfg.host().instanceCount(); i++) {
            String suffix = String.valueOf(i + 1);
            var instance = new Instance(name + "-" + suffix, InstanceArgs.builder()
                    .subnetId(args.publicSubnetIds().get(i))
                    .launchTemplate(InstanceLaunchTemplateArgs.builder()
                            .id(template.id())
                            // a new template version (new user data) replaces the host
                            .version(template.latestVersion().applyValue(String::valueOf))
                            .build())
                    .monitoring(true)
                    .ebsOptimized(true)
                    .tags(naming.tags("host-" + suffix))
                    .build(), child);
            // the host's stable address moves to whichever instance replaces this one
            new EipAssociation(name + "-" + suffix + "-address", EipAssociationArgs.builder()
                    .allocationId(args.addressAllocationIds().get(i))
                    .instanceId(instance.id())
                    .build(), CustomResourceOptions.builder().parent(instance).build());
            ids.add(instance.id());
            dns.add(instance.publicDns());
            ips.add(instance.publicIp());
        }
        this.instanceIds = List.copyOf(ids);
        this.publicDnsNames = List.copyOf(dns);
        this.publicIps = List.copyOf(ips);
        this.roleArn = role.arn();
        registerOutputs(Map.of("instanceIds", Output.all(instanceIds), "publicDnsNames", Output.all(publicDnsNames),
                "roleArn", roleArn));
    }

    /** What the host role may touch, by ARN. */
    record HostPolicyScope(String bucketArn, String dbSecretArn, String appSecretArn, String kmsKeyArn,
                           List<String> dbUserArns, String logGroupArn) {
    }

    /**
     * Least privilege for the host: read its two secrets, connect to the DB as IAM users, objects
     * of the data bucket (not s3:* as the reference), the stack key for SSE-KMS and secrets, and
     * write its container log group. No wildcard actions, no wildcard resources.
     */
    static String hostPolicy(HostPolicyScope scope) {
        List<Map<String, Object>> statements = new ArrayList<>();
        statements.add(statement("ReadStackSecrets", "Allow", List.of("secretsmanager:GetSecretValue",
                "secretsmanager:DescribeSecret"), Map.of("Resource", List.of(scope.dbSecretArn(), scope.appSecretArn()))));
        statements.add(statement("ConnectToDatabaseWithIam", "Allow", "rds-db:connect",
                Map.of("Resource", scope.dbUserArns())));
        statements.add(statement("ListDataBucket", "Allow", List.of("s3:ListBucket", "s3:GetBucketLocation"),
                Map.of("Resource", scope.bucketArn())));
        statements.add(statement("ReadWriteDicomObjects", "Allow", List.of("s3:GetObject", "s3:PutObject",
                "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"),
                Map.of("Resource", scope.bucketArn() + "/*")));
        statements.add(statement("UseStackKey", "Allow", List.of("kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"),
                Map.of("Resource", scope.kmsKeyArn())));
        if (scope.logGroupArn() != null) {
            String group = scope.logGroupArn().endsWith(":*") ? scope.logGroupArn() : scope.logGroupArn() + ":*";
            Map<String, Object> resource = new LinkedHashMap<>();
            resource.put("Resource", List.of(group, group.substring(0, group.length() - 1) + "log-stream:*"));
            statements.add(statement("WriteContainerLogs", "Allow", List.of("logs:CreateLogStream", "logs:PutLogEvents",
                    "logs:DescribeLogStreams"), resource));
        }
        return Policies.document(statements);
    }
}
