package org.orthweb.config;

import org.orthweb.net.Cidr;
import org.orthweb.net.SubnetPlan;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The whole stack configuration, typed and validated, and the one declaration of every setting:
 * each {@link Setting} component is a key (its name; sections nest), its Java type is the value's
 * type, {@link Default} gives the default per environment profile, {@link Range} and {@link Check}
 * its rules. {@link ConfigParser} reads it, {@link SettingsWriter} writes it back, the README's
 * configuration table is generated from it ({@link Declarations#markdownTable()}).
 *
 * <p>Components without {@link Setting} are context the parser supplies: the stack name, the
 * top-level keys that were stored as secrets (their values reach resources as Pulumi secrets),
 * the subnet layout resolved once from the network settings, and the user's own {@code aws:}
 * provider settings ({@link AwsProviderSettings}: profile, account guards, assume role...).
 *
 * <p>Adding a setting: add a component with {@code @Setting("what it does")}, a {@code @Default}
 * (or an {@code Optional} type, or none to make it required), rules if any, then use it. See the
 * README, "Adding a setting".
 */
public record StackConfig(
        String stack,
        @Setting(value = "AWS region of every resource", key = "aws:region")
        @Check(Rules.RegionName.class)
        String region,
        @Setting("environment code: the Environment tag and the profile (prd/stg hardened, dev/tst disposable)")
        Environment environment,
        @Setting("team or person answerable for the stack (Owner tag)")
        @Check(Rules.TagValue.class)
        String owner,
        @Setting("the VPC, its subnets and who may connect")
        Network network,
        @Setting("the Orthanc hosts")
        Host host,
        @Setting("the RDS PostgreSQL index database")
        Database database,
        @Setting("container logs")
        Logging logging,
        @Setting("the site's public name")
        Site site,
        @Setting("the DICOM peers that may connect over DICOM TLS")
        Dicom dicom,
        @Setting("Orthanc's own settings a site changes: AE title, name, the modalities and peers it reaches, "
                + "extra options (README \"Orthanc settings\")")
        Orthanc orthanc,
        @Setting("AWS Client VPN into the private subnets (absent: no VPN)")
        Optional<Vpn> vpn,
        @Setting("high availability: hosts behind a network load balancer, in an auto-scaling group")
        Ha ha,
        @Setting("container images: a reference pinned by tag or digest, or `:tag`, per image (README, Container images)")
        @Default("{}")
        @Check(Rules.Images.class)
        Map<String, String> images,
        @Setting("who hears about alarms and the budget")
        Alerts alerts,
        @Setting("AWS Backup of the database and the data bucket")
        Backup backup,
        @Setting("monthly cost budget (AWS Budgets) on the stack's tags")
        Budget budget,
        Set<String> secretKeys,
        SubnetPlan.Layout subnets,
        AwsProviderSettings awsProvider) {

    public StackConfig {
        Objects.requireNonNull(stack);
        Objects.requireNonNull(region);
        Objects.requireNonNull(environment);
        Objects.requireNonNull(owner);
        Objects.requireNonNull(network);
        Objects.requireNonNull(host);
        Objects.requireNonNull(database);
        Objects.requireNonNull(logging);
        Objects.requireNonNull(site);
        Objects.requireNonNull(dicom);
        Objects.requireNonNull(orthanc);
        Objects.requireNonNull(alerts);
        Objects.requireNonNull(backup);
        Objects.requireNonNull(budget);
        Objects.requireNonNull(vpn);
        Objects.requireNonNull(ha);
        Objects.requireNonNull(subnets);
        Objects.requireNonNull(awsProvider);
        images = Map.copyOf(images);
        secretKeys = Set.copyOf(secretKeys);
    }

    /** {@code orthweb:network}. */
    public record Network(
            @Setting("the VPC's block; subnets are carved from it in order public, private, ...")
            @Default("172.17.0.0/16")
            @Check({Rules.VpcPrefix.class, Rules.OutsideContainerNetwork.class})
            Cidr vpcCidr,
            @Setting("zones that get a public and a private subnet; hosts go into the first instanceCount of them (private subnets always cover two or more)")
            @Default("2")
            @Range(min = ConfigRules.MIN_AZ, max = ConfigRules.MAX_AZ)
            int azCount,
            @Setting("prefix length of each public subnet; the subnets must fit the VPC")
            @Default("24")
            @Range(min = SubnetPlan.MIN_PREFIX, max = SubnetPlan.MAX_PREFIX)
            int publicSubnetPrefixLength,
            @Setting("prefix length of each private subnet; the subnets must fit the VPC")
            @Default("22")
            @Range(min = SubnetPlan.MIN_PREFIX, max = SubnetPlan.MAX_PREFIX)
            int privateSubnetPrefixLength,
            @Setting("AWS services reached through interface endpoints in the private subnets")
            @Default(value = "[]", hardened = "[secretsmanager]")
            @Check(Rules.InterfaceEndpoints.class)
            List<String> interfaceEndpoints,
            @Setting("who may reach HTTPS (443)")
            @Default("[0.0.0.0/0]")
            @Check(Rules.ClientCidrs.class)
            List<Cidr> webClientCidrs,
            @Setting("who may reach DICOM TLS (11112); prd/stg: no /0 block")
            @Default(value = "[0.0.0.0/0]", hardened = Default.REQUIRED)
            @Check(Rules.ClientCidrs.class)
            List<Cidr> dicomClientCidrs) {
        public Network {
            Objects.requireNonNull(vpcCidr);
            interfaceEndpoints = List.copyOf(interfaceEndpoints);
            webClientCidrs = List.copyOf(webClientCidrs);
            dicomClientCidrs = List.copyOf(dicomClientCidrs);
        }
    }

    /** {@code orthweb:host}. */
    public record Host(
            @Setting("EC2 instance type of the hosts")
            @Default("t3.medium")
            @Check(Rules.X86InstanceType.class)
            String instanceType,
            @Setting("number of hosts, each in its own zone's public subnet (at most azCount)")
            @Default(value = "1", hardened = "${network.azCount}")
            @Range(min = 1, max = ConfigRules.MAX_AZ * ConfigRules.MAX_INSTANCES_PER_AZ)
            int instanceCount,
            @Setting(value = "SSH public key of the hosts (none: use SSM)", secret = true)
            @Check(Rules.SshPublicKey.class)
            Optional<String> publicKey,
            @Setting("root volume size (GiB)")
            @Default(value = "20", hardened = "30")
            @Range(min = ConfigRules.MIN_ROOT_VOLUME_GIB, max = ConfigRules.MAX_ROOT_VOLUME_GIB)
            int rootVolumeGiB,
            @Setting("host image (AMI id); changing it replaces every host. None: the newest Amazon Linux 2023 "
                    + "x86_64 AMI is looked up at the first deploy and then kept (`orthweb ami` shows the newest)")
            @Check(Rules.AmiId.class)
            Optional<String> amiId) {
    }

    /** {@code orthweb:database}. */
    public record Database(
            @Setting("RDS instance class")
            @Default(value = "db.t4g.small", hardened = "db.t4g.medium")
            @Check({Rules.DbInstanceClass.class, Rules.DbClassKnownSize.class})
            String instanceClass,
            @Setting("PostgreSQL engine version: the major (minor versions follow RDS's automatic upgrades) or a "
                    + "pinned major.minor (after RDS upgrades the minor, the next refresh and up ask for a downgrade "
                    + "RDS refuses; README \"Upgrading PostgreSQL\")")
            @Default("\"17\"")
            @Check(Rules.EngineVersion.class)
            String engineVersion,
            @Setting("let RDS upgrade across a major version when engineVersion's major changes (README "
                    + "\"Upgrading PostgreSQL\"); back to false once the upgrade is done")
            @Default("false")
            boolean allowMajorVersionUpgrade,
            @Setting("allocated gp3 storage (GiB)")
            @Default(value = "20", hardened = "30")
            @Range(min = ConfigRules.MIN_DB_STORAGE_GIB, max = ConfigRules.MAX_DB_STORAGE_GIB)
            int allocatedStorageGiB,
            @Setting("standby in a second zone; prd/stg: must be true")
            @Default(value = "false", hardened = "true")
            boolean multiAz,
            @Setting("days of automated backups")
            @Default(value = "7", hardened = "14")
            @Range(min = ConfigRules.MIN_BACKUP_DAYS, max = ConfigRules.MAX_BACKUP_DAYS)
            int backupRetentionDays) {

        /** "17.6" or "17" -> "17": the parameter group family is postgres + major. */
        public String majorVersion() {
            return engineVersion.split("\\.")[0];
        }
    }

    /** {@code orthweb:logging}. */
    public record Logging(
            @Setting("Docker's awslogs driver sends container logs to CloudWatch")
            @Default("true")
            boolean containerLogs,
            @Setting("days CloudWatch keeps container and database logs; prd/stg: at least 365, and container logs (audit trail) at least 2192")
            @Default(value = "7", hardened = "365")
            @Check(Rules.LogRetention.class)
            int retentionDays) {
    }

    /** {@code orthweb:site}. */
    public record Site(
            @Setting("DNS name of the site (none: the public DNS name of each host)")
            @Check(Rules.DnsName.class)
            Optional<String> name) {
    }

    /** {@code orthweb:dicom}. */
    public record Dicom(
            @Setting("DICOM peers (modalities, routers, workstations), each with its own client certificate and "
                    + "calling AE title; removing one stops it connecting")
            @Default("[{name: modality-1}]")
            @Check(Rules.DicomClients.class)
            List<DicomClient> clients) {
        public Dicom {
            clients = List.copyOf(clients);
        }

        /** The peers as the site PKI and the hosts take them. */
        public List<org.orthweb.pki.DicomPeer> peers() {
            return clients.stream().map(DicomClient::peer).toList();
        }
    }

    /** One entry of {@code orthweb:dicom.clients}. */
    public record DicomClient(
            @Setting("peer name (a DNS label: lower-case letters, digits, hyphens); names its certificate")
            String name,
            @Setting("calling AE title the peer must use (default: the name in upper case, cut to 16 characters)")
            Optional<String> aeTitle) {

        public org.orthweb.pki.DicomPeer peer() {
            return new org.orthweb.pki.DicomPeer(name, aeTitle);
        }
    }

    /**
     * {@code orthweb:orthanc}: the Orthanc options a site changes, without forking the project.
     * Rendered into orthanc.json by {@link org.orthweb.orthanc.OrthancSettings}, which also says
     * which keys of {@code extraConfig} the program owns.
     */
    public record Orthanc(
            @Setting("Orthanc's own AE title (DicomAet): the called AE title every peer uses")
            @Default("ORTHANC")
            @Check(Rules.AeTitle.class)
            String aeTitle,
            @Setting("Orthanc's name (Name: the UI, /system, other Orthancs' peer lists); none: orthweb- and the stack name")
            @Check(Rules.OrthancName.class)
            Optional<String> name,
            @Setting("seconds without a new instance before a patient, study or series is stable (StableAge)")
            @Default("60")
            @Range(min = 1, max = ConfigRules.MAX_STABLE_AGE_SECONDS)
            int stableAgeSeconds,
            @Setting("Orthanc compresses the files it stores (StorageCompression, zlib: less S3 space, more CPU)")
            @Default("false")
            boolean storageCompression,
            @Setting("modalities and PACS Orthanc sends to, queries and retrieves from (DicomModalities); "
                    + "the hosts' security group opens egress to exactly these")
            @Default("{}")
            @Check(Rules.OrthancModalities.class)
            Map<String, Modality> modalities,
            @Setting("other Orthanc servers this one sends to over HTTP(S) (OrthancPeers; no credentials, see README)")
            @Default("{}")
            @Check(Rules.OrthancPeers.class)
            Map<String, Peer> peers,
            @Setting("JSON object merged into orthanc.json for options the typed keys do not cover; keys the program "
                    + "owns are refused (README \"Orthanc settings\")")
            @Default("{}")
            @Check(Rules.OrthancExtraConfig.class)
            com.fasterxml.jackson.databind.node.ObjectNode extraConfig) {
        public Orthanc {
            Objects.requireNonNull(aeTitle);
            name = name == null ? Optional.empty() : name;
            modalities = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(modalities));
            peers = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(peers));
            extraConfig = extraConfig == null ? com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
                    : extraConfig.deepCopy();
        }

        /** Orthanc's defaults of this program: AE title ORTHANC, nothing declared, nothing extra. */
        public static Orthanc defaults() {
            return new Orthanc(org.orthweb.cloudinit.Layout.ORTHANC_AET, Optional.empty(), 60, false, Map.of(), Map.of(),
                    null);
        }
    }

    /** One entry of {@code orthweb:orthanc.modalities}: a DICOM node Orthanc calls. */
    public record Modality(
            @Setting("the modality's AE title (called AE title of Orthanc's associations)")
            @Check(Rules.AeTitle.class)
            String aeTitle,
            @Setting("its IPv4 address or DNS name")
            @Check(Rules.HostName.class)
            String host,
            @Setting("its DICOM port")
            @Range(min = 1, max = 65535)
            int port,
            @Setting("the address block a DNS-named host resolves into (security groups match addresses, not names); "
                    + "required for a DNS name, default for an IPv4 host: host/32")
            Optional<Cidr> egressCidr,
            @Setting("DICOM TLS from Orthanc to this modality (UseDicomTls): Orthanc calls it with the site PKI's "
                    + "client certificate for Orthanc and checks the modality's certificate against caCertificate")
            @Default("false")
            boolean tls,
            @Setting("with tls: the PEM certificate(s) Orthanc trusts for this modality's server certificate (its CA, "
                    + "or its own self-signed certificate); public, delivered in the host bundle")
            @Check(Rules.PemCertificates.class)
            Optional<String> caCertificate) {
        public Modality {
            egressCidr = egressCidr == null ? Optional.empty() : egressCidr;
            caCertificate = caCertificate == null ? Optional.empty() : caCertificate;
        }

        /** A modality reached over plain DICOM. */
        public Modality(String aeTitle, String host, int port, Optional<Cidr> egressCidr) {
            this(aeTitle, host, port, egressCidr, false, Optional.empty());
        }
    }

    /** One entry of {@code orthweb:orthanc.peers}: another Orthanc reached over its REST API. */
    public record Peer(
            @Setting("the peer's REST API base URL, http(s)://host[:port]/path/ without user or password")
            @Check(Rules.PeerUrl.class)
            String url,
            @Setting("the address block a DNS-named peer resolves into; required for a DNS name on a port other "
                    + "than 443 (HTTPS out is open already)")
            Optional<Cidr> egressCidr) {
        public Peer {
            egressCidr = egressCidr == null ? Optional.empty() : egressCidr;
        }
    }

    /** {@code orthweb:alerts}. */
    public record Alerts(
            @Setting("e-mail addresses the alarm topic and the budget notify (each confirms the SNS subscription once); prd/stg: at least one")
            @Default(value = "[]", hardened = Default.REQUIRED)
            @Check(Rules.EmailAddresses.class)
            List<String> emails) {
        public Alerts {
            emails = List.copyOf(emails);
        }
    }

    /** {@code orthweb:backup}. */
    public record Backup(
            @Setting("daily AWS Backup of the database (and the data bucket) into a vault encrypted with the stack's key")
            @Default(value = "false", hardened = "true")
            boolean enabled,
            @Setting("days AWS Backup keeps each daily recovery point")
            @Default("35")
            @Range(min = ConfigRules.MIN_AWS_BACKUP_DAYS, max = ConfigRules.MAX_AWS_BACKUP_DAYS)
            int retentionDays,
            @Setting("back up the data bucket too (doubles the images' storage cost; versioning alone does not survive the bucket's or the account's loss)")
            @Default("true")
            boolean dataBucket,
            @Setting("second region each recovery point is copied to, into a vault with a key of its own (none: no copy)")
            @Check(Rules.RegionName.class)
            Optional<String> copyRegion) {
    }

    /** {@code orthweb:budget}. */
    public record Budget(
            @Setting("monthly cost limit in US dollars of everything tagged with this stack (none: no budget)")
            @Range(min = 1, max = ConfigRules.MAX_BUDGET_USD)
            Optional<Integer> monthlyLimitUsd,
            @Setting("e-mail when the actual cost passes this percentage of the limit")
            @Default("80")
            @Range(min = 1, max = ConfigRules.MAX_BUDGET_PERCENT)
            int actualAlertPercent,
            @Setting("e-mail when the forecast cost passes this percentage of the limit")
            @Default("100")
            @Range(min = 1, max = ConfigRules.MAX_BUDGET_PERCENT)
            int forecastAlertPercent) {
    }

    /**
     * {@code orthweb:vpn}: private access through AWS Client VPN with mutual-TLS certificates from
     * the program (see {@code components.ClientVpn}). Present means on.
     */
    public record Vpn(
            @Setting("address block handed to VPN clients; must not overlap the VPC")
            @Check(Rules.VpnClientCidr.class)
            Cidr clientCidr,
            @Setting("the people or sites that may connect, each [{name: alice}]; removing one stops it")
            @Check(Rules.VpnClients.class)
            List<VpnClient> clients,
            @Setting("only the VPC's traffic goes through the VPN (false: all of the client's traffic)")
            @Default("true")
            boolean splitTunnel,
            @Setting("hours after which a VPN session must reconnect")
            @Default("24")
            @Check(Rules.VpnSessionTimeout.class)
            int sessionTimeoutHours,
            @Setting("private subnets the endpoint is associated with (each is billed per hour); at most the private subnets")
            @Default("1")
            @Range(min = 1, max = ConfigRules.MAX_AZ)
            int subnetAssociations) {
        public Vpn {
            Objects.requireNonNull(clientCidr);
            clients = List.copyOf(clients);
        }

        /** The clients' names, in the order written. */
        public List<String> clientNames() {
            return clients.stream().map(VpnClient::name).toList();
        }
    }

    /** One entry of {@code orthweb:vpn.clients}. */
    public record VpnClient(
            @Setting("the client's name: the certificate's common name and the profile's file name")
            @Check(Rules.VpnClientName.class)
            String name) {
    }

    /**
     * {@code orthweb:ha}. Off: single-host mode, one instance per public subnet with an Elastic IP
     * each ({@code host.instanceCount}). On: an internet-facing network load balancer across the
     * zones and an auto-scaling group from the same launch template; {@code host.instanceCount}
     * is then only the default of {@code minHosts}.
     */
    public record Ha(
            @Setting("hosts behind a network load balancer in an auto-scaling group across the zones "
                    + "(false: single-host mode, an Elastic IP per host); needs network.azCount >= 2")
            @Default(value = "false", hardened = "true")
            boolean enabled,
            @Setting("hosts the group keeps at least, and starts with (desired = minimum)")
            @Default("${host.instanceCount}")
            @Range(min = 1, max = ConfigRules.MAX_HA_HOSTS)
            int minHosts,
            @Setting("hosts the group may run at most; at least minHosts")
            @Default("${ha.minHosts}")
            @Range(min = 1, max = ConfigRules.MAX_HA_HOSTS)
            int maxHosts,
            @Setting("seconds a new host may take to boot before failed health checks count (covers the bootstrap)")
            @Default("900")
            @Range(min = ConfigRules.MIN_HA_GRACE_SECONDS, max = ConfigRules.MAX_HA_GRACE_SECONDS)
            int healthCheckGraceSeconds) {
    }

    /** The environment's safeguards (windows, protect, deletion protection...), computed once. */
    public EnvironmentProfile profile() {
        return EnvironmentProfile.of(environment);
    }

    /** prd or stg. */
    public boolean hardened() {
        return environment.hardened();
    }
}
