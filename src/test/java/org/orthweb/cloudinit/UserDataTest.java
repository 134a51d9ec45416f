package org.orthweb.cloudinit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UserDataTest {

    /** EC2 refuses user data above 16 KiB; the launch template carries the base64 text. */
    static final int EC2_USER_DATA_LIMIT = 16384;

    @Test
    void cloudConfigCarriesTheLoaderAndTheBundleEveryOtherFileVerbatim() throws Exception {
        Render.Host host = Render.host(Fixtures.inputs());
        assertThat(host.userData()).startsWith("#cloud-config\n");

        JsonNode config = new YAMLMapper().readTree(host.userData());
        Map<String, String> carried = new HashMap<>();
        for (JsonNode f : config.get("write_files")) {
            carried.put(f.get("path").asText(), f.get("content").asText());
            assertThat(f.get("owner").asText()).isEqualTo("root:root");
        }
        // the YAML block scalar must give back the loader byte for byte
        assertThat(carried).containsOnlyKeys(Render.FETCH_SCRIPT, Render.BOOT_SCRIPT)
                .containsEntry(Render.FETCH_SCRIPT, host.files().get(Render.FETCH_SCRIPT))
                .containsEntry(Render.BOOT_SCRIPT, host.files().get(Render.BOOT_SCRIPT));
        // every other file travels in the bundle, with the mode the renderer gives it
        Map<String, String> expected = new HashMap<>(host.files());
        expected.remove(Render.FETCH_SCRIPT);
        expected.remove(Render.BOOT_SCRIPT);
        assertThat(HostBundle.read(host.bundle().tar())).isEqualTo(expected);
        assertThat(HostBundle.modes(host.bundle().tar())).containsEntry("/usr/local/sbin/orthweb-bootstrap", "0700")
                .containsEntry(Layout.CONFIG_DIR + "/orthanc.json", "0644");
        // no runcmd (first boot only): the boot script, run by cloud-init at every boot, fetches and
        // then bootstraps (a failed fetch stops it) until that has succeeded once
        assertThat(config.has("runcmd")).isFalse();
        assertThat(Render.BOOT_SCRIPT).startsWith("/var/lib/cloud/scripts/per-boot/");
        assertThat(host.files().get(Render.BOOT_SCRIPT)).contains("FETCH=${ORTHWEB_FETCH:-" + Render.FETCH_SCRIPT + "}")
                .contains("BOOTSTRAP=${ORTHWEB_BOOTSTRAP:-/usr/local/sbin/orthweb-bootstrap}")
                .contains("\n\"$FETCH\" && \"$BOOTSTRAP\"\n");
        for (JsonNode f : config.get("write_files")) {
            assertThat(f.get("permissions").asText()).as(f.get("path").asText()).isEqualTo("0700");
        }
        // the loader pins the bundle by the digest of its bytes
        assertThat(host.files().get(Render.FETCH_SCRIPT)).contains("SHA256=" + host.bundle().sha256() + "\n")
                .contains("KEY=" + host.bundle().key() + "\n");
        assertThat(host.bundle().sha256()).isEqualTo(HostBundle.sha256(host.bundle().tar()));
    }

    @Test
    void encodedUserDataDecodesToTheCloudConfigAndFitsEc2Limit() throws Exception {
        String userData = CloudInit.userData(Fixtures.withSite("pacs.example-clinic.org"));
        String encoded = CloudInit.encode(userData);
        byte[] gz = Base64.getDecoder().decode(encoded);
        String decoded = new String(new GZIPInputStream(new ByteArrayInputStream(gz)).readAllBytes(),
                StandardCharsets.UTF_8);
        assertThat(decoded).isEqualTo(userData);
        System.out.printf("user data: %d bytes cloud-config, %d bytes gzip, %d bytes base64 (limit %d)%n",
                userData.getBytes(StandardCharsets.UTF_8).length, gz.length, encoded.length(), EC2_USER_DATA_LIMIT);
        // The stricter reading of the limit: the base64 text itself, as the launch template holds it.
        assertThat(encoded.length()).isLessThanOrEqualTo(EC2_USER_DATA_LIMIT);
    }

    @Test
    void inputsReachTheFilesThatUseThem() {
        UserDataInputs in = Fixtures.withSite("pacs.example-clinic.org");
        Map<String, String> f = Render.files(in);
        String stackEnv = f.get(Layout.CONFIG_DIR + "/stack.env");
        assertThat(stackEnv).contains("DB_HOST=" + in.dbHost() + "\n", "DB_PORT=5432\n",
                "DB_SECRET_ARN=" + in.dbSecretArn() + "\n", "APP_SECRET_ARN=" + in.appSecretArn() + "\n",
                "AWS_REGION=us-east-1\n", "SITE_NAME=pacs.example-clinic.org\n",
                "CONTAINER_LOG_GROUP=/fancy-pet/orthweb/containers\n");
        assertThat(f.get(Layout.CONFIG_DIR + "/orthanc.json")).contains("\"BucketName\": \"fancy-pet-orthbucket\"");
        assertThat(f.get(Layout.CONFIG_DIR + "/orthanc-secrets.jq")).contains("@" + in.dbHost() + ":5432/orthanc?sslmode=verify-full");
        assertThat(f.get(Layout.CONFIG_DIR + "/docker-compose.yml"))
                .contains("jdbc:postgresql://" + in.dbHost() + ":5432/keycloak?sslmode=verify-full");
        for (Map.Entry<String, String> e : f.entrySet()) {
            assertThat(e.getValue()).as(e.getKey()).doesNotContain("{{").doesNotContain("}}\n");
        }
    }

    @Test
    void noSiteAndNoLogGroupLeaveTheirVariablesEmpty() {
        UserDataInputs in = Fixtures.inputs();
        in = new UserDataInputs(in.stack(), in.environment(), in.region(), null, in.dbHost(), in.dbPort(),
                in.dbSecretArn(), in.appSecretArn(), in.bucketName(), null, Map.of(),
                in.pkiSecretArn(), in.pkiSecretVersionId());
        String stackEnv = Render.files(in).get(Layout.CONFIG_DIR + "/stack.env");
        assertThat(stackEnv).contains("\nSITE_NAME=\n", "\nCONTAINER_LOG_GROUP=\n");
    }

    @Test
    void imageTagsArePinnedAndOverridable() {
        for (String image : AppImages.DEFAULTS.values()) {
            assertThat(image).matches("[a-z0-9./-]+:[0-9][A-Za-z0-9._-]*").doesNotContain(":latest");
        }
        UserDataInputs base = Fixtures.inputs();
        UserDataInputs in = new UserDataInputs(base.stack(), base.environment(), base.region(), null,
                base.dbHost(), base.dbPort(), base.dbSecretArn(), base.appSecretArn(), base.bucketName(),
                null, Map.of("orthanc", ":26.9.0"), base.pkiSecretArn(), base.pkiSecretVersionId());
        String compose = Render.files(in).get(Layout.CONFIG_DIR + "/docker-compose.yml");
        assertThat(compose).contains("image: orthancteam/orthanc:26.9.0\n")
                .contains("image: " + AppImages.DEFAULTS.get("nginx") + "\n")
                .doesNotContain(AppImages.DEFAULTS.get("orthanc") + "\n");
        assertThatThrownBy(() -> AppImages.resolve(Map.of("postgres", "17"))).hasMessageContaining("unknown image");
        assertThatThrownBy(() -> AppImages.resolve(Map.of("nginx", "1.30 ; rm"))).hasMessageContaining("invalid image reference");
        assertThatThrownBy(() -> AppImages.resolve(Map.of("nginx", "latest"))).hasMessageContaining("pinned");
        assertThatThrownBy(() -> AppImages.resolve(Map.of("nginx", "library/nginx"))).as("unpinned reference")
                .isInstanceOf(IllegalArgumentException.class);
        // whole references, as stack config gives them, pass through
        String digest = "nginx@sha256:" + "0123456789abcdef".repeat(4);
        assertThat(AppImages.resolve(Map.of("nginx", digest, "orthanc", "orthancteam/orthanc:26.9.0", "keycloak", ":26.5.0")))
                .containsEntry("nginx", digest)
                .containsEntry("orthanc", "orthancteam/orthanc:26.9.0")
                .containsEntry("keycloak", "orthancteam/orthanc-keycloak:26.5.0")
                .containsEntry("authService", AppImages.DEFAULTS.get("authService"));
    }

    /** Secret-looking content in a text: private keys, AWS keys, literal password/secret values. */
    static List<String> secretFindings(String text) {
        List<String> found = new java.util.ArrayList<>();
        for (Pattern p : List.of(Pattern.compile("BEGIN [A-Z ]*PRIVATE KEY"), Pattern.compile("AKIA[0-9A-Z]{16}"),
                Pattern.compile("(?i)\"?[a-z_]*(password|secret)[a-z_]*\"?\\s*[:=]\\s*\"?[A-Za-z0-9+/=]{8,}"))) {
            Matcher m = p.matcher(text);
            while (m.find()) {
                found.add(m.group());
            }
        }
        return found;
    }

    @Test
    void secretDetectorFindsPlantedSecrets() {
        assertThat(secretFindings("  \"WebServicePassword\": \"q8Zr2LkP0wXy7TuV\",")).hasSize(1);
        assertThat(secretFindings("KC_DB_PASSWORD: s3cr3tValue99")).hasSize(1);
        assertThat(secretFindings("-----BEGIN PRIVATE KEY-----")).hasSize(1);
        assertThat(secretFindings("aws_access_key_id=AKIAABCDEFGHIJKLMNOP")).hasSize(1);
    }

    @Test
    void userDataHoldsNoSecretMaterial() {
        Map<String, String> files = Render.files(Fixtures.withSite("pacs.example-clinic.org"));
        assertThat(secretFindings(files.get(Render.USER_DATA))).isEmpty();
        // the secret-bearing sections exist only in the boot-time programs, fed from files
        assertThat(files.get(Layout.CONFIG_DIR + "/orthanc.json")).doesNotContain("PostgreSQL", "Authorization", "Password");
        String compose = files.get(Layout.CONFIG_DIR + "/docker-compose.yml");
        assertThat(compose).doesNotContainPattern(Pattern.compile("(?m)^\\s+[A-Z_]*(PASSWORD|SECRET)[A-Z_]*:"));
    }

    @Test
    void valuesOfUnexpectedShapeAreRefused() {
        UserDataInputs ok = Fixtures.inputs();
        assertThatThrownBy(() -> Render.files(Fixtures.withSite("pacs.example.org\nruncmd: [reboot]")))
                .hasMessageContaining("siteName");
        assertThatThrownBy(() -> Render.files(Fixtures.withSite("$(curl evil)")))
                .hasMessageContaining("siteName");
        assertThatThrownBy(() -> Render.files(new UserDataInputs(ok.stack(), ok.environment(), ok.region(), null,
                ok.dbHost(), ok.dbPort(), "arn:x; reboot", ok.appSecretArn(), ok.bucketName(), null, Map.of(),
                ok.pkiSecretArn(), ok.pkiSecretVersionId())))
                .hasMessageContaining("dbSecretArn");
        assertThat(Render.files(Fixtures.withSite("10.1.2.3")).get(Layout.CONFIG_DIR + "/stack.env"))
                .contains("SITE_NAME=10.1.2.3\n");
    }

    @Test
    void orthancConfigurationIsJsonAndSecretFragmentOwnsOtherSections() throws Exception {
        ObjectMapper json = JsonMapper.builder().build();
        JsonNode orthanc = json.readTree(Render.files(Fixtures.inputs()).get(Layout.CONFIG_DIR + "/orthanc.json"));
        assertThat(orthanc.get("DicomPort").asInt()).isEqualTo(Layout.HOST.orthancDicomPort());
        assertThat(orthanc.get("HttpPort").asInt()).isEqualTo(Layout.HOST.orthancHttpPort());
        assertThat(orthanc.has("PostgreSQL")).isFalse();
        assertThat(orthanc.has("Authorization")).isFalse();
        assertThat(orthanc.get("AwsS3Storage").has("AccessKey")).as("instance role, no keys").isFalse();
    }
}
