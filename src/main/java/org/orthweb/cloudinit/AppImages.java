package org.orthweb.cloudinit;

import java.util.Map;

/**
 * Pinned container images of the application stack (one place for these facts). Stack config
 * {@code orthweb:images} may override a tag per name; names outside this map are refused.
 *
 * <p>Each default carries the evidence that its tag exists ({@link Pinned#evidence}) and the
 * versions of the software inside it that the tests rely on ({@link Pinned#contents}); a tag
 * without evidence is not shipped (AppImagesTest). Where Maven Central serves that software the
 * tests run the same version (the Keycloak realm test runs {@code keycloak.version} of the pom,
 * which must equal {@link #KEYCLOAK_INSIDE_IMAGE}).
 */
public final class AppImages {

    /**
     * A pinned image.
     *
     * @param reference image reference with its tag
     * @param evidence  where the tag was seen to exist (upstream file, release notes, registry digest)
     * @param contents  software inside the image that tests rely on, name to version
     */
    public record Pinned(String reference, String evidence, Map<String, String> contents) {
    }

    /**
     * Keycloak inside orthancteam/orthanc-keycloak:26.4.1: its Dockerfile builds FROM
     * quay.io/keycloak/keycloak:26.2.5 (the image's tag follows the repository's release, not Keycloak).
     */
    public static final String KEYCLOAK_INSIDE_IMAGE = "26.2.5";

    /** name used in stack config -> pinned image with its evidence. */
    public static final Map<String, Pinned> PINNED = Map.of(
            "nginx", new Pinned("nginx:1.30.5-alpine",
                    "newest stable tag seen published (2026-11-29): nginx:1.30.5-alpine@sha256:"
                            + "0985e772fb9f729e6fa0980da05fca5d9c468e870eed43071545afa9d2e27d94 pinned by digest in "
                            + "several public Dockerfiles and compose files; no public reference to 1.30.6 found",
                    Map.of("nginx", "1.30.5", "stream module", "compiled in (official image)")),
            "orthanc", new Pinned("orthancteam/orthanc:26.8.1",
                    "orthanc-server/orthanc-builder tag 26.8.1 (0a4394c0), release-notes-docker-images.md "
                            + "entry 26.8.1; the all-builds workflow pushes the git tag as the image tag",
                    Map.of("Orthanc", "1.13.0", "PostgreSQL plugin", "10.3", "DICOMweb plugin", "1.24",
                            "Orthanc Explorer 2", "1.14.1", "Authorization plugin", "0.11.4",
                            "AWS S3 storage plugin", "2.5.4")),
            "keycloak", new Pinned("orthancteam/orthanc-keycloak:26.4.1",
                    "orthanc-team/orthanc-auth-service tag 26.4.1 (ff59ae88), release-notes.md 'v 26.4.1'; "
                            + "build-orthanc-share.yml pushes every image of the repository with the tag name; "
                            + "sources/keycloak/Dockerfile.orthanc-keycloak: FROM quay.io/keycloak/keycloak:26.2.5",
                    Map.of("Keycloak", KEYCLOAK_INSIDE_IMAGE)),
            "authService", new Pinned("orthancteam/orthanc-auth-service:26.4.1",
                    "orthanc-team/orthanc-auth-service tag 26.4.1 (ff59ae88), released with orthanc-keycloak",
                    Map.of("orthanc-auth-service", "26.4.1")));

    /** name used in stack config -> image reference with its pinned tag. */
    public static final Map<String, String> DEFAULTS = defaults();

    private static Map<String, String> defaults() {
        Map<String, String> m = new java.util.TreeMap<>();
        PINNED.forEach((name, p) -> m.put(name, p.reference()));
        return java.util.Collections.unmodifiableMap(m);
    }

    private AppImages() {
    }

    /**
     * The image references to deploy: the defaults, with each overridden name replaced. An override
     * is one of
     * <ul>
     *   <li>a whole reference ({@link ImageReference}, the distribution grammar): registry with a
     *   port ({@code localhost:5000/orthanc:26.8.1}), a digest ({@code nginx@sha256:<64 hex>}), a tag
     *   and a digest, a bare Docker Hub name with a tag ({@code nginx:1.30.5-alpine} is
     *   {@code docker.io/library/nginx}, never the default's repository);</li>
     *   <li>{@code :TAG}: only the default's tag changes ({@code :26.9.0});</li>
     *   <li>{@code @sha256:<64 hex>}: the default's name and tag, pinned by digest.</li>
     * </ul>
     * Every result must be pinned: a digest, or a tag other than {@code latest} ({@code nginx}
     * alone means {@code nginx:latest} and is refused).
     *
     * @throws IllegalArgumentException for a name that is not in {@link #DEFAULTS} or a bad value,
     *                                  with the reason
     */
    public static Map<String, String> resolve(Map<String, String> overrides) {
        Map<String, String> images = new java.util.TreeMap<>(DEFAULTS);
        overrides.forEach((name, value) -> {
            String current = images.get(name);
            if (current == null) {
                throw new IllegalArgumentException("unknown image name '" + name + "', expected one of "
                        + new java.util.TreeSet<>(DEFAULTS.keySet()));
            }
            images.put(name, override(name, current, value));
        });
        return images;
    }

    private static String override(String name, String current, String value) {
        if (value == null) {
            throw new IllegalArgumentException("image '" + name + "' has no value");
        }
        String image;
        if (value.startsWith(":")) {
            image = current.substring(0, current.lastIndexOf(':')) + value;
        } else if (value.startsWith("@")) {
            image = current + value;
        } else {
            image = value;
        }
        ImageReference ref;
        try {
            ref = ImageReference.parse(image);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid image reference for '" + name + "': '" + value + "' "
                    + e.getMessage());
        }
        if (!ref.pinned()) {
            throw new IllegalArgumentException("image '" + name + "' must be pinned by a tag other than 'latest' or a "
                    + "digest: '" + value + "' is " + ref.name() + ":latest, which moves"
                    + (ref.tag().isEmpty() && !value.contains("/") ? "; to change only the tag of " + current
                    + " write ':" + value + "'" : ""));
        }
        return image;
    }
}
