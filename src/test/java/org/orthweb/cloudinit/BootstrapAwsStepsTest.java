package org.orthweb.cloudinit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The bootstrap's AWS-facing steps, against stand-ins for the AWS CLI and for IMDSv2. */
@Tag("conformance")
class BootstrapAwsStepsTest {

    static final String PUBLIC_DNS = "ec2-203-0-113-7.compute-1.amazonaws.com";

    static final String INSTANCE_ID = "i-0123456789abcdef0";
    static final String PRIVATE_IP = "172.17.0.23";

    /**
     * A curl that answers like IMDSv2: a token for PUT; the public DNS name, the instance id and
     * the private address only with that token.
     */
    static void fakeImds(ConformanceEnv env, String publicDns) throws Exception {
        env.bootstrapEnv.remove("ORTHWEB_HOST_ID");
        env.bootstrapEnv.remove("ORTHWEB_HOST_IP");
        Path dir = Path.of(env.bootstrapEnv.get("PATH").split(":")[0]);
        Path curl = dir.resolve("curl");
        Files.writeString(curl, String.join("\n",
                "#!/bin/bash",
                "# test stand-in for curl against the instance metadata service (IMDSv2)",
                "a=\"$*\"",
                "if [[ $a == *'-X PUT http://169.254.169.254/latest/api/token'* && $a == *'X-aws-ec2-metadata-token-ttl-seconds:'* ]]; then",
                "  printf 'imds-token-1'; exit 0; fi",
                "if [[ $a == *'X-aws-ec2-metadata-token: imds-token-1'* && $a == *'http://169.254.169.254/latest/meta-data/public-hostname'* ]]; then",
                "  printf '%s' '" + publicDns + "'; exit 0; fi",
                "if [[ $a == *'X-aws-ec2-metadata-token: imds-token-1'* && $a == *'http://169.254.169.254/latest/meta-data/instance-id'* ]]; then",
                "  printf '%s' '" + INSTANCE_ID + "'; exit 0; fi",
                "if [[ $a == *'X-aws-ec2-metadata-token: imds-token-1'* && $a == *'http://169.254.169.254/latest/meta-data/local-ipv4'* ]]; then",
                "  printf '%s' '" + PRIVATE_IP + "'; exit 0; fi",
                "exit 22", ""));
        Files.setPosixFilePermissions(curl, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Path stackEnv = env.configDir.resolve("stack.env");
        Files.writeString(stackEnv, Files.readString(stackEnv).replace("SITE_NAME=" + ConformanceEnv.SITE + "\n", "SITE_NAME=\n"));
    }

    @Test
    void withoutConfiguredSiteTheCertificateAndUrlsUseThePublicDnsFromImdsV2() throws Exception {
        Tools.require("bash", "jq", "openssl", "python3");
        try (ConformanceEnv env = new ConformanceEnv()) {
            env.writeSecrets();
            fakeImds(env, PUBLIC_DNS);
            env.bootstrap("secrets", "certs", "configure").expectSuccess("bootstrap with IMDS");
            String san = Tools.run("openssl", "x509", "-noout", "-ext", "subjectAltName", "-in",
                    env.tlsDir.resolve("server.crt").toString()).expectSuccess("x509").out();
            assertThat(san).contains("DNS:" + PUBLIC_DNS);
            // the host's identity and private address come from IMDSv2 too (the compose file needs both)
            assertThat(Files.readString(env.configDir.resolve(".env"))).isEqualTo("SITE_NAME=" + PUBLIC_DNS
                    + "\nHOST_ID=" + INSTANCE_ID + "\nHOST_PRIVATE_IP=" + PRIVATE_IP + "\n");
            assertThat(Files.readString(env.secretsDir.resolve("keycloak-realm.json")))
                    .contains("https://" + PUBLIC_DNS + "/orthanc/*");
        }
    }

    @Test
    void withoutConfiguredSiteOrPublicDnsTheBootstrapStopsWithAReason() throws Exception {
        Tools.require("bash", "jq", "openssl");
        try (ConformanceEnv env = new ConformanceEnv()) {
            env.writeSecrets();
            fakeImds(env, "");
            Tools.Result r = env.bootstrap("certs");
            assertThat(r.exit()).isNotZero();
            assertThat(r.out()).contains("no site name");
            assertThat(env.tlsDir.resolve("server.crt")).doesNotExist();
        }
    }

    @Test
    void writesOneRootOnlyFilePerKeyAndPrintsNoValue() throws Exception {
        Tools.require("bash", "jq");
        try (ConformanceEnv env = new ConformanceEnv()) {
            Map<String, String> values = env.writeSecrets();
            Tools.Result r = env.bootstrap("secrets").expectSuccess("bootstrap secrets");
            assertThat(Files.getPosixFilePermissions(env.secretsDir))
                    .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                            PosixFilePermission.OWNER_EXECUTE);
            for (Map.Entry<String, String> e : values.entrySet()) {
                assertThat(Files.readString(env.secretsDir.resolve(e.getKey()))).isEqualTo(e.getValue());
                assertThat(Files.getPosixFilePermissions(env.secretsDir.resolve(e.getKey())))
                        .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
                assertThat(r.out()).doesNotContain(e.getValue());
            }
            assertThat(Files.readString(env.secretsDir.resolve("db-master.json"))).contains(env.pgPassword);
            assertThat(r.out()).doesNotContain(env.pgPassword);
        }
    }

    @Test
    void refusesAValueThatIsNotAGeneratedSecretWithoutPrintingIt() throws Exception {
        Tools.require("bash", "jq");
        try (ConformanceEnv env = new ConformanceEnv()) {
            env.writeSecrets();
            String odd = "short value; $(reboot)";
            StringBuilder app = new StringBuilder("{");
            for (String key : AppSecrets.KEYS) {
                app.append('"').append(key).append("\":\"")
                        .append(key.equals(AppSecrets.ORTHANC_DB_PASSWORD) ? odd : ConformanceEnv.randomAlnum(32)).append("\",");
            }
            app.setLength(app.length() - 1);
            env.serveSecrets(app + "}", "{\"username\":\"u\",\"password\":\"p\"}");
            Tools.Result r = env.bootstrap("secrets");
            assertThat(r.exit()).isNotZero();
            assertThat(r.out()).contains("secret key " + AppSecrets.ORTHANC_DB_PASSWORD + " is not the expected generated value")
                    .doesNotContain(odd);
            // all or nothing: not even the valid keys were written
            assertThat(env.secretsDir.resolve(AppSecrets.KEYS.get(0))).doesNotExist();

            env.serveSecrets("{}", "{\"username\":\"u\",\"password\":\"p\"}");
            assertThat(env.bootstrap("secrets").out()).contains("secret key " + AppSecrets.KEYS.get(0) + " missing");
        }
    }
}
