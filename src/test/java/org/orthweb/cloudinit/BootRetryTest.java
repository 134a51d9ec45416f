package org.orthweb.cloudinit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The first boot against an AWS that is not ready yet: the rendered bootstrap's AWS calls retry
 * transient and eventual-consistency errors with backoff for a bounded time, fail at once on
 * other errors, and the rendered boot script (cloud-init's per-boot) runs the bootstrap again at
 * the next boot after a failure and not after a success. AWS is a stand-in {@code aws} first on
 * PATH that answers the first calls with a given error, then hands over to the secrets stand-in
 * of {@link ConformanceEnv}.
 */
@Tag("conformance")
class BootRetryTest {

    static final String ACCESS_DENIED = "An error occurred (AccessDeniedException) when calling the GetSecretValue operation: "
            + "User: arn:aws:sts::123456789012:assumed-role/x-host-role/i-0 is not authorized to perform: "
            + "secretsmanager:GetSecretValue";
    static final String THROTTLED = "An error occurred (ThrottlingException) when calling the GetSecretValue operation: Rate exceeded";
    static final String SERVER_ERROR = "An error occurred (InternalServiceError) when calling the GetSecretValue operation (reached max retries: 2): (500)";
    static final String NO_CREDENTIALS = "Unable to locate credentials. You can configure credentials by running \"aws configure\".";
    static final String INVALID = "An error occurred (InvalidParameterException) when calling the GetSecretValue operation: "
            + "You provided an invalid value for a parameter.";

    /**
     * Puts a stand-in {@code aws} before the secrets stand-in: call n (1-based) fails with
     * {@code errors[n-1]} (exit 254) while n is within the list, or with {@code errors} last
     * entry for ever when {@code forever}; every call is counted in {@code calls}.
     */
    static Path denyingAws(ConformanceEnv env, boolean forever, String... errors) throws Exception {
        Path dir = Files.createDirectories(env.root.resolve("denying-aws"));
        Path count = dir.resolve("calls");
        Files.writeString(count, "0");
        StringBuilder cases = new StringBuilder();
        for (int i = 0; i < errors.length; i++) {
            cases.append("  ").append(i + 1).append(") echo '").append(errors[i].replace("'", "'\\''")).append("' >&2; exit 254 ;;\n");
        }
        String fallback = forever ? "  *) echo '" + errors[errors.length - 1].replace("'", "'\\''") + "' >&2; exit 254 ;;\n" : "";
        Path aws = dir.resolve("aws");
        Files.writeString(aws, "#!/bin/bash\n"
                + "# test stand-in: the first AWS calls fail, then the secrets stand-in answers\n"
                + "n=$(( $(cat '" + count + "') + 1 )); echo $n >'" + count + "'\n"
                + "case $n in\n" + cases + fallback + "esac\n"
                + "exec '" + env.root.resolve("fake-aws/aws") + "' \"$@\"\n");
        Files.setPosixFilePermissions(aws, PosixFilePermissions.fromString("rwxr-xr-x"));
        env.bootstrapEnv.put("PATH", dir + ":" + env.bootstrapEnv.get("PATH"));
        // quick: backoff 1, 2, 2, ... seconds (on a host 2 doubling to 30, for 600 s)
        env.bootstrapEnv.put("ORTHWEB_AWS_RETRY_DELAY", "1");
        env.bootstrapEnv.put("ORTHWEB_AWS_RETRY_MAX_DELAY", "2");
        env.bootstrapEnv.put("ORTHWEB_AWS_RETRY_SECONDS", "60");
        return count;
    }

    static int calls(Path count) throws Exception {
        return Integer.parseInt(Files.readString(count).trim());
    }

    @Test
    void transientAndEventualConsistencyErrorsAreRetriedWithBackoffUntilTheyPass() throws Exception {
        Tools.require("bash", "jq");
        try (ConformanceEnv env = new ConformanceEnv()) {
            Map<String, String> values = env.writeSecrets();
            Path count = denyingAws(env, false, ACCESS_DENIED, NO_CREDENTIALS, THROTTLED, SERVER_ERROR);
            Instant start = Instant.now();
            Tools.Result r = env.bootstrap("secrets").expectSuccess("bootstrap secrets after 4 refusals");
            Duration took = Duration.between(start, Instant.now());
            for (var e : values.entrySet()) {
                assertThat(Files.readString(env.secretsDir.resolve(e.getKey()))).isEqualTo(e.getValue());
            }
            // four refused attempts of the first call, its fifth, and the site TLS secret's call
            assertThat(calls(count)).isEqualTo(6);
            List<String> delays = matches(r.out(), "aws secretsmanager get-secret-value: transient error \\(attempt (\\d)\\), retrying in (\\d+) s");
            assertThat(delays).containsExactly("1:1", "2:2", "3:2", "4:2");
            assertThat(r.out()).contains("AccessDeniedException").contains("ThrottlingException").contains("(500)")
                    .contains("Unable to locate credentials");
            System.out.printf("boot retry: 4 transient refusals, then success after %.1f s (backoff 1+2+2+2 s)%n",
                    took.toMillis() / 1000.0);
            assertThat(took).isGreaterThanOrEqualTo(Duration.ofSeconds(7));
        }
    }

    @Test
    void anErrorThatIsNotTransientFailsAtOnceAndSaysWhich() throws Exception {
        Tools.require("bash", "jq");
        try (ConformanceEnv env = new ConformanceEnv()) {
            env.writeSecrets();
            Path count = denyingAws(env, false, INVALID);
            Tools.Result r = env.bootstrap("secrets");
            assertThat(r.exit()).isNotZero();
            assertThat(calls(count)).isEqualTo(1);
            assertThat(r.out()).contains("ERROR: aws secretsmanager get-secret-value failed (exit 254, not a transient error): "
                    + "An error occurred (InvalidParameterException)")
                    .contains("cannot read the application secret " + env.inputs.appSecretArn());
        }
    }

    /**
     * An AWS that refuses for good: the bootstrap gives up within its bound, the boot script logs
     * why and that it will try at the next boot, leaves the marker and exits non-zero; the next
     * boot (AWS now answering) completes; a boot after that does not run the bootstrap again.
     */
    @Test
    void aBootThatStillFailsStopsInBoundedTimeAndRunsAgainAtTheNextBoot() throws Exception {
        Tools.require("bash", "jq");
        try (ConformanceEnv env = new ConformanceEnv()) {
            env.writeSecrets();
            Path count = denyingAws(env, true, ACCESS_DENIED);
            env.bootstrapEnv.put("ORTHWEB_AWS_RETRY_SECONDS", "6");
            Path state = env.root.resolve("var-lib-orthweb");
            Path boot = env.root.resolve("orthweb-boot");
            Files.writeString(boot, env.files.get(Render.BOOT_SCRIPT));
            // stand-ins for the loader (tested in HostBundleTest) and for a full bootstrap run,
            // whose other steps need a real host (dnf, Docker): the secrets step with its AWS calls
            Path fetch = script(env, "fetch", "#!/bin/bash\nexit 0\n");
            Path bootstrap = script(env, "bootstrap", "#!/bin/bash\nexec bash '" + env.bootstrapScript() + "' secrets >>'"
                    + env.bootstrapEnv.get("ORTHWEB_LOG_FILE") + "' 2>&1\n");
            Map<String, String> bootEnv = new java.util.HashMap<>(env.bootstrapEnv);
            bootEnv.putAll(Map.of("ORTHWEB_STATE_DIR", state.toString(), "ORTHWEB_FETCH", fetch.toString(),
                    "ORTHWEB_BOOTSTRAP", bootstrap.toString()));
            Path log = Path.of(env.bootstrapEnv.get("ORTHWEB_LOG_FILE"));

            Instant start = Instant.now();
            Tools.Result first = Tools.run(env.root, bootEnv, 120, "bash", boot.toString());
            Duration took = Duration.between(start, Instant.now());
            assertThat(first.exit()).as("first boot").isNotZero();
            assertThat(took).as("bounded by ORTHWEB_AWS_RETRY_SECONDS (6 s)").isLessThan(Duration.ofSeconds(15));
            String firstLog = Files.readString(log);
            assertThat(firstLog).containsPattern("ERROR: aws secretsmanager get-secret-value still failing after \\d+ attempts "
                            + "in \\d+ s \\(limit 6 s\\): An error occurred \\(AccessDeniedException\\)")
                    .contains("ERROR: cannot read the application secret")
                    .contains("ERROR: bootstrap failed (exit 1; the lines above say why); it runs again at the next boot");
            assertThat(state.resolve("retry-at-next-boot")).exists();
            assertThat(state.resolve("bootstrapped")).doesNotExist();
            int attempts = calls(count);
            System.out.printf("boot retry: always denied: gave up after %.1f s and %d attempts (limit 6 s), marker for the next boot%n",
                    took.toMillis() / 1000.0, attempts);

            // the next boot, with AWS answering
            Files.writeString(env.root.resolve("denying-aws/aws"), "#!/bin/bash\nn=$(( $(cat '" + count + "') + 1 )); echo $n >'"
                    + count + "'\nexec '" + env.root.resolve("fake-aws/aws") + "' \"$@\"\n");
            Tools.Result second = Tools.run(env.root, bootEnv, 120, "bash", boot.toString());
            assertThat(second.exit()).as("second boot:\n" + Files.readString(log)).isZero();
            assertThat(Files.readString(log)).contains("an earlier boot's bootstrap failed (").contains("bootstrap complete");
            assertThat(state.resolve("bootstrapped")).exists();
            assertThat(state.resolve("retry-at-next-boot")).doesNotExist();
            assertThat(env.secretsDir.resolve(AppSecrets.KEYS.get(0))).exists();

            // a later boot leaves it to orthweb.service
            int before = calls(count);
            Tools.Result third = Tools.run(env.root, bootEnv, 30, "bash", boot.toString());
            assertThat(third.exit()).isZero();
            assertThat(calls(count)).as("no AWS call on a later boot").isEqualTo(before);
        }
    }

    static Path script(ConformanceEnv env, String name, String text) throws Exception {
        Path p = env.root.resolve("stand-in-" + name);
        Files.writeString(p, text);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    /** "group1:group2" for every match of the pattern. */
    static List<String> matches(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        List<String> out = new java.util.ArrayList<>();
        while (m.find()) {
            out.add(m.group(1) + ":" + m.group(2));
        }
        return out;
    }
}
