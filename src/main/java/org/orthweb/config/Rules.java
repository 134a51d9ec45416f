package org.orthweb.config;

import org.orthweb.cloudinit.AppImages;
import org.orthweb.net.Cidr;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The rules of single settings, one small pure class each, named in a setting's {@link Check}.
 * Each is tested directly (RulesTest) with a failing example and its message. Rules that relate
 * several settings or depend on the environment live in {@link ConfigParser} (cross-field rules).
 */
public final class Rules {

    private Rules() {
    }

    /** AWS region names such as us-east-1 or ap-southeast-2. */
    public static final class RegionName implements Rule<String> {
        private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d{1,2}");

        @Override
        public String check(String value) {
            if (!REGION.matcher(value).matches()) {
                throw new IllegalArgumentException("must be an AWS region name such as us-east-1 (got '" + value + "')");
            }
            return value;
        }

        @Override
        public String allowed() {
            return "an AWS region name such as us-east-1";
        }
    }

    /** An AWS tag value (the Owner tag). */
    public static final class TagValue implements Rule<String> {
        private static final Pattern TAG_VALUE = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]{1,256}");

        @Override
        public String check(String value) {
            if (!TAG_VALUE.matcher(value).matches()) {
                throw new IllegalArgumentException("must be 1-256 letters, digits, spaces or _.:/=+-@ (an AWS tag value)");
            }
            return value;
        }

