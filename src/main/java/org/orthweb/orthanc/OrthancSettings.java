package org.orthweb.orthanc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.orthweb.cloudinit.Layout;
import org.orthweb.config.StackConfig;
import org.orthweb.pki.TrustedCertificates;
import org.orthweb.net.Cidr;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The site's Orthanc settings ({@code orthweb:orthanc}) as Orthanc reads them: the typed keys and
 * the extra configuration merged into the rendered orthanc.json, the modalities' entries of
 * {@code DicomModalities}, the egress the hosts need to reach them, and which keys of the extra
 * configuration the program owns. Pure functions; option names are those of Orthanc's
 * Configuration.json (Orthanc Book, "Configuration of Orthanc"; 1.10 to 1.12 alike).
 *
 * <p>Merge precedence, lowest first: the program's template (orthanc.json.mustache), then
 * {@code extraConfig} (objects merged key by key, any other value replaced), then the typed keys.
 * A key that the program or a typed key owns is refused in {@code extraConfig} rather than
 * silently overridden, so the rendered file never differs from what the stack file says.
 */
public final class OrthancSettings {

    /** {@code extraConfig} as JSON text is capped: the merged file is read at every Orthanc start. */
    public static final int MAX_EXTRA_CONFIG_BYTES = 32 * 1024;
    /** The port HTTPS peers use by default, already open to every address (AppFirewall's HTTPS out). */
    static final int HTTPS_PORT = 443;

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Two-space indent, {@code "Key": value} (no space before the colon), like the template. */
    private static final com.fasterxml.jackson.databind.ObjectWriter PRETTY = JSON.writer(
            new com.fasterxml.jackson.core.util.DefaultPrettyPrinter()
                    .withSeparators(com.fasterxml.jackson.core.util.Separators.createDefaultInstance()
                            .withObjectFieldValueSpacing(com.fasterxml.jackson.core.util.Separators.Spacing.AFTER)
                            .withArrayEmptySeparator("").withObjectEmptySeparator("")));

