package org.orthweb.vpn;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeSet;

/**
 * Facts of the VPN's own PKI, in one place.
 *
 * <p>Why a VPN CA of its own, not the site CA: AWS Client VPN accepts RSA keys of 1024 or 2048
 * bits only (AWS Client VPN Administrator Guide, "Mutual authentication": "A Client VPN endpoint
 * supports 1024-bit and 2048-bit RSA key sizes only"), while the site CA is RSA 3072; and a DICOM
 * peer's certificate (signed by the site CA) must never open the VPN. The endpoint trusts exactly
 * the VPN CA (the server certificate's chain doubles as the root chain for client certificates, so
 * no CA key is ever imported into ACM).
 *
 * <p>Revocation: pulumi-aws 6.83.0 has no input for a client certificate revocation list, and the
 * endpoint accepts every certificate its CA signed. So the VPN CA belongs to one set of client
 * names: {@link #generation} names the CA's resources; adding or removing a client makes a new CA,
 * re-issues every client's certificate and replaces the endpoint, and the old CA's certificates
 * (a removed client's among them) are no longer accepted from that moment.
 */
public final class VpnPki {

    /** The largest RSA key AWS Client VPN accepts. */
    public static final int RSA_BITS = 2048;
    public static final List<String> CA_USES = List.of("cert_signing", "crl_signing", "digital_signature");
    public static final List<String> SERVER_USES = List.of("digital_signature", "key_encipherment", "server_auth");
    public static final List<String> CLIENT_USES = List.of("digital_signature", "key_encipherment", "client_auth");

    private VpnPki() {
    }

    /**
     * The generation of the VPN CA for a set of client names: the first 8 hex digits of the SHA-256
     * of the sorted, distinct names joined by newlines. Order-independent; changes whenever a name
     * is added or removed.
     */
    public static String generation(List<String> clientNames) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(String.join("\n", new TreeSet<>(clientNames)).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }

    /** The server certificate's name (CN and DNS SAN): no one resolves it, clients check the EKU. */
    public static String serverName(String stack) {
        return "vpn-server." + stack + ".orthweb.internal";
    }

    /**
     * The VPC's DNS resolver (the "Amazon DNS server"): the VPC block's base address plus two
     * (Amazon VPC User Guide, "Amazon DNS server").
     *
     * @param vpcCidr an IPv4 CIDR such as 172.17.0.0/16
     * @return the dotted address, such as 172.17.0.2
     */
    public static String vpcResolver(String vpcCidr) {
        String[] parts = vpcCidr.split("/")[0].split("\\.");
        long base = 0;
        for (String p : parts) {
            base = base << 8 | Integer.parseInt(p);
        }
        long ip = base + 2;
        return (ip >> 24 & 255) + "." + (ip >> 16 & 255) + "." + (ip >> 8 & 255) + "." + (ip & 255);
    }
}
