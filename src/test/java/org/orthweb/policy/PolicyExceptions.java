package org.orthweb.policy;

import org.orthweb.plan.Plan.PlannedResource;

import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

import static org.orthweb.policy.PolicyStack.map;
import static org.orthweb.policy.PolicyStack.statements;
import static org.orthweb.policy.PolicyStack.str;

/**
 * THE list of documented exceptions to SECURITY-CONTROLS.md: every place where the program
 * knowingly deviates from a control (or where a row cannot apply), with the reason. Nothing
 * else in the suite may skip a control.
 *
 * <p>Each exception carries a {@code scope} (the stacks it is meant for) and an
 * {@code occurrences} function that finds the deviation in a stack's plan (resource names).
 * {@link PolicyExceptionsTest} checks both directions for every stack file: inside its scope the
 * deviation must really occur (otherwise the exception is stale: remove it and let the control
 * be enforced), outside its scope it must not occur. Control tests accept a deviating resource
 * only through {@link #covers}.
 */
final class PolicyExceptions {

    /** AWS managed policies the design attaches (they grant on Resource "*" by AWS's design). */
    static final String SSM_CORE = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore";
    static final String RDS_MONITORING = "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole";
    // AWS Backup's managed policies (AWS Backup guide, "Managed policies for AWS Backup")
    static final String BACKUP = "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup";
    static final String RESTORES = "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores";
    static final String S3_BACKUP = "arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Backup";
    static final String S3_RESTORE = "arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Restore";

    record PolicyException(String id, List<String> controls, String resource, String reason, String scopeText,
                           Predicate<PolicyStack> scope, Function<PolicyStack, List<String>> occurrences) {

        boolean appliesTo(PolicyStack s) {
            return scope.test(s);
        }

        List<String> occurrencesIn(PolicyStack s) {
            return occurrences.apply(s);
        }
    }

    /** Public subnets that hand out public IPs (shared by EX-01 and EX-02). */
    private static final Function<PolicyStack, List<PlannedResource>> EX01_PUBLIC_IP_SUBNETS =
            s -> Topology.publicSubnets(s).stream()
                    .filter(sub -> Boolean.TRUE.equals(sub.inputs().get("mapPublicIpOnLaunch"))).toList();

    private static final Predicate<PolicyStack> ALL_STACKS = s -> true;
    private static final Predicate<PolicyStack> NOT_HARDENED = s -> !s.hardened();

