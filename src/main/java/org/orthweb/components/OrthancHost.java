package org.orthweb.components;

import com.pulumi.aws.autoscaling.Group;
import com.pulumi.aws.autoscaling.GroupArgs;
import com.pulumi.aws.autoscaling.inputs.GroupInstanceRefreshArgs;
import com.pulumi.aws.autoscaling.inputs.GroupInstanceRefreshPreferencesArgs;
import com.pulumi.aws.autoscaling.inputs.GroupLaunchTemplateArgs;
import com.pulumi.aws.autoscaling.inputs.GroupTagArgs;
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
import com.pulumi.aws.s3.BucketObjectv2;
import com.pulumi.aws.s3.BucketObjectv2Args;
import com.pulumi.core.Output;
import com.pulumi.deployment.InvokeOptions;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.Resource;
import com.pulumi.resources.ComponentResourceOptions;
import com.pulumi.resources.CustomResourceOptions;
import org.orthweb.cloudinit.CloudInit;
import org.orthweb.cloudinit.Render;
import org.orthweb.cloudinit.UserDataInputs;
import org.orthweb.naming.Naming;
import org.orthweb.naming.Policies;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static org.orthweb.naming.Policies.statement;

/**
 * The Orthanc hosts, from one launch template (latest Amazon Linux 2023 x86_64, IMDSv2, encrypted
 * root volume, templated cloud-init), with a role scoped to exactly the stack's bucket, secrets,
 * key and log group. Single-host mode: one EC2 instance per public subnet (up to the configured
 * count), each with its Elastic IP. High-availability mode: an auto-scaling group across the
 * public subnets, registered into the balancer's target groups ({@link SiteBalancer}).
 */
public final class OrthancHost extends ComponentResource {

    public static final String TYPE = "orthweb:index:OrthancHost";
    /** Containers reach the instance role through IMDS: one hop more than the host itself. */
    public static final int METADATA_HOP_LIMIT = 2;
    public static final String AMI_NAME_FILTER = "al2023-ami-2023.*-x86_64";
    /** The launch template property that is kept from the first deploy when no AMI is pinned. */
    public static final String AMI_PROPERTY = "imageId";
    /**
     * Settings whose change makes a new launch template version (or new user data / host bundle),
     * which replaces every host: the instances follow the template's latest version. One place
     * for the plan's marker and the README.
     */
    public static final List<String> HOST_REPLACING_SETTINGS = List.of("orthweb:host.amiId",
            "orthweb:host.instanceType", "orthweb:host.rootVolumeGiB", "orthweb:host.publicKey", "orthweb:images",
            "orthweb:site.name", "orthweb:dicom.clients", "orthweb:orthanc", "orthweb:logging.containerLogs", "orthweb:database (endpoint)",
            "orthweb:host.instanceCount (new hosts only)");
    public static final String ROOT_DEVICE = "/dev/xvda";
    /**
     * Instance refresh keeps every host in service and launches the replacement first (AWS allows
     * a minimum of 0-100% and a maximum of 100-200%; EC2 Auto Scaling User Guide, "Instance
     * refresh": "Understand the default values for an instance refresh").
     */
    public static final int REFRESH_MIN_HEALTHY_PERCENT = 100;
    public static final int REFRESH_MAX_HEALTHY_PERCENT = 200;
    /** The host role's name part ({@link Naming#name}): the data bucket policy pins this role. */
    public static final String ROLE_NAME = "host-role";
    /**
     * Tag the bootstrap puts on the master DB secret once the database is provisioned; from then
     * on the role's condition ({@code secretsmanager:ResourceTag/<key>} must be absent) refuses
     * GetSecretValue on it. Only an operator (untag) opens it again.
     */
    public static final String DB_PROVISIONED_TAG = org.orthweb.cloudinit.Layout.DB_PROVISIONED_TAG;

    /** What Orthanc's S3 plugin does on the bucket and on its objects (one list for role and endpoint). */
    public static final List<String> BUCKET_ACTIONS = List.of("s3:ListBucket", "s3:GetBucketLocation");
    public static final List<String> OBJECT_ACTIONS = List.of("s3:GetObject", "s3:PutObject", "s3:DeleteObject",
            "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts");
    /** What the bootstrap does with the stack's secrets (read, check the provisioning tag, set it). */
    public static final List<String> SECRET_ACTIONS = List.of("secretsmanager:GetSecretValue",
            "secretsmanager:DescribeSecret", "secretsmanager:TagResource");
    /** What S3 and Secrets Manager do with the stack key on the host's behalf. */
    public static final List<String> KEY_ACTIONS = List.of("kms:Decrypt", "kms:GenerateDataKey");

