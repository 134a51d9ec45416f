package org.orthweb.config;

import com.fasterxml.jackson.databind.JsonNode;
import org.orthweb.cloudinit.AppImages;
import org.orthweb.cloudinit.ConnectionBudget;
import org.orthweb.net.Cidr;
import org.orthweb.net.SubnetPlan;

import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The one parser from raw stack configuration to {@link StackConfig}: applies the environment's
 * defaults, checks every rule, and reports every problem at once with the key and what is
 * allowed. Nothing is registered with Pulumi before this succeeds.
 */
public final class ConfigParser {

    static final String NS = "orthweb:";
    static final Set<String> TOP_LEVEL_KEYS = Set.of(
            "environment", "owner", "network", "host", "database", "logging", "site", "images");
    private static final Set<String> NETWORK_KEYS = Set.of("vpcCidr", "azCount", "publicSubnetPrefixLength",
            "privateSubnetPrefixLength", "interfaceEndpoints", "webClientCidrs", "dicomClientCidrs");
    private static final Set<String> HOST_KEYS = Set.of("instanceType", "instanceCount", "publicKey", "rootVolumeGiB");
    private static final Set<String> DATABASE_KEYS = Set.of("instanceClass", "engineVersion",
            "allocatedStorageGiB", "multiAz", "backupRetentionDays");
    private static final Set<String> LOGGING_KEYS = Set.of("containerLogs", "retentionDays");
    private static final Set<String> SITE_KEYS = Set.of("name");
    /**
     * Keys whose values may be stored as secrets. Every other value ends up public in AWS (tags,
     * DNS names, security groups, user data): storing it as a secret would only pretend.
     */
    static final Set<String> SECRET_ALLOWED = Set.of(NS + "host");
    /** Namespaces a stack of this program may hold; anything else is a typo of ours. */
    private static final Set<String> NAMESPACES = Set.of("orthweb", "aws", "pulumi");

    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d{1,2}");
    private static final Pattern INSTANCE_TYPE = Pattern.compile("([a-z]+)(\\d+)([a-z-]*)\\.([a-z0-9]+)");
    private static final Pattern DB_CLASS = Pattern.compile("db\\.[a-z0-9-]+\\.[a-z0-9]+");
    private static final Pattern ENGINE_VERSION = Pattern.compile("\\d+\\.\\d+");
    private static final Pattern TAG_VALUE = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]{1,256}");
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern SSH_KEY = Pattern.compile("(ssh-rsa|ssh-ed25519) ([A-Za-z0-9+/]+={0,3})( [^\\n]*)?");

    private final RawConfig raw;
    private final List<String> problems = new ArrayList<>();

    private ConfigParser(RawConfig raw) {
        this.raw = raw;
    }

    /**
     * @throws ConfigException listing every problem, each naming its key
     */
    public static StackConfig parse(String stack, RawConfig raw) {
        return new ConfigParser(raw).parse(stack);
    }

    private StackConfig parse(String stack) {
        checkKeys();
        String region = text(raw.values().get("aws:region"), "aws:region", null);
        if (region == null) {
            problems.add("aws:region is required (for example us-east-1)");
        } else if (!REGION.matcher(region).matches()) {
            problems.add("aws:region must be an AWS region name such as us-east-1 (got '" + shown("aws:region", region) + "')");
        }

        String envCode = text(value("environment"), NS + "environment", null);
        Environment env = null;
        if (envCode == null) {
            problems.add(NS + "environment is required: one of " + Environment.allowed());
        } else {
            try {
                env = Environment.fromCode(envCode);
            } catch (IllegalArgumentException e) {
                problems.add(NS + "environment must be one of " + Environment.allowed() + " (got '" + envCode + "')");
            }
        }
        String owner = text(value("owner"), NS + "owner", null);
        if (owner == null) {
            problems.add(NS + "owner is required: the team or person answerable for the stack (Owner tag)");
        } else if (!TAG_VALUE.matcher(owner).matches()) {
            problems.add(NS + "owner must be 1-256 letters, digits, spaces or _.:/=+-@ (an AWS tag value)");
        }
        if (env == null) {
            // every default depends on the environment: report what we have so far
            throw new ConfigException(problems);
        }

        StackConfig.Network network = network(env);
        StackConfig.Host host = host(env, network);
        StackConfig.Database database = database(env);
        StackConfig.Logging logging = logging(env);
        StackConfig.Site site = site();
        Map<String, String> images = images();
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new StackConfig(stack, region, env, owner, network, host, database, logging, site, images, raw.secretKeys());
    }

    private void checkKeys() {
        Set<String> unknown = new TreeSet<>();
        for (String key : raw.values().keySet()) {
            String namespace = key.substring(0, key.indexOf(':'));
            String name = key.substring(key.indexOf(':') + 1);
            if (!NAMESPACES.contains(namespace)) {
                problems.add("'" + key + "' is not a setting of this program (namespaces: orthweb:, aws:)");
            } else if (namespace.equals("orthweb") && !TOP_LEVEL_KEYS.contains(name)) {
                unknown.add(key);
            }
        }
        for (String key : new TreeSet<>(raw.secretKeys())) {
            if (raw.values().containsKey(key) && !SECRET_ALLOWED.contains(key)) {
                problems.add(key + " is stored as a secret, but its value is public once deployed (tags, DNS, "
                        + "security groups or user data): set it without --secret. Only " + String.join(", ", SECRET_ALLOWED)
                        + " (its publicKey) may be a secret");
            }
        }
        for (String key : unknown) {
            problems.add("unknown setting '" + key + "'; allowed: " + String.join(", ",
                    new TreeSet<>(TOP_LEVEL_KEYS.stream().map(k -> NS + k).toList())));
        }
    }

    // ---- sections ---------------------------------------------------------------------------

    private StackConfig.Network network(Environment env) {
        JsonNode node = section("network", NETWORK_KEYS);
        String key = NS + "network.";
        String vpcCidr = text(node.get("vpcCidr"), key + "vpcCidr", "172.17.0.0/16");
        Cidr vpc = cidr(vpcCidr, key + "vpcCidr");
        if (vpc != null && (vpc.prefixLength() < 16 || vpc.prefixLength() > 24)) {
            problems.add(key + "vpcCidr must have a prefix from /16 to /24 (got " + vpcCidr + ")");
            vpc = null;
        }
        int azCount = integer(node.get("azCount"), key + "azCount", 2, ConfigRules.MIN_AZ, ConfigRules.MAX_AZ);
        int pub = integer(node.get("publicSubnetPrefixLength"), key + "publicSubnetPrefixLength", 24, 16, 28);
        int priv = integer(node.get("privateSubnetPrefixLength"), key + "privateSubnetPrefixLength", 22, 16, 28);
        if (vpc != null) {
            try {
                SubnetPlan.carve(vpc, privateZoneCount(azCount), pub, priv);
            } catch (IllegalArgumentException e) {
                problems.add(key + "publicSubnetPrefixLength/privateSubnetPrefixLength: " + e.getMessage());
            }
        }
        List<String> endpoints = strings(node.get("interfaceEndpoints"), key + "interfaceEndpoints",
                env.hardened() ? List.of("kms", "secretsmanager") : List.of());
        for (String service : endpoints) {
            if (!ConfigRules.INTERFACE_ENDPOINT_SERVICES.contains(service)) {
                problems.add(key + "interfaceEndpoints: '" + service + "' is not offered; allowed: "
                        + String.join(", ", new TreeSet<>(ConfigRules.INTERFACE_ENDPOINT_SERVICES)));
            }
        }
        if (endpoints.stream().distinct().count() != endpoints.size()) {
            problems.add(key + "interfaceEndpoints lists a service twice");
        }
        List<String> web = clientCidrs(node.get("webClientCidrs"), key + "webClientCidrs", List.of("0.0.0.0/0"));
        List<String> dicom = clientCidrs(node.get("dicomClientCidrs"), key + "dicomClientCidrs",
                env.hardened() ? null : List.of("0.0.0.0/0"));
        if (env.hardened() && dicom != null && dicom.stream().anyMatch(c -> c.endsWith("/0"))) {
            problems.add(key + "dicomClientCidrs may not contain 0.0.0.0/0 in environment " + env.code()
                    + ": list the networks of the DICOM modalities and peers");
        }
        return new StackConfig.Network(vpcCidr, azCount, pub, priv, endpoints,
                web == null ? List.of() : web, dicom == null ? List.of() : dicom);
    }

    /**
     * RDS subnet groups must span at least two AZs, even for a single-AZ database: private subnets
     * (free) always cover two zones or more, while hosts follow azCount.
     */
    public static int privateZoneCount(int azCount) {
        return Math.max(2, azCount);
    }

    private StackConfig.Host host(Environment env, StackConfig.Network network) {
        JsonNode node = section("host", HOST_KEYS);
        String key = NS + "host.";
        String type = text(node.get("instanceType"), key + "instanceType", "t3.medium");
        if (type != null) {
            var m = INSTANCE_TYPE.matcher(type);
            if (!m.matches()) {
                problems.add(key + "instanceType must be an EC2 instance type such as t3.medium (got '" + type + "')");
            } else if (m.group(3).contains("g") || m.group(1).equals("a")) {
                problems.add(key + "instanceType must be x86_64 (the image is Amazon Linux 2023 x86_64); '"
                        + type + "' is a Graviton (arm64) type");
            }
        }
        int defaultCount = env.hardened() ? network.azCount() : 1;
        int count = integer(node.get("instanceCount"), key + "instanceCount", defaultCount, 1,
                network.azCount() * ConfigRules.MAX_INSTANCES_PER_AZ);
        String publicKey = text(node.get("publicKey"), key + "publicKey", null);
        if (publicKey != null) {
            checkPublicKey(publicKey, key + "publicKey");
        }
        int root = integer(node.get("rootVolumeGiB"), key + "rootVolumeGiB", env.hardened() ? 30 : 20,
                ConfigRules.MIN_ROOT_VOLUME_GIB, ConfigRules.MAX_ROOT_VOLUME_GIB);
        return new StackConfig.Host(type, count, Optional.ofNullable(publicKey), root);
    }

    private void checkPublicKey(String publicKey, String key) {
        if (publicKey.equals(RawConfig.SECRET_PLACEHOLDER)) {
            return;
        }
        var m = SSH_KEY.matcher(publicKey.trim());
        if (!m.matches()) {
            problems.add(key + " must be an OpenSSH public key starting with ssh-rsa or ssh-ed25519");
            return;
        }
        try {
            byte[] blob = Base64.getDecoder().decode(m.group(2));
            // the blob starts with the length-prefixed key type, which must repeat the prefix
            int len = ((blob[0] & 255) << 24) | ((blob[1] & 255) << 16) | ((blob[2] & 255) << 8) | (blob[3] & 255);
            String inner = new String(blob, 4, len, java.nio.charset.StandardCharsets.US_ASCII);
            if (!inner.equals(m.group(1))) {
                problems.add(key + " says " + m.group(1) + " but its key data is " + inner);
            }
        } catch (RuntimeException e) {
            problems.add(key + " has key data that is not a valid OpenSSH key blob");
        }
    }

    private StackConfig.Database database(Environment env) {
        JsonNode node = section("database", DATABASE_KEYS);
        String key = NS + "database.";
        String cls = text(node.get("instanceClass"), key + "instanceClass", env.hardened() ? "db.t4g.medium" : "db.t4g.small");
        if (cls != null && !DB_CLASS.matcher(cls).matches()) {
            problems.add(key + "instanceClass must be an RDS instance class such as db.t4g.medium (got '" + cls + "')");
        } else if (cls != null) {
            // every pool of every host must fit in the class's max_connections
            problems.addAll(ConnectionBudget.checkDatabaseClass(cls, key + "instanceClass"));
        }
        String version = text(node.get("engineVersion"), key + "engineVersion", "17.6");
        if (version != null) {
            if (!ENGINE_VERSION.matcher(version).matches()) {
                problems.add(key + "engineVersion must be a pinned PostgreSQL version major.minor such as 17.6 (got '"
                        + version + "')");
            } else if (!ConfigRules.DB_ENGINE_MAJORS.contains(version.split("\\.")[0])) {
                problems.add(key + "engineVersion must be PostgreSQL " + String.join(" or ",
                        new TreeSet<>(ConfigRules.DB_ENGINE_MAJORS)) + ".x (got '" + version + "')");
            }
        }
        int storage = integer(node.get("allocatedStorageGiB"), key + "allocatedStorageGiB", env.hardened() ? 30 : 20,
                ConfigRules.MIN_DB_STORAGE_GIB, ConfigRules.MAX_DB_STORAGE_GIB);
        boolean multiAz = bool(node.get("multiAz"), key + "multiAz", env.hardened());
        if (env.hardened() && !multiAz) {
            problems.add(key + "multiAz must be true in environment " + env.code() + " (a standby in a second AZ)");
        }
        int backups = integer(node.get("backupRetentionDays"), key + "backupRetentionDays", env.hardened() ? 14 : 7,
                ConfigRules.MIN_BACKUP_DAYS, ConfigRules.MAX_BACKUP_DAYS);
        return new StackConfig.Database(cls, version, storage, multiAz, backups);
    }

    private StackConfig.Logging logging(Environment env) {
        JsonNode node = section("logging", LOGGING_KEYS);
        String key = NS + "logging.";
        boolean containerLogs = bool(node.get("containerLogs"), key + "containerLogs", true);
        int retention = integer(node.get("retentionDays"), key + "retentionDays",
                env.hardened() ? ConfigRules.HARDENED_MIN_RETENTION_DAYS : 7, 1, 3653);
        if (!ConfigRules.LOG_RETENTION_DAYS.contains(retention)) {
            problems.add(key + "retentionDays must be one of CloudWatch's periods " + ConfigRules.LOG_RETENTION_DAYS
                    + " (got " + retention + ")");
        } else if (env.hardened() && retention < ConfigRules.HARDENED_MIN_RETENTION_DAYS) {
            problems.add(key + "retentionDays must be at least " + ConfigRules.HARDENED_MIN_RETENTION_DAYS
                    + " in environment " + env.code() + " (got " + retention + ")");
        }
        return new StackConfig.Logging(containerLogs, retention);
    }

    private StackConfig.Site site() {
        JsonNode node = section("site", SITE_KEYS);
        String key = NS + "site.name";
        String name = text(node.get("name"), key, null);
        if (name != null && !name.equals(RawConfig.SECRET_PLACEHOLDER)) {
            String lower = name.toLowerCase(java.util.Locale.ROOT);
            boolean valid = lower.length() <= 253 && lower.contains(".")
                    && java.util.Arrays.stream(lower.split("\\.", -1)).allMatch(l -> DNS_LABEL.matcher(l).matches());
            if (!valid) {
                problems.add(key + " must be a fully qualified DNS name such as orthanc.example.org (got '" + name + "')");
            }
            name = lower;
        }
        return new StackConfig.Site(Optional.ofNullable(name));
    }

    /**
     * Image overrides: a tag or a whole pinned reference per name; the rule itself is the
     * application layer's ({@link AppImages#resolve}), so it is stated once.
     */
    private Map<String, String> images() {
        JsonNode node = value("images");
        if (node == null) {
            return AppImages.DEFAULTS;
        }
        if (!node.isObject()) {
            problems.add(NS + "images must be a mapping of image name to tag or pinned image reference; names: "
                    + String.join(", ", new TreeSet<>(AppImages.DEFAULTS.keySet())));
            return AppImages.DEFAULTS;
        }
        Map<String, String> overrides = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            var field = fields.next();
            String key = NS + "images." + field.getKey();
            if (!AppImages.DEFAULTS.containsKey(field.getKey())) {
                problems.add("unknown setting '" + key + "'; allowed: "
                        + String.join(", ", new TreeSet<>(AppImages.DEFAULTS.keySet())));
                continue;
            }
            String value = text(field.getValue(), key, null);
            try {
                AppImages.resolve(Map.of(field.getKey(), String.valueOf(value)));
                overrides.put(field.getKey(), value);
            } catch (IllegalArgumentException e) {
                problems.add(key + " must be a tag (such as " + tagOf(AppImages.DEFAULTS.get(field.getKey()))
                        + ") or an image reference pinned by tag or digest, not 'latest' (got '" + value + "')");
            }
        }
        return AppImages.resolve(overrides);
    }

    private static String tagOf(String reference) {
        return reference.substring(reference.lastIndexOf(':') + 1);
    }

    // ---- typed readers ----------------------------------------------------------------------

    private JsonNode value(String name) {
        return raw.values().get(NS + name);
    }

    /** The section's object (empty when absent), refusing fields we do not know. */
    private JsonNode section(String name, Set<String> allowed) {
        JsonNode node = value(name);
        if (node == null || node.isNull()) {
            return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        }
        if (!node.isObject()) {
            problems.add(NS + name + " must be a mapping with keys " + String.join(", ", new TreeSet<>(allowed)));
            return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        }
        node.fieldNames().forEachRemaining(field -> {
            if (!allowed.contains(field)) {
                problems.add("unknown setting '" + NS + name + "." + field + "'; allowed: "
                        + String.join(", ", new TreeSet<>(allowed)));
            }
        });
        return node;
    }

    private String text(JsonNode node, String key, String fallback) {
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isValueNode()) {
            problems.add(key + " must be a single value, not a list or mapping");
            return fallback;
        }
        String text = node.asText().trim();
        return text.isEmpty() ? fallback : text;
    }

    private int integer(JsonNode node, String key, int fallback, int min, int max) {
        if (node == null || node.isNull()) {
            return fallback;
        }
        String text = node.asText().trim();
        int value;
        if (node.isIntegralNumber() || text.matches("-?\\d{1,9}")) {
            value = node.isIntegralNumber() ? node.asInt() : Integer.parseInt(text);
        } else {
            problems.add(key + " must be a whole number from " + min + " to " + max + " (got '" + text + "')");
            return fallback;
        }
        if (value < min || value > max) {
            problems.add(key + " must be from " + min + " to " + max + " (got " + value + ")");
            return fallback;
        }
        return value;
    }

    private boolean bool(JsonNode node, String key, boolean fallback) {
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        String text = node.asText().trim();
        if (text.equals("true") || text.equals("false")) {
            return Boolean.parseBoolean(text);
        }
        problems.add(key + " must be true or false (got '" + text + "')");
        return fallback;
    }

    private List<String> strings(JsonNode node, String key, List<String> fallback) {
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isArray()) {
            problems.add(key + " must be a list");
            return fallback == null ? List.of() : fallback;
        }
        List<String> values = new ArrayList<>();
        for (JsonNode item : node) {
            if (!item.isValueNode() || item.asText().isBlank()) {
                problems.add(key + " must be a list of non-empty strings");
                return fallback == null ? List.of() : fallback;
            }
            values.add(item.asText().trim());
        }
        return values;
    }

    /** A non-empty list of valid IPv4 CIDRs; a null fallback makes the key required. */
    private List<String> clientCidrs(JsonNode node, String key, List<String> fallback) {
        List<String> values = strings(node, key, fallback);
        if (values == null) {
            problems.add(key + " is required in this environment: a list of IPv4 CIDRs such as [\"198.51.100.0/24\"]");
            return null;
        }
        if (values.isEmpty()) {
            problems.add(key + " must list at least one IPv4 CIDR (use [\"0.0.0.0/0\"] to allow any address)");
        }
        for (String value : values) {
            cidr(value, key);
        }
        return values;
    }

    private Cidr cidr(String text, String key) {
        try {
            return Cidr.parse(text);
        } catch (IllegalArgumentException e) {
            problems.add(key + ": " + e.getMessage());
            return null;
        }
    }

    /** Never echo a secret value in a message. */
    private String shown(String key, String value) {
        return raw.secretKeys().contains(key) ? "[secret]" : value;
    }
}
