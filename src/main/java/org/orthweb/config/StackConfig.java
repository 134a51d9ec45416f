package org.orthweb.config;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The whole stack configuration, typed and validated. Built only by {@link ConfigParser} (from
 * the engine's config or a stack file) or by tests; components read it, never raw config.
 * {@code secretKeys} names the top-level keys that were stored as secrets: values read from them
 * are handed to resources as Pulumi secrets.
 */
public record StackConfig(
        String stack,
        String region,
        Environment environment,
        String owner,
        Network network,
        Host host,
        Database database,
        Logging logging,
        Site site,
        Map<String, String> images,
        Set<String> secretKeys) {

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
        images = Map.copyOf(images);
        secretKeys = Set.copyOf(secretKeys);
    }

    /** {@code orthweb:network}. */
    public record Network(
            String vpcCidr,
            int azCount,
            int publicSubnetPrefixLength,
            int privateSubnetPrefixLength,
            List<String> interfaceEndpoints,
            List<String> webClientCidrs,
            List<String> dicomClientCidrs) {
        public Network {
            interfaceEndpoints = List.copyOf(interfaceEndpoints);
            webClientCidrs = List.copyOf(webClientCidrs);
            dicomClientCidrs = List.copyOf(dicomClientCidrs);
        }
    }

    /** {@code orthweb:host}. */
    public record Host(String instanceType, int instanceCount, Optional<String> publicKey, int rootVolumeGiB) {
    }

    /** {@code orthweb:database}. */
    public record Database(
            String instanceClass,
            String engineVersion,
            int allocatedStorageGiB,
            boolean multiAz,
            int backupRetentionDays) {

        /** "17.6" -> "17": the parameter group family is postgres + major. */
        public String majorVersion() {
            return engineVersion.split("\\.")[0];
        }
    }

    /** {@code orthweb:logging}. */
    public record Logging(boolean containerLogs, int retentionDays) {
    }

    /** {@code orthweb:site}. */
    public record Site(Optional<String> name) {
    }

    /** The safety switches that follow from the environment (one place for them). */
    public boolean hardened() {
        return environment.hardened();
    }
}
