package org.orthweb.cloudinit;

/**
 * Where the parts of the application listen and find each other: one place for ports, service
 * names and paths that the templates share. {@link #HOST} is what runs on the EC2 host (Compose
 * service names on the stack's network); the conformance tests render the very same templates with
 * a layout of loopback addresses, free ports and private directories.
 *
 * @param httpsListen      nginx {@code listen} argument of the HTTPS server
 * @param dicomListen      nginx {@code listen} argument of the DICOM TLS stream server
 * @param orthancHost      host name under which nginx reaches Orthanc
 * @param orthancHttpPort  Orthanc's HTTP port (never published on the host)
 * @param orthancDicomPort Orthanc's plain DICOM port, behind the TLS proxy (never published)
 * @param keycloakHost     host name under which nginx reaches Keycloak
 * @param keycloakPort     Keycloak's HTTP port
 * @param authHost         host name under which Orthanc reaches the auth service
 * @param authPort         the auth service's HTTP port
 * @param nginxTlsDir      directory in which nginx finds ca.crt, server.crt and server.key
 * @param keycloakAdminListen nginx {@code listen} argument of the operator server (Keycloak's admin
 *                         console and master realm, plain HTTP); its port is the one Keycloak's
 *                         admin URL names and compose publishes on the host's loopback only
 * @param plainDicomListen nginx {@code listen} argument of the plain DICOM stream server, which only
 *                         the Client VPN's security group reaches
 */
