package org.orthweb.cloudinit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The host bundle, and the user data's loader run for real (bash, sha256sum, tar) against a stand-in AWS CLI. */
class HostBundleTest {

    @Test
    void theSameFilesGiveTheSameBytesAndAnyChangeAnotherKey() {
        var files = List.of(new HostBundle.File("/etc/orthweb/a.conf", "0644", "a\n"),
                new HostBundle.File("/usr/local/sbin/run", "0700", "#!/bin/sh\necho hi\n"));
        HostBundle one = HostBundle.of(files);
        HostBundle two = HostBundle.of(files);
        assertThat(two.tar()).isEqualTo(one.tar());
        assertThat(one.key()).isEqualTo(HostBundle.KEY_PREFIX + one.sha256() + ".tar");
        HostBundle changed = HostBundle.of(List.of(files.get(0), new HostBundle.File("/usr/local/sbin/run", "0700",
                "#!/bin/sh\necho bye\n")));
        assertThat(changed.key()).isNotEqualTo(one.key());
        HostBundle otherMode = HostBundle.of(List.of(files.get(0), new HostBundle.File("/usr/local/sbin/run", "0755",
                "#!/bin/sh\necho hi\n")));
        assertThat(otherMode.key()).as("a mode change is a change").isNotEqualTo(one.key());
        assertThat(HostBundle.read(one.tar())).containsExactly(Map.entry("/etc/orthweb/a.conf", "a\n"),
                Map.entry("/usr/local/sbin/run", "#!/bin/sh\necho hi\n"));
    }

    @Test
    void relativePathsAreRefused() {
        assertThatThrownBy(() -> HostBundle.of(List.of(new HostBundle.File("etc/x", "0644", ""))))
                .hasMessageContaining("absolute");
    }

    @Test
    void theLoaderUnpacksTheBundleItPinsWithItsModes(@TempDir Path dir) throws IOException {
        Render.Host host = Render.host(Fixtures.inputs());
        Fixture f = new Fixture(dir, host, host.bundle().tar(), 0);
        Tools.Result r = f.run();
        assertThat(r.exit()).as(r.out()).isZero();
        for (var e : HostBundle.read(host.bundle().tar()).entrySet()) {
            Path file = f.root.resolve(e.getKey().substring(1));
            assertThat(Files.readString(file)).as(e.getKey()).isEqualTo(e.getValue());
        }
        Path bootstrap = f.root.resolve("usr/local/sbin/orthweb-bootstrap");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(bootstrap))).isEqualTo("rwx------");
        assertThat(f.awsCalls()).contains("s3api get-object --region us-east-1 --bucket " + Fixtures.inputs().bucketName()
                + " --key " + host.bundle().key());
    }

    @Test
    void aBundleWithAnotherDigestIsNotUnpacked(@TempDir Path dir) throws IOException {
        Render.Host host = Render.host(Fixtures.inputs());
        byte[] tampered = host.bundle().tar().clone();
        int at = new String(tampered, StandardCharsets.ISO_8859_1).indexOf("DB_HOST=");
        tampered[at] = 'X';
        Fixture f = new Fixture(dir, host, tampered, 0);
        Tools.Result r = f.run();
        assertThat(r.exit()).isNotZero();
        assertThat(r.out()).contains("does not have the SHA-256 this launch template pins");
        try (var listing = Files.list(f.root)) {
            assertThat(listing).as("nothing unpacked").isEmpty();
        }
    }

    @Test
    void transientRefusalsAreRetriedAndAPersistentOneStopsWithTheReason(@TempDir Path dir) throws IOException {
        Render.Host host = Render.host(Fixtures.inputs());
        Fixture late = new Fixture(dir.resolve("late"), host, host.bundle().tar(), 2);
        Tools.Result ok = late.run();
        assertThat(ok.exit()).as(ok.out()).isZero();
        assertThat(ok.out()).contains("attempt 1 to fetch the bundle failed", "AccessDenied", "attempt 2");
        assertThat(late.awsCalls().lines().count()).isEqualTo(3);

        Fixture never = new Fixture(dir.resolve("never"), host, host.bundle().tar(), 100);
        Tools.Result failed = never.run();
        assertThat(failed.exit()).isNotZero();
        assertThat(failed.out()).contains("could not fetch s3://", "after 3 attempts", "AccessDenied", "to retry:");
        assertThat(never.awsCalls().lines().count()).isEqualTo(3);
    }

    /** A scratch root, the rendered loader, and a stand-in `aws` that refuses its first calls. */
    private static final class Fixture {
        final Path root;
        final Path bin;
        final Path loader;
        final Path calls;
        final Path log;

        Fixture(Path dir, Render.Host host, byte[] served, int refusals) throws IOException {
            Tools.require("bash", "sha256sum", "tar");
            root = Files.createDirectories(dir.resolve("root"));
            bin = Files.createDirectories(dir.resolve("bin"));
            calls = dir.resolve("aws-calls");
            log = dir.resolve("bootstrap.log");
            Path object = dir.resolve("object.tar");
            Files.write(object, served);
            Path counter = dir.resolve("count");
            Files.writeString(counter, "0");
            Path aws = bin.resolve("aws");
            Files.writeString(aws, String.join("\n",
                    "#!/bin/bash",
                    "# test stand-in for the AWS CLI: s3api get-object only",
                    "echo \"$*\" >> '" + calls + "'",
                    "n=$(( $(cat '" + counter + "') + 1 )); echo $n > '" + counter + "'",
                    "if (( n <= " + refusals + " )); then",
                    "  echo 'An error occurred (AccessDenied) when calling the GetObject operation: Access Denied' >&2",
                    "  exit 254",
                    "fi",
                    "cp '" + object + "' \"${@: -1}\"",
                    ""));
            aws.toFile().setExecutable(true);
            loader = dir.resolve("orthweb-fetch");
            Files.writeString(loader, host.files().get(Render.FETCH_SCRIPT));
            loader.toFile().setExecutable(true);
        }

        Tools.Result run() {
            return Tools.run(null, Map.of("PATH", bin + ":" + System.getenv("PATH"), "ORTHWEB_ROOT", root.toString(),
                    "ORTHWEB_LOG_FILE", log.toString(), "ORTHWEB_FETCH_ATTEMPTS", "3", "ORTHWEB_FETCH_DELAY", "0"),
                    60, "bash", loader.toString());
        }

        String awsCalls() throws IOException {
            return Files.exists(calls) ? Files.readString(calls) : "";
        }
    }
}
