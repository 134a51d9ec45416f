package org.orthweb.automation;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orthweb.config.ConfigException;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigSourceTest {

    @TempDir
    Path dir;

    private static final String SECURE_KEY = "  orthweb:host:\n    publicKey:\n      secure: v1:AAAABBBBCCCC\n";

    private Path devFileWithSecureKey(Path file) throws Exception {
        String dev = Files.readString(Fixtures.stackFile("Pulumi.dev.yaml"))
                .replaceAll("  orthweb:host:\n(    .*\n)+", SECURE_KEY);
        assertThat(dev).contains("secure:");
        return Files.writeString(file, dev);
    }

    @Test
    void theStackFileBesidePulumiYamlIsReadByPulumiItself() throws Exception {
        Files.copy(Fixtures.PROJECT.resolve("Pulumi.yaml"), dir.resolve("Pulumi.yaml"));
        Path file = devFileWithSecureKey(dir.resolve("Pulumi.dev.yaml"));

        assertThat(ConfigSource.fromStackFile("dev", file)).isEqualTo(new ConfigSource.ProjectDirectory(dir));
    }

    @Test
    void anyOtherFileBecomesTheTypedConfig() throws Exception {
        Path file = Files.copy(Fixtures.stackFile("Pulumi.dev.yaml"), dir.resolve("clinic-a.yaml"));

        assertThat(ConfigSource.fromStackFile("dev", file)).isEqualTo(new ConfigSource.Typed(Fixtures.dev()));
    }

    @Test
    void aPulumiStackFileOfAnotherStackIsTypedToo() throws Exception {
        Files.copy(Fixtures.PROJECT.resolve("Pulumi.yaml"), dir.resolve("Pulumi.yaml"));
        Path file = Files.copy(Fixtures.stackFile("Pulumi.dev.yaml"), dir.resolve("Pulumi.dev.yaml"));

        assertThat(ConfigSource.fromStackFile("staging-copy", file)).isInstanceOf(ConfigSource.Typed.class);
    }

    @Test
    void secureValuesOutsideTheProjectAreRefusedSayingWhere() throws Exception {
        Path file = devFileWithSecureKey(dir.resolve("clinic-a.yaml"));

        assertThatThrownBy(() -> ConfigSource.fromStackFile("dev", file))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("orthweb:host")
                .hasMessageContaining("Pulumi.dev.yaml");
    }

    @Test
    void anInvalidFileIsRefusedBeforeAnythingRunsEvenInTheProject() throws Exception {
        Files.copy(Fixtures.PROJECT.resolve("Pulumi.yaml"), dir.resolve("Pulumi.yaml"));
        Path file = Files.writeString(dir.resolve("Pulumi.dev.yaml"),
                Files.readString(Fixtures.stackFile("Pulumi.dev.yaml")).replace("environment: dev", "environment: qa"));

        assertThatThrownBy(() -> ConfigSource.fromStackFile("dev", file))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("orthweb:environment");
    }
}