    private static String pretty(JsonNode node) {
        try {
            return PRETTY.writeValueAsString(node) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
    private static final Pattern SECRET_WORD = Pattern.compile(
            "(?i).*(password|passwd|secret|api-?key|private-?key|credential).*|(?i).*token");
    /** Names of modalities and peers: they become REST paths (/modalities/{name}) and resource names. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,62}");

    private static final String TYPED = "set by a typed key: use ";
    private static final String GATE = "the DICOM peer gate (only declared AE titles reach Orthanc) is the program's";
    private static final String ACCESS = "access control is nginx's and the authorization plugin's";

    /**
     * The {@code DicomTls*} options {@code extraConfig} may set: they tune the TLS of Orthanc's calls
     * to modalities declared {@code tls: true} (minimum protocol version, accepted ciphers; Orthanc
     * 1.12's Configuration.json) and change nothing of the stack's own endpoint, which is nginx's.
     */
    public static final java.util.Set<String> DICOM_TLS_TUNING = java.util.Set.of(
            "DicomTlsMinimumProtocolVersion", "DicomTlsCiphersAccepted");

    /**
     * The keys of Orthanc's configuration that {@code extraConfig} may not set, with why: top-level
     * names, or {@code Section.Key} for one key of a section the program fills. Names starting with
     * {@code DicomTls} are refused as well, but for {@link #DICOM_TLS_TUNING} ({@link #refusals}).
     */
    public static final Map<String, String> OWNED = owned();

    private static Map<String, String> owned() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("DicomAet", TYPED + "orthweb:orthanc.aeTitle");
        m.put("Name", TYPED + "orthweb:orthanc.name");
        m.put("StableAge", TYPED + "orthweb:orthanc.stableAgeSeconds");
        m.put("StorageCompression", TYPED + "orthweb:orthanc.storageCompression");
        m.put("DicomModalities", TYPED + "orthweb:orthanc.modalities (their egress is opened) and orthweb:dicom.clients "
                + "(peers that connect in)");
        m.put("OrthancPeers", TYPED + "orthweb:orthanc.peers");
        m.put("DicomModalitiesInDatabase", "modalities kept in the database could be added over REST, past the declared "
                + "list and its egress rules");
        m.put("OrthancPeersInDatabase", "peers kept in the database could be added over REST, past the declared list");
        m.put("HttpPort", "nginx reaches Orthanc's REST API on this fixed port");
        m.put("DicomPort", "nginx's DICOM listeners reach Orthanc on this fixed port");
        m.put("HttpServerEnabled", "nginx serves the web UI and REST API through it");
        m.put("DicomServerEnabled", "the DICOM TLS endpoint needs Orthanc's DICOM server");
        m.put("RemoteAccessAllowed", ACCESS);
        m.put("AuthenticationEnabled", ACCESS);
        m.put("RegisteredUsers", ACCESS + "; users here would carry passwords in plain text");
        m.put("SslEnabled", "HTTPS ends at nginx with the site certificate");
        m.put("SslCertificate", "HTTPS ends at nginx with the site certificate");
        m.put("HttpsVerifyPeers", "HTTPS peers' certificates are always checked");
        m.put("HttpsCACertificates", "the image's trust store checks HTTPS peers");
        m.put("HttpProxy", "would send Orthanc's HTTP traffic past the declared egress");
        m.put("DicomCheckCalledAet", GATE);
        m.put("DicomCheckModalityHost", GATE + " (every association arrives from nginx)");
        m.put("DicomAlwaysAllowEcho", GATE);
        m.put("DicomAlwaysAllowStore", GATE);
        m.put("DicomAlwaysAllowFind", GATE);
        m.put("DicomAlwaysAllowFindWorklist", GATE);
        m.put("DicomAlwaysAllowGet", GATE);
        m.put("DicomAlwaysAllowMove", GATE);
        m.put("PostgreSQL", "the index database (RDS) and its password are the program's");
        m.put("AwsS3Storage", "the storage bucket is the program's (instance role, encryption key)");
        m.put("Authorization", "the authorization plugin's wiring and its password are the program's");
        m.put("StorageDirectory", "images are stored in the S3 bucket, not on the host's disk");
        m.put("IndexDirectory", "the index is the RDS database, not on the host's disk");
        m.put("Plugins", "the plugins are the image's");
        m.put("DatabaseServerIdentifier", "each host's identity on the shared index is the program's");
        m.put("SaveJobs", "hosts sharing one index must not overwrite each other's jobs");
        m.put("ExecuteLuaEnabled", "would let REST clients run code inside Orthanc");
        m.put("LuaScripts", "scripts run code inside Orthanc from files the program does not deliver");
        m.put("PythonScript", "scripts run code inside Orthanc from files the program does not deliver");
        m.put("OverwriteInstances", "stores never replace an existing instance (docs/security.md, finding C1: a "
                + "peer's certificate must not let it rewrite history)");
        m.put("WebDavEnabled", "WebDAV exposes the whole store by path, outside the viewers' study-level checks");
        m.put("DicomWeb.Enable", "the viewers and nginx's routes use DICOMweb");
        m.put("DicomWeb.Root", "nginx routes /orthanc/dicom-web/ to this root");
        m.put("DicomWeb.PublicRoot", "nginx routes /orthanc/dicom-web/ to this root");
        m.put("DicomWeb.Host", "links carry the site's public name");
        m.put("DicomWeb.Ssl", "links carry the site's public HTTPS address");
        m.put("OrthancExplorer2.Keycloak", "the login (Keycloak realm and client) is the program's");
        return java.util.Collections.unmodifiableMap(m);
    }

    private OrthancSettings() {
    }

    // ------------------------------------------------------------------ extraConfig rules

    /**
     * Why each key of {@code extra} is refused, one line each, as {@code .Key is refused: why}
     * (the config reader prefixes the setting's key); empty when every key may be merged.
     */
    public static List<String> refusals(JsonNode extra) {
        List<String> out = new ArrayList<>();
        if (!extra.isObject()) {
            out.add(" must be a JSON object of Orthanc options");
            return out;
        }
        int size = extra.toString().getBytes(StandardCharsets.UTF_8).length;
        if (size > MAX_EXTRA_CONFIG_BYTES) {
            out.add(" is " + size + " bytes of JSON; at most " + MAX_EXTRA_CONFIG_BYTES + " (it is merged into orthanc.json, "
                    + "which Orthanc reads at every start; options this large belong in a plugin's own files)");
            return out;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = extra.fields(); it.hasNext(); ) {
            var e = it.next();
            String key = e.getKey();
            String why = OWNED.get(key);
            if (why == null && key.startsWith("DicomTls") && !DICOM_TLS_TUNING.contains(key)) {
                why = "DICOM TLS into the site ends at nginx with the site PKI, and Orthanc's own TLS to modalities is "
                        + "set by orthweb:orthanc.modalities.<name>.tls and caCertificate";
            }
            if (why != null) {
                out.add("." + key + " is refused: " + why);
                continue;
            }
            if (e.getValue().isObject()) {
                e.getValue().fieldNames().forEachRemaining(sub -> {
                    String inner = OWNED.get(key + "." + sub);
                    if (inner != null) {
                        out.add("." + key + "." + sub + " is refused: " + inner);
                    }
                });
            }
            walk(e.getValue(), "." + key, out);
        }
        return out;
    }

    /** Secret-looking names and environment references, at any depth. */
    private static void walk(JsonNode node, String path, List<String> out) {
        String name = path.substring(path.lastIndexOf('.') + 1);
        if (SECRET_WORD.matcher(name).matches() && !name.contains("[")) {
            out.add(path + " is refused: it would put a secret in plain text into the host bundle (an S3 object, a file "
                    + "on every host); secrets are the program's");
            return;
        }
        if (node.isTextual() && node.asText().contains("${")) {
            out.add(path + " is refused: Orthanc replaces ${...} with the container's environment, which is the program's");
        }
        if (node.isObject()) {
            node.fields().forEachRemaining(f -> walk(f.getValue(), path + "." + f.getKey(), out));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(node.get(i), path + "[" + i + "]", out);
            }
        }
    }

