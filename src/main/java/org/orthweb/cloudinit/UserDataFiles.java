package org.orthweb.cloudinit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Reads user data back the way EC2 and cloud-init do: base64 (and gzip) decoded, then the files
 * of its {@code write_files}. Used to show a launch template's user data for review exactly as a
 * host receives it, rather than re-rendering it from inputs.
 */
public final class UserDataFiles {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private UserDataFiles() {
    }

    /** The cloud-config text of launch-template user data (base64 of gzip, or of plain text). */
    public static String decode(String base64) {
        byte[] bytes = Base64.getDecoder().decode(base64.trim());
        if (bytes.length > 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b) {
            try (var in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
                bytes = in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Host path to content of every {@code write_files} entry, in order. */
    public static Map<String, String> files(String cloudConfig) {
        Map<String, String> files = new LinkedHashMap<>();
        try {
            JsonNode root = YAML.readTree(cloudConfig);
            for (JsonNode entry : root.path("write_files")) {
                String content = entry.path("content").asText("");
                String encoding = entry.path("encoding").asText("");
                if (encoding.contains("b64") || encoding.contains("base64")) {
                    content = encoding.contains("gz") ? decode(content) : new String(
                            Base64.getDecoder().decode(content.trim()), StandardCharsets.UTF_8);
                }
                files.put(entry.path("path").asText(), content);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("user data is not a YAML cloud-config: " + e.getMessage(), e);
        }
        return files;
    }
}
