package org.orthweb.cloudinit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The rendered files pass the validators of their formats (real Debian tools). */
@Tag("conformance")
class RenderedFilesValidationTest {

    @TempDir
    static Path out;

    @BeforeAll
    static void render() throws Exception {
        Render.writeTo(Fixtures.inputs(), out);
    }

    @Test
    void userDataPassesCloudInitSchema() {
        Tools.require("cloud-init");
        Tools.Result r = Tools.run(out, Map.of(), 120, "cloud-init", "schema", "--config-file",
                out.resolve(Render.USER_DATA).toString());
        System.out.println(r.out());
        r.expectSuccess("cloud-init schema");
        assertThat(r.out()).contains("Valid cloud-config");
    }

    @Test
    void userDataIsCleanYaml() {
        Tools.require("yamllint");
        // long lines are content (commands, URLs); everything else at yamllint's defaults
        Tools.run(out, Map.of(), 60, "yamllint", "-d", "{extends: default, rules: {line-length: disable, document-start: disable}}",
                Render.USER_DATA, "files/etc/orthweb/docker-compose.yml").expectSuccess("yamllint");
    }

    @Test
    void everyShellScriptPassesShellcheck() throws Exception {
        Tools.require("shellcheck");
        List<String> scripts = new ArrayList<>();
        for (Map.Entry<String, String> f : Render.files(Fixtures.inputs()).entrySet()) {
            if (f.getValue().startsWith("#!/bin/bash") || f.getValue().startsWith("#!/bin/sh")) {
                scripts.add(out.resolve("files").resolve(f.getKey().substring(1)).toString());
            }
        }
        scripts.addAll(shellScriptsUnder(Path.of("bench")));
        scripts.addAll(composeShellSnippets());
        assertThat(scripts).anyMatch(s -> s.endsWith("orthweb-bootstrap"));
        List<String> cmd = new ArrayList<>(List.of("shellcheck", "--severity=style"));
        cmd.addAll(scripts);
        Tools.run(out, Map.of(), 120, cmd.toArray(String[]::new)).expectSuccess("shellcheck " + scripts);
    }

