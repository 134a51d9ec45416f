package org.orthweb.cli;

import org.orthweb.DicomOutputs;
import org.orthweb.automation.StackOutput;
import org.orthweb.config.ConfigException;
import org.orthweb.pki.DicomPeers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What one DICOM peer needs, taken from a stack's outputs, and the files that hand it over:
 * {@code NAME.crt}, {@code NAME.key} (mode 0600), {@code site-ca.crt} and {@code NAME.txt} (endpoint,
 * port, called and calling AE titles, the matching dcmtk command lines).
 *
 * @param name        the peer's name as declared in {@code orthweb:dicom.clients}
 * @param aeTitle     the calling AE title the peer must use
 * @param certificate the peer's certificate (PEM)
 * @param privateKey  the peer's private key (PEM)
 * @param caCertificate the site CA certificate (PEM), to verify the server
 * @param calledAeTitle Orthanc's AE title
 * @param endpoints   "host:port" the peer may connect to, the site name first
 */
public record DicomClientKit(String name, String aeTitle, String certificate, String privateKey, String caCertificate,
                             String calledAeTitle, List<String> endpoints) {

    /** Files written by {@link #writeTo}, relative to the output directory. */
    public List<String> fileNames() {
        return List.of(name + ".crt", name + ".key", "site-ca.crt", name + ".txt");
    }

    /**
     * The kit of peer {@code name} from a stack's outputs (secrets in clear, as the Automation
     * API returns them).
     *
     * @throws ConfigException       if the stack declares no peer of that name (lists those it declares)
     * @throws IllegalStateException if the stack lacks the DICOM outputs (deployed by an older version)
     */
    public static DicomClientKit from(String stack, Map<String, StackOutput> outputs, String name) {
        Object peers = value(stack, outputs, DicomOutputs.PEERS);
        if (!(peers instanceof Map<?, ?> byName) || !(byName.get(name) instanceof Map<?, ?> peer)) {
            TreeSet<String> declared = new TreeSet<>();
            if (peers instanceof Map<?, ?> m) {
                m.keySet().forEach(k -> declared.add(String.valueOf(k)));
            }
            throw new ConfigException("stack " + stack + " has no DICOM peer '" + name + "'; declared in "
                    + DicomPeers.SETTING + ": " + (declared.isEmpty() ? "none" : String.join(", ", declared))
                    + " (add it there and run up first)");
        }
        List<String> endpoints = new ArrayList<>();
        if (value(stack, outputs, DicomOutputs.ENDPOINTS) instanceof List<?> list) {
            list.forEach(e -> endpoints.add(String.valueOf(e)));
        }
        if (endpoints.isEmpty()) {
            throw new IllegalStateException("stack " + stack + " exports no DICOM endpoint (" + DicomOutputs.ENDPOINTS + ")");
        }
        return new DicomClientKit(name, text(peer, "aeTitle"), text(peer, "certificate"), text(peer, "privateKey"),
                String.valueOf(value(stack, outputs, DicomOutputs.CA_CERTIFICATE)),
                String.valueOf(value(stack, outputs, DicomOutputs.CALLED_AE_TITLE)), endpoints);
    }

    private static Object value(String stack, Map<String, StackOutput> outputs, String key) {
        StackOutput o = outputs.get(key);
        if (o == null) {
            throw new IllegalStateException("stack " + stack + " has no output " + key
                    + ": it was last deployed by a version without the site PKI; run up first");
        }
        return o.value();
    }

    private static String text(Map<?, ?> peer, String key) {
        Object v = peer.get(key);
        if (!(v instanceof String s) || s.isEmpty()) {
            throw new IllegalStateException("the stack's DICOM peer output lacks " + key);
        }
        return s;
    }

    /**
     * Writes the kit into {@code dir} (created if needed): the key is created with mode 0600
     * before any byte is written, so it is never readable by others, even briefly.
     */
    public void writeTo(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(name + ".crt"), certificate, StandardCharsets.US_ASCII);
        Path key = dir.resolve(name + ".key");
        Files.deleteIfExists(key);
        Files.createFile(key, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(key, privateKey, StandardCharsets.US_ASCII);
        Files.writeString(dir.resolve("site-ca.crt"), caCertificate, StandardCharsets.US_ASCII);
        Files.writeString(dir.resolve(name + ".txt"), instructions(), StandardCharsets.UTF_8);
    }

    /** The peer's settings and the matching dcmtk command lines (run from the kit's directory). */
    public String instructions() {
        String endpoint = endpoints.get(0);
        int colon = endpoint.lastIndexOf(':');
        String host = colon > 0 ? endpoint.substring(0, colon) : endpoint;
        String port = colon > 0 ? endpoint.substring(colon + 1) : "11112";
        String tls = "+tls " + name + ".key " + name + ".crt +cf site-ca.crt -aet " + shell(aeTitle)
                + " -aec " + shell(calledAeTitle) + " " + host + " " + port;
        StringBuilder b = new StringBuilder();
        b.append("DICOM TLS settings for peer ").append(name).append('\n');
        b.append("  endpoint (host):   ").append(host).append('\n');
        if (endpoints.size() > 1) {
            b.append("  also reachable at: ").append(String.join(", ", endpoints.subList(1, endpoints.size()))).append('\n');
        }
        b.append("  port:              ").append(port).append('\n');
        b.append("  called AE title:   ").append(calledAeTitle).append('\n');
        b.append("  calling AE title:  ").append(aeTitle).append("   (the only one accepted with this certificate)\n");
        b.append("  client certificate ").append(name).append(".crt, private key ").append(name)
                .append(".key (keep it private), trust site-ca.crt for the server\n\n");
        b.append("Check the connection (C-ECHO):\n  echoscu ").append(tls).append('\n');
        b.append("Send files (C-STORE):\n  storescu ").append(tls).append(" FILE.dcm...\n");
        return b.toString();
    }

    /** Single-quoted for a POSIX shell when needed (an AE title may hold spaces or punctuation). */
    static String shell(String value) {
        return value.matches("[A-Za-z0-9._-]+") ? value : "'" + value.replace("'", "'\\''") + "'";
    }

    @Override
    public String toString() {
        // never the key, whatever logs this record
        return "DicomClientKit[" + name + ", aeTitle=" + aeTitle + ", endpoints=" + endpoints + "]";
    }
}
