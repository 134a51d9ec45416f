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

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Stack configs from the project's own stack files, engine events, and a stand-in Pulumi CLI. */
public final class Fixtures {

    public static final Path PROJECT = Path.of("").toAbsolutePath();

    private Fixtures() {
    }

    public static StackConfig dev() {
        return ConfigParser.parse("dev", RawConfig.fromStackFile(PROJECT.resolve("Pulumi.dev.yaml")));
    }

    public static StackConfig prod() {
        return ConfigParser.parse("prod", RawConfig.fromStackFile(PROJECT.resolve("Pulumi.prod.yaml")));
    }

    /** The dev stack file with some keys overridden and some marked secret (as if decrypted). */
    public static StackConfig devWith(String stack, Map<String, JsonNode> overrides, Set<String> secretKeys) {
        RawConfig file = RawConfig.fromStackFile(PROJECT.resolve("Pulumi.dev.yaml"));
        Map<String, JsonNode> values = new HashMap<>(file.values());
        values.putAll(overrides);
        return ConfigParser.parse(stack, new RawConfig(values, secretKeys));
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