    /**
     * The shell commands inside the compose file (start commands that read secret files,
     * healthchecks), as the container's shell will see them after Compose's $$ unescaping.
     */
    static List<String> composeShellSnippets() throws Exception {
        JsonNode services = new YAMLMapper().readTree(
                Files.readString(out.resolve("files/etc/orthweb/docker-compose.yml"))).get("services");
        List<String> found = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> it = services.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> service = it.next();
            for (String field : List.of("command", "entrypoint", "healthcheck/test")) {
                JsonNode cmd = service.getValue().at("/" + field);
                String shell = null;
                String script = null;
                if (cmd.isArray() && cmd.size() == 3 && cmd.get(1).asText().equals("-c")) {
                    shell = cmd.get(0).asText();
                    script = cmd.get(2).asText();
                } else if (cmd.isArray() && cmd.size() == 4 && cmd.get(0).asText().equals("CMD")
                        && cmd.get(2).asText().equals("-c")) {
                    shell = cmd.get(1).asText();
                    script = cmd.get(3).asText();
                } else if (cmd.isArray() && cmd.size() == 2 && cmd.get(0).asText().equals("CMD-SHELL")) {
                    shell = "/bin/sh";
                    script = cmd.get(1).asText();
                }
                // only shells: the Orthanc healthcheck is a python3 -c one-liner
                if (script != null && shell.matches("(/bin/|/usr/bin/)?(sh|bash)")) {
                    Path f = out.resolve("compose-" + service.getKey() + "-" + field.replace('/', '-') + ".sh");
                    Files.writeString(f, "#!" + shell + "\n" + script.replace("$$", "$") + "\n");
                    found.add(f.toString());
                }
            }
        }
        // the auth service's start command and Keycloak's healthcheck
        assertThat(found).as("compose shell snippets").hasSizeGreaterThanOrEqualTo(2);
        return found;
    }

    static List<String> shellScriptsUnder(Path dir) throws Exception {
        List<String> found = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (var s = Files.list(dir)) {
                s.filter(p -> p.toString().endsWith(".sh")).forEach(p -> found.add(p.toAbsolutePath().toString()));
            }
        }
        return found;
    }

    @Test
    void composeFilePassesDockerComposeConfig() throws Exception {
        Tools.require("docker-compose");
        Path compose = out.resolve("files/etc/orthweb/docker-compose.yml");
        Tools.Result r = Tools.run(compose.getParent(), Map.of("SITE_NAME", "pacs.example-clinic.org",
                        "HOST_ID", "i-0123456789abcdef0", "HOST_PRIVATE_IP", "172.17.0.23"), 120,
                "docker-compose", "--file", compose.toString(), "config");
        r.expectSuccess("docker-compose config");
        // what Compose resolved: only nginx publishes client ports; Keycloak only its cluster ports
        // and only on the host's private address (the other hosts' Keycloaks reach it there)
        JsonNode resolved = new YAMLMapper().readTree(r.out());
        Iterator<Map.Entry<String, JsonNode>> services = resolved.get("services").fields();
        while (services.hasNext()) {
            Map.Entry<String, JsonNode> s = services.next();
            assertThat(s.getValue().has("ports")).as(s.getKey() + " publishes ports")
                    .isEqualTo(s.getKey().equals("nginx") || s.getKey().equals("keycloak"));
        }
        List<String> keycloakPorts = new ArrayList<>();
        resolved.at("/services/keycloak/ports").forEach(p -> keycloakPorts.add(p.asText()));
        assertThat(keycloakPorts).containsExactlyInAnyOrder(
                "172.17.0.23:" + Layout.KEYCLOAK_CLUSTER_PORT + ":" + Layout.KEYCLOAK_CLUSTER_PORT + "/tcp",
                "172.17.0.23:" + Layout.KEYCLOAK_FAILURE_DETECTION_PORT + ":" + Layout.KEYCLOAK_FAILURE_DETECTION_PORT + "/tcp");
        assertThat(resolved.at("/services/keycloak/environment/JAVA_OPTS_APPEND").asText())
                .contains("-Djgroups.external_addr=172.17.0.23");
        assertThat(resolved.at("/services/orthanc/environment/ORTHWEB_HOST_ID").asText()).isEqualTo("i-0123456789abcdef0");
        assertThat(r.out()).contains("https://pacs.example-clinic.org/keycloak");
        // every service restarts on its own and reports its health
        resolved.get("services").fields().forEachRemaining(s -> {
            assertThat(s.getValue().path("restart").asText()).as(s.getKey()).isEqualTo("unless-stopped");
            assertThat(s.getValue().has("healthcheck")).as(s.getKey() + " healthcheck").isTrue();
        });
        // without the site name, Compose refuses to start rather than run with an empty URL
        Tools.Result noSite = Tools.run(compose.getParent(), Map.of(), 120,
                "docker-compose", "--file", compose.toString(), "config");
        assertThat(noSite.exit()).isNotZero();
        assertThat(noSite.out()).contains("SITE_NAME must be set");
    }

    @Test
    void nginxConfigurationPassesNginxTest(@TempDir Path tmp) throws Exception {
        Tools.require("nginx", ConformanceEnv.NGINX_STREAM_MODULE, ConformanceEnv.NGINX_STREAM_JS_MODULE, "openssl");
        Path tls = tmp.resolve("tls");
        Files.createDirectories(tls);
        Tools.run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=test",
                "-keyout", tls.resolve("server.key").toString(), "-out", tls.resolve("server.crt").toString())
                .expectSuccess("openssl");
        Files.copy(tls.resolve("server.crt"), tls.resolve("ca.crt"));
        String rendered = Files.readString(out.resolve("files/etc/orthweb/nginx.conf"));
        Path conf = tmp.resolve("nginx.conf");
        Files.writeString(conf, ConformanceEnv.forDebianNginx(rendered, Layout.HOST.nginxTlsDir(), tls,
                out.resolve("files/etc/orthweb")));
        Tools.run(tmp, Map.of(), 60, "nginx", "-t", "-p", tmp.toString(), "-c", conf.toString(),
                "-g", "pid " + tmp.resolve("nginx.pid") + ";").expectSuccess("nginx -t");
    }

    @Test
    void nginxOffersOnlyTls12And13() throws Exception {
        // OpenSSL 3 on Debian refuses TLS 1.1 whatever nginx says, so the handshake test alone
        // could not fail here: the configuration itself must say it.
        String rendered = Files.readString(out.resolve("files/etc/orthweb/nginx.conf"));
        Matcher m = Pattern.compile("(?m)^\\s*ssl_protocols\\s+([^;]*);").matcher(rendered);
        int count = 0;
        while (m.find()) {
            count++;
            assertThat(m.group(1).trim().split("\\s+")).containsExactlyInAnyOrder("TLSv1.2", "TLSv1.3");
        }
        assertThat(count).as("ssl_protocols in http and stream").isEqualTo(2);
        assertThat(rendered).contains("Strict-Transport-Security \"max-age=31536000");
    }
}
