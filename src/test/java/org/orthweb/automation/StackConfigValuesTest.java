package org.orthweb.automation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.pulumi.automation.ConfigValue;
import org.junit.jupiter.api.Test;
import org.orthweb.config.ConfigException;
import org.orthweb.config.ConfigParser;
import org.orthweb.config.RawConfig;
import org.orthweb.config.StackConfig;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StackConfigValuesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What the engine hands a program for a stack whose config was set with these values and
     * path=false: each value's text as is, and the list of secret keys (decrypted).
     */
    private static Map<String, String> engineEnvironment(Map<String, ConfigValue> values) throws Exception {
        Map<String, String> config = new LinkedHashMap<>();
        values.forEach((k, v) -> config.put(k, v.value()));
        List<String> secrets = values.entrySet().stream().filter(e -> e.getValue().isSecret()).map(Map.Entry::getKey).toList();
        return Map.of("PULUMI_CONFIG", JSON.writeValueAsString(config),
                "PULUMI_CONFIG_SECRET_KEYS", JSON.writeValueAsString(secrets));
    }

    @Test
    void typedConfigSurvivesTheTripThroughStackConfigAndTheEngine() throws Exception {
        for (StackConfig config : List.of(Fixtures.dev(), Fixtures.prod())) {
            Map<String, ConfigValue> values = StackConfigValues.toStackConfig(config);

            RawConfig seenByProgram = RawConfig.fromEngineEnvironment(engineEnvironment(values));

            assertThat(ConfigParser.parse(config.stack(), seenByProgram)).isEqualTo(config);
        }
    }

    @Test
    void structuredValuesAreJsonTextAndScalarsArePlain() throws Exception {
        Map<String, ConfigValue> values = StackConfigValues.toStackConfig(Fixtures.prod());

        assertThat(values.get("aws:region").value()).isEqualTo("us-east-1");
        assertThat(values.get("orthweb:environment").value()).isEqualTo("prd");
        var network = JSON.readTree(values.get("orthweb:network").value());
        assertThat(network.get("dicomClientCidrs").get(0).asText()).isEqualTo("203.0.113.0/24");
        assertThat(network.get("azCount").isInt()).isTrue();
        // dev has no interface endpoints: the empty list must be written, not dropped
        var devNetwork = JSON.readTree(StackConfigValues.toStackConfig(Fixtures.dev()).get("orthweb:network").value());
        assertThat(devNetwork.get("interfaceEndpoints").isArray()).isTrue();
        assertThat(devNetwork.get("interfaceEndpoints")).isEmpty();
    }

    @Test
    void secretKeysAndOnlyThoseAreWrittenAsSecrets() {
        StackConfig config = Fixtures.devWith("clinic-a", Map.of(
                "orthweb:owner", Fixtures.text("dr-who"),
                "orthweb:site", new ObjectMapper().createObjectNode().put("name", "pacs.clinic-a.example.org")),
                Set.of("orthweb:host"));

        Map<String, ConfigValue> values = StackConfigValues.toStackConfig(config);

        assertThat(values.entrySet().stream().filter(e -> e.getValue().isSecret()).map(Map.Entry::getKey))
                .containsExactly("orthweb:host");
        assertThat(values.get("orthweb:owner").value()).isEqualTo("dr-who");
        assertThat(values.get("orthweb:site").value()).contains("pacs.clinic-a.example.org");
    }

    @Test
    void placeholdersForUndecryptableValuesAreRefusedNamingTheKey() {
        StackConfig fromFileWithSecureValue = Fixtures.devWith("dev",
                Map.of("orthweb:host", Fixtures.hostWithUndecryptedKey()), Set.of("orthweb:host"));

        assertThatThrownBy(() -> StackConfigValues.toStackConfig(fromFileWithSecureValue))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("orthweb:host")
                .hasMessageContaining("project directory");
    }

    @Test
    void configReadFromPulumiKeepsSecretFlagsAndParses() {
        Map<String, ConfigValue> values = new LinkedHashMap<>(StackConfigValues.toStackConfig(Fixtures.prod()));
        values.put("orthweb:host", new ConfigValue(values.get("orthweb:host").value(), true));
        values.put("pulumi:tags", new ConfigValue("{\"pulumi:template\":\"orthweb\"}", false));

        RawConfig raw = StackConfigValues.fromStackConfig(values);

        assertThat(raw.secretKeys()).containsExactly("orthweb:host");
        assertThat(raw.values().get("orthweb:network").isObject()).isTrue();
        StackConfig parsed = ConfigParser.parse("prod", raw);
        assertThat(parsed.network()).isEqualTo(Fixtures.prod().network());
        assertThat(parsed.secretKeys()).containsExactly("orthweb:host");
    }

    @Test
    void staleKeysAreOursThatTheNewConfigNoLongerSets() {
        Map<String, ConfigValue> existing = Map.of(
                "orthweb:site", new ConfigValue("{\"name\":\"old.example.org\"}"),
                "orthweb:owner", new ConfigValue("x"),
                "aws:profile", new ConfigValue("clinic"),
                "pulumi:tags", new ConfigValue("{}"));
        Map<String, ConfigValue> wanted = StackConfigValues.toStackConfig(Fixtures.dev());

        assertThat(StackConfigValues.staleKeys(existing, wanted)).containsExactly("orthweb:site");
    }
}
