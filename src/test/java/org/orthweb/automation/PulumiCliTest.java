package org.orthweb.automation;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PulumiCliTest {

    @TempDir
    Path dir;

    private Path executable(Path folder) throws Exception {
        Files.createDirectories(folder);
        Path pulumi = folder.resolve("pulumi");
        Files.writeString(pulumi, "#!/bin/sh\n");
        Files.setPosixFilePermissions(pulumi, PosixFilePermissions.fromString("rwxr-xr-x"));
        return pulumi;
    }

    @Test
    void foundOnPath() throws Exception {
        Path pulumi = executable(dir.resolve("tools"));
        var env = Map.of("PATH", dir.resolve("nothing-here") + ":" + dir.resolve("tools"));

        assertThat(PulumiCli.find(env)).contains(pulumi);
        assertThat(PulumiCli.require(env, Operation.UP)).isEqualTo(pulumi);
    }

    @Test
    void anEmptyPathMeansNotFoundWithHowToInstall() throws Exception {
        var env = Fixtures.envWithoutPulumi(dir);

        assertThat(PulumiCli.find(env)).isEmpty();
        assertThatThrownBy(() -> PulumiCli.require(env, Operation.UP))
                .isInstanceOfSatisfying(DeploymentException.class, e -> {
                    assertThat(e.reason()).isEqualTo(DeploymentException.Reason.PULUMI_CLI_MISSING);
                    assertThat(e.getMessage()).contains("not found on PATH").contains("Install the Pulumi CLI")
                            .contains("plan and render do not");
                });
    }

    @Test
    void aFileThatIsNotExecutableDoesNotCount() throws Exception {
        Files.createDirectories(dir.resolve("tools"));
        Files.writeString(dir.resolve("tools/pulumi"), "not a program");
        Files.setPosixFilePermissions(dir.resolve("tools/pulumi"), PosixFilePermissions.fromString("rw-r--r--"));

        assertThat(PulumiCli.find(Map.of("PATH", dir.resolve("tools").toString()))).isEmpty();
    }

    @Test
    void noPathAtAllMeansNotFound() {
        assertThat(PulumiCli.find(Map.of())).isEmpty();
    }

    @Test
    void installedUnderHomeButNotOnPathSaysToAddItToPath() throws Exception {
        Path home = dir.resolve("home");
        Path pulumi = executable(home.resolve(".pulumi/bin"));
        var env = Map.of("PATH", Files.createDirectories(dir.resolve("empty")).toString(), "HOME", home.toString());

        assertThat(PulumiCli.find(env)).isEmpty();
        assertThatThrownBy(() -> PulumiCli.require(env, Operation.PREVIEW))
                .isInstanceOf(DeploymentException.class)
                .hasMessageContaining("installed at " + pulumi)
                .hasMessageContaining("`export PATH=\"" + pulumi.getParent() + ":$PATH\"`");
    }

    @Test
    void installedUnderPulumiHomeIsFoundForTheHint() throws Exception {
        Path pulumi = executable(dir.resolve("pulumi-home/bin"));

        assertThat(PulumiCli.offPath(Map.of("PULUMI_HOME", dir.resolve("pulumi-home").toString()))).contains(pulumi);
    }
}
