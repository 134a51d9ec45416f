package org.orthweb.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.orthweb.cloudinit.Layout;
import org.orthweb.cloudinit.UserDataInputs;
import org.orthweb.config.StackConfig;

import java.util.List;
import java.util.Map;

/**
 * The one place where the local bundle differs from what an AWS host runs. Both start from the same
 * rendering ({@link org.orthweb.cloudinit.Render#host}, the templates under
 * {@code cloud-init/files/}); the local bundle then changes exactly the places listed in
 * {@link #DIFFERENCES}, and nothing else (LocalTargetTest compares the two renderings and fails on
 * any other difference). What is AWS machinery and has no local counterpart (the bootstrap, the
 * user data's loader, the systemd units, quick ACK, the container firewall, Docker's CloudWatch
 * logging driver, IMDS, Secrets Manager) is in {@link #AWS_HOST_ONLY} and not in the bundle.
 */
public final class LocalTarget {

    /** The site name the bundle serves (certificates, Keycloak's URLs, redirect URIs). */
    public static final String SITE = "localhost";
    /** Orthanc's DatabaseServerIdentifier (on AWS: the instance id, read through IMDSv2). */
    public static final String HOST_ID = "local";
    /** The PostgreSQL container, in place of RDS: Compose service name and port. */
    public static final String DB_SERVICE = "postgres";
    public static final int DB_PORT = 5432;
    /** Where the containers find the CA that signed the database's certificate (on AWS: the RDS CA bundle). */
    public static final String DB_CA_FILE = Layout.CONFIG_DIR + "/db-ca.pem";
    /** Orthanc's storage directory inside its container, on the named volume {@link #STORAGE_VOLUME}. */
    public static final String STORAGE_DIRECTORY = "/var/lib/orthanc/db";
    public static final String STORAGE_VOLUME = "orthanc-storage";
    public static final String DB_VOLUME = "postgres-data";
    /** Network between the database and its two clients (Orthanc, Keycloak); no way out. */
    public static final String DB_NETWORK = "db";

    /**
     * PostgreSQL 17, as RDS runs ({@code OrthancDatabase}); Alpine variant. Evidence that the tag
     * exists: pinned in several public compose files and Dockerfiles (seen 2026-11-29).
     */
    public static final String POSTGRES_IMAGE = "postgres:17.6-alpine";

    /**
     * One difference between the AWS host's and the local bundle's rendering of a shared file.
     *
     * @param file    file name (as under {@code /etc/orthweb} on the host)
     * @param pointer JSON pointer into the parsed file (JSON or Compose YAML) where the two differ
     * @param change  whether the bundle removes, adds or changes the value there
     * @param why     what the local bundle does instead
     */
    public record Difference(String file, String pointer, Change change, String why) {
    }

    /** How the bundle's value at a {@link Difference#pointer} relates to the host's. */
    public enum Change { REMOVED, ADDED, CHANGED }