public record Layout(
        String httpsListen,
        String dicomListen,
        String orthancHost,
        int orthancHttpPort,
        int orthancDicomPort,
        String keycloakHost,
        int keycloakPort,
        String authHost,
        int authPort,
        String nginxTlsDir,
        String keycloakAdminListen,
        String plainDicomListen) {

    /** Public HTTPS port (the security group opens it). */
    public static final int HTTPS_PORT = 443;
    /** Public DICOM TLS port (the security group opens it). */
    public static final int DICOM_TLS_PORT = 11112;
    /**
     * Operator port for Keycloak's admin console: published on the host's 127.0.0.1 only, reached
     * with an SSM port-forward to the same local port (the admin URL Keycloak builds names it).
     */
    public static final int KEYCLOAK_ADMIN_PORT = 8081;

    /**
     * Plain DICOM (no TLS), for modalities that cannot speak DICOM TLS, reachable only through the
     * Client VPN: 104, the port IANA registered for DICOM and the default of many modalities, and
     * neither the TLS port nor Orthanc's own 4242, so no rule meant for one opens the other. No
     * security group opens it to a CIDR (a policy test holds this for every stack file).
     */
    public static final int PLAIN_DICOM_PORT = 104;

    /**
     * Keycloak's cluster port between the site's hosts (JGroups TCP, the {@code bind_port} default
     * of Infinispan's default-jgroups-tcp.xml, which Keycloak's jdbc-ping stack extends) and the
     * failure-detection port (FD_SOCK2 listens at the bind port + its {@code offset} 50000).
     */
    public static final int KEYCLOAK_CLUSTER_PORT = 7800;
    public static final int KEYCLOAK_FAILURE_DETECTION_PORT = KEYCLOAK_CLUSTER_PORT + 50000;

    /**
     * nginx's health status for the load balancer: 200 only when Orthanc itself answers (an
     * auth_request subrequest to Orthanc's {@code /system}, which the authorization plugin leaves
     * unchecked for the Stone viewer), 5xx otherwise; Orthanc's answer never leaves nginx.
     */
    public static final String HEALTH_PATH = "/orthweb_health";

    /** Host directory of the application's non-secret configuration (written by cloud-init). */
    public static final String CONFIG_DIR = "/etc/orthweb";
    /** Host directory of the secret files written at boot (root only). */
    public static final String SECRETS_DIR = CONFIG_DIR + "/secrets";
    /**
     * Keycloak's import directory on the host ({@code keycloak-import} under {@link #SECRETS_DIR},
     * 0750, files 0640: Keycloak runs in group root), mounted whole over the image's
     * {@code /opt/keycloak/data/import} (which hides the image's demo realm). Its files are named
     * {@code <realm>-realm.json}: Keycloak 26.2's startup import reads those with its directory
     * importer, master realm first; any other {@code .json} file there is imported on its own,
     * and with a master realm to import as well, it ran first: "adminRealm is null", no start
     * (seen with 26.2.5 and the former {@code realm-export.json} beside {@code master-realm.json};
     * org.keycloak.exportimport.ExportImportManager#getStartupImportProviders and
     * dir.DirImportProvider#getRealmsToImport in the 26.2.5 jars).
     */
    public static final String KEYCLOAK_IMPORT_NAME = "keycloak-import";
    public static final String KEYCLOAK_IMPORT_DIR = SECRETS_DIR + "/" + KEYCLOAK_IMPORT_NAME;
    /** The orthanc realm's file in {@link #KEYCLOAK_IMPORT_DIR} (holds client secrets). */
    public static final String KEYCLOAK_REALM_FILE = "orthanc-realm.json";
    /** The master realm's file in {@link #KEYCLOAK_IMPORT_DIR}. */
    public static final String KEYCLOAK_MASTER_REALM_FILE = "master-realm.json";
    /** Host directory of the site's CA certificate, server certificate and key (fetched at boot, root only). */
    public static final String TLS_DIR = CONFIG_DIR + "/tls";
    /**
     * Orthanc's own client certificate and key for DICOM TLS to declared modalities (SCU), in
     * {@link #TLS_DIR}: issued by the site PKI, written by the bootstrap from the site TLS secret
     * only when a modality declares {@code tls: true}.
     */
    public static final String ORTHANC_SCU_CERT = "orthanc-scu.crt";
    public static final String ORTHANC_SCU_KEY = "orthanc-scu.key";
    /**
     * The modalities' CA certificates Orthanc trusts ({@code DicomTlsTrustedCertificates}), in
     * {@link #CONFIG_DIR}: public, delivered in the host bundle.
     */
    public static final String ORTHANC_MODALITY_CA = "orthanc-modality-ca.pem";
    /** Where the Orthanc container sees those three files (outside /etc/orthanc, whose *.json it merges). */
    public static final String ORTHANC_DICOM_TLS_DIR = "/orthweb/dicom-tls";
    /** Where nginx finds the DICOM peer check (njs) and the allow-list it reads at start. */
    public static final String NGINX_NJS_DIR = "/etc/nginx/orthweb";
    public static final String DICOM_PEERS_JS = "dicom-peers.js";
    /** The allow-list (certificate serial to peer and AE title), written by the bootstrap from the site TLS secret. */
    public static final String DICOM_PEERS_JSON = "dicom-peers.json";
    /** Orthanc's {@code DicomModalities} fragment, written by the bootstrap from the same secret. */
    public static final String ORTHANC_DICOM_JSON = "orthanc-dicom.json";
    /**
     * The declared modalities' entries of {@code DicomModalities} (orthweb:orthanc.modalities),
     * delivered in the bundle; the bootstrap merges them into {@link #ORTHANC_DICOM_JSON}, because
     * Orthanc refuses one top-level option in two of its configuration files.
     */
    public static final String ORTHANC_MODALITIES_JSON = "orthanc-modalities.json";
    /** RDS CA bundle, same path on the host and inside the containers that connect to RDS. */
    public static final String RDS_CA_FILE = CONFIG_DIR + "/rds-ca.pem";
    /** The bootstrap's log. */
    public static final String BOOTSTRAP_LOG = "/var/log/orthweb-bootstrap.log";

    /**
     * Tag key the bootstrap sets on the master DB secret after provisioning the database; the
     * host role may read that secret only while the tag is absent (see OrthancHost).
     */
    public static final String DB_PROVISIONED_TAG = "orthweb-db-provisioned";

    /**
     * The Compose network of the containers (fixed, so that the host firewall can name Orthanc)
     * and Orthanc's address on it: the one container the firewall lets reach the instance
     * metadata service (see the bootstrap's firewall step). Outside Docker's default address
     * pools; the VPC CIDR must not overlap it (checked before any resource is made).
     */
    public static final String CONTAINER_SUBNET = "10.255.255.0/24";
    public static final String ORTHANC_ADDRESS = "10.255.255.10";

    /** Orthanc's default AE title (orthweb:orthanc.aeTitle): the called AE title every peer must use. */
    public static final String ORTHANC_AET = "ORTHANC";

    /**
     * Host directory of the database password files: one subdirectory per application role
     * ({@code <dir>/<role>/pgpass}), each bind-mounted into its container at
     * {@link #DB_AUTH_CONTAINER_DIR}. Written by {@link #DB_AUTH_SCRIPT}.
     */
    public static final String DB_AUTH_DIR = CONFIG_DIR + "/db-auth";
    /** Where a container sees its role's directory; {@code PGPASSFILE} names the file in it. */
    public static final String DB_AUTH_CONTAINER_DIR = "/run/orthweb-db";
    /** Host path of the token refresher (cloud-init/files/orthweb-db-auth.sh.mustache). */
    public static final String DB_AUTH_SCRIPT = "/usr/local/sbin/orthweb-db-auth";
    /** systemd units that run the refresher (a oneshot service and its timer). */
    public static final String DB_AUTH_SERVICE = "orthweb-db-auth.service";
    public static final String DB_AUTH_TIMER = "orthweb-db-auth.timer";
    /**
     * Lifetime of an RDS IAM authentication token (RDS User Guide, "IAM database authentication
     * for MariaDB, MySQL, and PostgreSQL": "The authentication token has a lifetime of 15
     * minutes"); a token is checked only when a connection is opened.
     */
    public static final int DB_TOKEN_LIFETIME_MINUTES = 15;
    /**
     * How often the refresher writes new tokens: a third of their lifetime, so the file always
     * holds a token with at least 10 minutes left and two failed refreshes in a row still
     * leave a valid one.
     */
    public static final int DB_TOKEN_REFRESH_MINUTES = 5;

    /** Databases and their least-privilege owner roles (same name). */
    public static final String ORTHANC_DB = "orthanc";
    public static final String KEYCLOAK_DB = "keycloak";

    /**
     * Docker Compose plugin, pinned with the SHA-256 of its linux-x86_64 release binary (the
     * value the release publishes in docker-compose-linux-x86_64.sha256).
     */
    public static final String COMPOSE_VERSION = "v2.40.3";
    public static final String COMPOSE_SHA256 =
            "dba9d98e1ba5bfe11d88c99b9bd32fc4a0624a30fafe68eea34d61a3e42fd372";

    /** Compose project name of the stack (orthweb.service); Compose labels containers with it. */
    public static final String COMPOSE_PROJECT = "orthweb";
    /**
     * Compose service of the proxy that accepts the public connections (443 and 11112): the
     * network namespace in which quick ACK is set (see orthweb-quickack).
     */
    public static final String PROXY_SERVICE = "nginx";
    /** Host path of the quick ACK script (cloud-init/files/orthweb-quickack.sh.mustache). */
    public static final String QUICKACK_SCRIPT = "/usr/local/sbin/orthweb-quickack";
    /** systemd unit that applies quick ACK at every start of the proxy's container. */
    public static final String QUICKACK_UNIT = "orthweb-quickack.service";

    /** The layout on the EC2 host. */
    public static final Layout HOST = new Layout(
            Integer.toString(HTTPS_PORT), Integer.toString(DICOM_TLS_PORT),
            "orthanc", 8042, 4242,
            "keycloak", 8080,
            "orthanc-auth-service", 8000,
            "/etc/nginx/tls",
            Integer.toString(KEYCLOAK_ADMIN_PORT),
            Integer.toString(PLAIN_DICOM_PORT));

    /** The port of {@link #keycloakAdminListen} (the listen argument may carry an address). */
    public int keycloakAdminPort() {
        return Integer.parseInt(keycloakAdminListen.substring(keycloakAdminListen.lastIndexOf(':') + 1));
    }
}
