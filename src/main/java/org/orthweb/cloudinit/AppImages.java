package org.orthweb.cloudinit;

import java.util.Map;

/**
 * Pinned container images of the application stack (one place for these facts). Stack config
 * {@code orthweb:images} may override a tag per name; names outside this map are refused.
 *
 * <p>Tags checked against the upstream release notes on 2026-11-28: orthancteam/orthanc 26.8.1
 * (Orthanc 1.13.0, PostgreSQL plugin 10.3, DICOMweb 1.24), orthanc-keycloak and
 * orthanc-auth-service 26.4.1 (released together from the orthanc-auth-service repository),
 * nginx 1.30.6 (current stable; its official image compiles the stream module in).
 */
public final class AppImages {

    /** name used in stack config -> image reference with its pinned tag. */
    public static final Map<String, String> DEFAULTS = Map.of(
            "nginx", "nginx:1.30.6-alpine",
            "orthanc", "orthancteam/orthanc:26.8.1",
            "keycloak", "orthancteam/orthanc-keycloak:26.4.1",
            "authService", "orthancteam/orthanc-auth-service:26.4.1");

    private AppImages() {
    }

    /**
     * The image references to deploy: the defaults, with the tag of each overridden name replaced.
     *
     * @throws IllegalArgumentException for a name that is not in {@link #DEFAULTS} or a blank tag
     */
    public static Map<String, String> resolve(Map<String, String> tagOverrides) {
        Map<String, String> images = new java.util.TreeMap<>(DEFAULTS);
        tagOverrides.forEach((name, tag) -> {
            String current = images.get(name);
            if (current == null) {
                throw new IllegalArgumentException("unknown image name '" + name + "', expected one of "
                        + new java.util.TreeSet<>(DEFAULTS.keySet()));
            }
            if (tag == null || !tag.matches("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}")) {
                throw new IllegalArgumentException("invalid tag for image '" + name + "': " + tag);
            }
            images.put(name, current.substring(0, current.lastIndexOf(':') + 1) + tag);
        });
        return images;
    }
}
