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

    /** A curl that answers like IMDSv2: a token for PUT, the public DNS only with that token. */
    static void fakeImds(ConformanceEnv env, String publicDns) throws Exception {
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
                "exit 22", ""));
        Files.setPosixFilePermissions(curl, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Path stackEnv = env.configDir.resolve("stack.env");
        Files.writeString(stackEnv, Files.readString(stackEnv).replace("SITE_NAME=" + ConformanceEnv.SITE + "\n", "SITE_NAME=\n"));
    }

    @Test
    void withoutConfiguredSiteTheUrlsUseThePublicDnsFromImdsV2() throws Exception {
        Tools.require("bash", "jq", "openssl", "python3");
        try (ConformanceEnv env = new ConformanceEnv()) {
            env.writeSecrets();
            fakeImds(env, PUBLIC_DNS);
            env.bootstrap("secrets", "configure").expectSuccess("bootstrap with IMDS");
            assertThat(Files.readString(env.configDir.resolve(".env"))).isEqualTo("SITE_NAME=" + PUBLIC_DNS + "\n");
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
            Tools.Result r = env.bootstrap("configure");
            assertThat(r.exit()).isNotZero();
            assertThat(r.out()).contains("no site name");
            assertThat(env.configDir.resolve(".env")).doesNotExist();
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

    @Test
    void theSiteTlsMaterialIsCheckedWholeAndWrittenRootOnly() throws Exception {
        Tools.require("bash", "jq");
        try (ConformanceEnv env = new ConformanceEnv()) {
            env.writeSecrets();
            String app = Files.readString(env.root.resolve("fake-aws/app.json"));
            String master = Files.readString(env.root.resolve("fake-aws/db.json"));
            String serverKey = Files.readString(env.serverCert.key());
            // a secret without the key: nothing written, no PEM printed
            env.serveSecrets(app, master, env.pkiSecretJson().replace("\"serverKey\"", "\"otherKey\""));
            Tools.Result r = env.bootstrap("secrets");
            assertThat(r.exit()).isNotZero();
            assertThat(r.out()).contains("lacks caCert, serverCert or serverKey").doesNotContain("PRIVATE KEY");
            assertThat(env.tlsDir.resolve("ca.crt")).doesNotExist();
            // the real thing: byte for byte, 0600 in a 0700 directory, no key text in the output
            env.serveSecrets(app, master);
            r = env.bootstrap("secrets").expectSuccess("bootstrap secrets");
            assertThat(Files.readString(env.tlsDir.resolve("server.key"))).isEqualTo(serverKey);
            assertThat(Files.readString(env.tlsDir.resolve("ca.crt"))).isEqualTo(Files.readString(env.siteCa.cert()));
            assertThat(Files.getPosixFilePermissions(env.tlsDir.resolve("server.key")))
                    .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
            assertThat(Files.getPosixFilePermissions(env.tlsDir)).containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ,
                    PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);
            assertThat(r.out()).doesNotContain(serverKey.lines().skip(1).findFirst().orElseThrow());
        }
    }

    @Test
    void aHostThatBootsBeforeItsTlsMaterialExistsWaitsBoundedThenStops() throws Exception {
        Tools.require("bash", "jq");
        try (ConformanceEnv env = new ConformanceEnv()) {
            env.writeSecrets();
            Files.delete(env.root.resolve("fake-aws/pki.json"));
            // a sleep stand-in keeps the test quick; the real wait is 30 x 10 s
            Path sleep = env.root.resolve("fake-aws/sleep");
            Files.writeString(sleep, "#!/bin/bash\nexit 0\n");
            Files.setPosixFilePermissions(sleep, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            Tools.Result r = env.bootstrap("secrets");
            assertThat(r.exit()).isNotZero();
            assertThat(r.out()).contains("site TLS material not readable yet (attempt 30 of 30)")
                    .contains("no site TLS material in " + env.inputs.pkiSecretArn());
        }
    }
}