    /** Single-host mode: one instance per public subnet; empty in high-availability mode. */
    public final List<Output<String>> instanceIds;
    /** High-availability mode: the auto-scaling group (its instances are the hosts); null otherwise. */
    public final Output<String> groupName;
    public final List<Output<String>> publicDnsNames;
    public final List<Output<String>> publicIps;
    public final Output<String> roleArn;
    public final Output<String> containerLogGroup;
    /** The image the hosts run (the template's, so the id kept in state when it was looked up). */
    public final Output<String> amiId;

    public OrthancHost(String name, OrthancHostArgs args, ComponentResourceOptions options, InvokeOptions invoke) {
        super(TYPE, name, options);
        var naming = args.naming();
        var cfg = args.settings();
        var child = CustomResourceOptions.builder().parent(this).build();

        Output<String> logGroupName = Output.ofNullable(null);
        Output<String> logGroupArn = null;
        if (cfg.logging().containerLogs()) {
            var logGroup = new LogGroup(name + "-container-logs", LogGroupArgs.builder()
                    .name(naming.prefix().applyValue(p -> "/" + p + "/orthweb/containers"))
                    // nginx's access log is part of the audit trail: six years when hardened
                    .retentionInDays(cfg.containerLogRetentionDays())
                    .kmsKeyId(args.kmsKeyArn())
                    .tags(naming.tags("container-logs"))
                    .build(), child);
            logGroupName = logGroup.name();
            logGroupArn = logGroup.arn();
        }
        this.containerLogGroup = logGroupName;

        var role = new Role(name + "-role", RoleArgs.builder()
                .name(naming.name(ROLE_NAME))
                .description("Orthanc hosts: SSM, the stack's secrets, bucket, key and logs")
                .assumeRolePolicy(Policies.assumeRoleBy("ec2.amazonaws.com"))
                .tags(naming.tags("host-role"))
                .build(), child);
        // every grant of the role: a host waits for them (dependsOn below), so that its first boot
        // does not run before the role may do what the bootstrap asks of AWS
        List<Resource> rolePolicies = new ArrayList<>();
        rolePolicies.add(new RolePolicyAttachment(name + "-ssm-core", RolePolicyAttachmentArgs.builder()
                .role(role.name())
                .policyArn("arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore")
                .build(), CustomResourceOptions.builder().parent(role).build()));
        // rds-db:connect on exactly the two application roles: they have no password and sign in
        // with IAM tokens the host makes from this role (orthweb-db-auth); never the master user
        Output<List<String>> dbUsers = Output.tuple(args.aws().partition(), args.aws().accountId(),
                args.database().resourceId()).applyValue(t -> dbUserArns(t.t1, args.aws().region(), t.t2, t.t3));
        var endpoints = args.endpoints();
        Output<String> secretsEndpoint = endpoints.interfaceEndpoint("secretsmanager").orElse(Output.ofNullable(null));
        String region = args.aws().region();
        rolePolicies.add(new RolePolicy(name + "-access", RolePolicyArgs.builder()
                .role(role.id())
                .policy(Output.tuple(Output.tuple(args.bucket().arn(), args.dbSecret().arn(), args.appSecret().arn(),
                                args.kmsKeyArn(), logGroupArn == null ? Output.<String>ofNullable(null) : logGroupArn,
                                endpoints.s3EndpointId(), secretsEndpoint, args.siteTls().arn()), dbUsers)
                        .applyValue(u -> {
                            var t = u.t1;
                            return hostPolicy(new HostPolicyScope(t.t1, t.t2, t.t3, t.t8, t.t4, t.t5, region,
                                    t.t6, t.t7, u.t2));
                        }))
                .build(), CustomResourceOptions.builder().parent(role).build()));
        var profile = new InstanceProfile(name + "-profile", InstanceProfileArgs.builder()
                .name(naming.name("host-profile"))
                .role(role.name())
                .tags(naming.tags("host-profile"))
                .build(), CustomResourceOptions.builder().parent(role).build());

        KeyPair keyPair = cfg.host().publicKey().map(key -> new KeyPair(name + "-ssh-key", KeyPairArgs.builder()
                .keyName(naming.name("host-key"))
                .publicKey(cfg.publicKeyIsSecret() ? Output.ofSecret(key) : Output.of(key))
                .tags(naming.tags("host-key"))
                .build(), child)).orElse(null);

        // The host image: pinned (orthweb:host.amiId), or the newest Amazon Linux 2023 looked up now
        // and, through ignoreChanges on the template's imageId below, kept from the first deploy on:
        // a newer AMI published later never replaces a host unannounced.
        Optional<String> pinnedAmi = cfg.host().amiId();
        Output<String> ami = pinnedAmi.map(Output::of).orElseGet(() -> Ec2Functions.getAmi(GetAmiArgs.builder()
                .mostRecent(true)
                .owners("amazon")
                .filters(GetAmiFilterArgs.builder().name("name").values(AMI_NAME_FILTER).build(),
                        GetAmiFilterArgs.builder().name("architecture").values("x86_64").build())
                .build(), invoke).applyValue(r -> r.id()));

        // never a secret: the parser refuses a secret site name, so user data stays plain; the
        // stable name (configured, or the first Elastic IP's DNS name), the same on every host
        Output<String> siteName = args.address().siteName();
        // hosts sharing the index: in HA mode up to maxHosts, and during a rolling replacement the
        // new host runs beside the old one, so never fewer than two
        int hostCount = args.group().map(g -> Math.max(2, g.maxHosts())).orElse(cfg.host().instanceCount());
        // the site TLS secret's version: a peer added or removed, or a re-issued server certificate,
        // is a new version, hence new user data, so `pulumi up` replaces the hosts with it
        Output<Render.Host> rendered = Output.tuple(args.database().address(), args.database().port(),
                        args.dbSecret().arn(), args.appSecret().arn(), args.bucket().name(), logGroupName, siteName,
                        Output.tuple(args.siteTls().arn(), args.siteTls().versionId()))
                .applyValue(t -> Render.host(new UserDataInputs(cfg.stack(), cfg.environment().code(),
                        args.aws().region(), t.t7, t.t1, t.t2, t.t3, t.t4, t.t5, t.t6, cfg.images(), t.t8.t1, t.t8.t2,
                        hostCount, cfg.orthanc())));
        Output<String> userData = rendered.applyValue(h -> CloudInit.encode(h.userData()));
        // The application files, too large for user data (16 KiB), as one object the loader fetches;
        // its key is its SHA-256, so a changed bundle is a new object and a new launch template version.
        var bundle = new BucketObjectv2(name + "-bundle", BucketObjectv2Args.builder()
                .bucket(args.bucket().name())
                .key(rendered.applyValue(h -> h.bundle().key()))
                .contentBase64(rendered.applyValue(h -> h.bundle().base64()))
                .contentType("application/x-tar")
                .build(), child);

        var template = new LaunchTemplate(name + "-template", LaunchTemplateArgs.builder()
                .namePrefix(naming.name("host-"))
                .description("Orthanc host: Amazon Linux 2023, IMDSv2, encrypted root, cloud-init application")
                .imageId(ami)
                .instanceType(cfg.host().instanceType())
                .keyName(keyPair == null ? Output.ofNullable(null) : keyPair.keyName())
                .iamInstanceProfile(LaunchTemplateIamInstanceProfileArgs.builder().arn(profile.arn()).build())
                .vpcSecurityGroupIds(args.network().securityGroupId().applyValue(List::of))
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
                // what the template creates is tagged by the template alone: the provider's
                // default tags do not reach it, so each specification carries the stack tags
                .tagSpecifications(
                        LaunchTemplateTagSpecificationArgs.builder().resourceType("instance").tags(naming.stackTags("host")).build(),
                        LaunchTemplateTagSpecificationArgs.builder().resourceType("volume").tags(naming.stackTags("host-root")).build(),
                        LaunchTemplateTagSpecificationArgs.builder().resourceType("network-interface").tags(naming.stackTags("host-nic")).build())
                .updateDefaultVersion(true)
                .tags(naming.tags("host-template"))
                .build(), pinnedAmi.isPresent() ? child
                : CustomResourceOptions.builder().parent(this).ignoreChanges(AMI_PROPERTY).build());
        this.amiId = template.imageId().applyValue(id -> id.orElse(""));

        List<Resource> dependencies = new ArrayList<>(rolePolicies);
        dependencies.add(bundle);
        List<Output<String>> ids = new ArrayList<>();
        List<Output<String>> dns = new ArrayList<>();
        List<Output<String>> ips = new ArrayList<>();
        Output<String> groupName = null;
        if (args.group().isPresent()) {
            groupName = hostGroup(name, args, template, dependencies).name();
        } else {
            for (int i = 0; i < cfg.host().instanceCount(); i++) {
                String suffix = String.valueOf(i + 1);
                var instance = new Instance(name + "-" + suffix, InstanceArgs.builder()
                        .subnetId(args.network().publicSubnetIds().get(i))
                        .launchTemplate(InstanceLaunchTemplateArgs.builder()
                                .id(template.id())
                                // a new template version (new user data) replaces the host
                                .version(template.latestVersion().applyValue(String::valueOf))
                                .build())
                        .monitoring(true)
                        .ebsOptimized(true)
                        .tags(naming.tags("host-" + suffix))
                        // the bundle must be in the bucket and the role's policies in place before the
                        // first boot; IAM is still eventually consistent after that, which the
                        // bootstrap's retries cover (orthweb-bootstrap, aws_retry)
                        .build(), CustomResourceOptions.builder().parent(this).dependsOn(dependencies).build());
                // the host's stable address moves to whichever instance replaces this one
                new EipAssociation(name + "-" + suffix + "-address", EipAssociationArgs.builder()
                        .allocationId(args.address().allocationIds().get(i))
                        .instanceId(instance.id())
                        .build(), CustomResourceOptions.builder().parent(instance).build());
                ids.add(instance.id());
                dns.add(instance.publicDns());
                ips.add(instance.publicIp());
            }
        }
        this.groupName = groupName;
        this.instanceIds = List.copyOf(ids);
        this.publicDnsNames = List.copyOf(dns);
        this.publicIps = List.copyOf(ips);
        this.roleArn = role.arn();
        registerOutputs(Map.of("instanceIds", Output.all(instanceIds), "publicDnsNames", Output.all(publicDnsNames),
                "roleArn", roleArn));
    }