    /** Every place where the local bundle's shared files differ from the AWS host's. */
    public static final List<Difference> DIFFERENCES = List.of(
            new Difference("orthanc.json", "/AwsS3Storage", Change.REMOVED, "no S3 storage plugin: files on a named volume"),
            new Difference("orthanc.json", "/StorageDirectory", Change.ADDED, "Orthanc's storage on the named volume " + STORAGE_VOLUME),
            new Difference("orthanc-secrets.json", "/PostgreSQL/ConnectionUri", Change.CHANGED,
                    "the PostgreSQL container and the bundle's CA instead of RDS and the RDS CA"),
            new Difference("docker-compose.yml", "/services/nginx/ports", Change.CHANGED,
                    "127.0.0.1 only; no plain DICOM port (it is for the Client VPN)"),
            new Difference("docker-compose.yml", "/services/nginx/volumes", Change.CHANGED, "bundle-relative host paths"),
            new Difference("docker-compose.yml", "/services/orthanc/volumes", Change.CHANGED,
                    "bundle-relative host paths, the bundle's CA, the storage volume"),
            new Difference("docker-compose.yml", "/services/orthanc/depends_on", Change.CHANGED, "waits for the database"),
            new Difference("docker-compose.yml", "/services/orthanc/networks/" + DB_NETWORK, Change.ADDED, "reaches the database"),
            new Difference("docker-compose.yml", "/services/orthanc-auth-service/volumes", Change.CHANGED, "bundle-relative host paths"),
            new Difference("docker-compose.yml", "/services/keycloak/volumes", Change.CHANGED,
                    "bundle-relative host paths (the realms' import directory), the bundle's CA"),
            new Difference("docker-compose.yml", "/services/keycloak/ports", Change.REMOVED,
                    "no cluster ports: one Keycloak, nothing published"),
            new Difference("docker-compose.yml", "/services/keycloak/environment/KC_DB_URL", Change.CHANGED, "the bundle's CA path"),
            new Difference("docker-compose.yml", "/services/keycloak/environment/JAVA_OPTS_APPEND", Change.CHANGED,
                    "no host private address to advertise to other hosts"),
            new Difference("docker-compose.yml", "/services/keycloak/networks", Change.CHANGED, "reaches the database"),
            new Difference("docker-compose.yml", "/services/keycloak/depends_on", Change.ADDED, "waits for the database"),
            new Difference("docker-compose.yml", "/services/keycloak/user", Change.ADDED,
                    "the workstation user's uid (group root, as the image expects), so it reads its 0600 secrets"),
            new Difference("docker-compose.yml", "/services/" + DB_SERVICE, Change.ADDED, "PostgreSQL with TLS in place of RDS"),
            new Difference("docker-compose.yml", "/networks/" + DB_NETWORK, Change.ADDED, "the database's network, internal"),
            new Difference("docker-compose.yml", "/volumes", Change.ADDED, "named volumes: Orthanc's files, the database"),
            new Difference("docker-compose.yml", "/secrets/orthanc-secrets.json/file", Change.CHANGED, "bundle-relative path"),
            new Difference("docker-compose.yml", "/secrets/auth-users.json/file", Change.CHANGED, "bundle-relative path"),
            new Difference("docker-compose.yml", "/secrets/auth-secret-key/file", Change.CHANGED, "bundle-relative path"),
            new Difference("docker-compose.yml", "/secrets/keycloak-client-secret/file", Change.CHANGED, "bundle-relative path"),
            new Difference("docker-compose.yml", "/secrets/keycloak-conf/file", Change.CHANGED, "bundle-relative path"),
            new Difference("docker-compose.yml", "/secrets/" + LocalBundle.DB_MASTER_SECRET, Change.ADDED, "the database superuser's password"),
            new Difference("docker-compose.yml", "/secrets/" + LocalBundle.DB_KEY_SECRET, Change.ADDED, "the database's TLS key"),
            new Difference("docker-compose.yml", "/secrets/orthanc.scram", Change.ADDED, "the orthanc role's verifier for db-setup.sql"),
            new Difference("docker-compose.yml", "/secrets/keycloak.scram", Change.ADDED, "the keycloak role's verifier for db-setup.sql"),
            new Difference("keycloak-realm.json", "/users/" + 2, Change.ADDED, "a local administrator with the printed password"));

    /**
     * How Orthanc and Keycloak sign in to the database, the one difference that is no value of a
     * shared file. On AWS the roles have no password: they are members of {@code rds_iam} and
     * orthweb-db-auth writes an IAM token into each role's password file every few minutes. The
     * bundle has no IAM: the same password files ({@link LocalBundle#DB_AUTH_DIR}, mounted where
     * the host mounts {@link Layout#DB_AUTH_DIR}, read through the same {@code PGPASSFILE}) hold a
     * fixed password generated by the local command, and the database container's init script
     * runs the host's db-setup.sql (with {@code rds_iam} as a plain role) and then gives each role
     * the SCRAM verifier of its password ({@link LocalBundle#DB_INIT}). Nothing refreshes them.
     */
    public static final String DB_PASSWORD_ROUTE = "fixed passwords in the roles' password files (no IAM tokens, no refresh)";

    /** Files of the AWS host rendered from the same templates and used unchanged by the bundle. */
    public static final List<String> SHARED_UNCHANGED = List.of(
            "nginx.conf", "permissions.json", "anonymous-profile.json", Layout.DICOM_PEERS_JS, "db-setup.sql");