        @Override
        public String allowed() {
            return "AWS tag value (1-256 letters, digits, spaces or _.:/=+-@)";
        }
    }

    /** The VPC block: /16 (AWS's largest) to /24 (room for the subnets). */
    public static final class VpcPrefix implements Rule<Cidr> {
        @Override
        public Cidr check(Cidr value) {
            if (value.prefixLength() < 16 || value.prefixLength() > 24) {
                throw new IllegalArgumentException("must have a prefix from /16 to /24 (got " + value + ")");
            }
            return value;
        }

        @Override
        public String allowed() {
            return "IPv4 CIDR, /16 to /24, network address";
        }
    }

    /**
     * The VPC block stays clear of the hosts' fixed container network
     * ({@link org.orthweb.cloudinit.Layout#CONTAINER_SUBNET}; the host firewall names Orthanc's
     * address in it): an overlapping VPC would send the hosts' database and endpoint traffic into
     * the Docker bridge.
     */
    public static final class OutsideContainerNetwork implements Rule<Cidr> {
        @Override
        public Cidr check(Cidr value) {
            Cidr containers = Cidr.parse(org.orthweb.cloudinit.Layout.CONTAINER_SUBNET);
            if (value.contains(containers) || containers.contains(value)) {
                throw new IllegalArgumentException("overlaps the hosts' container network " + containers
                        + " (fixed, see docs/security.md); choose a VPC CIDR outside it (got " + value + ")");
            }
            return value;
        }

        @Override
        public String allowed() {
            return "outside " + org.orthweb.cloudinit.Layout.CONTAINER_SUBNET;
        }
    }

    /**
     * The DICOM peers: names DNS-label-like and unique, AE titles valid DICOM AE values and unique
     * ignoring case ({@link org.orthweb.pki.DicomPeers#problems}, the one place for those rules).
     */
    public static final class DicomClients implements Rule<List<StackConfig.DicomClient>> {
        @Override
        public List<StackConfig.DicomClient> check(List<StackConfig.DicomClient> value) {
            List<String> problems = org.orthweb.pki.DicomPeers.problems(
                    value.stream().map(StackConfig.DicomClient::peer).toList());
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException(String.join("\n", problems.stream()
                        .map(p -> p.startsWith(org.orthweb.pki.DicomPeers.SETTING)
                                ? p.substring(org.orthweb.pki.DicomPeers.SETTING.length()) : p).toList()));
            }
            return value;
        }

        @Override
        public String allowed() {
            return "non-empty list of {name, aeTitle}: names unique DNS labels, AE titles 1-16 DICOM AE characters, "
                    + "unique ignoring case";
        }
    }

    /**
     * A database class whose size this program knows the memory of (so its {@code max_connections}
     * can be estimated). Whether it holds the pools of the stack's hosts is a cross-field rule
     * ({@code ConfigParser.databaseRules}: it depends on host.instanceCount and ha), see
     * {@link org.orthweb.cloudinit.ConnectionBudget} and docs/application.md "Database connections".
     */
    public static final class DbClassKnownSize implements Rule<String> {
        @Override
        public String check(String value) {
            try {
                org.orthweb.cloudinit.ConnectionBudget.nominalMemoryGiB(value);
            } catch (IllegalArgumentException e) {
                // read after the setting's name: "orthweb:database.instanceClass must be ..."
                throw new IllegalArgumentException("must be a class of a known size, such as db.t4g.medium: "
                        + e.getMessage() + org.orthweb.cloudinit.ConnectionBudget.KNOWN_SIZES);
            }
            return value;
        }

        @Override
        public String allowed() {
            return "a known size, with room for the connection pools of the stack's hosts (db.t4g.micro holds one "
                    + "host, db.t4g.small up to three; docs/application.md, \"Database connections\")";
        }
    }

    /**
     * A non-empty list of CIDRs without duplicates: AWS refuses a second identical security group
     * rule at deploy time, so the duplicate must fail at plan time.
     */
    public static final class ClientCidrs implements Rule<List<Cidr>> {
        @Override
        public List<Cidr> check(List<Cidr> value) {
            if (value.isEmpty()) {
                throw new IllegalArgumentException("must list at least one IPv4 CIDR (use [\"0.0.0.0/0\"] to allow any address)");
            }
            Set<Cidr> seen = new HashSet<>();
            for (Cidr cidr : value) {
                if (!seen.add(cidr)) {
                    throw new IllegalArgumentException("lists " + cidr + " twice (AWS refuses duplicate security group rules)");
                }
            }
            return value;
        }

        @Override
        public String allowed() {
            return "non-empty list of distinct IPv4 CIDRs";
        }
    }

    /** Services offered as interface endpoints, each at most once. */
    public static final class InterfaceEndpoints implements Rule<List<String>> {
        @Override
        public List<String> check(List<String> value) {
            for (String service : value) {
                if (!ConfigRules.INTERFACE_ENDPOINT_SERVICES.contains(service)) {
                    throw new IllegalArgumentException(": '" + service + "' is not offered; allowed: "
                            + String.join(", ", new TreeSet<>(ConfigRules.INTERFACE_ENDPOINT_SERVICES)));
                }
            }
            if (new HashSet<>(value).size() != value.size()) {
                throw new IllegalArgumentException("lists a service twice");
            }
            return value;
        }

        @Override
        public String allowed() {
            return "list from " + String.join(", ", new TreeSet<>(ConfigRules.INTERFACE_ENDPOINT_SERVICES));
        }
    }

    /** An EC2 instance type that runs the x86_64 image (no Graviton). */
    public static final class X86InstanceType implements Rule<String> {
        private static final Pattern INSTANCE_TYPE = Pattern.compile("([a-z]+)(\\d+)([a-z-]*)\\.([a-z0-9]+)");

        @Override
        public String check(String value) {
            var m = INSTANCE_TYPE.matcher(value);
            if (!m.matches()) {
                throw new IllegalArgumentException("must be an EC2 instance type such as t3.medium (got '" + value + "')");
            }
            if (m.group(3).contains("g") || m.group(1).equals("a")) {
                throw new IllegalArgumentException("must be x86_64 (the image is Amazon Linux 2023 x86_64); '"
                        + value + "' is a Graviton (arm64) type");
            }
            return value;
        }

        @Override
        public String allowed() {
            return "EC2 instance type, x86_64 only (Graviton refused)";
        }
    }

    /**
     * An EC2 image id: {@code ami-} and 8 or 17 lower-case hex digits (the two id lengths EC2
     * has issued; EC2 API Reference, "Resource IDs").
     */
    public static final class AmiId implements Rule<String> {
        private static final Pattern AMI = Pattern.compile("ami-([0-9a-f]{8}|[0-9a-f]{17})");

        @Override
        public String check(String value) {
            if (!AMI.matcher(value).matches()) {
                throw new IllegalArgumentException("must be an AMI id: ami- and 8 or 17 lower-case hex digits, such as "
                        + "ami-0123456789abcdef0 (got '" + value + "'); `orthweb ami` prints the command that shows the newest");
            }
            return value;
        }

        @Override
        public String allowed() {
            return "`ami-` and 8 or 17 hex digits";
        }
    }

    /**
     * An OpenSSH public key of type ssh-rsa or ssh-ed25519 whose key blob repeats its type (RFC
     * 4253 section 6.6: the blob starts with the length-prefixed key type name).
     */
    public static final class SshPublicKey implements Rule<String> {
        private static final Pattern SSH_KEY = Pattern.compile("(ssh-rsa|ssh-ed25519) ([A-Za-z0-9+/]+={0,3})( [^\\n]*)?");

        @Override
        public String check(String value) {
            var m = SSH_KEY.matcher(value.trim());
            if (!m.matches()) {
                throw new IllegalArgumentException("must be an OpenSSH public key starting with ssh-rsa or ssh-ed25519");
            }
            String inner;
            try {
                byte[] blob = Base64.getDecoder().decode(m.group(2));
                int len = ((blob[0] & 255) << 24) | ((blob[1] & 255) << 16) | ((blob[2] & 255) << 8) | (blob[3] & 255);
                inner = new String(blob, 4, len, StandardCharsets.US_ASCII);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("has key data that is not a valid OpenSSH key blob");
            }
            if (!inner.equals(m.group(1))) {
                throw new IllegalArgumentException("says " + m.group(1) + " but its key data is " + inner);
            }
            return value;
        }

        @Override
        public String allowed() {
            return "`ssh-rsa` or `ssh-ed25519` OpenSSH public key (checked)";
        }
    }

    /**
     * Certificates to trust, as PEM ({@link org.orthweb.pki.TrustedCertificates#parse}), valid now
     * (but when destroying, {@link CertificateClock}): kept normalized (one newline per line end,
     * one at the end).
     */
    public static final class PemCertificates implements Rule<String> {
        @Override
        public String check(String value) {
            org.orthweb.pki.TrustedCertificates.parse(value, CertificateClock.now().orElse(null));
            return org.orthweb.pki.TrustedCertificates.normalize(value);
        }

        @Override
        public String allowed() {
            return "PEM CERTIFICATE block(s), valid now; no private key";
        }
    }

    /** An RDS instance class, db.&lt;family&gt;.&lt;size&gt;. */
    public static final class DbInstanceClass implements Rule<String> {
        private static final Pattern DB_CLASS = Pattern.compile("db\\.[a-z0-9-]+\\.[a-z0-9]+");

        @Override
        public String check(String value) {
            if (!DB_CLASS.matcher(value).matches()) {
                throw new IllegalArgumentException("must be an RDS instance class such as db.t4g.medium (got '" + value + "')");
            }
            return value;
        }

        @Override
        public String allowed() {
            return "RDS class (`db.<family>.<size>`)";
        }
    }

    /**
     * A PostgreSQL version of a major whose parameter names we set: the major alone ("17", the
     * default: RDS picks the minor and its automatic minor upgrades never look like drift, because
     * the provider keeps a configured version that is a dotted prefix of the running one), or a
     * pinned major.minor ("17.6") for those who pin, at the cost that once RDS upgrades the minor
     * (it forces upgrades at end of support) a refresh records it and the next {@code up} asks
     * for a downgrade, which RDS refuses. Source: terraform-provider-aws {@code engine_version}
     * documentation and {@code compareActualEngineVersion} (internal/service/rds/verify.go).
     */
    public static final class EngineVersion implements Rule<String> {
        private static final Pattern ENGINE_VERSION = Pattern.compile("(\\d+)(\\.\\d+)?");

        @Override
        public String check(String value) {
            var m = ENGINE_VERSION.matcher(value);
            if (!m.matches()) {
                throw new IllegalArgumentException("must be a PostgreSQL major version such as 17 (recommended: minor "
                        + "versions then follow RDS's automatic upgrades) or a pinned major.minor such as 17.6 (got '"
                        + value + "')");
            }
            if (!ConfigRules.DB_ENGINE_MAJORS.contains(m.group(1))) {
                throw new IllegalArgumentException("must be PostgreSQL " + String.join(" or ",
                        new TreeSet<>(ConfigRules.DB_ENGINE_MAJORS)) + " (a major, or major.minor; got '" + value + "')");
            }
            return value;
        }

        @Override
        public String allowed() {
            return "major (`17`; minor upgrades by RDS) or pinned `major.minor`, PostgreSQL "
                    + String.join(" or ", new TreeSet<>(ConfigRules.DB_ENGINE_MAJORS));
        }
    }

    /** One of the retention periods CloudWatch Logs accepts. */
    public static final class LogRetention implements Rule<Integer> {
        @Override
        public Integer check(Integer value) {
            if (!ConfigRules.LOG_RETENTION_DAYS.contains(value)) {
                throw new IllegalArgumentException("must be one of CloudWatch's periods " + ConfigRules.LOG_RETENTION_DAYS
                        + " (got " + value + ")");
            }
            return value;
        }

        @Override
        public String allowed() {
            return "CloudWatch's periods (" + ConfigRules.LOG_RETENTION_DAYS.stream().map(String::valueOf)
                    .reduce((a, b) -> a + ", " + b).orElseThrow() + ")";
        }
    }

    /** A fully qualified DNS name; kept lower-case. */
    public static final class DnsName implements Rule<String> {
        private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

        @Override
        public String check(String value) {
            String lower = value.toLowerCase(Locale.ROOT);
            boolean valid = lower.length() <= 253 && lower.contains(".")
                    && Arrays.stream(lower.split("\\.", -1)).allMatch(l -> DNS_LABEL.matcher(l).matches());
            if (!valid) {
                throw new IllegalArgumentException("must be a fully qualified DNS name such as orthanc.example.org (got '"
                        + value + "')");
            }
            return lower;
        }

        @Override
        public String allowed() {
            return "fully qualified DNS name";
        }
    }

    /**
     * Image overrides: known names only, each a tag or a reference pinned by tag or digest; the
     * result is the whole resolved set (the application layer's rule, {@link AppImages#resolve}).
     */
    public static final class Images implements Rule<Map<String, String>> {
        @Override
        public Map<String, String> check(Map<String, String> value) {
            List<String> problems = new ArrayList<>();
            Map<String, String> overrides = new LinkedHashMap<>();
            value.forEach((name, ref) -> {
                if (!AppImages.DEFAULTS.containsKey(name)) {
                    problems.add("." + name + ": unknown image; allowed: " + String.join(", ", new TreeSet<>(AppImages.DEFAULTS.keySet())));
                    return;
                }
                try {
                    AppImages.resolve(Map.of(name, ref));
                    overrides.put(name, ref);
                } catch (IllegalArgumentException e) {
                    String def = AppImages.DEFAULTS.get(name);
                    problems.add("." + name + ": " + e.getMessage() + ". Allowed: an image reference pinned by tag or "
                            + "digest (such as " + def + ", localhost:5000/" + def.substring(def.lastIndexOf('/') + 1)
                            + ", " + def.substring(0, def.lastIndexOf(':')) + "@sha256:<64 hex>), or ':<tag>' for "
                            + "another tag of " + def.substring(0, def.lastIndexOf(':')));
                }
            });
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException(String.join("\n", problems));
            }
            return AppImages.resolve(overrides);
        }

        @Override
        public String allowed() {
            return "mapping of image name (" + String.join(", ", new TreeSet<>(AppImages.DEFAULTS.keySet()))
                    + ") to an image reference pinned by tag or digest (`registry:port/name:tag`, `name@sha256:...`; "
                    + "a bare `nginx` is Docker Hub's library/nginx; no `latest`), or `:tag` for another tag of the default";
        }
    }

    /**
     * Distinct e-mail addresses (SNS e-mail subscriptions and budget subscribers). The check is
     * the practical form (one @, a dotted domain, no spaces or angle brackets), not RFC 5322:
     * it catches the typos that would make a subscription silently go nowhere.
     */
    public static final class EmailAddresses implements Rule<List<String>> {
        private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}");
        /** AWS Budgets takes at most 10 e-mail subscribers per notification (Billing API "Notification"). */
        static final int MAX_ADDRESSES = 10;

        @Override
        public List<String> check(List<String> value) {
            List<String> kept = new ArrayList<>();
            for (String address : value) {
                String a = address.trim();
                if (!EMAIL.matcher(a).matches() || a.length() > 254) {
                    throw new IllegalArgumentException("'" + address + "' is not an e-mail address such as ops@example.org");
                }
                if (kept.stream().anyMatch(k -> k.equalsIgnoreCase(a))) {
                    throw new IllegalArgumentException("lists " + a + " twice");
                }
                kept.add(a);
            }
            if (kept.size() > MAX_ADDRESSES) {
                throw new IllegalArgumentException("lists " + kept.size() + " addresses; at most " + MAX_ADDRESSES
                        + " (AWS Budgets' limit per notification): use a mailing list");
            }
            return List.copyOf(kept);
        }

        @Override
        public String allowed() {
            return "list of up to " + MAX_ADDRESSES + " distinct e-mail addresses";
        }
    }
    /**
     * The VPN clients' address block: IPv4, from /12 to /22, the sizes AWS Client VPN accepts
     * (EC2 API reference, CreateClientVpnEndpoint, ClientCidrBlock: "must have a size of at least
     * /22 and must not be greater than /12"). Overlap with the VPC is a cross-field rule
     * ({@link ConfigParser#vpnRules}).
     */
    public static final class VpnClientCidr implements Rule<Cidr> {
        public static final int MIN_PREFIX = 12;
        public static final int MAX_PREFIX = 22;

        @Override
        public Cidr check(Cidr value) {
            if (value.prefixLength() < MIN_PREFIX || value.prefixLength() > MAX_PREFIX) {
                throw new IllegalArgumentException("must have a prefix from /" + MIN_PREFIX + " to /" + MAX_PREFIX
                        + " (AWS Client VPN's limits; got " + value + ")");
            }
            return value;
        }

        @Override
        public String allowed() {
            return "IPv4 CIDR, /12 to /22, not overlapping the VPC";
        }
    }

    /** A VPN client's name: a DNS label (lower case letters, digits, hyphens; 1-63 characters). */
    public static final class VpnClientName implements Rule<String> {
        private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

        @Override
        public String check(String value) {
            if (!LABEL.matcher(value).matches()) {
                throw new IllegalArgumentException("must be a DNS label: 1-63 lower-case letters, digits or hyphens, "
                        + "not starting or ending with a hyphen (got '" + value + "')");
            }
            return value;
        }

        @Override
        public String allowed() {
            return "DNS label (a-z, 0-9, -)";
        }
    }

    /** The VPN clients: at least one, each name once (each name is one certificate and one profile). */
    public static final class VpnClients implements Rule<List<StackConfig.VpnClient>> {
        @Override
        public List<StackConfig.VpnClient> check(List<StackConfig.VpnClient> value) {
            if (value.isEmpty()) {
                throw new IllegalArgumentException("must list at least one client, such as [{name: alice}]");
            }
            Set<String> seen = new HashSet<>();
            for (StackConfig.VpnClient c : value) {
                if (!seen.add(c.name())) {
                    throw new IllegalArgumentException("lists the name '" + c.name() + "' twice (one certificate per name)");
                }
            }
            return value;
        }

        @Override
        public String allowed() {
            return "non-empty list of {name} with distinct names";
        }
    }

    /**
     * Client VPN's session timeouts: 8, 10, 12 or 24 hours (EC2 API reference,
     * CreateClientVpnEndpoint, SessionTimeoutHours; AWS CDK's {@code ClientVpnSessionTimeout} has
     * exactly these four members). 24 is AWS's default.
     */
    public static final class VpnSessionTimeout implements Rule<Integer> {
        public static final List<Integer> ALLOWED = List.of(8, 10, 12, 24);

        @Override
        public Integer check(Integer value) {
            if (!ALLOWED.contains(value)) {
                throw new IllegalArgumentException("must be one of 8, 10, 12, 24 (hours, the values AWS Client VPN accepts; got "
                        + value + ")");
            }
            return value;
        }

        @Override
        public String allowed() {
            return "8, 10, 12 or 24";
        }
    }

    /**
     * A DICOM AE title: 1-16 characters of the default character repertoire without backslash or
     * control characters (DICOM PS3.5 section 6.2, table 6.2-1, VR AE), not all spaces; leading and
     * trailing spaces are not significant, so refused ({@link org.orthweb.pki.DicomPeers#aeTitleProblem},
     * the one place for the rule).
     */
    public static final class AeTitle implements Rule<String> {
        @Override
        public String check(String value) {
            org.orthweb.pki.DicomPeers.aeTitleProblem(value).ifPresent(p -> {
                throw new IllegalArgumentException(p);
            });
            return value;
        }

        @Override
        public String allowed() {
            return "DICOM AE title: 1-16 printable ASCII characters, no backslash, no leading or trailing space";
        }
    }

    /** Orthanc's Name: shown in its UI and to other Orthancs; printable, 1-64 characters. */
    public static final class OrthancName implements Rule<String> {
        private static final Pattern NAME = Pattern.compile("[\\x20-\\x7e]{1,64}");

        @Override
        public String check(String value) {
            if (!NAME.matcher(value).matches() || value.isBlank()) {
                throw new IllegalArgumentException("must be 1-64 printable ASCII characters (got '" + value + "')");
            }
            return value;
        }

        @Override
        public String allowed() {
            return "1-64 printable ASCII characters";
        }
    }

    /** A host Orthanc connects to: an IPv4 address or a DNS name. */
    public static final class HostName implements Rule<String> {
        @Override
        public String check(String value) {
            if (!org.orthweb.orthanc.OrthancSettings.validHost(value)) {
                throw new IllegalArgumentException("must be an IPv4 address such as 10.20.0.5 or a DNS name such as "
                        + "pacs.example.org (got '" + value + "')");
            }
            return value.toLowerCase(Locale.ROOT);
        }

        @Override
        public String allowed() {
            return "IPv4 address or DNS name";
        }
    }

    /**
     * An Orthanc peer's URL: http or https, a valid host, no user information (a password in the
     * URL would be a secret in plain text), a path ending with a slash as Orthanc's peers expect.
     */
    public static final class PeerUrl implements Rule<String> {
        @Override
        public String check(String value) {
            java.net.URI url;
            try {
                url = new java.net.URI(value);
            } catch (java.net.URISyntaxException e) {
                throw new IllegalArgumentException("is not a URL: " + e.getReason());
            }
            if (url.getScheme() == null || !(url.getScheme().equals("https") || url.getScheme().equals("http"))) {
                throw new IllegalArgumentException("must start with https:// or http:// (got '" + value + "')");
            }
            if (url.getRawUserInfo() != null) {
                throw new IllegalArgumentException("must not carry a user or password: it would be a secret in plain "
                        + "text on every host (peers with credentials are not supported, see README)");
            }
            if (url.getHost() == null || !org.orthweb.orthanc.OrthancSettings.validHost(url.getHost())) {
                throw new IllegalArgumentException("must name an IPv4 address or DNS name as its host (got '" + value + "')");
            }
            if (url.getRawQuery() != null || url.getRawFragment() != null) {
                throw new IllegalArgumentException("must not have a query or fragment (got '" + value + "')");
            }
            return url.getRawPath() == null || url.getRawPath().isEmpty() ? value + "/"
                    : url.getRawPath().endsWith("/") ? value : value + "/";
        }

        @Override
        public String allowed() {
            return "http(s) URL without user or password";
        }
    }

    /**
     * The modalities: names fit for REST paths ({@code /modalities/{name}}); a DNS-named host
     * declares the block it resolves into (a security group matches addresses, not names); a
     * declared block holds an IPv4 host.
     */
    public static final class OrthancModalities implements Rule<Map<String, StackConfig.Modality>> {
        @Override
        public Map<String, StackConfig.Modality> check(Map<String, StackConfig.Modality> value) {
            List<String> problems = new ArrayList<>();
            Map<String, String> aets = new java.util.HashMap<>();
            value.forEach((name, m) -> {
                if (!org.orthweb.orthanc.OrthancSettings.NAME.matcher(name).matches()) {
                    problems.add("." + name + ": the name must be 1-63 letters, digits, '-' or '_' (it is the REST path "
                            + "/modalities/{name})");
                    return;
                }
                var ip = org.orthweb.orthanc.OrthancSettings.ipv4(m.host());
                if (ip.isEmpty() && m.egressCidr().isEmpty()) {
                    problems.add("." + name + ".egressCidr is required for the DNS name '" + m.host() + "': the hosts' "
                            + "security group opens egress to addresses, not names; give the block it resolves into "
                            + "(such as 10.20.0.5/32), or give an IPv4 host");
                }
                if (ip.isPresent() && m.egressCidr().isPresent()
                        && !m.egressCidr().get().contains(Cidr.parse(ip.get() + "/32"))) {
                    problems.add("." + name + ".egressCidr " + m.egressCidr().get() + " does not hold its host " + ip.get());
                }
                if (m.egressCidr().isPresent() && m.egressCidr().get().isAnywhere()) {
                    problems.add("." + name + ".egressCidr may not be 0.0.0.0/0: egress goes to the modality, not to the world");
                }
                if (m.tls() && m.caCertificate().isEmpty()) {
                    problems.add("." + name + ".caCertificate is required with tls: true: the PEM certificate of the CA "
                            + "that issued the modality's server certificate (or the modality's self-signed certificate); "
                            + "Orthanc refuses a modality whose certificate it cannot check");
                }
                if (!m.tls() && m.caCertificate().isPresent()) {
                    problems.add("." + name + ".caCertificate is set but tls is false: Orthanc would call the modality over "
                            + "plain DICOM; set tls: true, or remove caCertificate");
                }
                String other = aets.putIfAbsent(m.aeTitle().toUpperCase(Locale.ROOT), name);
                if (other != null) {
                    problems.add("." + name + ".aeTitle '" + m.aeTitle() + "' is also the AE title of modality '" + other
                            + "'; Orthanc tells modalities apart by AE title");
                }
            });
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException(String.join("\n", problems));
            }
            return value;
        }

        @Override
        public String allowed() {
            return "mapping of name to {aeTitle, host, port, egressCidr, tls, caCertificate}; a DNS host needs egressCidr; "
                    + "tls: true needs caCertificate";
        }
    }

    /** The Orthanc peers: names fit for REST paths; a DNS-named peer off HTTPS 443 declares its block. */
    public static final class OrthancPeers implements Rule<Map<String, StackConfig.Peer>> {
        @Override
        public Map<String, StackConfig.Peer> check(Map<String, StackConfig.Peer> value) {
            List<String> problems = new ArrayList<>();
            value.forEach((name, p) -> {
                if (!org.orthweb.orthanc.OrthancSettings.NAME.matcher(name).matches()) {
                    problems.add("." + name + ": the name must be 1-63 letters, digits, '-' or '_' (it is the REST path "
                            + "/peers/{name})");
                } else if (p.egressCidr().isEmpty() && org.orthweb.orthanc.OrthancSettings.peerNeedsBlock(p.url())) {
                    problems.add("." + name + ".egressCidr is required: '" + p.url() + "' names a DNS host on a port other "
                            + "than HTTPS 443, and the security group opens egress to addresses, not names");
                } else if (p.egressCidr().isPresent() && p.egressCidr().get().isAnywhere()) {
                    problems.add("." + name + ".egressCidr may not be 0.0.0.0/0: egress goes to the peer, not to the world");
                }
            });
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException(String.join("\n", problems));
            }
            return value;
        }

        @Override
        public String allowed() {
            return "mapping of name to {url, egressCidr}";
        }
    }

    /** Orthanc options merged into orthanc.json: none the program owns ({@link org.orthweb.orthanc.OrthancSettings#refusals}). */
    public static final class OrthancExtraConfig implements Rule<com.fasterxml.jackson.databind.node.ObjectNode> {
        @Override
        public com.fasterxml.jackson.databind.node.ObjectNode check(com.fasterxml.jackson.databind.node.ObjectNode value) {
            List<String> problems = org.orthweb.orthanc.OrthancSettings.refusals(value);
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException(String.join("\n", problems));
            }
            return value;
        }

        @Override
        public String allowed() {
            return "JSON object of Orthanc options, none the program owns (README \"Orthanc settings\")";
        }
    }
}
