package org.orthweb.cli;

import org.orthweb.VpnOutputs;
import org.orthweb.automation.StackOutput;
import org.orthweb.config.ConfigException;
import org.orthweb.vpn.OpenVpnProfile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.TreeSet;

/**
 * One VPN client's OpenVPN profile, taken from a stack's outputs: {@code NAME.ovpn} (mode 0600; it
 * holds the client's private key inline).
 *
 * @param name    the client's name as declared in {@code orthweb:vpn.clients}
 * @param profile the profile's contents
 */
public record VpnClientKit(String name, OpenVpnProfile profile) {

    /** The setting that declares the clients (for messages). */
    public static final String SETTING = "orthweb:vpn.clients";

    /** The file written by {@link #writeTo}, relative to the output directory. */
    public String fileName() {
        return name + ".ovpn";
    }

    /**
     * The profile of client {@code name} from a stack's outputs (secrets in clear, as the Automation
     * API returns them).
     *
     * @throws ConfigException       if the stack has no VPN, or no client of that name (lists those it declares)
     * @throws IllegalStateException if an output lacks a part of the client's material
     */
    public static VpnClientKit from(String stack, Map<String, StackOutput> outputs, String name) {
        StackOutput clients = outputs.get(VpnOutputs.CLIENTS);
        if (clients == null) {
            throw new ConfigException("stack " + stack + " has no Client VPN (no output " + VpnOutputs.CLIENTS
                    + "): set orthweb:vpn (clientCidr, clients) in its stack file and run up first");
        }
        if (!(clients.value() instanceof Map<?, ?> byName) || !(byName.get(name) instanceof Map<?, ?> client)) {
            TreeSet<String> declared = new TreeSet<>();
            if (clients.value() instanceof Map<?, ?> m) {
                m.keySet().forEach(k -> declared.add(String.valueOf(k)));
            }
            throw new ConfigException("stack " + stack + " has no VPN client '" + name + "'; declared in " + SETTING + ": "
                    + (declared.isEmpty() ? "none" : String.join(", ", declared)) + " (add it there and run up first)");
        }
        Object port = value(stack, outputs, VpnOutputs.PORT);
        return new VpnClientKit(name, new OpenVpnProfile(
                String.valueOf(value(stack, outputs, VpnOutputs.ENDPOINT_DNS_NAME)),
                port instanceof Number n ? n.intValue() : Integer.parseInt(String.valueOf(port)),
                String.valueOf(value(stack, outputs, VpnOutputs.PROTOCOL)),
                String.valueOf(value(stack, outputs, VpnOutputs.CA_CERTIFICATE)),
                text(client, "certificate"), text(client, "privateKey")));
    }

    private static Object value(String stack, Map<String, StackOutput> outputs, String key) {
        StackOutput o = outputs.get(key);
        if (o == null || o.value() == null) {
            throw new IllegalStateException("stack " + stack + " has no output " + key + ": run up first");
        }
        return o.value();
    }

    private static String text(Map<?, ?> client, String key) {
        Object v = client.get(key);
        if (!(v instanceof String s) || s.isEmpty()) {
            throw new IllegalStateException("the stack's VPN client output lacks " + key);
        }
        return s;
    }

    /**
     * Writes {@code NAME.ovpn} into {@code dir} (created if needed), created with mode 0600 before
     * any byte is written: it holds the private key.
     */
    public Path writeTo(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(fileName());
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, profile.render(), StandardCharsets.US_ASCII);
        return file;
    }

    @Override
    public String toString() {
        // never the key, whatever logs this record
        return "VpnClientKit[" + name + ", endpoint=" + profile.endpointDnsName() + "]";
    }
}
