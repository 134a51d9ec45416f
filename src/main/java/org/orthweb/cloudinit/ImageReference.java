package org.orthweb.cloudinit;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A container image reference, parsed by the grammar of the distribution project's reference
 * package (github.com/distribution/reference, {@code reference.go} and {@code normalize.go}, the
 * grammar Docker and containerd use):
 * <pre>
 * reference        := name [ ":" tag ] [ "@" digest ]
 * name             := [domain '/'] remote-name
 * domain           := host [':' port-number]
 * host             := domain-name | IPv4address | \[ IPv6address \]
 * domain-name      := domain-component ['.' domain-component]*
 * domain-component := /([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])/
 * port-number      := /[0-9]+/
 * remote-name      := path-component ['/' path-component]*
 * path-component   := alpha-numeric [separator alpha-numeric]*
 * alpha-numeric    := /[a-z0-9]+/
 * separator        := /[_.]|__|[-]+/
 * tag              := /[\w][\w.-]{0,127}/
 * digest           := algorithm ":" hex   (sha256: 64, sha384: 96, sha512: 128 lower-case hex digits,
 *                                          as github.com/opencontainers/go-digest validates them)
 * </pre>
 * The name is at most 255 characters. The first component of the name is a registry (domain) only
 * when it contains a '.' or a ':', is {@code localhost}, or has upper-case letters; otherwise the
 * registry is Docker Hub ({@code docker.io}), and a one-component name there is an official image
 * under {@code library/} ({@code normalize.go}, splitDockerDomain): {@code nginx} means
 * {@code docker.io/library/nginx}.
 *
 * @param domain registry host and optional port ({@code docker.io} when the reference names none)
 * @param path   repository path inside the registry ({@code library/nginx}, {@code orthancteam/orthanc})
 * @param tag    the tag, if given
 * @param digest the digest ({@code sha256:...}), if given
 */
public record ImageReference(String domain, String path, Optional<String> tag, Optional<String> digest) {

    /** Docker Hub, the registry of a reference that names none. */
    public static final String DOCKER_HUB = "docker.io";
    static final int NAME_MAX = 255;

    private static final String DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private static final Pattern DOMAIN = Pattern.compile("(?:" + DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT
            + ")*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?");
    private static final Pattern PATH_COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
    private static final Pattern DIGEST = Pattern.compile("([A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*):(.*)");

    /**
     * Parses a reference.
     *
     * @throws IllegalArgumentException with the reason, naming the part that is wrong
     */
    public static ImageReference parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("is empty");
        }
        if (!text.equals(text.strip()) || text.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("contains white space");
        }
        String rest = text;
        Optional<String> digest = Optional.empty();
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = Optional.of(digest(rest.substring(at + 1)));
            rest = rest.substring(0, at);
        }
        Optional<String> tag = Optional.empty();
        int colon = rest.lastIndexOf(':');
        // a ':' after the last '/' starts the tag; before it, it is the registry's port
        if (colon > rest.lastIndexOf('/')) {
            String t = rest.substring(colon + 1);
            if (!TAG.matcher(t).matches()) {
                throw new IllegalArgumentException("has an invalid tag '" + t + "' (letters, digits, '_', '.', '-'; "
                        + "not starting with '.' or '-'; at most 128 characters)");
            }
            tag = Optional.of(t);
            rest = rest.substring(0, colon);
        }
        if (rest.isEmpty()) {
            throw new IllegalArgumentException("has no repository name");
        }
        if (rest.length() > NAME_MAX) {
            throw new IllegalArgumentException("has a name longer than " + NAME_MAX + " characters");
        }
        String domain = DOCKER_HUB;
        String path = rest;
        int slash = rest.indexOf('/');
        if (slash >= 0) {
            String first = rest.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost") || !first.equals(first.toLowerCase())) {
                if (!DOMAIN.matcher(first).matches()) {
                    throw new IllegalArgumentException("has an invalid registry '" + first + "' (a host name, IPv4 or "
                            + "[IPv6] address, optionally ':' and a port number)");
                }
                domain = first;
                path = rest.substring(slash + 1);
            }
        }
        if (domain.equals("index.docker.io")) {
            domain = DOCKER_HUB;
        }
        for (String component : path.split("/", -1)) {
            if (!PATH_COMPONENT.matcher(component).matches()) {
                throw new IllegalArgumentException(component.isEmpty() ? "has an empty path component in '" + path + "'"
                        : !component.equals(component.toLowerCase()) ? "has an upper-case repository name '" + path
                        + "' (repository names are lower case)" : "has an invalid path component '" + component
                        + "' (lower-case letters and digits, separated by '.', '_', '__' or dashes)");
            }
        }
        if (domain.equals(DOCKER_HUB) && !path.contains("/")) {
            path = "library/" + path;
        }
        return new ImageReference(domain, path, tag, digest);
    }

    private static String digest(String text) {
        Matcher m = DIGEST.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("has an invalid digest '" + text + "' (algorithm:hex, such as sha256:<64 hex>)");
        }
        int hexLength = switch (m.group(1)) {
            case "sha256" -> 64;
            case "sha384" -> 96;
            case "sha512" -> 128;
            default -> throw new IllegalArgumentException("has a digest of unsupported algorithm '" + m.group(1)
                    + "' (sha256, sha384 or sha512)");
        };
        if (!m.group(2).matches("[0-9a-f]{" + hexLength + "}")) {
            throw new IllegalArgumentException("has a " + m.group(1) + " digest that is not " + hexLength
                    + " lower-case hex digits");
        }
        return text;
    }

    /** Pinned: a digest, or a tag other than {@code latest} (a tag can move, a digest cannot). */
    public boolean pinned() {
        return digest.isPresent() || tag.filter(t -> !t.equals("latest")).isPresent();
    }

    /** The full name: {@code docker.io/library/nginx}. */
    public String name() {
        return domain + "/" + path;
    }

    /** The fully qualified reference: {@code docker.io/library/nginx:1.30.5-alpine@sha256:...}. */
    public String canonical() {
        return name() + tag.map(t -> ":" + t).orElse("") + digest.map(d -> "@" + d).orElse("");
    }
}
