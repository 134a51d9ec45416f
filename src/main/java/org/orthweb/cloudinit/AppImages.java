package org.orthweb.cloudinit;

import java.util.Map;

/**
 * Pinned container images of the application stack (one place for these facts). Stack config
 * {@code orthweb:images} may override a tag per name; names outside this map are refused.
 */
public final class AppImages {

    /** name used in stack config -> image reference with its pinned tag. */
    public static final Map<String, String> DEFAULTS = Map.of(
            "nginx", "nginx:1.28.0-alpine",
            "orthanc", "orthancteam/orthanc:25.10.1",
            "keycloak", "orthancteam/orthanc-keycloak:25.10.1",
            "authService", "orthancteam/orthanc-auth-service:25.10.1");

    private AppImages() {
    }
}