    // ------------------------------------------------------------------ orthanc.json

    /**
     * The orthanc.json a host gets: the rendered template, {@code extraConfig} merged in, then the
     * typed keys set.
     *
     * @param template the rendered orthanc.json.mustache (a JSON object)
     * @param orthanc  the site's settings (validated: refused keys never reach here)
     * @param stack    the stack name (the default {@code Name} is orthweb-&lt;stack&gt;)
     * @return pretty-printed JSON, ending with a newline
     * @throws IllegalStateException when the template is not a JSON object (a bug of ours)
     */
    public static String orthancJson(String template, StackConfig.Orthanc orthanc, String stack) {
        ObjectNode doc;
        try {
            doc = (ObjectNode) JSON.readTree(template);
        } catch (IOException | ClassCastException e) {
            throw new IllegalStateException("orthanc.json.mustache does not render a JSON object: " + e.getMessage(), e);
        }
        merge(doc, orthanc.extraConfig());
        doc.put("Name", orthanc.name().orElse("orthweb-" + stack));
        doc.put("DicomAet", orthanc.aeTitle());
        doc.put("StableAge", orthanc.stableAgeSeconds());
        doc.put("StorageCompression", orthanc.storageCompression());
        ObjectNode peers = doc.putObject("OrthancPeers");
        orthanc.peers().forEach((name, peer) -> peers.putObject(name).put("Url", peer.url()));
        if (scuTls(orthanc)) {
            // Orthanc's SCU reads these three whatever DicomTlsEnabled says (that option turns TLS on
            // for its own DICOM server, which stays plain behind nginx): OrthancServer/Sources/main.cpp,
            // "Configuration of DICOM TLS for Orthanc SCU" (1.9.0+); checked by OrthancScuTlsConformanceTest
            doc.put("DicomTlsEnabled", false);
            doc.put("DicomTlsCertificate", Layout.ORTHANC_DICOM_TLS_DIR + "/" + Layout.ORTHANC_SCU_CERT);
            doc.put("DicomTlsPrivateKey", Layout.ORTHANC_DICOM_TLS_DIR + "/" + Layout.ORTHANC_SCU_KEY);
            doc.put("DicomTlsTrustedCertificates", Layout.ORTHANC_DICOM_TLS_DIR + "/" + Layout.ORTHANC_MODALITY_CA);
        }
        return pretty(doc);
    }