    /**
     * The auto-scaling group of high-availability mode: the launch template's latest version
     * across the public subnets, registered into the balancer's target groups, replaced when a
     * host fails the balancer's health check (type ELB) after the grace period, and rolled with an
     * instance refresh when the template changes: a new host is launched and healthy before an old
     * one is terminated (minimum healthy {@value #REFRESH_MIN_HEALTHY_PERCENT}%, maximum
     * {@value #REFRESH_MAX_HEALTHY_PERCENT}%).
     */
    private Group hostGroup(String name, OrthancHostArgs args, LaunchTemplate template, List<Resource> dependencies) {
        var g = args.group().orElseThrow();
        var naming = args.naming();
        List<GroupTagArgs> tags = new ArrayList<>();
        // an auto-scaling group takes no provider default tags: its own tags, not propagated
        // (the launch template tags the instances, volumes and interfaces)
        new TreeMap<>(naming.stackTags()).forEach((k, v) ->
                tags.add(GroupTagArgs.builder().key(k).value(v).propagateAtLaunch(false).build()));
        tags.add(GroupTagArgs.builder().key("Name").value(naming.name("hosts")).propagateAtLaunch(false).build());
        return new Group(name + "-group", GroupArgs.builder()
                .namePrefix(naming.name("hosts-"))
                .vpcZoneIdentifiers(Output.all(args.network().publicSubnetIds()))
                .launchTemplate(GroupLaunchTemplateArgs.builder()
                        .id(template.id())
                        .version(template.latestVersion().applyValue(String::valueOf))
                        .build())
                .minSize(g.minHosts())
                .maxSize(g.maxHosts())
                .desiredCapacity(g.minHosts())
                .targetGroupArns(Output.all(g.targetGroupArns()))
                .healthCheckType("ELB")
                .healthCheckGracePeriod(g.graceSeconds())
                .defaultInstanceWarmup(g.graceSeconds())
                .instanceRefresh(GroupInstanceRefreshArgs.builder()
                        .strategy("Rolling")
                        .preferences(GroupInstanceRefreshPreferencesArgs.builder()
                                .minHealthyPercentage(REFRESH_MIN_HEALTHY_PERCENT)
                                .maxHealthyPercentage(REFRESH_MAX_HEALTHY_PERCENT)
                                .instanceWarmup(String.valueOf(g.graceSeconds()))
                                // hosts already on the group's template stay (the stop-all path starts them new)
                                .skipMatching(true)
                                .build())
                        .build())
                .waitForCapacityTimeout(g.graceSeconds() + "s")
                .tags(tags)
                .build(), CustomResourceOptions.builder().parent(this).dependsOn(dependencies).build());
    }

