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
        String nginxTlsDir) {

    /** Public HTTPS port (the security group opens it). */
    public static final int HTTPS_PORT = 443;
    /** Public DICOM TLS port (the security group opens it). */
    public static final int DICOM_TLS_PORT = 11112;

    /**
     * Keycloak's cluster port between the site's hosts (JGroups TCP, the {@code bind_port} default
     * of Infinispan's default-jgroups-tcp.xml, which Keycloak's jdbc-ping stack extends) and the
     * failure-detection port (FD_SOCK2 listens at the bind port + its {@code offset} 50000).
     */
    public static final int KEYCLOAK_CLUSTER_PORT = 7800;
    public static final int KEYCLOAK_FAILURE_DETECTION_PORT = KEYCLOAK_CLUSTER_PORT + 50000;

    /** Host directory of the application's non-secret configuration (written by cloud-init). */
    public static final String CONFIG_DIR = "/etc/orthweb";
    /** Host directory of the secret files written at boot (root only). */
    public static final String SECRETS_DIR = CONFIG_DIR + "/secrets";
    /** Host directory of the generated CA, server and client certificates. */
    public static final String TLS_DIR = CONFIG_DIR + "/tls";
    /** RDS CA bundle, same path on the host and inside the containers that connect to RDS. */
    public static final String RDS_CA_FILE = CONFIG_DIR + "/rds-ca.pem";
    /** The bootstrap's log. */
    public static final String BOOTSTRAP_LOG = "/var/log/orthweb-bootstrap.log";

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

    /** The layout on the EC2 host. */
    public static final Layout HOST = new Layout(
            Integer.toString(HTTPS_PORT), Integer.toString(DICOM_TLS_PORT),
            "orthanc", 8042, 4242,
            "keycloak", 8080,
            "orthanc-auth-service", 8000,
            "/etc/nginx/tls");
}