    /**
     * Whether Orthanc calls any declared modality over DICOM TLS: then the site PKI issues Orthanc a
     * client certificate, the host gets it with the site TLS secret, and orthanc.json names it.
     */
    public static boolean scuTls(StackConfig.Orthanc orthanc) {
        return !tlsModalities(orthanc).isEmpty();
    }

    /**
     * The modalities Orthanc calls over DICOM TLS ({@code tls: true}; validated, so each has its
     * {@code caCertificate}), by name in the order declared.
     */
    public static Map<String, StackConfig.Modality> tlsModalities(StackConfig.Orthanc orthanc) {
        Map<String, StackConfig.Modality> out = new LinkedHashMap<>();
        orthanc.modalities().forEach((name, m) -> {
            if (m.tls()) {
                out.put(name, m);
            }
        });
        return out;
    }

    /**
     * When each TLS modality's {@code caCertificate} stops being valid (the earliest end of its
     * certificates): past it, the config check refuses the stack until the certificate is replaced,
     * so {@code plan} says it ahead of time.
     *
     * @return modality name to the instant, in the order declared; empty without TLS modalities
     */
    public static Map<String, java.time.Instant> caCertificateExpiry(StackConfig.Orthanc orthanc) {
        Map<String, java.time.Instant> out = new LinkedHashMap<>();
        tlsModalities(orthanc).forEach((name, m) -> out.put(name, TrustedCertificates.parse(m.caCertificate().orElseThrow(),
                null).stream().map(c -> c.getNotAfter().toInstant()).min(java.util.Comparator.naturalOrder()).orElseThrow()));
        return out;
    }

    /**
     * The file of {@code DicomTlsTrustedCertificates}: the {@code caCertificate} of every TLS
     * modality, joined ({@link TrustedCertificates#bundle}). Orthanc has one such file for all
     * modalities, so each TLS modality's CA is trusted for the others as well (README says so).
     *
     * @return PEM text; empty when no modality uses TLS
     */
    public static String trustedCertificates(StackConfig.Orthanc orthanc) {
        return TrustedCertificates.bundle(tlsModalities(orthanc).values().stream()
                .map(m -> m.caCertificate().orElseThrow()).toList());
    }

    /** Deep merge: objects key by key, any other value (arrays included) replaced. */
    static void merge(ObjectNode target, JsonNode extra) {
        extra.fields().forEachRemaining(e -> {
            JsonNode existing = target.get(e.getKey());
            if (existing instanceof ObjectNode o && e.getValue().isObject()) {
                merge(o, e.getValue());
            } else {
                target.set(e.getKey(), e.getValue().deepCopy());
            }
        });
    }

