package org.orthweb;

import com.pulumi.Context;
import com.pulumi.aws.AwsFunctions;
import com.pulumi.aws.Provider;
import com.pulumi.aws.ProviderArgs;
import com.pulumi.aws.inputs.GetAvailabilityZonesArgs;
import com.pulumi.aws.inputs.GetCallerIdentityArgs;
import com.pulumi.aws.inputs.GetPartitionArgs;
import com.pulumi.aws.inputs.ProviderDefaultTagsArgs;
import com.pulumi.core.Output;
import com.pulumi.deployment.InvokeOptions;
import com.pulumi.random.RandomPet;
import com.pulumi.random.RandomPetArgs;
import com.pulumi.resources.ComponentResourceOptions;
import org.orthweb.cloudinit.AppSecrets;
import org.orthweb.components.AppFirewall;
import org.orthweb.components.AppFirewallArgs;
import org.orthweb.components.ApplicationSecrets;
import org.orthweb.components.ApplicationSecretsArgs;
import org.orthweb.components.AwsContext;
import org.orthweb.components.DicomStorage;
import org.orthweb.components.DicomStorageArgs;
import org.orthweb.components.EncryptionKey;
import org.orthweb.components.EncryptionKeyArgs;
import org.orthweb.components.OrthancDatabase;
import org.orthweb.components.OrthancDatabaseArgs;
import org.orthweb.components.OrthancHost;
import org.orthweb.components.OrthancHostArgs;
import org.orthweb.components.SecureVpc;
import org.orthweb.components.SiteAddress;
import org.orthweb.components.SiteAddressArgs;
import org.orthweb.components.SecureVpcArgs;
import org.orthweb.config.ConfigParser;
import org.orthweb.config.RawConfig;
import org.orthweb.config.StackConfig;
import org.orthweb.naming.Naming;
import org.orthweb.net.Cidr;
import org.orthweb.net.SubnetPlan;

import java.util.ArrayList;
import java.util.List;

/**
 * The Pulumi program. {@link #define} builds the stack from a validated config: {@code main}
 * calls it under {@code pulumi up} after parsing the engine's config, the Automation API deployer
 * as its inline program, tests and the offline plan under the mock engine.
 */
public final class OrthwebProgram {

    public static final String PROJECT = "orthweb";

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
        var provider = new Provider("aws", ProviderArgs.builder()
                .region(cfg.region())
                .defaultTags(ProviderDefaultTagsArgs.builder().tags(Naming.defaultTags(cfg)).build())
                .build());
        var invoke = InvokeOptions.builder().provider(provider).build();
        var components = ComponentResourceOptions.builder().providers(provider).build();

        // The stack's name prefix: generated once, kept in state (as the reference's random pet).
        var pet = new RandomPet("name-prefix", RandomPetArgs.builder().length(2).separator("-").build(), null);
        var naming = new Naming(pet.name());
        var identity = AwsFunctions.getCallerIdentity(GetCallerIdentityArgs.builder().build(), invoke);
        var aws = new AwsContext(cfg.region(), identity.applyValue(r -> r.accountId()),
                AwsFunctions.getPartition(GetPartitionArgs.builder().build(), invoke).applyValue(r -> r.partition()));
        Output<List<String>> zones = AwsFunctions.getAvailabilityZones(GetAvailabilityZonesArgs.builder()
                .state("available").build(), invoke).applyValue(r -> r.names());

        boolean hardened = cfg.hardened();
        var key = new EncryptionKey("encryption", new EncryptionKeyArgs(naming, aws, hardened ? 30 : 10, hardened),
                components);

        var storage = new DicomStorage("storage", new DicomStorageArgs(naming, aws, key.keyArn,
                Math.max(cfg.logging().retentionDays(), hardened ? 365 : 30), hardened), components);

        var net = cfg.network();
        var subnets = SubnetPlan.carve(Cidr.parse(net.vpcCidr()), ConfigParser.privateZoneCount(net.azCount()),
                net.publicSubnetPrefixLength(), net.privateSubnetPrefixLength());
        var vpc = new SecureVpc("network", new SecureVpcArgs(naming, aws, net.vpcCidr(), subnets, net.azCount(),
                zones, net.interfaceEndpoints(), storage.logBucketArn), components);

        var firewall = new AppFirewall("firewall", new AppFirewallArgs(naming, vpc.vpcId, net.webClientCidrs(),
                net.dicomClientCidrs()), components);

        var database = new OrthancDatabase("database", new OrthancDatabaseArgs(naming, cfg.database(), vpc.vpcId,
                vpc.privateSubnetIds, firewall.securityGroupId, key.keyArn, cfg.logging().retentionDays(), hardened),
                components);

        var secrets = new ApplicationSecrets("app-secrets", new ApplicationSecretsArgs(naming, key.keyArn,
                AppSecrets.KEYS, hardened ? 30 : 7, hardened), components);

        // before the hosts (and the site PKI): the stable names are known once the addresses exist
        var address = new SiteAddress("site-address", new SiteAddressArgs(naming, cfg.host().instanceCount(),
                cfg.site().name()), components);

        var host = new OrthancHost("host", new OrthancHostArgs(naming, aws, cfg, vpc.publicSubnetIds,
                firewall.securityGroupId, key.keyArn, storage.bucketName, storage.bucketArn, database.address,
                database.port, database.resourceId, database.masterSecretArn, secrets.secretArn,
                address.siteName, address.allocationIds), components, invoke);

        exportOutputs(ctx, cfg, address, host, database, storage, key, secrets);
    }

    private static void exportOutputs(Context ctx, StackConfig cfg, SiteAddress address, OrthancHost host,
                                      OrthancDatabase database, DicomStorage storage, EncryptionKey key,
                                      ApplicationSecrets secrets) {
        // every name here survives a host replacement: the site name and the Elastic IPs' names
        ctx.export("siteName", address.siteName);
        ctx.export("stableNames", address.stableNames);
        ctx.export("siteUrls", address.siteName.applyValue(n -> List.of("https://" + n + "/")));
        ctx.export("dicomEndpoints", address.stableNames.applyValue(names ->
                names.stream().map(n -> n + ":" + AppFirewall.DICOM_TLS_PORT).toList()));
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
        ctx.export("dbEndpoint", Output.tuple(database.address, database.port).applyValue(t -> t.t1 + ":" + t.t2));
        ctx.export("dataBucketName", storage.bucketName);
        ctx.export("logBucketName", storage.logBucketName);
        ctx.export("dbSecretArn", database.masterSecretArn);
        ctx.export("appSecretArn", secrets.secretArn);
        ctx.export("kmsKeyArn", key.keyArn);
        ctx.export("containerLogGroup", host.containerLogGroup);
    }
}
