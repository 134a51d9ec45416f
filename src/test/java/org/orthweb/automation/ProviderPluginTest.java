package org.orthweb.automation;

import com.pulumi.random.RandomProvider;
import org.junit.jupiter.api.Test;
import org.orthweb.plan.OfflinePlan;

import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProviderPluginTest {

    /** The package of every provider whose resources or provider instances the program registers. */
    private static Set<String> providersRegistered() {
        Set<String> packages = new TreeSet<>();
        for (var resource : OfflinePlan.run(Fixtures.prod()).resources()) {
            String[] parts = resource.type().split(":");
            if (parts[0].equals("pulumi") && parts[1].equals("providers")) {
                packages.add(parts[2]);
            } else if (!parts[0].equals("pulumi") && !parts[0].equals("orthweb")) {
                packages.add(parts[0]);
            }
        }
        return packages;
    }

    @Test
    void everyProviderTheProgramUsesIsInstalled() {
        Set<String> installed = new TreeSet<>();
        ProviderPlugin.required().forEach(p -> installed.add(p.name()));

        assertThat(installed).isEqualTo(providersRegistered());
    }

    @Test
    void awsPluginVersionIsTheVersionOfTheAwsSdkOnTheClassPath() throws Exception {
        Path jar = Path.of(com.pulumi.aws.Provider.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        String artifactVersion = jar.getParent().getFileName().toString(); // .../com/pulumi/aws/<version>/aws-<version>.jar

        assertThat(ProviderPlugin.required()).contains(new ProviderPlugin("aws", artifactVersion));
    }

    @Test
    void randomPluginVersionAgreesWithTheHandWrittenBinding() {
        assertThat(ProviderPlugin.required()).contains(new ProviderPlugin("random", RandomProvider.VERSION));
    }

    @Test
    void tlsPluginVersionAgreesWithTheHandWrittenBinding() {
        assertThat(ProviderPlugin.required()).contains(new ProviderPlugin("tls", com.pulumi.tls.TlsProvider.VERSION));
    }

    @Test
    void aMissingManifestIsAClearError() {
        assertThatThrownBy(() -> ProviderPlugin.fromManifest("com/pulumi/nothing/plugin.json"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("com/pulumi/nothing/plugin.json");
    }
}
