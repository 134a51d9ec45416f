package org.orthweb.components;

import com.pulumi.core.Output;
import org.orthweb.config.Environment;
import org.orthweb.config.StackConfig;
import org.orthweb.naming.Naming;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the hosts need, one small typed record per concern: no component receives the whole
 * configuration, and no two inputs of the same meaning share a type (the database's master
 * secret and the application secrets are different types, so they cannot be swapped silently).
 *
 * @param naming    physical names and Name tags
 * @param aws       account, partition and region
 * @param settings  the host, logging, site and image settings
 * @param network   where the hosts run and their security group
 * @param kmsKeyArn key for the root volumes and the container log group
 * @param bucket    the data bucket (Orthanc's S3 plugin, IAM scope)
 * @param database  the database endpoint (Orthanc's index)
 * @param dbSecret  the database's master credential secret
 * @param appSecret the application secrets
 * @param endpoints the VPC endpoints the role's S3 and Secrets Manager access is pinned to
 * @param siteTls   the site's TLS secret ({@link SitePki}) and the version of it the hosts read
 * @param address   the stable site name and, in single-host mode, one Elastic IP allocation per host
 *                  ({@link SiteAddress})
 * @param group     high-availability mode: the auto-scaling group's sizes and the balancer's target
 *                  groups (empty: single-host mode, one instance per public subnet with its Elastic IP)
 */
public record OrthancHostArgs(
        Naming naming,
        AwsContext aws,
        Settings settings,
        HostNetwork network,
        Output<String> kmsKeyArn,
        DataBucket bucket,
        DatabaseEndpoint database,
        DatabaseMasterSecret dbSecret,
        ApplicationSecret appSecret,
        StackEndpoints endpoints,
        SiteTlsSecret siteTls,
        StableAddress address,
        Optional<HostGroup> group) {

    public OrthancHostArgs {
        Objects.requireNonNull(settings);
        Objects.requireNonNull(network);
        Objects.requireNonNull(bucket);
        Objects.requireNonNull(database);
        Objects.requireNonNull(dbSecret);
        Objects.requireNonNull(appSecret);
        Objects.requireNonNull(endpoints);
        Objects.requireNonNull(siteTls);
        Objects.requireNonNull(address);
        Objects.requireNonNull(group);
        if (group.isEmpty() && address.allocationIds().size() != settings.host().instanceCount()) {
            throw new IllegalArgumentException("one Elastic IP per host: " + address.allocationIds().size()
                    + " addresses for " + settings.host().instanceCount() + " hosts");
        }
        if (group.isPresent() && !address.allocationIds().isEmpty()) {
            throw new IllegalArgumentException("no Elastic IP in high-availability mode: the load balancer is the address");
        }
        if (group.isEmpty() && settings.host().instanceCount() > network.publicSubnetIds().size()) {
            throw new IllegalArgumentException("instanceCount exceeds the number of public subnets");
        }
    }

    /**
     * @param stack             stack name (user data, host identity)
     * @param environment       environment code (user data)
     * @param host              instance type, count, public key, root volume
     * @param publicKeyIsSecret the public key was stored as a secret: hand it on as one
     * @param logging           container logs and their retention
     * @param siteName          the site's DNS name, if configured
     * @param images            the resolved container images
     * @param containerLogRetentionDays days the container log group keeps logs (the audit floor applied)
     */
    public record Settings(String stack, Environment environment, StackConfig.Host host, boolean publicKeyIsSecret,
                           StackConfig.Logging logging, Optional<String> siteName, Map<String, String> images,
                           int containerLogRetentionDays, StackConfig.Orthanc orthanc) {
        public Settings {
            images = Map.copyOf(images);
            orthanc = orthanc == null ? StackConfig.Orthanc.defaults() : orthanc;
        }

        /** With the program's Orthanc defaults. */
        public Settings(String stack, Environment environment, StackConfig.Host host, boolean publicKeyIsSecret,
                        StackConfig.Logging logging, Optional<String> siteName, Map<String, String> images,
                        int containerLogRetentionDays) {
            this(stack, environment, host, publicKeyIsSecret, logging, siteName, images, containerLogRetentionDays, null);
        }

        /** The host's settings out of a whole stack config (the only place that reads it for hosts). */
        public static Settings of(StackConfig config) {
            return new Settings(config.stack(), config.environment(), config.host(),
                    config.secretKeys().contains("orthweb:host"), config.logging(), config.site().name(), config.images(),
                    config.profile().containerLogRetentionDays(config.logging().retentionDays()), config.orthanc());
        }
    }

    /**
     * @param publicSubnetIds one host per subnet, in order, up to the configured count
     * @param securityGroupId the hosts' group (from {@link AppFirewall})
     */
    public record HostNetwork(List<Output<String>> publicSubnetIds, Output<String> securityGroupId) {
        public HostNetwork {
            publicSubnetIds = List.copyOf(publicSubnetIds);
        }
    }

    /** The data bucket: name for the S3 plugin, ARN for the role's scope. */
    public record DataBucket(Output<String> name, Output<String> arn) {
    }

    /**
     * The database endpoint (Orthanc's index and Keycloak's database) and the instance's resource
     * id ({@code db-...}, the part of the {@code rds-db:connect} resource that names the instance).
     */
    public record DatabaseEndpoint(Output<String> address, Output<Integer> port, Output<String> resourceId) {
    }

    /** ARN of the database's master credential secret. */
    public record DatabaseMasterSecret(Output<String> arn) {
    }

    /** ARN of the application secrets (Keycloak, auth service...). */
    public record ApplicationSecret(Output<String> arn) {
    }

    /**
     * The site's CA certificate, server certificate and key ({@link SitePki}), and the version of
     * that secret the hosts read: a new version (a peer added or removed, a re-issued certificate)
     * is new user data, so {@code pulumi up} replaces the hosts with it.
     */
    public record SiteTlsSecret(Output<String> arn, Output<String> versionId) {
    }

    /**
     * The site's stable name (configured, or the first Elastic IP's public DNS name; the same on
     * every host and after a replacement) and one Elastic IP allocation per host, in host order.
     */
    public record StableAddress(Output<String> siteName, List<Output<String>> allocationIds) {
        public StableAddress {
            allocationIds = List.copyOf(allocationIds);
        }
    }

    /**
     * The auto-scaling group of high-availability mode.
     *
     * @param minHosts        fewest hosts, and the desired count
     * @param maxHosts        most hosts
     * @param graceSeconds    health check grace period of a new host, in seconds
     * @param targetGroupArns the balancer's target groups the hosts register into ({@link SiteBalancer})
     */
    public record HostGroup(int minHosts, int maxHosts, int graceSeconds, List<Output<String>> targetGroupArns) {
        public HostGroup {
            targetGroupArns = List.copyOf(targetGroupArns);
            if (minHosts < 1 || minHosts > maxHosts) {
                throw new IllegalArgumentException("need 1 <= minHosts <= maxHosts, got " + minHosts + ".." + maxHosts);
            }
        }
    }
}
