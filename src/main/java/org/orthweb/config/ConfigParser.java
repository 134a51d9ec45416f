package org.orthweb.config;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.orthweb.net.Cidr;
import org.orthweb.net.SubnetPlan;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The one parser from raw stack configuration to {@link StackConfig}. The settings themselves
 * (keys, types, defaults per environment, single-setting rules) are declared on {@link StackConfig}
 * and read generically by {@link SettingsReader}; this class keeps the orchestration (namespaces,
 * secrets, the environment first) and the rules that relate several settings or depend on the
 * environment. Every problem is reported at once, each naming its key; nothing is registered with
 * Pulumi before this succeeds.
 */
public final class ConfigParser {

    static final String NS = Declarations.NAMESPACE + ":";
    /** Namespaces a stack of this program may hold; anything else is a typo of ours. */
    private static final Set<String> NAMESPACES = Set.of(Declarations.NAMESPACE, "aws", "pulumi");

    private ConfigParser() {
    }

    /**
     * @param stack the stack name
     * @param raw   the values as written (stack file or engine)
     * @throws ConfigException listing every problem, each naming its key
     */
    public static StackConfig parse(String stack, RawConfig raw) {
        List<String> problems = new ArrayList<>();
        checkKeys(raw, problems);
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        raw.values().forEach(root::set);

        // every default depends on the environment: read its declaration first
        var first = new SettingsReader(null, raw.secretKeys(), problems);
        RecordComponent envSetting = Declarations.settings(StackConfig.class).stream()
                .filter(c -> c.getType() == Environment.class).findFirst().orElseThrow();
        String envKey = Declarations.key(envSetting, null);
        if (!(first.readComponent(envSetting, root.get(envKey), envKey) instanceof Environment env)) {
            // report what can be checked without an environment: the other required keys
            for (RecordComponent c : Declarations.settings(StackConfig.class)) {
                if (c != envSetting && Declarations.defaultFor(c, false) == null && c.getType() != Optional.class
                        && !Declarations.isSection(c.getType())) {
                    first.readComponent(c, root.get(Declarations.key(c, null)), Declarations.key(c, null));
                }
            }
            throw new ConfigException(problems);
        }

        var reader = new SettingsReader(env, raw.secretKeys(), problems);
        Map<String, Object> values = new LinkedHashMap<>(reader.readSettings(StackConfig.class, root, null));
        crossFieldRules(env, reader.values(), problems);
        SubnetPlan.Layout subnets = subnetLayout(reader.values(), problems);
        vpnRules(reader.values(), subnets, problems);
        // the user's aws: provider settings: each reaches the providers or is refused here
        AwsProviderSettings awsProvider = AwsProviderSettings.read(raw, problems);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        values.put("stack", stack);
        values.put("secretKeys", raw.secretKeys());
        values.put("subnets", subnets);
        values.put("awsProvider", awsProvider);
        StackConfig config = (StackConfig) SettingsReader.construct(StackConfig.class, values, "config");
        List<String> tagProblems = awsProvider.tagConflicts(org.orthweb.naming.Naming.defaultTags(config));
        if (!tagProblems.isEmpty()) {
            throw new ConfigException(tagProblems);
        }
        return config;
    }

    private static void checkKeys(RawConfig raw, List<String> problems) {
        Set<String> topLevel = Declarations.topLevelKeys();
        Set<String> secretAllowed = Declarations.secretAllowedKeys();
        Set<String> unknown = new TreeSet<>();
        for (String key : raw.values().keySet()) {
            String namespace = key.substring(0, key.indexOf(':'));
            if (!NAMESPACES.contains(namespace)) {
                problems.add("'" + key + "' is not a setting of this program (namespaces: orthweb:, aws:)");
            } else if (namespace.equals(Declarations.NAMESPACE) && !topLevel.contains(key)) {
                unknown.add(key);
            }
        }
        for (String key : new TreeSet<>(raw.secretKeys())) {
            // the provider's own aws: keys may be secrets (its credentials must be); AwsProviderSettings hands
            // them on as secrets. aws:region is ours and public (ARNs, endpoints, outputs).
            boolean providerKey = key.startsWith("aws:") && !topLevel.contains(key);
            if (raw.values().containsKey(key) && !secretAllowed.contains(key) && !providerKey) {
                problems.add(key + " is stored as a secret, but its value is public once deployed (tags, DNS, "
                        + "security groups or user data): set it without --secret. Only " + String.join(", ", secretAllowed)
                        + " (its " + secretSettings() + ") may be a secret");
            }
        }
        for (String key : unknown) {
            problems.add("unknown setting '" + key + "'; allowed: " + String.join(", ",
                    new TreeSet<>(topLevel.stream().filter(k -> k.startsWith(NS)).toList())));
        }
    }