    /**
     * Host files that are AWS machinery, not in the bundle (their work is done by the local command
     * or by Compose): host path to what stands in for it locally.
     */
    public static final Map<String, String> AWS_HOST_ONLY = Map.ofEntries(
            Map.entry(Layout.CONFIG_DIR + "/stack.env", "ARNs, bucket, region: nothing to fetch locally"),
            Map.entry(Layout.CONFIG_DIR + "/orthanc-secrets.jq", "evaluated by the local command (orthanc-secrets.json)"),
            Map.entry(Layout.CONFIG_DIR + "/keycloak-realm.jq", "evaluated by the local command (keycloak-realm.json)"),
            Map.entry(Layout.CONFIG_DIR + "/realm-security.jq", "evaluated by the local command (both realms)"),
            Map.entry(Layout.CONFIG_DIR + "/" + Layout.ORTHANC_MODALITIES_JSON, "merged by the local command with the "
                    + "declared clients' entries into " + Layout.ORTHANC_DICOM_JSON + " (DicomAccess.ORTHANC_DICOM_JQ, as the bootstrap)"),
            Map.entry("/usr/local/sbin/orthweb-bootstrap", "the local command and the database container's init script"),
            Map.entry("/etc/systemd/system/orthweb.service", "docker compose up"),
            Map.entry(Layout.QUICKACK_SCRIPT, "a host's TCP setting for remote modalities; none on a workstation"),
            Map.entry("/etc/systemd/system/" + Layout.QUICKACK_UNIT, "as the quick ACK script"),
            Map.entry("/etc/systemd/system/docker.service.d/orthweb-firewall.conf",
                    "the container firewall guards the instance metadata service; none locally"),
            Map.entry(Layout.DB_AUTH_SCRIPT, "IAM tokens into the password files; the bundle's hold "
                    + DB_PASSWORD_ROUTE + " (LocalTarget.DB_PASSWORD_ROUTE)"),
            Map.entry("/etc/systemd/system/" + Layout.DB_AUTH_SERVICE, "as the token script"),
            Map.entry("/etc/systemd/system/" + Layout.DB_AUTH_TIMER, "as the token script: nothing to refresh"),
            Map.entry("/usr/local/sbin/orthweb-fetch", "the loader of the S3 bundle; the bundle is on disk"),
            Map.entry(org.orthweb.cloudinit.Render.BOOT_SCRIPT, "cloud-init's per-boot retry of the bootstrap; "
                    + "Compose's restart policies locally"));

    private static final YAMLMapper YAML = new YAMLMapper(new YAMLFactory()
            // every string quoted: "true", "1" and "443:443" stay strings, as the template writes them
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .disable(YAMLGenerator.Feature.SPLIT_LINES));
    private static final ObjectMapper JSON = new ObjectMapper();

    private LocalTarget() {
    }

    /**
     * What the local bundle renders from: the stack's names and images, the PostgreSQL container as
     * database. The AWS-only inputs (ARNs, bucket) get the placeholder {@code unused}: they land only
     * in files the bundle leaves out or in sections it removes (a test holds that no file of the
     * bundle names them). The site's Orthanc settings ({@code orthweb:orthanc}) are the stack's,
     * as on AWS.
     */
    public static UserDataInputs inputs(String stack, String environment, String region, Map<String, String> images,
                                        StackConfig.Orthanc orthanc) {
        return new UserDataInputs(stack, environment, region, SITE, DB_SERVICE, DB_PORT,
                "unused", "unused", "unused", null, images, "unused", "unused", 1, orthanc);
    }

    /** orthanc.json without the S3 storage plugin's section, storing files on the volume. */
    public static String orthancJson(String rendered) {
        ObjectNode o = (ObjectNode) parseJson(rendered);
        o.remove("AwsS3Storage");
        o.put("StorageDirectory", STORAGE_DIRECTORY);
        return o.toPrettyString() + "\n";
    }

