package org.orthweb.cloudinit;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The host's application files as one tar archive, stored as an S3 object beside the user data
 * rather than inside it: EC2 caps user data at 16 KiB, and the application layer (nginx, Orthanc,
 * Keycloak, the bootstrap and their settings) outgrew it. The user data keeps only a small loader
 * that fetches this archive, checks its SHA-256 and unpacks it, so the launch template still
 * changes (and a host is still replaced) exactly when any of these files changes.
 *
 * <p>The archive is built deterministically (entries in the renderer's order, owner root, fixed
 * modification time, no compression), so the same files always give the same bytes and the same
 * digest on every JDK. It holds names, ARNs and settings only, never a secret.
 *
 * @param tar    the uncompressed POSIX tar archive (paths relative to {@code /})
 * @param sha256 lower-case hex SHA-256 of {@code tar}
 * @param key    S3 object key: {@link #KEY_PREFIX} + sha256 + {@code .tar}
 */
public record HostBundle(byte[] tar, String sha256, String key) {

    /** Where bundles live in the data bucket: apart from Orthanc's objects, which sit at the root. */
    public static final String KEY_PREFIX = "orthweb/host-bundle/";

    /** One file of the bundle: absolute host path, octal mode (e.g. "0644"), text content. */
    public record File(String path, String mode, String content) {
    }

    /**
     * Builds the archive from files in order.
     *
     * @throws IllegalArgumentException when a path is not absolute or a mode is not octal
     */
    public static HostBundle of(List<File> files) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes, StandardCharsets.UTF_8.name())) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (File f : files) {
                if (!f.path().startsWith("/")) {
                    throw new IllegalArgumentException("bundle path must be absolute: " + f.path());
                }
                byte[] content = f.content().getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry entry = new TarArchiveEntry(f.path().substring(1), true);
                entry.setSize(content.length);
                entry.setMode(Integer.parseInt(f.mode(), 8));
                entry.setIds(0, 0);
                entry.setNames("root", "root");
                entry.setModTime(0L);
                tar.putArchiveEntry(entry);
                tar.write(content);
                tar.closeArchiveEntry();
            }
            tar.finish();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] tar = bytes.toByteArray();
        String sha = sha256(tar);
        return new HostBundle(tar, sha, KEY_PREFIX + sha + ".tar");
    }

    /** The archive as base64, the way the S3 object's {@code contentBase64} input carries it. */
    public String base64() {
        return Base64.getEncoder().encodeToString(tar);
    }

    /**
     * Reads an archive back: absolute host path to content, in archive order (what {@code tar -x}
     * on the host would write).
     *
     * @throws IllegalArgumentException when the bytes are not a tar archive
     */
    public static Map<String, String> read(byte[] tar) {
        Map<String, String> files = new LinkedHashMap<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar),
                StandardCharsets.UTF_8.name())) {
            for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                files.put("/" + e.getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("not a tar archive: " + e.getMessage(), e);
        }
        return files;
    }

    /** Octal mode of each entry, by absolute host path. */
    public static Map<String, String> modes(byte[] tar) {
        Map<String, String> modes = new LinkedHashMap<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar),
                StandardCharsets.UTF_8.name())) {
            for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                modes.put("/" + e.getName(), String.format("%04o", e.getMode() & 07777));
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("not a tar archive: " + e.getMessage(), e);
        }
        return modes;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HostBundle b && b.sha256.equals(sha256);
    }

    @Override
    public int hashCode() {
        return sha256.hashCode();
    }

    @Override
    public String toString() {
        return "HostBundle[" + key + ", " + tar.length + " bytes]";
    }
}
