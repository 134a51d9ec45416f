package org.orthweb.cloudinit;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.reflect.Guard;
import com.github.mustachejava.reflect.MissingWrapper;
import com.github.mustachejava.reflect.ReflectionObjectHandler;

import org.orthweb.orthanc.OrthancSettings;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Renders the application layer: every file the host receives (templates under
 * {@code cloud-init/files/}) and the cloud-config that carries them.
 */
public final class Render {

    /** Name under which {@link #files} returns the cloud-config itself. */
    public static final String USER_DATA = "user-data.yaml";

    /** One file written by cloud-init: template, absolute path on the host, mode. */
    record HostFile(String template, String path, String permissions) {
    }

    /**
     * The files the user data carries, in the order cloud-init writes them. Scripts and the unit
     * are files (not inline runcmd text) so that shellcheck and the tests see exactly what runs.
     */
    static final List<HostFile> HOST_FILES = List.of(
            new HostFile("stack.env", Layout.CONFIG_DIR + "/stack.env", "0644"),
            new HostFile("orthanc.json", Layout.CONFIG_DIR + "/orthanc.json", "0644"),
            new HostFile(Layout.ORTHANC_MODALITIES_JSON, Layout.CONFIG_DIR + "/" + Layout.ORTHANC_MODALITIES_JSON, "0644"),
            new HostFile("orthanc-secrets.jq", Layout.CONFIG_DIR + "/orthanc-secrets.jq", "0644"),
            new HostFile("keycloak-realm.jq", Layout.CONFIG_DIR + "/keycloak-realm.jq", "0644"),
            new HostFile("realm-security.jq", Layout.CONFIG_DIR + "/realm-security.jq", "0644"),
            new HostFile("permissions.json", Layout.CONFIG_DIR + "/permissions.json", "0644"),
            new HostFile("anonymous-profile.json", Layout.CONFIG_DIR + "/anonymous-profile.json", "0644"),
            new HostFile("nginx.conf", Layout.CONFIG_DIR + "/nginx.conf", "0644"),
            new HostFile(Layout.DICOM_PEERS_JS, Layout.CONFIG_DIR + "/" + Layout.DICOM_PEERS_JS, "0644"),
            new HostFile("docker-compose.yml", Layout.CONFIG_DIR + "/docker-compose.yml", "0644"),
            new HostFile("db-setup.sql", Layout.CONFIG_DIR + "/db-setup.sql", "0644"),
            new HostFile("orthweb-bootstrap.sh", "/usr/local/sbin/orthweb-bootstrap", "0700"),
            new HostFile("orthweb.service", "/etc/systemd/system/orthweb.service", "0644"),
            new HostFile("orthweb-quickack.sh", Layout.QUICKACK_SCRIPT, "0755"),
            new HostFile("orthweb-quickack.service", "/etc/systemd/system/" + Layout.QUICKACK_UNIT, "0644"),
            new HostFile("orthweb-db-auth.sh", Layout.DB_AUTH_SCRIPT, "0700"),
            new HostFile("orthweb-db-auth.service", "/etc/systemd/system/" + Layout.DB_AUTH_SERVICE, "0644"),
            new HostFile("orthweb-db-auth.timer", "/etc/systemd/system/" + Layout.DB_AUTH_TIMER, "0644"),
            new HostFile("docker-firewall.conf", "/etc/systemd/system/docker.service.d/orthweb-firewall.conf", "0644"));

    /**
     * How long Keycloak keeps login and admin events: six years, the retention HIPAA asks for
     * documentation (45 CFR 164.316(b)(2)), which clinics commonly apply to audit records.
     */
    static final long AUDIT_RETENTION_SECONDS = 6L * 365 * 24 * 3600;

    private Render() {
    }

    /** Where the user data's loader lands on the host (see {@code cloud-init/orthweb-fetch.sh.mustache}). */
    public static final String FETCH_SCRIPT = "/usr/local/sbin/orthweb-fetch";

    /**
     * Where the boot script lands: cloud-init's scripts-per-boot directory, whose scripts it runs at
     * every boot (cloud-init documentation, module "Scripts Per Boot"). It runs the loader and the
     * bootstrap until they have succeeded once (see {@code cloud-init/orthweb-boot.sh.mustache}).
     */
    public static final String BOOT_SCRIPT = "/var/lib/cloud/scripts/per-boot/orthweb-boot";