    private static String secretSettings() {
        return String.join(", ", Declarations.rows().stream().filter(Declarations.Row::secret)
                .map(r -> r.key().substring(r.key().lastIndexOf('.') + 1)).toList());
    }

    // ---- rules relating several settings or the environment --------------------------------------

    /**
     * Rules that relate settings to each other or to the environment profile. Each reads only the
     * values that were read without problems, so one mistake is not reported twice.
     */
    static void crossFieldRules(Environment env, Map<String, Object> values, List<String> problems) {
        EnvironmentProfile profile = EnvironmentProfile.of(env);
        if (values.get(NS + "network.dicomClientCidrs") instanceof List<?> dicom && !profile.dicomFromAnywhere()
                && dicom.stream().anyMatch(c -> ((Cidr) c).isAnywhere())) {
            problems.add(NS + "network.dicomClientCidrs may not contain 0.0.0.0/0 in environment " + env.code()
                    + ": list the networks of the DICOM modalities and peers");
        }
        if (values.get(NS + "network.azCount") instanceof Integer az && values.get(NS + "host.instanceCount") instanceof Integer n
                && n > az * ConfigRules.MAX_INSTANCES_PER_AZ) {
            problems.add(NS + "host.instanceCount must be from 1 to " + az * ConfigRules.MAX_INSTANCES_PER_AZ + " (got " + n
                    + "): one host per public subnet, " + ConfigRules.MAX_INSTANCES_PER_AZ + " per zone of network.azCount");
        }
        if (profile.hardened() && Boolean.FALSE.equals(values.get(NS + "database.multiAz"))) {
            problems.add(NS + "database.multiAz must be true in environment " + env.code() + " (a standby in a second AZ)");
        }
        operationsRules(env, values, problems);
        haRules(values, problems);
        databaseRules(values, problems);
        orthancRules(values, problems);
        if (values.get(NS + "logging.retentionDays") instanceof Integer days && days < profile.minLogRetentionDays()) {
            problems.add(NS + "logging.retentionDays must be at least " + profile.minLogRetentionDays()
                    + " in environment " + env.code() + " (got " + days + ")");
        }
    }

    /**
     * Alerts, backup and budget: a hardened stack tells someone about its alarms; a budget needs
     * someone to tell; a copy region must be another region and needs backups to copy.
     */
    static void operationsRules(Environment env, Map<String, Object> values, List<String> problems) {
        boolean noEmails = values.get(NS + "alerts.emails") instanceof List<?> emails && emails.isEmpty();
        if (noEmails && env.hardened()) {
            problems.add(NS + "alerts.emails must list at least one address in environment " + env.code()
                    + ": alarms on the hosts and the database must reach someone");
        }
        if (noEmails && values.get(NS + "budget.monthlyLimitUsd") instanceof Optional<?> limit && limit.isPresent()) {
            problems.add(NS + "budget.monthlyLimitUsd needs " + NS + "alerts.emails: the budget's alerts go to those addresses");
        }
        if (values.get(NS + "backup.copyRegion") instanceof Optional<?> copy && copy.isPresent()) {
            if (copy.get().equals(values.get("aws:region"))) {
                problems.add(NS + "backup.copyRegion must differ from aws:region (" + copy.get()
                        + "): a copy in the same region does not survive a regional outage");
            }
            if (Boolean.FALSE.equals(values.get(NS + "backup.enabled"))) {
                problems.add(NS + "backup.copyRegion needs " + NS + "backup.enabled: true (there is nothing to copy)");
            }
        }
    }