    /** The bundle's path for a host path the compose file names (bundle-relative, as Compose resolves it). */
    static String hostPath(String path) {
        if (path.equals(Layout.RDS_CA_FILE)) {
            return "./" + LocalBundle.TLS_DIR + "/ca.crt";
        }
        if (path.startsWith(Layout.DB_AUTH_DIR + "/")) {
            return "./" + LocalBundle.DB_AUTH_DIR + path.substring(Layout.DB_AUTH_DIR.length());
        }
        if (path.equals(Layout.KEYCLOAK_IMPORT_DIR)) {
            return "./" + LocalBundle.KEYCLOAK_IMPORT_DIR;
        }
        if (path.startsWith(Layout.SECRETS_DIR + "/")) {
            return "./" + LocalBundle.SECRETS_DIR + path.substring(Layout.SECRETS_DIR.length());
        }
        if (path.startsWith(Layout.TLS_DIR + "/")) {
            return "./" + LocalBundle.TLS_DIR + path.substring(Layout.TLS_DIR.length());
        }
        if (path.startsWith(Layout.CONFIG_DIR + "/")) {
            return "./" + LocalBundle.CONFIG_DIR + path.substring(Layout.CONFIG_DIR.length());
        }
        throw new IllegalStateException("the compose file names a host path the local bundle does not map: " + path);
    }