    /** The host role's ARN, known before the role exists (for policies created earlier). */
    public static Output<String> roleArn(Naming naming, AwsContext aws) {
        return Output.tuple(aws.partition(), aws.accountId(), naming.name(ROLE_NAME))
                .applyValue(t -> "arn:" + t.t1 + ":iam::" + t.t2 + ":role/" + t.t3);
    }

    /**
     * What the host role may touch, by ARN, and the network path it must use.
     *
     * @param logGroupArn               container log group, or null without container logs
     * @param s3EndpointId              the S3 gateway endpoint (on every route table of the VPC)
     * @param secretsManagerEndpointId  the Secrets Manager interface endpoint, or null when the
     *                                  stack has none (requests then leave through the internet
     *                                  gateway and carry no VPC condition keys)
     */
    record HostPolicyScope(String bucketArn, String dbSecretArn, String appSecretArn, String siteTlsSecretArn,
                           String kmsKeyArn,
                           String logGroupArn, String region, String s3EndpointId, String secretsManagerEndpointId,
                           List<String> dbUserArns) {
    }

    /**
     * The IAM resources of the application's database roles, {@code
     * arn:<partition>:rds-db:<region>:<account>:dbuser:<DbiResourceId>/<role>} (RDS User Guide,
     * "Creating and using an IAM policy for IAM database access"): Orthanc's and Keycloak's,
     * never the master user's.
     *
     * @param dbResourceId the instance's resource id ({@code db-...}), not its identifier
     */
    static List<String> dbUserArns(String partition, String region, String accountId, String dbResourceId) {
        return DB_IAM_USERS.stream().map(user -> "arn:" + partition + ":rds-db:" + region + ":" + accountId
                + ":dbuser:" + dbResourceId + "/" + user).toList();
    }

