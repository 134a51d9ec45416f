package org.orthweb;

import com.pulumi.Context;
import com.pulumi.aws.AwsFunctions;
import com.pulumi.aws.Provider;
import com.pulumi.aws.inputs.GetAvailabilityZonesArgs;
import com.pulumi.aws.inputs.GetCallerIdentityArgs;
import com.pulumi.aws.inputs.GetPartitionArgs;
import com.pulumi.core.Output;
import com.pulumi.deployment.InvokeOptions;
import com.pulumi.random.RandomPet;
import com.pulumi.random.RandomPetArgs;
import com.pulumi.resources.ComponentResourceOptions;
import org.orthweb.cloudinit.AppSecrets;
import org.orthweb.components.AlarmSpec;
import org.orthweb.components.Alarms;
import org.orthweb.components.Alerting;
import org.orthweb.components.AlertingArgs;
import org.orthweb.components.AppFirewall;
import org.orthweb.components.Backups;
import org.orthweb.components.BackupsArgs;
import org.orthweb.components.CostBudget;
import org.orthweb.components.CostBudgetArgs;
import org.orthweb.components.AppFirewallArgs;
import org.orthweb.components.ApplicationSecrets;
import org.orthweb.components.ApplicationSecretsArgs;
import org.orthweb.components.AwsContext;
import org.orthweb.components.DataEventTrail;
import org.orthweb.components.ClientVpn;
import org.orthweb.components.ClientVpnArgs;
import org.orthweb.components.DicomStorage;
import org.orthweb.components.DicomStorageArgs;
import org.orthweb.components.EncryptionKey;
import org.orthweb.components.EndpointPolicies;
import org.orthweb.components.EncryptionKeyArgs;
import org.orthweb.components.OrthancDatabase;
import org.orthweb.components.OrthancDatabaseArgs;
import org.orthweb.components.OrthancHost;
import org.orthweb.components.OrthancHostArgs;
import org.orthweb.components.SecureVpc;
import org.orthweb.components.SiteAddress;
import org.orthweb.components.SiteAddressArgs;
import org.orthweb.components.SiteBalancer;
import org.orthweb.components.SiteBalancerArgs;
import org.orthweb.components.SecureVpcArgs;
import org.orthweb.components.SitePki;
import org.orthweb.components.SitePkiArgs;
import org.orthweb.config.ConfigParser;
import org.orthweb.config.EnvironmentProfile;
import org.orthweb.config.RawConfig;
import org.orthweb.config.StackConfig;
import org.orthweb.naming.Naming;
import org.orthweb.pki.DicomPeer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Pulumi program. {@link #define} builds the stack from a validated config: {@code main}
 * calls it under {@code pulumi up} after parsing the engine's config, the Automation API deployer
 * as its inline program, tests and the offline plan under the mock engine.
 */
public final class OrthwebProgram {

    public static final String PROJECT = "orthweb";
    /** The stack tag the cost budget filters on (activate it as a cost allocation tag). */
    public static final String BUDGET_TAG = "Stack";

    private OrthwebProgram() {
    }

    /**
     * For a program the CLI starts: config comes from the environment variables the engine sets.
     * Not for inline programs (the Automation API hands them config another way): those call
     * {@link #define} with a parsed config.
     */
    public static void stack(Context ctx) {
        StackConfig config = ConfigParser.parse(ctx.stackName(), RawConfig.fromEngineEnvironment(System.getenv()));
        define(ctx, config);
    }

    /** Builds every resource of the stack from a validated config and exports the outputs. */
    public static void define(Context ctx, StackConfig cfg) {
        // the user's aws:defaultTags joined to ours (a conflict was refused when the config was parsed)
        Map<String, String> stackTags = cfg.awsProvider().mergedTags(Naming.defaultTags(cfg));
        // an explicit provider reads no stack config itself: every aws: key the user set is handed on here
        var provider = new Provider("aws", cfg.awsProvider().providerArgs(cfg.region(), stackTags));
        var invoke = InvokeOptions.builder().provider(provider).build();
        var components = ComponentResourceOptions.builder().providers(provider).build();

        // The stack's name prefix: generated once, kept in state (as the reference's random pet).
        var pet = new RandomPet("name-prefix", RandomPetArgs.builder().length(2).separator("-").build(), null);
        var naming = new Naming(pet.name(), stackTags);
        var identity = AwsFunctions.getCallerIdentity(GetCallerIdentityArgs.builder().build(), invoke);
        var aws = new AwsContext(cfg.region(), identity.applyValue(r -> r.accountId()),
                AwsFunctions.getPartition(GetPartitionArgs.builder().build(), invoke).applyValue(r -> r.partition()));
        Output<List<String>> zones = AwsFunctions.getAvailabilityZones(GetAvailabilityZonesArgs.builder()
                .state("available").build(), invoke).applyValue(r -> r.names());

        // every value that follows from prd/stg versus dev/tst, computed once
        EnvironmentProfile profile = cfg.profile();
        // S3 data events are recorded in hardened stacks; the key and log bucket policies name the
        // trail before it exists (it needs both), and the data bucket policy names the host role
        Output<String> trailArn = profile.recordDataEvents() ? DataEventTrail.trailArn(naming, aws) : null;
        Output<String> hostRoleArn = OrthancHost.roleArn(naming, aws);
        var key = new EncryptionKey("encryption", new EncryptionKeyArgs(naming, aws, profile.keyDeletionWindowDays(),
                profile.protect(), trailArn), components);

        // the log bucket holds the audit trail (S3 access logs, data events): six years when hardened
        var storage = new DicomStorage("storage", new DicomStorageArgs(naming, aws, key.keyArn,
                profile.logBucketRetentionDays(cfg.logging().retentionDays()), profile.forceDestroy(), profile.protect(),
                hostRoleArn, trailArn), components);

        var net = cfg.network();
        var vpc = new SecureVpc("network", new SecureVpcArgs(naming, aws, cfg.subnets(), zones,
                net.interfaceEndpoints(), storage.logBucketArn), components);

        // high-availability mode: the client networks reach the balancer, the hosts only the balancer
        boolean ha = cfg.ha().enabled();
        var firewall = new AppFirewall("firewall", new AppFirewallArgs(naming, vpc.vpcId, net.webClientCidrs(),
                net.dicomClientCidrs(), ha,
                org.orthweb.orthanc.OrthancSettings.egress(cfg.orthanc())), components);
        Optional<SiteBalancer> balancer = ha
                ? Optional.of(new SiteBalancer("balancer", new SiteBalancerArgs(naming, vpc.vpcId, vpc.publicSubnetIds,
                        firewall.securityGroupId, net.webClientCidrs(), net.dicomClientCidrs(), profile.deletionProtection()),
                        components))
                : Optional.empty();

        var database = new OrthancDatabase("database", new OrthancDatabaseArgs(naming, cfg.database(), vpc.vpcId,
                vpc.privateSubnetIds, firewall.securityGroupId, key.keyArn, cfg.logging().retentionDays(),
                OrthancDatabaseArgs.Safeguards.of(profile)), components);

        var secrets = new ApplicationSecrets("app-secrets", new ApplicationSecretsArgs(naming, key.keyArn,
                AppSecrets.KEYS, profile.secretRecoveryWindowDays(), profile.protect()), components);

        // before the hosts (and the site PKI): the stable names are known once the addresses exist
        var address = new SiteAddress("site-address", new SiteAddressArgs(naming, cfg.host().instanceCount(),
                cfg.site().name(), balancer.map(b -> b.dnsName)), components);

        // ---- Site PKI inputs (the one place they are chosen) -------------------------------------
        // DICOM peers: orthweb:dicom.clients (SitePkiArgs validates them again)
        List<DicomPeer> dicomPeers = cfg.dicom().peers();
        // Server certificate SANs: the site name, plus the stack's stable address names (the
        // Elastic IPs' public DNS names, or in HA mode the balancer's DNS name, join this list;
        // they exist before any host, so no cycle).
        Output<List<String>> serverNames = address.stableNames;
        // Orthanc's own client certificate only when a declared modality is called over DICOM TLS
        boolean orthancClient = org.orthweb.orthanc.OrthancSettings.scuTls(cfg.orthanc());
        var pki = new SitePki("pki", new SitePkiArgs(naming, cfg.stack(), key.keyArn, serverNames, dicomPeers,
                orthancClient, profile.secretRecoveryWindowDays(), profile.protect()), components);

        var host = new OrthancHost("host", new OrthancHostArgs(naming, aws, OrthancHostArgs.Settings.of(cfg),
                new OrthancHostArgs.HostNetwork(vpc.publicSubnetIds, firewall.securityGroupId), key.keyArn,
                new OrthancHostArgs.DataBucket(storage.bucketName, storage.bucketArn),
                new OrthancHostArgs.DatabaseEndpoint(database.address, database.port, database.resourceId),
                new OrthancHostArgs.DatabaseMasterSecret(database.masterSecretArn),
                new OrthancHostArgs.ApplicationSecret(secrets.secretArn), vpc.endpoints(),
                new OrthancHostArgs.SiteTlsSecret(pki.serverSecretArn, pki.serverSecretVersionId),
                new OrthancHostArgs.StableAddress(address.siteName, address.allocationIds),
                balancer.map(b -> new OrthancHostArgs.HostGroup(cfg.ha().minHosts(), cfg.ha().maxHosts(),
                        cfg.ha().healthCheckGraceSeconds(), b.targetGroupArns))), components, invoke);

        new EndpointPolicies("endpoint-policies", vpc.endpoints(), cfg.region(), host.roleArn, storage.bucketArn,
                Output.all(database.masterSecretArn, secrets.secretArn, pki.serverSecretArn), key.keyArn, components);
        if (profile.recordDataEvents()) {
            new DataEventTrail("audit-trail", naming, storage.bucketArn, storage.logBucketName, key.keyArn,
                    ComponentResourceOptions.builder().providers(provider).dependsOn(storage, key).build());
        }

        var alerting = operations(cfg, naming, aws, stackTags, key, storage, database, host, balancer, components);

        exportOutputs(ctx, cfg, address, host, database, storage, key, secrets);
        ctx.export("alertTopicArn", alerting.topicArn);
        exportDicomOutputs(ctx, cfg, pki);

        // private access through AWS Client VPN: nothing of it exists without orthweb:vpn
        cfg.vpn().ifPresent(vpnSettings -> {
            var vpn = new ClientVpn("vpn", new ClientVpnArgs(naming, cfg.stack(), vpnSettings, vpc.vpcId,
                    net.vpcCidr().toString(), vpc.privateSubnetIds, firewall.securityGroupId, key.keyArn,
                    cfg.logging().retentionDays(), profile.secretRecoveryWindowDays(), profile.protect()), components);
            exportVpnOutputs(ctx, vpn);
        });
    }

    /** What {@code orthweb vpn-client} reads to write a client's OpenVPN profile. */
    private static void exportVpnOutputs(Context ctx, ClientVpn vpn) {
        ctx.export(VpnOutputs.ENDPOINT_DNS_NAME, vpn.endpointDnsName);
        ctx.export(VpnOutputs.PORT, Output.of(ClientVpn.VPN_PORT));
        ctx.export(VpnOutputs.PROTOCOL, Output.of(ClientVpn.TRANSPORT));
        ctx.export(VpnOutputs.CA_CERTIFICATE, vpn.caCertPem);
        // keys inside: a secret output (vpn.clientMaterial is marked secret)
        ctx.export(VpnOutputs.CLIENTS, vpn.clientMaterial);
        ctx.export(VpnOutputs.CLIENT_SECRET_ARN, vpn.clientSecretArn);
        ctx.export("vpnLogGroup", vpn.logGroupName);
    }

    /**
     * Day-two operations: the alarms and their topic, AWS Backup (when enabled) and the cost
     * budget (when a limit is set).
     */
    private static Alerting operations(StackConfig cfg, Naming naming, AwsContext aws, Map<String, String> stackTags,
                                       EncryptionKey key, DicomStorage storage, OrthancDatabase database,
                                       OrthancHost host, Optional<SiteBalancer> balancer,
                                       ComponentResourceOptions components) {
        Output<String> recover = aws.partition().applyValue(p -> "arn:" + p + ":automate:" + cfg.region() + ":ec2:recover");
        List<AlarmSpec> alarms = new ArrayList<>();
        for (int i = 0; i < host.instanceIds.size(); i++) {
            alarms.addAll(Alarms.host(i + 1, host.instanceIds.get(i), recover));
        }
        // high-availability mode: the group replaces failed hosts; the balancer says when one fails
        balancer.ifPresent(b -> alarms.addAll(Alarms.balancer(b.arnSuffix, b.targetGroupArnSuffixes,
                cfg.ha().healthCheckGraceSeconds())));
        alarms.addAll(Alarms.database(database.identifier, cfg.database().allocatedStorageGiB(),
                cfg.database().instanceClass()));
        var alerting = new Alerting("alerts", new AlertingArgs(naming, key.keyArn, cfg.alerts().emails(), alarms),
                components);

        var backup = cfg.backup();
        if (backup.enabled()) {
            List<Output<String>> arns = new ArrayList<>(List.of(database.instanceArn));
            if (backup.dataBucket()) {
                arns.add(storage.bucketArn);
            }
            Optional<BackupsArgs.CopyRegion> copy = backup.copyRegion().map(region -> new BackupsArgs.CopyRegion(region,
                    new Provider("aws-backup-copy", cfg.awsProvider().providerArgs(region, stackTags))));
            EnvironmentProfile profile = cfg.profile();
            new Backups("backup", new BackupsArgs(naming, aws, key.keyArn, arns, backup.retentionDays(), copy,
                    profile.protect(), profile.forceDestroy()), components);
        }

        var budget = cfg.budget();
        budget.monthlyLimitUsd().ifPresent(limit -> new CostBudget("budget", new CostBudgetArgs(naming,
                BUDGET_TAG, limit, budget.actualAlertPercent(), budget.forecastAlertPercent(), cfg.alerts().emails()),
                components));
        return alerting;
    }

    /** What {@code orthweb dicom-client} reads to hand a peer its material. */
    private static void exportDicomOutputs(Context ctx, StackConfig cfg, SitePki pki) {
        ctx.export(DicomOutputs.CALLED_AE_TITLE, Output.of(cfg.orthanc().aeTitle()));
        ctx.export(DicomOutputs.CA_CERTIFICATE, pki.caCertPem);
        // keys inside: a secret output (pki.peerMaterial is marked secret)
        ctx.export(DicomOutputs.PEERS, pki.peerMaterial);
        ctx.export(DicomOutputs.PEER_SECRET_ARN, pki.peerSecretArn);
        // DICOM TLS needs a client certificate per peer: the command that hands each its kit
        ctx.export(DicomOutputs.CLIENT_KIT_COMMANDS, Output.of(cfg.dicom().peers().stream()
                .map(p -> dicomClientCommand(cfg.stack(), p.name())).toList()));
        ctx.export("tlsSecretArn", pki.serverSecretArn);
        pki.orthancScuCertPem.ifPresent(cert -> ctx.export(DicomOutputs.ORTHANC_CLIENT_CERTIFICATE, cert));
    }

    /** The AWS CLI command that lists the group's hosts (instance id, zone, health, lifecycle state). */
    static String hostListCommand(String region, String groupName) {
        return "aws autoscaling describe-auto-scaling-groups --region " + region + " --auto-scaling-group-names "
                + groupName + " --query 'AutoScalingGroups[0].Instances[].[InstanceId,AvailabilityZone,HealthStatus,"
                + "LifecycleState]' --output table";
    }

    private static void exportOutputs(Context ctx, StackConfig cfg, SiteAddress address, OrthancHost host,
                                      OrthancDatabase database, DicomStorage storage, EncryptionKey key,
                                      ApplicationSecrets secrets) {
        // every name here survives a host replacement: the site name and the Elastic IPs' names
        // (high-availability mode: the balancer's name)
        ctx.export("siteName", address.siteName);
        ctx.export("stableNames", address.stableNames);
        ctx.export("siteUrls", address.siteName.applyValue(n -> List.of("https://" + n + "/")));
        ctx.export(DicomOutputs.ENDPOINTS, address.stableNames.applyValue(names ->
                names.stream().map(n -> n + ":" + AppFirewall.DICOM_TLS_PORT).toList()));
        if (host.groupName != null) {
            // high-availability mode: the hosts are whatever the group runs now
            ctx.export("hostGroupName", host.groupName);
            ctx.export("hostListCommand", host.groupName.applyValue(g -> hostListCommand(cfg.region(), g)));
        } else {
            ctx.export("hostIds", Output.all(host.instanceIds));
            ctx.export("hostPublicDnsNames", Output.all(address.publicDnsNames));
            ctx.export("hostPublicIps", Output.all(address.publicIps));
            ctx.export("ssmSessionCommands", Output.all(host.instanceIds).applyValue(ids -> {
                List<String> commands = new ArrayList<>();
                for (String id : ids) {
                    commands.add("aws ssm start-session --region " + cfg.region() + " --target " + id);
                }
                return commands;
            }));
        }
        ctx.export("dbEndpoint", Output.tuple(database.address, database.port).applyValue(t -> t.t1 + ":" + t.t2));
        ctx.export("dataBucketName", storage.bucketName);
        ctx.export("logBucketName", storage.logBucketName);
        ctx.export("dbSecretArn", database.masterSecretArn);
        ctx.export("appSecretArn", secrets.secretArn);
        ctx.export("kmsKeyArn", key.keyArn);
        ctx.export("containerLogGroup", host.containerLogGroup);
        ctx.export(HOST_AMI_ID, host.amiId);
        // the first sign-in to Keycloak's admin console: the generated bootstrap password, read by the operator
        ctx.export("keycloakAdminPasswordCommand", secrets.secretArn.applyValue(arn ->
                keycloakAdminPasswordCommand(cfg.region(), arn)));
    }

    /** The output naming the AMI the hosts run (pin it with {@code orthweb:host.amiId}). */
    public static final String HOST_AMI_ID = "hostAmiId";

    /**
     * The AWS CLI line that prints Keycloak's bootstrap administrator password ({@code admin} of the
     * master realm): the {@link AppSecrets#KEYCLOAK_ADMIN_PASSWORD} field of the application secret
     * ({@link ApplicationSecrets} stores the generated values as one JSON object).
     */
    public static String keycloakAdminPasswordCommand(String region, String appSecretArn) {
        return "aws secretsmanager get-secret-value --region " + region + " --secret-id " + appSecretArn
                + " --query SecretString --output text | jq -r ." + AppSecrets.KEYCLOAK_ADMIN_PASSWORD;
    }

    /** The command that writes a DICOM peer's client certificate, key and the site CA into a folder. */
    public static String dicomClientCommand(String stack, String peer) {
        return "java -jar target/orthweb.jar dicom-client " + peer + " --stack " + stack + " --out " + peer + "-kit/";
    }
}
