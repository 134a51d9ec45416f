package org.orthweb.automation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Objects;

/**
 * A Pulumi resource provider plugin at a pinned version.
 *
 * <p>An inline program runs inside this JVM, and Pulumi's inline language host reports no
 * required plugins to the engine, so the engine cannot install them itself as it does for
 * {@code pulumi up} on the jar: the deployer installs {@link #required()} before every
 * operation.
 */
public record ProviderPlugin(String name, String version) {

    /**
     * Where each provider SDK on the class path says which plugin it was generated for. The aws
     * jar ships its own; ours for random and tls are in src/main/resources. One place for each version.
     */
    static final List<String> MANIFESTS = List.of("com/pulumi/aws/plugin.json", "com/pulumi/random/plugin.json",
            "com/pulumi/tls/plugin.json");

    private static final ObjectMapper JSON = new ObjectMapper();

    public ProviderPlugin {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
    }

    /** Every provider plugin the Orthweb program needs, at the version its SDK was built for. */
    public static List<ProviderPlugin> required() {
        return MANIFESTS.stream().map(ProviderPlugin::fromManifest).toList();
    }

    static ProviderPlugin fromManifest(String resource) {
        try (InputStream in = ProviderPlugin.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("provider manifest " + resource + " is not on the class path");
            }
            JsonNode manifest = JSON.readTree(in);
            String name = manifest.path("name").asText("");
            String version = manifest.path("version").asText("");
            if (name.isEmpty() || version.isEmpty()) {
                throw new IllegalStateException("provider manifest " + resource + " has no name or version");
            }
            return new ProviderPlugin(name, version);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read provider manifest " + resource, e);
        }
    }

    @Override
    public String toString() {
        return name + " v" + version;
    }
}
