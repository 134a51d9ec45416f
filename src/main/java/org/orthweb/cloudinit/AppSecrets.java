package org.orthweb.cloudinit;

import java.util.List;

/**
 * Names of the generated application secrets. The infrastructure generates one random value per
 * name (deploy time, stored in Pulumi state as a secret) and stores them together as one JSON
 * object in a Secrets Manager secret encrypted with the stack's KMS key; the host reads that JSON
 * at boot. The master DB credential lives in the secret RDS manages and is not listed here; the
 * application's database roles have no password at all (IAM tokens, see orthweb-db-auth).
 *
 * <p>Each value is 32 random alphanumeric characters, so it can be placed in a JSON string, a SQL
 * literal or a PostgreSQL URI without escaping; the bootstrap refuses anything else.
 */
public final class AppSecrets {

    /** Keycloak's bootstrap administrator ("admin" of the master realm). */
    public static final String KEYCLOAK_ADMIN_PASSWORD = "keycloakAdminPassword";
    /** Secret of the confidential {@code admin-cli} client of the orthanc realm (used by the auth service). */
    public static final String KEYCLOAK_CLIENT_SECRET = "keycloakClientSecret";
    /**
     * Secret of the confidential client {@code orthweb-realm-sync} of the orthanc realm, whose
     * service account may manage that realm only (realm-management roles): the bootstrap's
     * {@code realm} step signs in with it. The master {@code admin} cannot serve there: it must
     * complete OTP, which a script cannot.
     */
    public static final String KEYCLOAK_REALM_SYNC_SECRET = "keycloakRealmSyncSecret";
    /** Key with which the auth service signs its share tokens. */
    public static final String AUTH_SERVICE_SECRET_KEY = "authServiceSecretKey";
    /** Password with which Orthanc's authorization plugin calls the auth service. */
    public static final String AUTH_SERVICE_PASSWORD = "authServicePassword";

    /** JSON keys of the application secret; each gets its own generated value. */
    public static final List<String> KEYS = List.of(
            KEYCLOAK_ADMIN_PASSWORD,
            KEYCLOAK_CLIENT_SECRET,
            KEYCLOAK_REALM_SYNC_SECRET,
            AUTH_SERVICE_SECRET_KEY,
            AUTH_SERVICE_PASSWORD);

    private AppSecrets() {
    }
}