    /** High availability: the balancer and the group span two zones or more; the group's bounds are ordered. */
    static void haRules(Map<String, Object> values, List<String> problems) {
        if (Boolean.TRUE.equals(values.get(NS + "ha.enabled")) && values.get(NS + "network.azCount") instanceof Integer az
                && az < 2) {
            problems.add(NS + "ha.enabled needs " + NS + "network.azCount of at least 2 (got " + az
                    + "): the load balancer and the group span two or more zones; set ha.enabled: false for one zone");
        }
        if (values.get(NS + "ha.minHosts") instanceof Integer min && values.get(NS + "ha.maxHosts") instanceof Integer max
                && min > max) {
            problems.add(NS + "ha.minHosts (" + min + ") must not exceed " + NS + "ha.maxHosts (" + max + ")");
        }
    }

    /**
     * The database class holds the connection pools of the stack's hosts at once: host.instanceCount
     * hosts, or ha.maxHosts in HA mode, doubled while hosts are replaced
     * ({@link org.orthweb.cloudinit.ConnectionBudget#checkDatabaseClass}).
     */
    static void databaseRules(Map<String, Object> values, List<String> problems) {
        String hostsKey = NS + (Boolean.TRUE.equals(values.get(NS + "ha.enabled")) ? "ha.maxHosts" : "host.instanceCount");
        if (values.get(NS + "database.instanceClass") instanceof String cls && values.get(hostsKey) instanceof Integer n) {
            for (String p : org.orthweb.cloudinit.ConnectionBudget.checkDatabaseClass(cls, NS + "database.instanceClass:",
                    org.orthweb.cloudinit.ConnectionBudget.hostsAtOnce(n))) {
                problems.add(p + "; for " + hostsKey + " " + n);
            }
        }
    }

    /**
     * Orthanc's DicomModalities holds the declared DICOM clients and the declared modalities under
     * their names: one name may not be both (the host would keep only one of the two entries).
     */
    static void orthancRules(Map<String, Object> values, List<String> problems) {
        if (values.get(NS + "dicom.clients") instanceof List<?> clients
                && values.get(NS + "orthanc.modalities") instanceof Map<?, ?> modalities) {
            for (Object c : clients) {
                String name = ((StackConfig.DicomClient) c).name();
                if (modalities.containsKey(name)) {
                    problems.add(NS + "orthanc.modalities." + name + " has the name of a peer of " + NS + "dicom.clients; "
                            + "both are entries of Orthanc's DicomModalities: give the modality another name");
                }
            }
        }
    }

    /** The subnets, carved once here; the program hands this very layout to the VPC. */
    static SubnetPlan.Layout subnetLayout(Map<String, Object> values, List<String> problems) {
        String key = NS + "network.";
        if (values.get(key + "vpcCidr") instanceof Cidr vpc && values.get(key + "azCount") instanceof Integer az
                && values.get(key + "publicSubnetPrefixLength") instanceof Integer pub
                && values.get(key + "privateSubnetPrefixLength") instanceof Integer priv) {
            try {
                return SubnetPlan.layout(vpc, az, pub, priv);
            } catch (IllegalArgumentException e) {
                problems.add(key + "publicSubnetPrefixLength/privateSubnetPrefixLength: " + e.getMessage());
            }
        }
        return null;
    }

    /**
     * The VPN against the network: the clients' block must not overlap the VPC (AWS refuses it, and
     * routes would be ambiguous), and each subnet association needs its own private subnet (AWS
     * allows one association per zone; the private subnets are one per zone).
     */
    static void vpnRules(Map<String, Object> values, SubnetPlan.Layout subnets, List<String> problems) {
        String key = NS + "vpn.";
        if (values.get(key + "clientCidr") instanceof Cidr client && values.get(NS + "network.vpcCidr") instanceof Cidr vpc
                && (client.contains(vpc) || vpc.contains(client))) {
            problems.add(key + "clientCidr (" + client + ") must not overlap " + NS + "network.vpcCidr (" + vpc
                    + "): choose a block outside the VPC, such as 10.250.0.0/22");
        }
        if (subnets != null && values.get(key + "subnetAssociations") instanceof Integer n && n > subnets.zones().size()) {
            problems.add(key + "subnetAssociations must be from 1 to " + subnets.zones().size() + " (got " + n
                    + "): one association per private subnet, and the stack has " + subnets.zones().size());
        }
    }
}