    /**
     * What a host receives: the cloud-config (the user data, decoded), the bundle it loads from the
     * data bucket, and every file, loader and bundle alike, by absolute host path.
     *
     * @param userData the cloud-config text (cloud-init's input after EC2's base64 and gzip)
     * @param bundle   the application files as the S3 object holds them
     * @param files    host path to content of the loader and of every bundle file, in write order
     */
    public record Host(String userData, HostBundle bundle, Map<String, String> files) {
    }

    /** The user data and the bundle of a host. */
    public static Host host(UserDataInputs in) {
        return host(in, Layout.HOST);
    }

    /**
     * The cloud-config ({@link #USER_DATA}) followed by every file the host gets (absolute host path
     * to content): the loader carried in the user data, then the bundle's files.
     */
    public static Map<String, String> files(UserDataInputs in) {
        return files(in, Layout.HOST);
    }

    /**
     * Writes what {@code render} shows for review: {@code user-data.yaml} (the user data as EC2
     * hands it to cloud-init, decoded), {@code user-data.b64} (gzip+base64, as the launch template
     * carries it), {@code bundle.tar} (the S3 object the host loads) and each file under
     * {@code files/} at its host path.
     */
    public static void writeTo(UserDataInputs in, Path outDir) throws IOException {
        Host host = host(in);
        writeTo(outDir, CloudInit.encode(host.userData()), host.bundle().tar());
    }

    /**
     * Writes encoded user data and the bundle as {@link #writeTo(UserDataInputs, Path)} does: the
     * render command passes what the planned launch template and S3 object hold.
     *
     * @return host path to content of every file written under {@code files/}
     */
    public static Map<String, String> writeTo(Path outDir, String encodedUserData, byte[] bundleTar)
            throws IOException {
        String userData = UserDataFiles.decode(encodedUserData);
        Map<String, String> files = new LinkedHashMap<>(UserDataFiles.files(userData));
        files.putAll(HostBundle.read(bundleTar));
        Files.createDirectories(outDir);
        Files.writeString(outDir.resolve(USER_DATA), userData, StandardCharsets.UTF_8);
        Files.writeString(outDir.resolve("user-data.b64"), encodedUserData + "\n", StandardCharsets.US_ASCII);
        Files.write(outDir.resolve("bundle.tar"), bundleTar);
        for (Map.Entry<String, String> e : files.entrySet()) {
            Path target = outDir.resolve("files").resolve(e.getKey().substring(1));
            Files.createDirectories(target.getParent());
            Files.writeString(target, e.getValue(), StandardCharsets.UTF_8);
        }
        return files;
    }

    /** Same as {@link #files(UserDataInputs)} with another layout (tests on loopback). */
    static Map<String, String> files(UserDataInputs in, Layout layout) {
        Host host = host(in, layout);
        Map<String, String> result = new LinkedHashMap<>();
        result.put(USER_DATA, host.userData());
        result.putAll(host.files());
        return result;
    }

    static Host host(UserDataInputs in, Layout layout) {
        Map<String, Object> scope = scope(in, layout);
        Map<String, String> rendered = new LinkedHashMap<>();
        List<HostBundle.File> bundleFiles = new ArrayList<>();
        for (HostFile f : HOST_FILES) {
            String content = render("cloud-init/files/" + f.template() + ".mustache", scope);
            if (f.template().equals("orthanc.json")) {
                // the site's settings merged in as JSON (values such as AE titles may hold quotes)
                content = OrthancSettings.orthancJson(content, in.orthanc(), in.stack());
            }
            rendered.put(f.path(), content);
            bundleFiles.add(new HostBundle.File(f.path(), f.permissions(), content));
        }
        String trusted = OrthancSettings.trustedCertificates(in.orthanc());
        if (!trusted.isEmpty()) {
            // the modalities' CAs for Orthanc's DICOM TLS calls: public, so in the bundle, not the secret
            String path = Layout.CONFIG_DIR + "/" + Layout.ORTHANC_MODALITY_CA;
            rendered.put(path, trusted);
            bundleFiles.add(new HostBundle.File(path, "0644", trusted));
        }
        HostBundle bundle = HostBundle.of(bundleFiles);

        Map<String, Object> loaderScope = new LinkedHashMap<>(scope);
        loaderScope.put("bundle", Map.of("bucket", in.bucketName(), "key", bundle.key(), "sha256", bundle.sha256()));
        String loader = render("cloud-init/orthweb-fetch.sh.mustache", loaderScope);
        Map<String, Object> bootScope = new LinkedHashMap<>(scope);
        bootScope.put("fetchScript", FETCH_SCRIPT);
        String boot = render("cloud-init/orthweb-boot.sh.mustache", bootScope);
        Map<String, Object> userDataScope = new LinkedHashMap<>(scope);
        userDataScope.put("files", List.of(userDataFile(FETCH_SCRIPT, loader), userDataFile(BOOT_SCRIPT, boot)));

        Map<String, String> files = new LinkedHashMap<>();
        files.put(FETCH_SCRIPT, loader);
        files.put(BOOT_SCRIPT, boot);
        files.putAll(rendered);
        String userData = render("cloud-init/user-data.yaml.mustache", userDataScope);
        int encoded = CloudInit.encode(userData).length();
        if (encoded > MAX_USER_DATA_BYTES) {
            throw new IllegalStateException("the user data is " + encoded + " bytes as the launch template carries it; EC2 "
                    + "takes at most " + MAX_USER_DATA_BYTES + " (the application files travel in the host bundle, so only "
                    + "the loader counts)");
        }
        return new Host(userData, bundle, files);
    }

