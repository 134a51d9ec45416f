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

    /** A tag alone (replaces the default's tag). */
    private static final java.util.regex.Pattern TAG =
            java.util.regex.Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    /** A whole reference, pinned by tag or digest (replaces the default). */
    private static final java.util.regex.Pattern REFERENCE = java.util.regex.Pattern.compile(
            "[a-z0-9][a-z0-9._/-]*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[0-9a-f]{64})?");

    /**
     * The image references to deploy: the defaults, with each overridden name replaced. An
     * override is either a tag ({@code 26.9.0}) or a whole reference pinned by tag or digest
     * ({@code orthancteam/orthanc:26.9.0}, {@code nginx@sha256:...}); {@code latest} is refused.
     *
     * @throws IllegalArgumentException for a name that is not in {@link #DEFAULTS} or a bad value
     */
    public static Map<String, String> resolve(Map<String, String> overrides) {
        Map<String, String> images = new java.util.TreeMap<>(DEFAULTS);
        overrides.forEach((name, value) -> {
            String current = images.get(name);
            if (current == null) {
                throw new IllegalArgumentException("unknown image name '" + name + "', expected one of "
                        + new java.util.TreeSet<>(DEFAULTS.keySet()));
            }
            String image;
            if (value != null && TAG.matcher(value).matches()) {
                image = current.substring(0, current.lastIndexOf(':') + 1) + value;
            } else if (value != null && REFERENCE.matcher(value).matches()
                    && (value.contains("@sha256:") || value.lastIndexOf(':') > value.lastIndexOf('/'))) {
                image = value;
            } else {
                throw new IllegalArgumentException("invalid tag or image reference for '" + name + "': " + value);
            }
            if (image.endsWith(":latest")) {
                throw new IllegalArgumentException("image '" + name + "' must be pinned, not 'latest'");
            }
            images.put(name, image);
        });
        return images;
    }
}
