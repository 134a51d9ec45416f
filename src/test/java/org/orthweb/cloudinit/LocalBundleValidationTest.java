package org.orthweb.cloudinit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orthweb.local.LocalBundle;
import org.orthweb.pki.DicomPeer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The local bundle's files through the tools that consume them (no Docker engine here): the
 * compose file through docker-compose's validator, nginx.conf through {@code nginx -t} with
 * Debian's modules.
 */
@Tag("conformance")
class LocalBundleValidationTest {

    @TempDir
    static Path dir;
    static Path bundle;

    @BeforeAll
    static void write() throws Exception {
        bundle = dir.resolve("bundle");
        LocalBundle.writeTo(LocalBundle.build("dev", "dev", "us-east-1", Map.of(),
                List.of(DicomPeer.named("modality-1")), 1000), bundle);
    }

    @Test
    void composeFilePassesTheComposeValidator() {
        Tools.require("docker-compose");
        // run in the bundle's directory, as `docker compose up` is: .env and relative paths resolve there
        Tools.Result r = Tools.run(bundle, Map.of(), 60, "docker-compose", "config");
        r.expectSuccess("docker-compose config");
        // the validator resolved .env (no unset-variable error) and the bundle-relative files
        assertThat(r.out()).contains(bundle.resolve("secrets/keycloak.conf").toString())
                .contains("https://localhost/keycloak").contains("1000:0");
    }

    @Test
    void composeValidatorRefusesABrokenBundle() throws Exception {
        Tools.require("docker-compose");
        // the validator is not a rubber stamp: without .env the required variables fail it
        Path copy = dir.resolve("no-env");
        Tools.run("cp", "-a", bundle.toString(), copy.toString()).expectSuccess("cp");
        Files.delete(copy.resolve(".env"));
        Tools.Result r = Tools.run(copy, Map.of(), 60, "docker-compose", "config");
        assertThat(r.exit()).isNotZero();
        assertThat(r.out()).contains("SITE_NAME must be set");
    }

    @Test
    void nginxConfPassesNginxT() throws Exception {
        Tools.require("nginx", ConformanceEnv.NGINX_STREAM_MODULE, ConformanceEnv.NGINX_STREAM_JS_MODULE);
        Path conf = dir.resolve("nginx-t/nginx.conf");
        Files.createDirectories(conf.getParent());
        // Debian's nginx: modules at Debian's paths, the bundle's certificates and peer check where
        // the compose file mounts them from
        Files.writeString(conf, ConformanceEnv.forDebianNginx(Files.readString(bundle.resolve("config/nginx.conf")),
                Layout.HOST.nginxTlsDir(), bundle.resolve(LocalBundle.TLS_DIR), bundle.resolve(LocalBundle.CONFIG_DIR)));
        Tools.run(conf.getParent(), Map.of(), 60, "nginx", "-t", "-p", conf.getParent() + "/", "-c", conf.toString(),
                "-g", "pid " + conf.getParent().resolve("nginx.pid") + ";").expectSuccess("nginx -t");
    }
}
