package org.orthweb.cloudinit;

import java.util.List;

/**
 * Names of the generated application secrets. The infrastructure generates one random value per
 * name (deploy time, stored in Pulumi state as a secret) and stores them together as one JSON
 * object in a Secrets Manager secret encrypted with the stack's KMS key; the host reads that JSON
 * at boot. The master DB credential lives in its own secret and is not listed here.
 */
public final class AppSecrets {

    /** JSON keys of the application secret; each gets its own generated value. */
    public static final List<String> KEYS = List.of(
            "keycloakAdminPassword",
            "keycloakClientSecret",
            "keycloakDbPassword",
            "orthancDbPassword",
            "authServiceApiKey");

    private AppSecrets() {
    }
}
