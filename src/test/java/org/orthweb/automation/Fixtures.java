package org.orthweb.automation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.pulumi.automation.OperationType;
import com.pulumi.automation.events.DiagnosticEvent;
import com.pulumi.automation.events.EngineEvent;
import com.pulumi.automation.events.ResourceOperationFailedEvent;
import com.pulumi.automation.events.ResourceOutputsEvent;
import com.pulumi.automation.events.ResourcePreEvent;
import com.pulumi.automation.events.StepEventMetadata;
import com.pulumi.automation.events.SummaryEvent;
import org.orthweb.config.ConfigParser;
import org.orthweb.config.RawConfig;
import org.orthweb.config.StackConfig;
import org.orthweb.support.TestStacks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Stack configs from the fixture stack files (the shipped ones, see {@link TestStacks}), a
 * project folder with the real Pulumi.yaml, engine events, and a stand-in Pulumi CLI.
 */
public final class Fixtures {

    public static final Path PROJECT = Path.of("").toAbsolutePath();

    private Fixtures() {
    }

    public static StackConfig dev() {
        return TestStacks.config("dev");
    }

    public static StackConfig prod() {
        return TestStacks.config("prod");
    }

    /** A fixture stack file, e.g. "Pulumi.dev.yaml" as shipped. */
    public static Path stackFile(String fileName) {
        return TestStacks.FIXTURES.resolve(fileName);
    }

    /**
     * A project folder under {@code parent}: the project's real Pulumi.yaml beside the given
     * stack files (file name to text), as a user has it.
     */
    public static Path projectFolder(Path parent, Map<String, String> stackFiles) throws IOException {
        Path project = Files.createDirectories(parent.resolve("project"));
        Files.copy(PROJECT.resolve("Pulumi.yaml"), project.resolve("Pulumi.yaml"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        for (var file : stackFiles.entrySet()) {
            Files.writeString(project.resolve(file.getKey()), file.getValue());
        }
        return project;
    }

    /** The dev stack file with some keys overridden and some marked secret (as if decrypted). */
    public static StackConfig devWith(String stack, Map<String, JsonNode> overrides, Set<String> secretKeys) {
        RawConfig file = RawConfig.fromStackFile(stackFile("Pulumi.dev.yaml"));
        Map<String, JsonNode> values = new HashMap<>(file.values());
        values.putAll(overrides);
        return ConfigParser.parse(stack, new RawConfig(values, secretKeys));
    }

    /** An OpenSSH public key of the shape the config accepts (not anyone's real key). */
    public static final String SSH_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGxqHDn8UTPMJk3xaO4JCcXGPq9Zb0o8J1yvW7Z2Zq5x ops@example.org";

    /**
     * A dev stack file after the README's deploy-section edits, with the public key stored as
     * Pulumi stores a secret ({@code secure: v1:<nonce>:<ciphertext>}, base64 parts, and the
     * passphrase provider's {@code encryptionsalt}).
     */
    public static String devStackFileWithSecureKey() {
        return """
                encryptionsalt: v1:Zm9yLXRlc3Rz:v1:aTJrN2Z4ZHE5cGJh:Y2xmNmV1dGh6b2ZhZ2xwbg==
                config:
                  aws:region: eu-west-1
                  orthweb:environment: dev
                  orthweb:owner: radiology-it
                  orthweb:network:
                    dicomClientCidrs:
                      - 203.0.113.0/24
                  orthweb:host:
                    instanceCount: 1
                    publicKey:
                      secure: v1:5s9uHsLmXZ2Vd7rK:Zq3cB1nY0FZq5rE8oG4uO3x6nT2e9wVvJ8sL7kQ1mA0pXyR4hN6bC3dF5gH7jK9
                  orthweb:site:
                    name: pacs.example.org
                """;
    }

    /**
     * What {@code pulumi config --show-secrets --json} prints for {@link #devStackFileWithSecureKey()}
     * once Pulumi has decrypted it: structured values as JSON text, the secure one flagged.
     */
    public static String devStackConfigDecrypted() {
        var json = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance;
        var out = json.objectNode();
        out.putObject("aws:region").put("value", "eu-west-1").put("secret", false);
        out.putObject("orthweb:environment").put("value", "dev").put("secret", false);
        out.putObject("orthweb:owner").put("value", "radiology-it").put("secret", false);
        out.putObject("orthweb:network").put("value", "{\"dicomClientCidrs\":[\"203.0.113.0/24\"]}").put("secret", false);
        out.putObject("orthweb:host").put("value", "{\"instanceCount\":1,\"publicKey\":\"" + SSH_KEY + "\"}")
                .put("secret", true);
        out.putObject("orthweb:site").put("value", "{\"name\":\"pacs.example.org\"}").put("secret", false);
        return out.toString();
    }

    /** An orthweb:host value whose publicKey stands for a secure value that was not decrypted. */
    public static JsonNode hostWithUndecryptedKey() {
        return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
                .put("publicKey", RawConfig.SECRET_PLACEHOLDER);
    }

    public static JsonNode text(String value) {
        return TextNode.valueOf(value);
    }

    /** An environment whose PATH holds an executable named pulumi (never run). */
    public static Map<String, String> envWithPulumi(Path dir) throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path pulumi = bin.resolve("pulumi");
        Files.writeString(pulumi, "#!/bin/sh\nexit 99\n");
        Files.setPosixFilePermissions(pulumi, PosixFilePermissions.fromString("rwxr-xr-x"));
        return Map.of("PATH", bin.toString(), "HOME", dir.resolve("home").toString());
    }

    /** An environment whose PATH is an empty directory. */
    public static Map<String, String> envWithoutPulumi(Path dir) throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty-bin"));
        return Map.of("PATH", empty.toString(), "HOME", dir.resolve("home").toString());
    }

    // ---- engine events, built as the Automation API builds them from the CLI's event log ------

    public static final String STACK_URN = "urn:pulumi:dev::orthweb::pulumi:pulumi:Stack::orthweb-dev";

    public static String urn(String type, String name) {
        return "urn:pulumi:dev::orthweb::orthweb:index:SecureVpc$" + type + "::" + name;
    }

    static StepEventMetadata step(OperationType op, String type, String name) {
        return new StepEventMetadata(op, urn(type, name), type, null, null, List.of(), List.of(), Map.of(), false,
                "");
    }

    public static EngineEvent pre(OperationType op, String type, String name) {
        return new EngineEvent(1, 0, null, null, null, null, null, new ResourcePreEvent(step(op, type, name), false),
                null, null, null);
    }

    public static EngineEvent outputs(OperationType op, String type, String name) {
        return new EngineEvent(2, 0, null, null, null, null, null, null,
                new ResourceOutputsEvent(step(op, type, name), false), null, null);
    }

    public static EngineEvent failed(OperationType op, String type, String name) {
        return new EngineEvent(3, 0, null, null, null, null, null, null, null,
                new ResourceOperationFailedEvent(step(op, type, name), 1, 1), null);
    }

    public static EngineEvent diagnostic(String severity, String urn, String message, boolean ephemeral) {
        return new EngineEvent(4, 0, null, null, new DiagnosticEvent(urn, "", message, "", severity, "", ephemeral),
                null, null, null, null, null, null);
    }

    public static EngineEvent summary(Map<OperationType, Integer> changes) {
        return new EngineEvent(5, 0, null, null, null, null, new SummaryEvent(false, 12, changes, Map.of()), null,
                null, null, null);
    }
}
