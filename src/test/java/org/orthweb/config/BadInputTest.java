package org.orthweb.config;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Bad input as a whole kind, for every declared key (taken from the declarations, so a new
 * setting is covered without a new line here): an explicitly empty string is refused naming the
 * key; YAML null is the same as leaving the key out; a CIDR list may not repeat a block.
 */
class BadInputTest {

    private static final String BASE = """
            config:
              aws:region: eu-west-1
              orthweb:environment: dev
              orthweb:owner: radiology-it
            """;

    /** The optional section with required keys of its own, and its minimal form. */
    private static final String VPN = "orthweb:vpn";
    private static final String VPN_SECTION = """
              orthweb:vpn:
                clientCidr: 10.250.0.0/22
                clients: [{name: alice}]
            """;

    /** Entries of the mappings by name (orthweb:orthanc), complete, under the name "nginx". */
    private static final String MODALITY = "orthweb:orthanc.modalities.nginx.";
    private static final String PEER = "orthweb:orthanc.peers.nginx.";
    private static final java.util.Map<String, String> ENTRIES = java.util.Map.of(
            MODALITY, """
                      orthweb:orthanc:
                        modalities:
                          nginx:
                            aeTitle: PACS
                            host: 10.20.0.5
                            port: 104
                            egressCidr: 10.20.0.0/28
                    """,
            PEER, """
                      orthweb:orthanc:
                        peers:
                          nginx:
                            url: https://orthanc.example.org/
                            egressCidr: 10.30.0.0/24
                    """);

    /** Every declared key, as a user writes it (a map's entries by one known name). */
    static Stream<String> keys() {
        return Declarations.rows().stream().map(Declarations.Row::key)
                .filter(k -> !k.contains("[]"))
                .map(k -> k.replace(".<name>", ".nginx"));
    }

    /** The stack file BASE with {@code key} set to {@code value} (replacing a BASE line if any). */
    static String with(String key, String value) {
        int dot = key.indexOf('.');
        if (dot < 0) {
            String kept = BASE.lines().filter(l -> !l.trim().startsWith(key + ":")).reduce("", (a, b) -> a + b + "\n");
            return kept + "  " + key + ": " + value + "\n";
        }
        StringBuilder yaml = new StringBuilder(BASE).append("  ").append(key, 0, dot).append(":\n");
        String[] parts = key.substring(dot + 1).split("\\.");
        for (int i = 0; i < parts.length; i++) {
            yaml.append("  ".repeat(i + 2)).append(parts[i]).append(":");
            yaml.append(i == parts.length - 1 ? " " + value + "\n" : "\n");
        }
        return yaml.toString();
    }

    static StackConfig parse(String yaml) {
        return ConfigParser.parse("test", RawConfig.fromStackYaml(yaml, "Pulumi.test.yaml"));
    }

    @ParameterizedTest(name = "{0}: \"\" is refused")
    @MethodSource("keys")
    void anEmptyStringIsRefusedNamingTheKey(String key) {
        assertThatThrownBy(() -> parse(with(key, "\"\"")))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                        .contains(key + " is empty: give a value, or remove the key to use its default"));
    }

    @ParameterizedTest(name = "{0}: whitespace only is refused")
    @ValueSource(strings = {"orthweb:owner", "orthweb:network.vpcCidr", "orthweb:host.publicKey"})
    void whitespaceIsEmptyToo(String key) {
        assertThatThrownBy(() -> parse(with(key, "\"   \""))).hasMessageContaining(key + " is empty");
    }

    @ParameterizedTest(name = "{0}: null is the same as absent")
    @MethodSource("keys")
    void yamlNullIsTheSameAsAnAbsentKey(String key) {
        String yaml = with(key, "null");
        boolean required = key.equals("aws:region") || key.equals("orthweb:environment") || key.equals("orthweb:owner");
        if (key.startsWith(VPN + ".")) {
            // inside an optional section that has required keys: null is absent next to them
            String field = key.substring(VPN.length() + 1);
            String present = BASE + VPN_SECTION.lines().filter(l -> !l.trim().startsWith(field + ":"))
                    .reduce("", (a, b) -> a + b + "\n");
            if (field.equals("clientCidr") || field.equals("clients")) {
                assertThatThrownBy(() -> parse(present + "    " + field + ": null\n")).hasMessageContaining(key + " is required");
            } else {
                assertThat(parse(present + "    " + field + ": null\n")).isEqualTo(parse(BASE + VPN_SECTION));
            }
        } else if (key.startsWith(MODALITY) || key.startsWith(PEER)) {
            // inside a complete entry of a mapping by name: null is absent next to the other fields
            String prefix = key.startsWith(MODALITY) ? MODALITY : PEER;
            String field = key.substring(prefix.length());
            String entry = ENTRIES.get(prefix).lines().filter(l -> !l.trim().startsWith(field + ":"))
                    .reduce("", (a, b) -> a + b + "\n");
            if (field.equals("egressCidr") || field.equals("tls") || field.equals("caCertificate")) {
                assertThat(parse(BASE + entry + "        " + field + ": null\n")).isEqualTo(parse(BASE + entry));
            } else {
                assertThatThrownBy(() -> parse(BASE + entry + "        " + field + ": null\n"))
                        .hasMessageContaining(key + " is required");
            }
        } else if (required) {
            assertThatThrownBy(() -> parse(yaml)).hasMessageContaining(key + " is required");
        } else {
            assertThat(parse(yaml)).isEqualTo(parse(BASE));
        }
    }

    @ParameterizedTest(name = "{0}: a block listed twice is refused")
    @ValueSource(strings = {"webClientCidrs", "dicomClientCidrs"})
    void aCidrListMayNotRepeatABlock(String list) {
        assertThatThrownBy(() -> parse(BASE + "  orthweb:network:\n    " + list + ": [10.0.0.0/8, 192.0.2.0/24, 10.0.0.0/8]\n"))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
                        "orthweb:network." + list + " lists 10.0.0.0/8 twice (AWS refuses duplicate security group rules)"));
    }

    @ParameterizedTest(name = "an empty entry in {0} is refused")
    @ValueSource(strings = {"webClientCidrs", "interfaceEndpoints"})
    void aListMayNotHoldEmptyEntries(String list) {
        assertThatThrownBy(() -> parse(BASE + "  orthweb:network:\n    " + list + ": [\"\"]\n"))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
                        "orthweb:network." + list + "[0] is empty: a list may not hold empty entries"));
        assertThatThrownBy(() -> parse(BASE + "  orthweb:network:\n    " + list + ": [null]\n"))
                .hasMessageContaining("orthweb:network." + list + "[0] is empty");
    }

    @org.junit.jupiter.api.Test
    void everyDeclaredKeyIsCovered() {
        List<String> keys = keys().toList();
        assertThat(keys).contains("aws:region", "orthweb:network.vpcCidr", "orthweb:host.publicKey", "orthweb:site.name",
                "orthweb:images.nginx").hasSizeGreaterThan(20);
    }
}