    /**
     * The rendered docker-compose.yml with the differences of {@link #DIFFERENCES} applied
     * (re-serialized: comments do not survive; the bundle's README says where they are).
     */
    public static String compose(String rendered) {
        ObjectNode c;
        try {
            c = (ObjectNode) YAML.readTree(rendered);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("rendered docker-compose.yml is not YAML: " + e.getOriginalMessage(), e);
        }
        ObjectNode services = (ObjectNode) c.get("services");
        services.fieldNames().forEachRemaining(name -> {
            JsonNode volumes = services.get(name).get("volumes");
            if (volumes instanceof ArrayNode list) {
                for (int i = 0; i < list.size(); i++) {
                    String v = list.get(i).asText();
                    int colon = v.indexOf(':');
                    String target = v.substring(colon + 1).replace(Layout.RDS_CA_FILE, DB_CA_FILE);
                    list.set(i, list.textNode(hostPath(v.substring(0, colon)) + ":" + target));
                }
            }
        });
        ObjectNode nginx = (ObjectNode) services.get("nginx");
        ArrayNode ports = nginx.putArray("ports");
        for (int port : List.of(Layout.HTTPS_PORT, Layout.DICOM_TLS_PORT, Layout.KEYCLOAK_ADMIN_PORT)) {
            ports.add("127.0.0.1:" + port + ":" + port);
        }

        ObjectNode orthanc = (ObjectNode) services.get("orthanc");
        ((ArrayNode) orthanc.get("volumes")).add(STORAGE_VOLUME + ":" + STORAGE_DIRECTORY);
        orthanc.set("depends_on", dependsOn(orthanc.get("depends_on")));
        ((ObjectNode) orthanc.get("networks")).putObject(DB_NETWORK);

        ObjectNode keycloak = (ObjectNode) services.get("keycloak");
        keycloak.remove("ports");
        ObjectNode kcEnv = (ObjectNode) keycloak.get("environment");
        kcEnv.put("KC_DB_URL", kcEnv.get("KC_DB_URL").asText().replace(Layout.RDS_CA_FILE, DB_CA_FILE));
        kcEnv.put("JAVA_OPTS_APPEND", "-Djgroups.bind.port=" + Layout.KEYCLOAK_CLUSTER_PORT);
        ((ArrayNode) keycloak.get("networks")).add(DB_NETWORK);
        keycloak.set("depends_on", dependsOn(keycloak.get("depends_on")));
        keycloak.put("user", "${" + LocalBundle.UID_VARIABLE + ":?" + LocalBundle.UID_VARIABLE + " must be set in .env}:0");

        services.set(DB_SERVICE, postgresService());
        ((ObjectNode) c.get("networks")).putObject(DB_NETWORK).put("internal", true);
        ObjectNode volumes = c.putObject("volumes");
        volumes.putObject(STORAGE_VOLUME);
        volumes.putObject(DB_VOLUME);

        ObjectNode secrets = (ObjectNode) c.get("secrets");
        secrets.fields().forEachRemaining(e -> ((ObjectNode) e.getValue())
                .put("file", hostPath(e.getValue().get("file").asText())));
        secrets.putObject(LocalBundle.DB_MASTER_SECRET).put("file", "./" + LocalBundle.SECRETS_DIR + "/" + LocalBundle.DB_MASTER_SECRET);
        secrets.putObject(LocalBundle.DB_KEY_SECRET).put("file", "./" + LocalBundle.TLS_DIR + "/postgres.key");
        for (String role : List.of(Layout.ORTHANC_DB, Layout.KEYCLOAK_DB)) {
            secrets.putObject(role + ".scram").put("file", "./" + LocalBundle.SECRETS_DIR + "/" + role + ".scram");
        }
        try {
            return "# Orthweb local bundle: a deployed host's compose file with the differences listed in\n"
                    + "# org.orthweb.local.LocalTarget (comments of the original: cloud-init/files/docker-compose.yml.mustache).\n"
                    + YAML.writeValueAsString(c);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A service's dependencies (list form) plus the database, started and healthy first. */
    private static ObjectNode dependsOn(JsonNode existing) {
        ObjectNode d = JSON.createObjectNode();
        if (existing != null) {
            existing.forEach(n -> d.putObject(n.asText()).put("condition", "service_started"));
        }
        d.putObject(DB_SERVICE).put("condition", "service_healthy");
        return d;
    }

    /**
     * PostgreSQL like RDS with {@code rds.force_ssl}: TLS only over TCP (pg_hba {@code hostssl}),
     * SCRAM passwords, the roles and databases created by the host's own db-setup.sql at first
     * start. The key and the verifiers are copied into the container's own file system first, owned
     * by postgres: PostgreSQL refuses a key file that another user owns or others may read, the init
     * script runs as postgres, and a bind mount keeps the workstation user's owner and mode 0600.
     */
    private static ObjectNode postgresService() {
        ObjectNode p = JSON.createObjectNode();
        p.put("image", POSTGRES_IMAGE);
        p.put("restart", "unless-stopped");
        // the postgres user's private copies: the key and the roles' verifiers (read by db-setup.sql)
        String priv = LocalBundle.DB_PRIVATE_DIR;
        ArrayNode entry = p.putArray("entrypoint");
        entry.add("/bin/sh").add("-c").add("install -d -m 0700 -o postgres -g postgres " + priv
                + " && install -m 0600 -o postgres -g postgres /run/secrets/" + LocalBundle.DB_KEY_SECRET
                + " /run/secrets/" + Layout.ORTHANC_DB + ".scram /run/secrets/" + Layout.KEYCLOAK_DB + ".scram " + priv + "/"
                + " && exec docker-entrypoint.sh postgres "
                + String.join(" ", LocalBundle.postgresSettings(LocalBundle.DB_CONFIG_DIR + "/postgres.crt",
                        priv + "/" + LocalBundle.DB_KEY_SECRET, LocalBundle.DB_CONFIG_DIR + "/pg_hba.conf")));
        ObjectNode env = p.putObject("environment");
        env.put("POSTGRES_USER", "postgres");
        env.put("POSTGRES_PASSWORD_FILE", "/run/secrets/" + LocalBundle.DB_MASTER_SECRET);
        ArrayNode volumes = p.putArray("volumes");
        volumes.add(DB_VOLUME + ":/var/lib/postgresql/data");
        volumes.add("./" + LocalBundle.TLS_DIR + "/postgres.crt:" + LocalBundle.DB_CONFIG_DIR + "/postgres.crt:ro");
        volumes.add("./" + LocalBundle.CONFIG_DIR + "/pg_hba.conf:" + LocalBundle.DB_CONFIG_DIR + "/pg_hba.conf:ro");
        volumes.add("./" + LocalBundle.CONFIG_DIR + "/db-setup.sql:" + LocalBundle.DB_CONFIG_DIR + "/db-setup.sql:ro");
        volumes.add("./" + LocalBundle.CONFIG_DIR + "/" + LocalBundle.DB_INIT_SCRIPT
                + ":/docker-entrypoint-initdb.d/" + LocalBundle.DB_INIT_SCRIPT + ":ro");
        ArrayNode secrets = p.putArray("secrets");
        secrets.add(LocalBundle.DB_MASTER_SECRET).add(LocalBundle.DB_KEY_SECRET)
                .add(Layout.ORTHANC_DB + ".scram").add(Layout.KEYCLOAK_DB + ".scram");
        p.putArray("networks").add(DB_NETWORK);
        ObjectNode health = p.putObject("healthcheck");
        health.putArray("test").add("CMD").add("pg_isready").add("-U").add("postgres");
        health.put("interval", "10s");
        health.put("timeout", "5s");
        health.put("retries", 30);
        return p;
    }

    static JsonNode parseJson(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("not JSON: " + e.getOriginalMessage(), e);
        }
    }
}