    /**
     * The declared modalities as entries of Orthanc's {@code DicomModalities} (merged on the host
     * with the declared DICOM clients' entries, {@link org.orthweb.pki.DicomAccess#orthancModalities}).
     * Orthanc calls them (echo, store, query, retrieve); from them it accepts echo and store only,
     * which a C-MOVE retrieve needs (they reach Orthanc through nginx's gate or the VPN like any peer).
     */
    public static Map<String, Map<String, Object>> dicomModalities(StackConfig.Orthanc orthanc) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        orthanc.modalities().forEach((name, m) -> {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("AET", m.aeTitle());
            e.put("Host", m.host());
            e.put("Port", m.port());
            e.put("AllowEcho", true);
            e.put("AllowStore", true);
            e.put("AllowFind", false);
            e.put("AllowGet", false);
            e.put("AllowMove", false);
            e.put("AllowStorageCommitment", false);
            if (m.tls()) {
                // per modality since Orthanc 1.9.0 (Configuration.json, "DicomModalities")
                e.put("UseDicomTls", true);
            }
            out.put(name, e);
        });
        return out;
    }

    /** {@link #dicomModalities} as the JSON object the bootstrap merges ({@code {name: entry}}). */
    public static String dicomModalitiesJson(StackConfig.Orthanc orthanc) {
        return pretty(JSON.valueToTree(dicomModalities(orthanc)));
    }

    // ------------------------------------------------------------------ egress

    /**
     * One address block and port Orthanc must reach, opened in the hosts' security group and in
     * the containers' firewall.
     *
     * @param name    the modality's or peer's name (resource names, rule descriptions)
     * @param cidr    where: an IPv4 host as /32, or the declared block of a DNS name
     * @param port    TCP port
     * @param purpose for the rule's description
     */
    public record Egress(String name, Cidr cidr, int port, String purpose) {
    }

    /**
     * The egress of the declared modalities and peers: each modality at its address and DICOM
     * port; each peer at its address and port, except HTTPS on 443, already open to every
     * address. Validated settings only (a DNS name without {@code egressCidr} is refused earlier).
     */
    public static List<Egress> egress(StackConfig.Orthanc orthanc) {
        List<Egress> out = new ArrayList<>();
        orthanc.modalities().forEach((name, m) -> out.add(new Egress("modality-" + name,
                block(m.host(), m.egressCidr()).orElseThrow(), m.port(), "DICOM to modality " + name + " (" + m.aeTitle() + ")")));
        orthanc.peers().forEach((name, p) -> {
            URI url = URI.create(p.url());
            int port = port(url);
            if (!(port == HTTPS_PORT && url.getScheme().equals("https"))) {
                out.add(new Egress("peer-" + name, block(url.getHost(), p.egressCidr()).orElseThrow(), port,
                        "HTTP to Orthanc peer " + name));
            }
        });
        return out;
    }

    /** The URL's port, or its scheme's default. */
    static int port(URI url) {
        return url.getPort() > 0 ? url.getPort() : url.getScheme().equals("https") ? HTTPS_PORT : 80;
    }

    /** Whether a peer needs its address block declared: not on HTTPS 443, and named by DNS. */
    public static boolean peerNeedsBlock(String url) {
        URI u = URI.create(url);
        return !(port(u) == HTTPS_PORT && u.getScheme().equals("https")) && ipv4(u.getHost()).isEmpty();
    }

    /** host/32 for an IPv4 host, else the declared block (empty when a DNS name has none). */
    static Optional<Cidr> block(String host, Optional<Cidr> declared) {
        if (declared.isPresent()) {
            return declared;
        }
        return ipv4(host).map(ip -> Cidr.parse(ip + "/32"));
    }

    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");

    /** The host when it is a dotted-quad IPv4 address. */
    public static Optional<String> ipv4(String host) {
        return host != null && IPV4.matcher(host).matches() ? Optional.of(host) : Optional.empty();
    }

    /** Whether {@code host} is an IPv4 address or a DNS name (labels of letters, digits, inner hyphens). */
    public static boolean validHost(String host) {
        if (ipv4(host).isPresent()) {
            return true;
        }
        if (host.matches("[0-9.]+")) {
            return false; // digits and dots only, yet not an address: a typo of one
        }
        String lower = host.toLowerCase(Locale.ROOT);
        if (lower.length() > 253) {
            return false;
        }
        for (String label : lower.split("\\.", -1)) {
            if (!label.matches("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?")) {
                return false;
            }
        }
        return true;
    }
}
