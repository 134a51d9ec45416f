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

    /** Every key of the declarations set, each away from its default in both profiles. */
    static final String EVERY_KEY = """
            config:
              aws:region: eu-central-1
              orthweb:environment: stg
              orthweb:owner: radiology it
              aws:profile: radiology
              aws:allowedAccountIds: ["123456789012"]
              aws:assumeRole: {roleArn: "arn:aws:iam::123456789012:role/deployer", sessionName: orthweb}
              orthweb:network:
                vpcCidr: 10.20.0.0/20
                azCount: 3
                publicSubnetPrefixLength: 25
                privateSubnetPrefixLength: 24
                interfaceEndpoints: [kms, secretsmanager, ssm, ssmmessages, ec2messages]
                webClientCidrs: [198.51.100.0/24, 192.0.2.10/32]
                dicomClientCidrs: [203.0.113.0/24, 10.99.0.0/16]
              orthweb:host:
                instanceType: m6i.large
                instanceCount: 2
                publicKey: ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGxqHDn8UTPMJk3xaO4JCcXGPq9Zb0o8J1yvW7Z2Zq5x alice@example.org
                rootVolumeGiB: 64
                amiId: ami-0123456789abcdef0
              orthweb:database:
                instanceClass: db.r7g.large
                engineVersion: "16.4"
                allocatedStorageGiB: 100
                multiAz: true
                backupRetentionDays: 21
              orthweb:logging:
                containerLogs: false
                retentionDays: 731
              orthweb:site:
                name: pacs.example.org
              orthweb:dicom:
                clients:
                  - name: ct-scanner-1
                    aeTitle: CT1
                  - name: mr-scanner-1
                    aeTitle: MR1
              orthweb:orthanc:
                aeTitle: CLINIC_PACS
                name: Clinic archive
                stableAgeSeconds: 120
                storageCompression: true
                modalities:
                  pacs: {aeTitle: MAINPACS, host: pacs.example.org, port: 11112, egressCidr: 10.20.0.0/28, tls: true,
                         caCertificate: %s}
                peers:
                  research: {url: "http://orthanc.research.example.org:8042/", egressCidr: 10.30.0.0/24}
                extraConfig:
                  DicomScuTimeout: 45
                  DicomWeb: {StudiesMetadata: Full}
              orthweb:vpn:
                clientCidr: 10.240.0.0/12
                clients: [{name: alice}, {name: ct-site-b}]
                splitTunnel: false
                sessionTimeoutHours: 12
                subnetAssociations: 3
              orthweb:images:
                nginx: nginx:1.29.3-alpine
                orthanc: ':99.1.0'
              orthweb:alerts:
                emails: [ops@example.org, pacs-admin@example.org]
              orthweb:backup:
                enabled: true
                retentionDays: 90
                dataBucket: false
                copyRegion: eu-west-1
              orthweb:budget:
                monthlyLimitUsd: 400
                actualAlertPercent: 70
                forecastAlertPercent: 110
            """.formatted(org.orthweb.pki.TestCertificates.quoted(org.orthweb.pki.TestCertificates.modalityCa()));

    @Test
    void aConfigWithEveryKeySetSurvivesTheTrip() throws Exception {
        StackConfig config = ConfigParser.parse("clinic", RawConfig.fromStackYaml(EVERY_KEY, "Pulumi.clinic.yaml"));
        Map<String, ConfigValue> values = StackConfigValues.toStackConfig(config);

        RawConfig seenByProgram = RawConfig.fromEngineEnvironment(engineEnvironment(values));

        assertThat(ConfigParser.parse("clinic", seenByProgram)).isEqualTo(config);
        // and the writer wrote every declared key (none fell back to its default on the way)
        for (var row : org.orthweb.config.Declarations.rows()) {
            // a trailing map entry (images.<name>) is the map itself; an inner one, its first entry
            String key = row.key().endsWith(".<name>") ? row.key().substring(0, row.key().length() - 7) : row.key();
            String top = key.contains(".") ? key.substring(0, key.indexOf('.')) : key;
            assertThat(values).as("written top-level key of %s", row.key()).containsKey(top);
            if (!key.equals(top)) {
                var node = JSON.readTree(values.get(top).value());
                for (String part : key.substring(top.length() + 1).split("\\.")) {
                    // a list of objects ("clients[]"): its first entry
                    node = part.endsWith("[]") ? node.path(part.substring(0, part.length() - 2)).path(0)
                            : part.equals("<name>") ? node.elements().next() : node.path(part);
                }
                assertThat(node.isMissingNode()).as("written %s", row.key()).isFalse();
            }
        }
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