    /** EC2's limit on user data, base64 as the launch template carries it (EC2 API, RunInstances, UserData: 16 KB). */
    public static final int MAX_USER_DATA_BYTES = 16 * 1024;

    private static Map<String, Object> userDataFile(String path, String content) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("path", path);
        entry.put("permissions", "0700");
        entry.put("content", indent(content, "      "));
        return entry;
    }

    /*
     * Shapes that are safe in every syntax the values land in (YAML, JSON, shell-sourced text,
     * nginx, Compose), without claiming AWS validity: under Pulumi mocks ARNs and names are fake.
     */
    private static final Pattern ENDPOINT = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,252}");
    /** '!' for the secret RDS makes for a managed master password ({@code ...:secret:rds!db-<uuid>-XXXXXX}). */
    private static final Pattern ARN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9:/_+=.@!-]{0,2047}");
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-[0-9]");
    private static final Pattern BUCKET = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,254}");
    private static final Pattern LOG_GROUP = Pattern.compile("[A-Za-z0-9_/.#-]{1,512}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    /**
     * Every value lands in YAML, JSON, SQL-free shell-sourced text and nginx/compose files: refuse
     * anything outside its expected shape rather than quote it for five syntaxes.
     */
    static void validate(UserDataInputs in) {
        check("stack", in.stack(), NAME);
        check("environment", in.environment(), NAME);
        check("region", in.region(), REGION);
        if (in.siteName() != null) {
            // the config parser checks that it is a DNS name; here only that it is safe text
            // (the offline plan passes a placeholder for a secure site name)
            check("siteName", in.siteName(), ENDPOINT);
        }
        check("dbHost", in.dbHost(), ENDPOINT);
        if (in.dbPort() < 1 || in.dbPort() > 65535) {
            throw new IllegalArgumentException("dbPort out of range: " + in.dbPort());
        }
        check("dbSecretArn", in.dbSecretArn(), ARN);
        check("appSecretArn", in.appSecretArn(), ARN);
        check("bucketName", in.bucketName(), BUCKET);
        if (in.containerLogGroup() != null) {
            check("containerLogGroup", in.containerLogGroup(), LOG_GROUP);
        }
        check("pkiSecretArn", in.pkiSecretArn(), ARN);
        check("pkiSecretVersionId", in.pkiSecretVersionId(), NAME);
    }

    private static void check(String name, String value, Pattern shape) {
        if (!shape.matcher(value).matches()) {
            throw new IllegalArgumentException(name + " has an unexpected form: '" + value + "'");
        }
    }

    static Map<String, Object> scope(UserDataInputs in, Layout layout) {
        validate(in);
        Map<String, Object> scope = new LinkedHashMap<>();
        scope.put("stack", in.stack());
        scope.put("environment", in.environment());
        scope.put("region", in.region());
        scope.put("siteName", in.siteName() == null ? "" : in.siteName());
        scope.put("dbHost", in.dbHost());
        scope.put("dbPort", in.dbPort());
        scope.put("dbSecretArn", in.dbSecretArn());
        scope.put("appSecretArn", in.appSecretArn());
        scope.put("bucketName", in.bucketName());
        scope.put("containerLogGroup", in.containerLogGroup() == null ? "" : in.containerLogGroup());
        scope.put("images", AppImages.resolve(in.imageOverrides()));
        scope.put("pkiSecretArn", in.pkiSecretArn());
        scope.put("pkiSecretVersionId", in.pkiSecretVersionId());
        // several servers on one index must not save (and overwrite) each other's job registry
        scope.put("saveJobs", in.hostCount() == 1);
        // the declared modalities: Orthanc's entries, and the firewall's egress to each
        scope.put("orthancModalities", OrthancSettings.dicomModalitiesJson(in.orthanc()));
        // Orthanc's client identity for DICOM TLS to modalities: mounted, and required in the site TLS secret
        scope.put("orthancScuTls", OrthancSettings.scuTls(in.orthanc()));
        // jq programs whose text the local bundle runs too (one place for each)
        scope.put("jq", Map.of("orthancDicom", org.orthweb.pki.DicomAccess.ORTHANC_DICOM_JQ));
        scope.put("orthancEgress", OrthancSettings.egress(in.orthanc()).stream().map(e -> Map.of(
                "name", e.name(), "cidr", e.cidr().toString(), "port", e.port())).toList());

        Map<String, Object> l = new LinkedHashMap<>();
        l.put("httpsListen", layout.httpsListen());
        l.put("dicomListen", layout.dicomListen());
        l.put("plainDicomListen", layout.plainDicomListen());
        l.put("plainDicomPort", Layout.PLAIN_DICOM_PORT);
        l.put("orthancHost", layout.orthancHost());
        l.put("orthancHttpPort", layout.orthancHttpPort());
        l.put("orthancDicomPort", layout.orthancDicomPort());
        l.put("keycloakHost", layout.keycloakHost());
        l.put("keycloakPort", layout.keycloakPort());
        l.put("authHost", layout.authHost());
        l.put("authPort", layout.authPort());
        l.put("nginxTlsDir", layout.nginxTlsDir());
        l.put("keycloakAdminListen", layout.keycloakAdminListen());
        l.put("keycloakAdminPort", layout.keycloakAdminPort());
        l.put("nginxNjsDir", Layout.NGINX_NJS_DIR);
        l.put("dicomPeersJs", Layout.DICOM_PEERS_JS);
        l.put("dicomPeersJson", Layout.DICOM_PEERS_JSON);
        l.put("orthancDicomJson", Layout.ORTHANC_DICOM_JSON);
        l.put("orthancModalitiesJson", Layout.ORTHANC_MODALITIES_JSON);
        l.put("orthancScuCert", Layout.ORTHANC_SCU_CERT);
        l.put("orthancScuKey", Layout.ORTHANC_SCU_KEY);
        l.put("orthancModalityCa", Layout.ORTHANC_MODALITY_CA);
        l.put("orthancDicomTlsDir", Layout.ORTHANC_DICOM_TLS_DIR);
        l.put("orthancAet", Layout.ORTHANC_AET);
        l.put("httpsPort", Layout.HTTPS_PORT);
        l.put("healthPath", Layout.HEALTH_PATH);
        l.put("dicomTlsPort", Layout.DICOM_TLS_PORT);
        l.put("keycloakClusterPort", Layout.KEYCLOAK_CLUSTER_PORT);
        l.put("keycloakFailureDetectionPort", Layout.KEYCLOAK_FAILURE_DETECTION_PORT);
        l.put("configDir", Layout.CONFIG_DIR);
        l.put("secretsDir", Layout.SECRETS_DIR);
        l.put("tlsDir", Layout.TLS_DIR);
        l.put("keycloakImportDir", Layout.KEYCLOAK_IMPORT_DIR);
        l.put("keycloakImportName", Layout.KEYCLOAK_IMPORT_NAME);
        l.put("keycloakRealmFile", Layout.KEYCLOAK_REALM_FILE);
        l.put("keycloakMasterRealmFile", Layout.KEYCLOAK_MASTER_REALM_FILE);
        l.put("rdsCaFile", Layout.RDS_CA_FILE);
        l.put("bootstrapLog", Layout.BOOTSTRAP_LOG);
        l.put("orthancDb", Layout.ORTHANC_DB);
        l.put("keycloakDb", Layout.KEYCLOAK_DB);
        l.put("composeVersion", Layout.COMPOSE_VERSION);
        l.put("composeSha256", Layout.COMPOSE_SHA256);
        l.put("composeProject", Layout.COMPOSE_PROJECT);
        l.put("proxyService", Layout.PROXY_SERVICE);
        l.put("quickackScript", Layout.QUICKACK_SCRIPT);
        l.put("quickackUnit", Layout.QUICKACK_UNIT);
        l.put("containerSubnet", Layout.CONTAINER_SUBNET);
        l.put("orthancAddress", Layout.ORTHANC_ADDRESS);
        l.put("dbProvisionedTag", Layout.DB_PROVISIONED_TAG);
        l.put("dbAuthDir", Layout.DB_AUTH_DIR);
        l.put("dbAuthContainerDir", Layout.DB_AUTH_CONTAINER_DIR);
        l.put("dbAuthScript", Layout.DB_AUTH_SCRIPT);
        l.put("dbAuthService", Layout.DB_AUTH_SERVICE);
        l.put("dbAuthTimer", Layout.DB_AUTH_TIMER);
        scope.put("layout", l);

        Map<String, Object> dbAuth = new LinkedHashMap<>();
        dbAuth.put("tokenLifetimeMinutes", Layout.DB_TOKEN_LIFETIME_MINUTES);
        dbAuth.put("refreshMinutes", Layout.DB_TOKEN_REFRESH_MINUTES);
        scope.put("dbAuth", dbAuth);

        Map<String, Object> security = new LinkedHashMap<>();
        security.put("auditRetentionSeconds", AUDIT_RETENTION_SECONDS);
        scope.put("security", security);

        Map<String, Object> db = new LinkedHashMap<>();
        Map<String, Integer> limits = ConnectionBudget.roleLimits();
        db.put("orthancRoleLimit", limits.get(Layout.ORTHANC_DB));
        db.put("keycloakRoleLimit", limits.get(Layout.KEYCLOAK_DB));
        db.put("orthancPool", ConnectionBudget.ORTHANC_POOL_PER_HOST);
        db.put("keycloakPool", ConnectionBudget.KEYCLOAK_POOL_PER_HOST);
        db.put("maxHosts", ConnectionBudget.MAX_HOSTS_AT_ONCE);
        scope.put("connections", db);

        Map<String, Object> client = new LinkedHashMap<>();
        client.put("libpqUri", DatabaseClientTimeouts.libpqUriQuery());
        client.put("libpqConninfo", DatabaseClientTimeouts.libpqConninfo());
        client.put("jdbc", DatabaseClientTimeouts.jdbcQuery());
        client.put("sysctls", DatabaseClientTimeouts.keycloakSysctls().entrySet().stream()
                .map(e -> Map.of("name", e.getKey(), "value", e.getValue())).toList());
        scope.put("dbClient", client);

        Map<String, Object> keys = new LinkedHashMap<>();
        for (String k : AppSecrets.KEYS) {
            keys.put(k, k);
        }
        scope.put("secretKeys", keys);
        scope.put("secretKeyList", String.join(" ", AppSecrets.KEYS));
        return scope;
    }

    static String indent(String text, String prefix) {
        StringBuilder out = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            if (!line.isEmpty()) {
                out.append(prefix).append(line);
            }
            out.append('\n');
        }
        // split keeps a trailing empty element after the last newline: drop the extra newline
        out.setLength(out.length() - 1);
        return out.toString();
    }

    /**
     * Renders one template strictly: a variable or section the scope does not provide fails the
     * render, naming the template and the variable (mustache.java would render it as an empty
     * string, so a misspelt name would pass unseen).
     *
     * @throws IllegalStateException when the template reads a value the scope does not provide
     */
    static String render(String template, Map<String, Object> scope) {
        // Not HTML: Mustache's default HTML escaping would corrupt YAML, JSON and shell text.
        DefaultMustacheFactory factory = new DefaultMustacheFactory() {
            @Override
            public void encode(String value, Writer writer) {
                try {
                    writer.write(value);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
        factory.setObjectHandler(new StrictObjectHandler());
        Mustache mustache = factory.compile(template);
        StringWriter out = new StringWriter();
        try {
            mustache.execute(out, scope);
        } catch (RuntimeException e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof MissingValue missing) {
                    throw new IllegalStateException("template " + template + " reads {{" + missing.name
                            + "}}, which the renderer did not provide", e);
                }
            }
            throw e;
        }
        return out.toString();
    }

    /** A name no scope resolves: the point where mustache.java would otherwise render "". */
    private static final class StrictObjectHandler extends ReflectionObjectHandler {
        @Override
        protected MissingWrapper createMissingWrapper(String name, List<Guard> guards) {
            throw new MissingValue(name);
        }
    }

    private static final class MissingValue extends RuntimeException {
        private final String name;

        MissingValue(String name) {
            super("missing template value " + name, null, false, false);
            this.name = name;
        }
    }
}
