package org.orthweb.cloudinit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The bootstrap's secrets step, against a stand-in for the AWS CLI. */
@Tag("conformance")
class BootstrapSecretsTest {

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
