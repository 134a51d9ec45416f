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
    void withoutConfiguredSiteTheUrlsUseThePublicDnsFromImdsV2() throws Exception {
        Tools.require("bash", "jq", "openssl", "python3");
        try (ConformanceEnv env = new ConformanceEnv()) {
            env.writeSecrets();
            fakeImds(env, PUBLIC_DNS);
            env.bootstrap("secrets", "configure").expectSuccess("bootstrap with IMDS");
            // the host's identity and private address come from IMDSv2 too (the compose file needs both)
            assertThat(Files.readString(env.configDir.resolve(".env"))).isEqualTo("SITE_NAME=" + PUBLIC_DNS
                    + "\nHOST_ID=" + INSTANCE_ID + "\nHOST_PRIVATE_IP=" + PRIVATE_IP + "\n");
            assertThat(Files.readString(env.local(Layout.KEYCLOAK_IMPORT_DIR).resolve(Layout.KEYCLOAK_REALM_FILE)))
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
            // the master credential is read only by the db step, never kept (M6)
            assertThat(env.secretsDir.resolve("db-master.json")).doesNotExist();
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
                        .append(key.equals(AppSecrets.AUTH_SERVICE_PASSWORD) ? odd : ConformanceEnv.randomAlnum(32)).append("\",");
            }
            app.setLength(app.length() - 1);
            env.serveSecrets(app + "}", "{\"username\":\"u\",\"password\":\"p\"}");
            Tools.Result r = env.bootstrap("secrets");
            assertThat(r.exit()).isNotZero();
            assertThat(r.out()).contains("secret key " + AppSecrets.AUTH_SERVICE_PASSWORD + " is not the expected generated value")
                    .doesNotContain(odd);
            // all or nothing: not even the valid keys were written
            assertThat(env.secretsDir.resolve(AppSecrets.KEYS.get(0))).doesNotExist();

            env.serveSecrets("{}", "{\"username\":\"u\",\"password\":\"p\"}");
            assertThat(env.bootstrap("secrets").out()).contains("secret key " + AppSecrets.KEYS.get(0) + " missing");
        }
    }

    /** Every regular file under dir whose content contains text (paths relative to dir). */
    static java.util.List<String> filesContaining(Path dir, String text) throws Exception {
        try (var files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).filter(f -> {
                try {
                    return new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1).contains(text);
                } catch (java.io.IOException e) {
                    return false;
                }
            }).map(f -> dir.relativize(f).toString()).toList();
        }
    }

    /**
     * M6: the db step provisions with the master credential, leaves no copy of it on disk and
     * tags the secret, after which the instance role cannot read it (the stand-in CLI refuses, as
     * the role's tag condition does); a second run, e.g. a replaced host, skips the step instead
     * of failing. Against a real PostgreSQL (SSL only) with the rendered db-setup.sql.
     */
    @Test
    void databaseIsProvisionedOnceAndTheMasterCredentialClosesBehindIt() throws Exception {
        Tools.require("bash", "jq", "openssl", "python3", ConformanceEnv.PG_BIN + "/initdb", "psql");
        try (ConformanceEnv env = new ConformanceEnv()) {
            env.startPostgres();
            env.writeSecrets();
            Path stale = Files.createDirectories(env.secretsDir).resolve("db-master.json");
            Files.writeString(stale, "{\"username\":\"postgres\",\"password\":\"" + env.pgPassword + "\"}");

            Tools.Result first = env.bootstrap("secrets", "db").expectSuccess("bootstrap secrets db");
            assertThat(first.out()).contains("master credential closed").doesNotContain(env.pgPassword);
            assertThat(Files.readString(env.dbProvisionedTagFile())).matches("\\d{4}-\\d\\d-\\d\\dT[0-9:]{8}Z");
            // no copy of the master password anywhere the bootstrap writes (config, secrets, scratch, log)
            assertThat(filesContaining(env.configDir, env.pgPassword)).isEmpty();
            assertThat(filesContaining(env.root.resolve("tmp"), env.pgPassword)).isEmpty();
            assertThat(filesContaining(env.root, env.pgPassword)).as("only the stand-in's own copy of the secret")
                    .containsExactly("fake-aws/db.json");

            Tools.Result second = env.bootstrap("db").expectSuccess("bootstrap db, second run");
            assertThat(second.out()).contains("closed to this host (skipping)");
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
            // quick: the real bound is 600 s with backoff from 2 to 30 s
            env.bootstrapEnv.putAll(Map.of("ORTHWEB_AWS_RETRY_SECONDS", "3", "ORTHWEB_AWS_RETRY_DELAY", "1",
                    "ORTHWEB_AWS_RETRY_MAX_DELAY", "1"));
            Tools.Result r = env.bootstrap("secrets");
            assertThat(r.exit()).isNotZero();
            assertThat(r.out()).contains("aws secretsmanager get-secret-value: transient error (attempt 1), retrying in 1 s")
                    .containsPattern("still failing after \\d+ attempts in \\d+ s \\(limit 3 s\\): An error occurred \\(ResourceNotFoundException\\)")
                    .contains("no site TLS material in " + env.inputs.pkiSecretArn());
        }
    }
}