    static final List<PolicyException> ALL = List.of(
            new PolicyException("EX-01", List.of("CKV_AWS_130", "EC2.15"),
                    "public subnets (ec2.Subnet routed to the internet gateway)",
                    "mapPublicIpOnLaunch is true on the public subnets only: in single-host mode the hosts serve "
                            + "HTTPS and DICOM TLS directly to the clinic's networks; in HA mode they keep a public "
                            + "address for their own way out (AWS APIs, images: no NAT gateway) while the app security "
                            + "group admits 443 and 11112 from the balancer's group only. Private subnets (database, "
                            + "endpoints) keep it false and have no route out.",
                    "all stacks", ALL_STACKS,
                    s -> Topology.publicSubnets(s).stream()
                            .filter(sub -> Boolean.TRUE.equals(sub.inputs().get("mapPublicIpOnLaunch")))
                            .map(PlannedResource::name).toList()),
            new PolicyException("EX-02", List.of("EC2.9", "CKV_AWS_88", "AG:ec2-instance-no-public-ip"),
                    "Orthanc hosts (ec2.Instance, or the auto-scaling group's instances, in a public subnet)",
                    "the hosts have public IPs for the same reason as EX-01 (the HTTPS/DICOM endpoints in single-host "
                            + "mode, their own way out in HA mode); "
                            + "SSH is closed (SSM Session Manager replaces it) and IMDSv2 is required.",
                    "all stacks", ALL_STACKS,
                    s -> {
                        Set<String> pub = Set.copyOf(s.ids(EX01_PUBLIC_IP_SUBNETS.apply(s)));
                        List<String> found = new java.util.ArrayList<>(s.ofType(Types.INSTANCE).stream()
                                .filter(i -> pub.contains(str(i, "subnetId"))
                                        || Boolean.TRUE.equals(i.inputs().get("associatePublicIpAddress")))
                                .map(PlannedResource::name).toList());
                        // HA mode: the group launches its hosts into the same public subnets
                        s.ofType(Types.AUTOSCALING_GROUP).stream()
                                .filter(g -> g.inputs().get("vpcZoneIdentifiers") instanceof List<?> z
                                        && z.stream().map(String::valueOf).anyMatch(pub::contains))
                                .map(PlannedResource::name).forEach(found::add);
                        return found;
                    }),
            new PolicyException("EX-03", List.of("CKV_AWS_341"),
                    "launch template metadataOptions.httpPutResponseHopLimit = 2",
                    "only Orthanc's S3 storage plugin needs it: Orthanc runs in a container on Docker's bridge, one "
                            + "hop further than the host, and IMDSv2 answers a container only with hop limit 2 (EC2 "
                            + "User Guide, 'Configure the Instance Metadata Service options'). The awslogs driver "
                            + "(inside dockerd) and the boot-time AWS CLI run in the host's own network namespace and "
                            + "would work with 1. The bootstrap's host firewall (DOCKER-USER) drops traffic to "
                            + "169.254.169.254 from every container but Orthanc's fixed address, so nginx, Keycloak "
                            + "and the auth service cannot fetch the role. IMDSv2 stays required; the limit never "
                            + "exceeds 2.",
                    "all stacks", ALL_STACKS,
                    s -> s.ofType(Types.LAUNCH_TEMPLATE).stream()
                            .filter(lt -> Long.valueOf(2).equals(map(lt.inputs().get("metadataOptions")).get("httpPutResponseHopLimit")))
                            .map(PlannedResource::name).toList()),
            new PolicyException("EX-04", List.of("CKV_AWS_18", "S3.9"),
                    "log bucket (the target of the data bucket's access logs and of VPC flow logs)",
                    "the log bucket is not access-logged itself: logging it into itself would log its own log "
                            + "deliveries, and into another bucket needs a third bucket with the same question. It "
                            + "receives only AWS log deliveries (bucket policy), is versioned, KMS-encrypted, "
                            + "TLS-only and public-access-blocked.",
                    "all stacks", ALL_STACKS,
                    s -> {
                        Set<String> targets = new java.util.HashSet<>();
                        s.ofType(Types.BUCKET_LOGGING).forEach(l -> targets.add(str(l, "targetBucket")));
                        Set<String> logged = new java.util.HashSet<>();
                        s.ofType(Types.BUCKET_LOGGING).forEach(l -> logged.add(str(l, "bucket")));
                        return s.ofType(Types.BUCKET).stream()
                                .filter(b -> targets.contains(s.id(b.name())) && !logged.contains(s.id(b.name())))
                                .map(PlannedResource::name).toList();
                    }),
            new PolicyException("EX-05", List.of("CKV2_AWS_57", "SecretsManager.1"),
                    "Secrets Manager secrets of the application and the site PKI (not the database: RDS rotates "
                            + "the master credential, the application roles sign in with IAM tokens)",
                    "the application secret (Keycloak admin and client secrets, auth-service keys) is read once "
                            + "at boot and has no rotation function; values are generated (32 chars), KMS "
                            + "encrypted and readable only by the host role. The PKI secrets change when the tls "
                            + "provider re-issues a certificate (early renewal on pulumi up), not by a rotation "
                            + "function; the DICOM peer secret is not readable by the hosts.",
                    "all stacks (the table's row is 'prod (later)')", ALL_STACKS,
                    s -> {
                        Set<String> rotated = new java.util.HashSet<>();
                        s.ofType(Types.SECRET_ROTATION).forEach(r -> rotated.add(str(r, "secretId")));
                        return s.ofType(Types.SECRET).stream()
                                .filter(sec -> !rotated.contains(s.id(sec.name())) && !rotated.contains(s.arn(sec.name())))
                                .map(PlannedResource::name).toList();
                    }),
            new PolicyException("EX-06", List.of("CKV_AWS_353", "CKV_AWS_354"),
                    "RDS instance in non-hardened stacks (dev, tst)",
                    "Performance Insights is on (with the CMK) only in hardened stacks (prd, stg). Dev is "
                            + "disposable and runs the small class db.t4g.small, for which AWS lists Performance/"
                            + "Database Insights as unsupported on several engines (not verified offline for "
                            + "PostgreSQL). The table marks the row optional (the reference skips it).",
                    "non-hardened stacks", NOT_HARDENED,
                    s -> s.ofType(Types.DB_INSTANCE).stream()
                            .filter(db -> !Boolean.TRUE.equals(db.inputs().get("performanceInsightsEnabled")))
                            .map(PlannedResource::name).toList()),
            new PolicyException("EX-07", List.of("CKV_AWS_355", "IAM.21", "KMS.1", "wildcard regression"),
                    "KMS key policy (kms.Key policy)",
                    "in a key policy Resource \"*\" means the key itself (a key policy cannot name other "
                            + "resources); the statement giving the account root kms:* is AWS's default key policy "
                            + "that delegates key administration to IAM (without it the key becomes unmanageable). "
                            + "Service principals are limited to this account (and the stack's buckets and alarms) "
                            + "by the condition keys each service documents for key policies.",
                    "all stacks", ALL_STACKS,
                    s -> s.ofType(Types.KMS_KEY).stream()
                            .filter(k -> statements(k.inputs().get("policy")).stream()
                                    .anyMatch(st -> st.resources().contains("*")))
                            .map(PlannedResource::name).toList()),
            new PolicyException("EX-08", List.of("CKV_AWS_355", "IAM.21", "CKV_AWS_274"),
                    "AWS managed policies attached: AmazonSSMManagedInstanceCore (host role), "
                            + "AmazonRDSEnhancedMonitoringRole (RDS monitoring role), and AWS Backup's four "
                            + "(AWSBackupServiceRolePolicyForBackup/ForRestores/ForS3Backup/ForS3Restore, backup role)",
                    "both are required by controls (CKV2_AWS_41 SSM access, CKV_AWS_118 enhanced monitoring) and "
                            + "are maintained by AWS; some of their statements use Resource \"*\" because the APIs "
                            + "(ssm:UpdateInstanceInformation, logs for RDSOSMetrics) are not resource-scoped; "
                            + "AWS Backup's role acts only on the resources its selection names (by ARN). No "
                            + "other managed policy may be attached.",
                    "all stacks", ALL_STACKS,
                    s -> s.ofType(Types.ROLE_POLICY_ATTACHMENT).stream()
                            .filter(a -> Set.of(SSM_CORE, RDS_MONITORING, BACKUP, RESTORES, S3_BACKUP, S3_RESTORE)
                                    .contains(str(a, "policyArn")))
                            .map(PlannedResource::name).toList()),
            new PolicyException("EX-10", List.of("custom (network perimeter)"),
                    "host role statements for Secrets Manager without an interface endpoint, and for CloudWatch Logs",
                    "a request carries aws:SourceVpce / aws:SourceVpc only when it passes a VPC endpoint (IAM User "
                            + "Guide, global condition keys). Without a secretsmanager interface endpoint the "
                            + "boot-time CLI reaches Secrets Manager through the internet gateway, and the stack has "
                            + "no CloudWatch Logs endpoint for the awslogs driver, so these statements cannot be pinned "
                            + "to the VPC; aws:SourceIp would need the hosts' public IPs, which exist only after the "
                            + "role. Hardened stacks configure the secretsmanager endpoint; the master secret is "
                            + "closed after provisioning in every stack (tag condition); logs are write-only.",
                    "stacks with container logs or without a secretsmanager endpoint",
                    s -> s.config().logging().containerLogs()
                            || !s.config().network().interfaceEndpoints().contains("secretsmanager"),
                    PerimeterControlsTest::unpinnedHostStatements),
            new PolicyException("EX-11", List.of("wildcard regression", "custom (endpoint policies)"),
                    "S3 gateway endpoint policy, statement AwsOwnedDownloads (principal *)",
                    "dnf fetches Amazon Linux 2023 packages from AWS-owned buckets unsigned (anonymous), and the "
                            + "gateway endpoint sits on every route table, so an endpoint policy that named only our "
                            + "principals would break package installs. The statement allows only s3:GetObject, only "
                            + "on the named AWS-owned buckets (AL2023 repositories, SSM Agent, ECR layers) of the "
                            + "stack's region; writes and every other bucket stay closed.",
                    "all stacks", ALL_STACKS,
                    s -> s.ofType(Types.VPC_ENDPOINT_POLICY).stream()
                            .flatMap(p -> statements(p.inputs().get("policy")).stream()
                                    .filter(st -> "*".equals(st.principal()))
                                    .filter(st -> st.actions().equals(List.of("s3:GetObject")))
                                    .filter(st -> st.resources().stream().noneMatch(r -> r.contains(
                                            str(S3ControlsTest.dataBucket(s), "bucket"))))
                                    .map(st -> p.name() + " " + st.sid()))
                            .toList()),
            new PolicyException("EX-12", List.of("custom (egress allow-list)", "CKV_AWS_382"),
                    "host security group: egress tcp 443 to 0.0.0.0/0",
                    "security groups filter by address, not name: the hosts download the Docker Compose plugin "
                            + "(GitHub releases), the RDS CA bundle, container images (Docker Hub, served from a CDN) "
                            + "and, without interface endpoints, reach Secrets Manager, CloudWatch Logs and SSM on "
                            + "public addresses. The containers, which face the internet, are limited on the host "
                            + "instead: the bootstrap's firewall lets them reach only private addresses (RDS, "
                            + "endpoints) and each other, and only Orthanc HTTPS out (S3). Hardened stacks add "
                            + "endpoints; an egress proxy or AWS Network Firewall is the next step.",
                    "all stacks", ALL_STACKS,
                    s -> s.ofType(Types.SG_EGRESS).stream()
                            .filter(r -> "0.0.0.0/0".equals(str(r, "cidrIpv4")))
                            .map(PlannedResource::name).toList()),
            new PolicyException("EX-09", List.of("CKV_AWS_2", "CKV_AWS_103", "ELB.17", "CKV_AWS_91"),
                    "network load balancer listeners (lb.Listener TCP 443 and 11112) and the balancer's access logs (HA mode)",
                    "the listeners pass TLS through (TCP) to each host's nginx, which terminates TLS 1.2+ and checks "
                            + "the DICOM peer's client certificate and AE title: a TLS listener would end TLS at the "
                            + "balancer, where no client certificate check exists for an NLB, and need an ACM "
                            + "certificate for a domain the stack does not own. NLB access logs are written only for "
                            + "TLS listeners (ELB guide, \"Access logs for your Network Load Balancer\"), so there are "
                            + "none to enable; the hosts' nginx logs every request and DICOM association (client "
                            + "address preserved) to CloudWatch instead.",
                    "HA stacks", s -> !s.ofType(Types.LOAD_BALANCER).isEmpty(),
                    s -> {
                        List<String> found = new java.util.ArrayList<>();
                        s.ofType(Types.LB_LISTENER).stream().filter(l -> "TCP".equals(l.inputs().get("protocol")))
                                .map(PlannedResource::name).forEach(found::add);
                        s.ofType(Types.LOAD_BALANCER).stream().filter(lb -> lb.inputs().get("accessLogs") == null)
                                .map(PlannedResource::name).forEach(found::add);
                        return found;
                    }));

    private PolicyExceptions() {
    }

    static PolicyException get(String id) {
        return ALL.stream().filter(e -> e.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no exception " + id));
    }

    /**
     * Whether a documented exception for {@code control} applies to this stack and names this
     * resource among the deviations it found.
     */
    static boolean covers(String control, PolicyStack s, String resourceName) {
        return ALL.stream().anyMatch(e -> e.controls().contains(control) && e.appliesTo(s)
                && e.occurrencesIn(s).contains(resourceName));
    }
}
