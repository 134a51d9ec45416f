package org.orthweb.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.orthweb.cli.DicomClientKit;
import org.orthweb.cloudinit.AppSecrets;
import org.orthweb.cloudinit.Layout;
import org.orthweb.cloudinit.Render;
import org.orthweb.cloudinit.UserDataInputs;
import org.orthweb.config.StackConfig;
import org.orthweb.orthanc.OrthancSettings;
import org.orthweb.pki.DicomAccess;
import org.orthweb.pki.DicomPeer;
import org.orthweb.pki.PeerGrant;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The local mode: a directory that {@code docker compose up} runs on a workstation, with the same
 * nginx, Orthanc, auth service and Keycloak, rendered from the same templates as an AWS host
 * ({@link Render#host}), changed only where {@link LocalTarget} says, plus a PostgreSQL container
 * with TLS in place of RDS. What the host's bootstrap does at boot (fetch secrets and TLS material,
 * run the jq programs, write Keycloak's configuration file, compute the database roles'
 * verifiers) is done here once, with generated values: the bundle is for trying the application
 * on one machine, never for patient data, and its README says so.
 *
 * <p>Layout of the bundle (relative paths): {@code docker-compose.yml}, {@code .env},
 * {@code README.md}, {@code config/} (non-secret configuration, 0644), {@code secrets/} (0700,
 * every file 0600), {@code tls/} (0700; keys 0600), {@code keycloak-import/} (0700, the two realms,
 * 0600), {@code clients/} (one DICOM TLS kit per declared peer, as {@code dicom-client} writes it
 * for a deployed stack).
 */
public final class LocalBundle {

    public static final String CONFIG_DIR = "config";
    public static final String SECRETS_DIR = "secrets";
    public static final String TLS_DIR = "tls";
    public static final String CLIENTS_DIR = "clients";
    /**
     * Keycloak's import directory, mounted whole as on the host ({@link Layout#KEYCLOAK_IMPORT_DIR},
     * whose comment says why the files are named {@code <realm>-realm.json}); 0700, the realm holds
     * client secrets and the local user's password.
     */
    public static final String KEYCLOAK_IMPORT_DIR = "keycloak-import";
    /** Compose secret names of the PostgreSQL container. */
    public static final String DB_MASTER_SECRET = "db-master-password";
    public static final String DB_KEY_SECRET = "postgres-server.key";
    /** Where the PostgreSQL container finds its configuration files. */
    public static final String DB_CONFIG_DIR = "/etc/orthweb";
    /** The postgres user's private directory in the database container (key, verifiers). */
    public static final String DB_PRIVATE_DIR = "/run/orthweb";
    /** The database container's init script (docker-entrypoint-initdb.d): runs db-setup.sql once. */
    public static final String DB_INIT_SCRIPT = "orthweb-db-setup.sh";
    /** .env variable with the workstation user's uid (Keycloak runs as it, to read its 0600 secrets). */
    public static final String UID_VARIABLE = "BUNDLE_UID";
    /** The local administrator added to the realm (role admin-role of permissions.json). */
    public static final String LOCAL_USER = "orthweb-admin";
    /** File under secrets/ with that user's password. */
    public static final String LOCAL_USER_PASSWORD_FILE = "local-user-password";

    /** The master realm program, exactly as the bootstrap's configure step runs it. */
    static final String MASTER_REALM_PROGRAM = "include \"realm-security\"; master_realm";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * One file of the bundle.
     *
     * @param path    relative path inside the bundle
     * @param mode    octal permissions, e.g. "0600"
     * @param content text
     */
    public record File(String path, String mode, String content) {
        @Override
        public String toString() {
            return "File[" + path + ", " + mode + "]";
        }
    }

    /**
     * A built bundle.
     *
     * @param files         every file, in write order
     * @param user          the local administrator's user name
     * @param password      that user's password (also in {@code secrets/local-user-password})
     * @param storescu      the dcmtk line that sends a study, run from {@code clients/}
     * @param rendered      the rendering it was made from (host path to content), for the tests
     */
    public record Bundle(List<File> files, String user, String password, String storescu, Map<String, String> rendered) {
        public File file(String path) {
            return files.stream().filter(f -> f.path().equals(path)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no file " + path + " in the bundle"));
        }

        @Override
        public String toString() {
            return "Bundle[" + files.size() + " files, user=" + user + "]";
        }
    }

    private LocalBundle() {
    }

    /**
     * PostgreSQL's settings as the bundle's database container runs it (like RDS with
     * {@code rds.force_ssl}): {@code -c name=value} arguments of the server.
     */
    public static List<String> postgresSettings(String certFile, String keyFile, String hbaFile) {
        List<String> args = new ArrayList<>();
        for (String s : List.of("ssl=on", "ssl_cert_file=" + certFile, "ssl_key_file=" + keyFile,
                "ssl_min_protocol_version=TLSv1.2", "password_encryption=scram-sha-256", "hba_file=" + hbaFile)) {
            args.add("-c");
            args.add(s);
        }
        return args;
    }

    /** pg_hba.conf: inside the container, the socket for the init scripts; over TCP, TLS and SCRAM only. */
    public static final String PG_HBA = """
            # Orthweb local bundle: TCP clients must use TLS and SCRAM, as on the deployed database;
            # the socket inside the container is for the image's init scripts (db-setup.sql).
            local   all all     trust
            hostssl all all all scram-sha-256
            """;

    /** The bundle's password files, one directory per role as on the host ({@link Layout#DB_AUTH_DIR}), under secrets/. */
    public static final String DB_AUTH_DIR = SECRETS_DIR + "/db-auth";

    /**
     * The database container's init script: the host's own db-setup.sql, then the local password
     * route ({@link LocalTarget#DB_PASSWORD_ROUTE}): {@code rds_iam} exists first as a plain role
     * without meaning here (db-setup.sql grants it; only RDS gives it one), and the roles get the
     * SCRAM verifiers of the passwords in the bundle's password files.
     */
    static final String DB_INIT = """
            #!/bin/sh
            # Run once by the postgres image on a new data directory (docker-entrypoint-initdb.d): the
            # application's roles and databases, by the same db-setup.sql a deployed host runs against its
            # database; then, as the local bundle has no IAM tokens, each role gets the SCRAM verifier of
            # its password (Compose secrets, copied for the postgres user; the password files of
            # %3$s hold the passwords). ORTHWEB_*: other paths (tests); in the container, the defaults.
            set -eu
            run() { psql -X -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres "$@"; }
            run <<'SQL'
            SELECT 'CREATE ROLE rds_iam NOLOGIN' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'rds_iam') \\gexec
            SQL
            run -f "${ORTHWEB_CONFIG_DIR:-%2$s}/db-setup.sql"
            run -v secrets_dir="${ORTHWEB_SECRETS_DIR:-%1$s}" <<'SQL'
            \\set orthanc_verifier `cat :secrets_dir/%4$s.scram`
            \\set keycloak_verifier `cat :secrets_dir/%5$s.scram`
            ALTER ROLE %4$s PASSWORD :'orthanc_verifier';
            ALTER ROLE %5$s PASSWORD :'keycloak_verifier';
            SQL
            """.formatted(DB_PRIVATE_DIR, DB_CONFIG_DIR, DB_AUTH_DIR, Layout.ORTHANC_DB, Layout.KEYCLOAK_DB);

    /**
     * Builds the bundle: renders, generates the secrets and the PKI, derives what the host's
     * bootstrap derives.
     *
     * @param stack       stack name (the bundle's file headers, Orthanc's name, certificate names)
     * @param environment environment code
     * @param region      the stack's region (rendered only into what the bundle leaves out)
     * @param images      image overrides of the stack ({@code orthweb:images})
     * @param peers       declared DICOM peers ({@code orthweb:dicom.clients}); each gets a client kit
     * @param uid         the workstation user's uid (Keycloak's container runs as it)
     */
    public static Bundle build(String stack, String environment, String region, Map<String, String> images,
                               List<DicomPeer> peers, long uid) {
        return build(stack, environment, region, images, StackConfig.Orthanc.defaults(), peers, uid);
    }

    /**
     * Builds the bundle of a site with its own Orthanc settings ({@code orthweb:orthanc}): merged
     * into orthanc.json ({@link org.orthweb.orthanc.OrthancSettings}) and, for the declared
     * modalities, into orthanc-dicom.json with the declared clients' entries by the bootstrap's own
     * jq program ({@link DicomAccess#ORTHANC_DICOM_JQ}); the client kits call its AE title.
     *
     * @param orthanc the site's validated Orthanc settings ({@code StackConfig#orthanc})
     * @see #build(String, String, String, Map, List, long)
     */
    public static Bundle build(String stack, String environment, String region, Map<String, String> images,
                               StackConfig.Orthanc orthanc, List<DicomPeer> peers, long uid) {
        if (peers.isEmpty()) {
            throw new IllegalArgumentException("the local bundle needs at least one DICOM peer (orthweb:dicom.clients)");
        }
        UserDataInputs inputs = LocalTarget.inputs(stack, environment, region, images, orthanc);
        Map<String, String> host = Render.host(inputs).files();
        Map<String, String> secrets = new LinkedHashMap<>();
        for (String key : AppSecrets.KEYS) {
            secrets.put(key, randomAlnum(32));
        }
        String masterPassword = randomAlnum(32);
        // the roles' passwords: the local password route (LocalTarget.DB_PASSWORD_ROUTE)
        Map<String, String> dbPasswords = new LinkedHashMap<>();
        for (String role : List.of(Layout.ORTHANC_DB, Layout.KEYCLOAK_DB)) {
            dbPasswords.put(role, randomAlnum(32));
        }
        String userPassword = randomAlnum(24);

        LocalPki pki = new LocalPki(stack);
        LocalPki.Issued server = pki.server("Orthweb " + stack + " site", List.of(LocalTarget.SITE, "127.0.0.1"));
        // the name the containers use, and the loopback names a test or a psql on the workstation may use
        LocalPki.Issued database = pki.server("Orthweb " + stack + " database",
                List.of(LocalTarget.DB_SERVICE, "localhost", "127.0.0.1"));
        List<PeerGrant> grants = new ArrayList<>();
        List<DicomClientKit> kits = new ArrayList<>();
        for (DicomPeer peer : peers) {
            LocalPki.Issued cert = pki.peer(stack, peer.name());
            grants.add(PeerGrant.of(peer, cert.serial().toString()));
            kits.add(new DicomClientKit(peer.name(), peer.effectiveAeTitle(), cert.certificatePem(), cert.privateKeyPem(),
                    pki.caCertificatePem(), orthanc.aeTitle(),
                    List.of(LocalTarget.SITE + ":" + Layout.DICOM_TLS_PORT)));
        }

        Map<String, String> modules = Map.of("realm-security.jq", host.get(Layout.CONFIG_DIR + "/realm-security.jq"));
        JsonNode orthancSecrets = JqPrograms.run(modules, host.get(Layout.CONFIG_DIR + "/orthanc-secrets.jq"), Map.of(
                "authPassword", secrets.get(AppSecrets.AUTH_SERVICE_PASSWORD) + "\n",
                "caFile", LocalTarget.DB_CA_FILE));
        ObjectNode realm = (ObjectNode) JqPrograms.run(modules, host.get(Layout.CONFIG_DIR + "/keycloak-realm.jq"), Map.of(
                "site", LocalTarget.SITE,
                "clientSecret", secrets.get(AppSecrets.KEYCLOAK_CLIENT_SECRET) + "\n",
                "syncSecret", secrets.get(AppSecrets.KEYCLOAK_REALM_SYNC_SECRET) + "\n"));
        ((ArrayNode) realm.get("users")).add(localUser(userPassword));
        JsonNode masterRealm = JqPrograms.run(modules, MASTER_REALM_PROGRAM, Map.of());

        List<File> files = new ArrayList<>();
        files.add(new File("docker-compose.yml", "0644",
                LocalTarget.compose(host.get(Layout.CONFIG_DIR + "/docker-compose.yml"))));
        files.add(new File(".env", "0644", "# Compose variables of the local bundle (not secret)\n"
                + "SITE_NAME=" + LocalTarget.SITE + "\nHOST_ID=" + LocalTarget.HOST_ID + "\n"
                + UID_VARIABLE + "=" + uid + "\n"));
        files.add(new File(conf("orthanc.json"), "0644", LocalTarget.orthancJson(host.get(Layout.CONFIG_DIR + "/orthanc.json"))));
        for (String shared : LocalTarget.SHARED_UNCHANGED) {
            files.add(new File(conf(shared), "0644", host.get(Layout.CONFIG_DIR + "/" + shared)));
        }
        // rendered only when a modality is called over DICOM TLS (its CAs)
        String modalityCa = host.get(Layout.CONFIG_DIR + "/" + Layout.ORTHANC_MODALITY_CA);
        if (modalityCa != null) {
            files.add(new File(conf(Layout.ORTHANC_MODALITY_CA), "0644", modalityCa));
        }
        files.add(new File(conf(Layout.DICOM_PEERS_JSON), "0644", json(DicomAccess.njsTable(grants), false)));
        // as the bootstrap's install_tls: the site TLS secret's document and the rendered modalities
        // Orthanc's client identity when a modality is called over DICOM TLS, where the bootstrap puts it
        Optional<LocalPki.Issued> orthancScu = OrthancSettings.scuTls(orthanc)
                ? Optional.of(pki.orthancClient(stack)) : Optional.empty();
        JsonNode hostSecret = JSON.valueToTree(DicomAccess.hostSecret(pki.caCertificatePem(), server.certificatePem(),
                server.privateKeyPem(), grants, orthancScu.map(c -> new DicomAccess.ClientIdentity(c.certificatePem(),
                        c.privateKeyPem()))));
        JsonNode declared = JSON.createArrayNode().add(LocalTarget.parseJson(
                host.get(Layout.CONFIG_DIR + "/" + Layout.ORTHANC_MODALITIES_JSON)));
        files.add(new File(conf(Layout.ORTHANC_DICOM_JSON), "0644", json(JqPrograms.run(Map.of(),
                DicomAccess.ORTHANC_DICOM_JQ, hostSecret, Map.of("declared", declared)), false)));
        files.add(new File(KEYCLOAK_IMPORT_DIR + "/" + Layout.KEYCLOAK_MASTER_REALM_FILE, "0600", json(masterRealm, true)));
        files.add(new File(conf("pg_hba.conf"), "0644", PG_HBA));
        files.add(new File(conf(DB_INIT_SCRIPT), "0755", DB_INIT));

        for (Map.Entry<String, String> s : secrets.entrySet()) {
            files.add(secret(s.getKey(), s.getValue()));
        }
        files.add(secret("orthanc-secrets.json", json(orthancSecrets, true)));
        files.add(secret("auth-users.json", json(Map.of("orthanc", secrets.get(AppSecrets.AUTH_SERVICE_PASSWORD)), false)));
        files.add(new File(KEYCLOAK_IMPORT_DIR + "/" + Layout.KEYCLOAK_REALM_FILE, "0600", json(realm, true)));
        // the same two lines the bootstrap's configure step writes
        files.add(secret("keycloak.conf", "bootstrap-admin-password=" + secrets.get(AppSecrets.KEYCLOAK_ADMIN_PASSWORD) + "\n"));
        for (Map.Entry<String, String> role : dbPasswords.entrySet()) {
            // the password file in the host's format (orthweb-db-auth's pgpass_line), a fixed password for a token
            files.add(new File(DB_AUTH_DIR + "/" + role.getKey() + "/pgpass", "0600", LocalTarget.DB_SERVICE + ":"
                    + LocalTarget.DB_PORT + ":*:" + role.getKey() + ":" + role.getValue() + "\n"));
            files.add(secret(role.getKey() + ".scram", Scram.verifier(role.getValue())));
        }
        files.add(secret(DB_MASTER_SECRET, masterPassword));
        files.add(secret(LOCAL_USER_PASSWORD_FILE, userPassword + "\n"));

        files.add(new File(TLS_DIR + "/ca.crt", "0644", pki.caCertificatePem()));
        files.add(new File(TLS_DIR + "/server.crt", "0644", server.certificatePem()));
        files.add(new File(TLS_DIR + "/server.key", "0600", server.privateKeyPem()));
        files.add(new File(TLS_DIR + "/postgres.crt", "0644", database.certificatePem()));
        files.add(new File(TLS_DIR + "/postgres.key", "0600", database.privateKeyPem()));
        orthancScu.ifPresent(c -> {
            files.add(new File(TLS_DIR + "/" + Layout.ORTHANC_SCU_CERT, "0644", c.certificatePem()));
            files.add(new File(TLS_DIR + "/" + Layout.ORTHANC_SCU_KEY, "0600", c.privateKeyPem()));
        });

        for (DicomClientKit kit : kits) {
            for (String name : kit.fileNames()) {
                if (name.equals("site-ca.crt") && kit != kits.get(0)) {
                    continue; // one CA file for every kit in the directory
                }
                files.add(new File(CLIENTS_DIR + "/" + name, name.endsWith(".key") ? "0600" : "0644", switch (name.substring(name.lastIndexOf('.'))) {
                    case ".crt" -> name.equals("site-ca.crt") ? kit.caCertificate() : kit.certificate();
                    case ".key" -> kit.privateKey();
                    default -> kit.instructions();
                }));
            }
        }
        DicomClientKit first = kits.get(0);
        String storescu = storescuLine(first);
        files.add(new File("README.md", "0644", readme(stack, first, storescu,
                List.copyOf(OrthancSettings.tlsModalities(orthanc).keySet()))));
        return new Bundle(List.copyOf(files), LOCAL_USER, userPassword, storescu, host);
    }

    /** The kit's storescu line (from its instructions, the one place that writes dcmtk lines). */
    static String storescuLine(DicomClientKit kit) {
        return kit.instructions().lines().map(String::strip).filter(l -> l.startsWith("storescu "))
                .findFirst().orElseThrow(() -> new IllegalStateException("the client kit has no storescu line"));
    }

    private static ObjectNode localUser(String password) {
        ObjectNode u = JSON.createObjectNode();
        u.put("username", LOCAL_USER);
        u.put("enabled", true);
        // the user profile requires these for users; set, so that the first login asks only for OTP
        u.put("email", LOCAL_USER + "@example.org");
        u.put("emailVerified", true);
        u.put("firstName", "Local");
        u.put("lastName", "Administrator");
        u.putArray("realmRoles").add("admin-role");
        // as for every new user of the realm (realm-security.jq): enrol a one-time-password app first
        u.putArray("requiredActions").add("CONFIGURE_TOTP");
        ObjectNode cred = u.putArray("credentials").addObject();
        cred.put("type", "password");
        cred.put("value", password);
        cred.put("temporary", false);
        return u;
    }

    private static String conf(String name) {
        return CONFIG_DIR + "/" + name;
    }

    private static File secret(String name, String content) {
        return new File(SECRETS_DIR + "/" + name, "0600", content);
    }

    private static String json(Object value, boolean pretty) {
        try {
            return (pretty ? JSON.writerWithDefaultPrettyPrinter() : JSON.writer()).writeValueAsString(value) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String randomAlnum(int n) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    private static String readme(String stack, DicomClientKit kit, String storescu, List<String> tlsModalities) {
        return """
                # Orthweb local bundle (stack %1$s)

                The Orthweb application on this workstation: nginx, Orthanc, the auth service and Keycloak
                with the configuration a deployed host of stack `%1$s` gets, plus PostgreSQL (TLS on) in
                place of the managed database and a Docker volume in place of object storage. For trying
                the application before deploying it.

                **Local only.** The passwords, keys and certificates in `%2$s/` and `%3$s/` were generated
                on this machine by `orthweb local` and are stored here in files (passwords and keys mode
                0600, certificates 0644, in directories only you may open). Do not put
                patient data here and do not expose these ports: a deployment keeps its secrets in a
                secret store and its certificates come from the stack's own PKI.

                1. Start: `docker compose up -d` (in this directory). The first start takes a few minutes
                   (Keycloak imports the realm). Ports are bound to 127.0.0.1 only: 443 (HTTPS),
                   %4$d (DICOM TLS), %5$d (Keycloak's admin console, plain HTTP).
                2. Open https://localhost/ and accept the local CA (`%3$s/ca.crt`, or the browser's
                   warning). Log in as `%6$s` with the password in `%2$s/%7$s` (printed by
                   `orthweb local`); Keycloak asks you to enrol a one-time-password app first.
                3. Send a study over DICOM TLS with the client certificate of peer `%8$s`, from `%9$s/`:

                       cd %9$s && %10$s

                   (`%9$s/%8$s.txt` has the echoscu line and the peer's settings.)
                4. Stop and wipe everything, database and stored images included: `docker compose down -v`.

                %12$s`docker-compose.yml` is a deployed host's compose file (template
                `cloud-init/files/docker-compose.yml.mustache`) with the differences named in
                `org.orthweb.local.LocalTarget`; files under `%11$s/` are rendered from the same templates.
                """.formatted(stack, SECRETS_DIR, TLS_DIR, Layout.DICOM_TLS_PORT, Layout.KEYCLOAK_ADMIN_PORT,
                LOCAL_USER, LOCAL_USER_PASSWORD_FILE, kit.name(), CLIENTS_DIR, storescu, CONFIG_DIR,
                tlsModalities.isEmpty() ? "" : """
                        Orthanc calls %s over DICOM TLS with its own client certificate,
                        `%s/%s`, issued by this bundle's CA: such a modality must trust `%s/ca.crt` to
                        admit it (a deployed stack's Orthanc has a certificate of the site CA instead).

                        """.formatted(String.join(", ", tlsModalities), TLS_DIR, Layout.ORTHANC_SCU_CERT, TLS_DIR));
    }

    /**
     * Writes the bundle into {@code dir}, which must not exist or be empty (a new bundle has new
     * passwords, which an old bundle's database volume would not accept). Directories with secrets
     * are 0700; every file is created with its mode before any byte is written.
     *
     * @throws IllegalArgumentException if {@code dir} is a non-empty directory or a file
     */
    public static void writeTo(Bundle bundle, Path dir) throws IOException {
        if (Files.exists(dir)) {
            if (!Files.isDirectory(dir)) {
                throw new IllegalArgumentException(dir + " is a file; --out names a directory to create");
            }
            try (var s = Files.list(dir)) {
                if (s.findAny().isPresent()) {
                    throw new IllegalArgumentException(dir + " is not empty; choose a new directory (a running "
                            + "bundle's volumes keep its old passwords: `docker compose down -v` there first)");
                }
            }
        }
        Files.createDirectories(dir);
        for (String d : List.of(CONFIG_DIR, SECRETS_DIR, TLS_DIR, CLIENTS_DIR, KEYCLOAK_IMPORT_DIR)) {
            Path p = dir.resolve(d);
            Files.createDirectories(p);
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(
                    d.equals(CONFIG_DIR) ? "rwxr-xr-x" : "rwx------"));
        }
        for (File f : bundle.files()) {
            Path target = dir.resolve(f.path());
            if (!Files.isDirectory(target.getParent())) {
                // a role's password directory (secrets/db-auth/<role>): as private as secrets/
                Files.createDirectories(target.getParent(), PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
                Files.setPosixFilePermissions(target.getParent(), PosixFilePermissions.fromString("rwx------"));
            }
            Files.createFile(target, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(rwx(f.mode()))));
            // createFile's mode is filtered by the umask: set it exactly
            Files.setPosixFilePermissions(target, PosixFilePermissions.fromString(rwx(f.mode())));
            Files.writeString(target, f.content(), StandardCharsets.UTF_8);
        }
    }

    static String rwx(String octal) {
        int m = Integer.parseInt(octal, 8);
        StringBuilder b = new StringBuilder();
        for (int shift = 6; shift >= 0; shift -= 3) {
            int bits = (m >> shift) & 7;
            b.append((bits & 4) != 0 ? 'r' : '-').append((bits & 2) != 0 ? 'w' : '-').append((bits & 1) != 0 ? 'x' : '-');
        }
        return b.toString();
    }
}