    /** The database roles that sign in with IAM tokens (db-setup.sql grants them rds_iam). */
    public static final List<String> DB_IAM_USERS = List.of(org.orthweb.cloudinit.Layout.ORTHANC_DB,
            org.orthweb.cloudinit.Layout.KEYCLOAK_DB);

    /**
     * Least privilege for the host, usable only where the host uses it (never the DICOM peers' keys):
     * <ul>
     * <li>S3 (Orthanc's storage plugin, regional endpoint): only through the stack's S3 gateway
     *     endpoint, {@code aws:SourceVpce} (IAM User Guide, "AWS global condition context keys",
     *     aws:SourceVpce; S3 User Guide, "Controlling access from VPC endpoints with bucket
     *     policies"). Every route table of the VPC routes S3 to that endpoint, so the host's own
     *     requests always carry it; the key is absent from requests sent from anywhere else.</li>
     * <li>Secrets Manager (the boot-time AWS CLI on the host): through the stack's interface
     *     endpoint when one is configured ({@code aws:SourceVpce}); without one the request goes
     *     through the internet gateway and no VPC key exists to condition on (exception EX-10).
     *     The master DB secret is readable only while it lacks {@link #DB_PROVISIONED_TAG}
     *     (Secrets Manager condition key {@code secretsmanager:ResourceTag/tag-key}, Service
     *     Authorization Reference, "Actions, resources, and condition keys for AWS Secrets
     *     Manager"); the host may set that one tag and nothing else ({@code aws:RequestTag},
     *     {@code aws:TagKeys}).</li>
     * <li>KMS: the host never calls KMS itself; S3 and Secrets Manager call it on its behalf.
     *     So the key is usable only via those services ({@code kms:ViaService}, KMS Developer
     *     Guide "kms:ViaService") and only for this bucket and these secrets (encryption context
     *     {@code aws:s3:arn}, S3 User Guide "Encryption context" of SSE-KMS; {@code SecretARN},
     *     Secrets Manager User Guide "Secret encryption and decryption"). Network keys are not
     *     used here: requests a service makes on the caller's behalf do not carry them.</li>
     * <li>RDS IAM database authentication ({@code orthweb-db-auth} makes the tokens with which
 *     Orthanc and Keycloak sign in): {@code rds-db:connect} on those two database users only,
 *     {@link #dbUserArns}; not on the master user, whose password RDS manages.</li>
 * <li>CloudWatch Logs (the Docker daemon's awslogs driver, on the host): the container log
     *     group only; no logs endpoint exists in the stack, so no network condition (EX-10).</li>
     * </ul>
     * No wildcard actions, no wildcard resources.
     */
    static String hostPolicy(HostPolicyScope scope) {
        Map<String, Map<String, Object>> secretsPath = scope.secretsManagerEndpointId() == null ? Map.of()
                : Map.of("StringEquals", Map.of("aws:SourceVpce", scope.secretsManagerEndpointId()));
        Map<String, Map<String, Object>> s3Path = Map.of("StringEquals", Map.of("aws:SourceVpce", scope.s3EndpointId()));
        List<Map<String, Object>> statements = new ArrayList<>();
        statements.add(statement("ReadApplicationSecrets", "Allow", List.of("secretsmanager:GetSecretValue",
                "secretsmanager:DescribeSecret"), withCondition(Map.of("Resource", List.of(scope.appSecretArn(),
                scope.siteTlsSecretArn())), secretsPath)));
        statements.add(statement("DescribeDatabaseMasterSecret", "Allow", "secretsmanager:DescribeSecret",
                withCondition(Map.of("Resource", scope.dbSecretArn()), secretsPath)));
        statements.add(statement("ReadDatabaseMasterSecretUntilProvisioned", "Allow", "secretsmanager:GetSecretValue",
                withCondition(Map.of("Resource", scope.dbSecretArn()), merge(secretsPath,
                        Map.of("Null", Map.of("secretsmanager:ResourceTag/" + DB_PROVISIONED_TAG, "true"))))));
        statements.add(statement("MarkDatabaseProvisioned", "Allow", "secretsmanager:TagResource",
                withCondition(Map.of("Resource", scope.dbSecretArn()), merge(secretsPath, Map.of(
                        "Null", Map.of("aws:RequestTag/" + DB_PROVISIONED_TAG, "false"),
                        "ForAllValues:StringEquals", Map.of("aws:TagKeys", List.of(DB_PROVISIONED_TAG)))))));
        // IAM database authentication: the token is signed locally, no network path to condition on
        statements.add(statement("ConnectAsApplicationDatabaseRoles", "Allow", "rds-db:connect",
                Map.of("Resource", scope.dbUserArns())));
        statements.add(statement("ListDataBucket", "Allow", BUCKET_ACTIONS,
                withCondition(Map.of("Resource", scope.bucketArn()), s3Path)));
        statements.add(statement("ReadWriteDicomObjects", "Allow", OBJECT_ACTIONS,
                withCondition(Map.of("Resource", scope.bucketArn() + "/*"), s3Path)));
        statements.add(statement("UseStackKeyThroughS3", "Allow", KEY_ACTIONS,
                withCondition(Map.of("Resource", scope.kmsKeyArn()), Map.of(
                        "StringEquals", Map.of("kms:ViaService", "s3." + scope.region() + ".amazonaws.com"),
                        // with S3 bucket keys the context is the bucket's ARN, without them the object's
                        "StringLike", Map.of("kms:EncryptionContext:aws:s3:arn",
                                List.of(scope.bucketArn(), scope.bucketArn() + "/*"))))));
        statements.add(statement("UseStackKeyThroughSecretsManager", "Allow", "kms:Decrypt",
                withCondition(Map.of("Resource", scope.kmsKeyArn()), Map.of(
                        "StringEquals", Map.of(
                                "kms:ViaService", "secretsmanager." + scope.region() + ".amazonaws.com",
                                "kms:EncryptionContext:SecretARN", List.of(scope.dbSecretArn(), scope.appSecretArn(),
                                        scope.siteTlsSecretArn()))))));
        if (scope.logGroupArn() != null) {
            String group = scope.logGroupArn().endsWith(":*") ? scope.logGroupArn() : scope.logGroupArn() + ":*";
            Map<String, Object> resource = new LinkedHashMap<>();
            resource.put("Resource", List.of(group, group.substring(0, group.length() - 1) + "log-stream:*"));
            statements.add(statement("WriteContainerLogs", "Allow", List.of("logs:CreateLogStream", "logs:PutLogEvents",
                    "logs:DescribeLogStreams"), resource));
        }
        return Policies.document(statements);
    }

    /** Condition blocks merged by operator (two blocks may both use StringEquals). */
    static Map<String, Map<String, Object>> merge(Map<String, Map<String, Object>> a, Map<String, Map<String, Object>> b) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        for (var block : List.of(a, b)) {
            block.forEach((op, keys) -> out.computeIfAbsent(op, k -> new LinkedHashMap<>()).putAll(keys));
        }
        return out;
    }

    private static Map<String, Object> withCondition(Map<String, Object> extra, Map<String, Map<String, Object>> condition) {
        Map<String, Object> out = new LinkedHashMap<>(extra);
        if (!condition.isEmpty()) {
            out.put("Condition", condition);
        }
        return out;
    }
}
