package org.orthweb.vpn;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An OpenVPN client profile for an AWS Client VPN endpoint with mutual-TLS authentication: the
 * shape of the file AWS exports ({@code aws ec2 export-client-vpn-client-configuration}, AWS Client
 * VPN Administrator Guide, "Client VPN endpoint configuration file"), with the client's certificate
 * and key inline, built here so that no AWS call is needed.
 *
 * @param endpointDnsName the endpoint's DNS name as AWS reports it ({@code *.cvpn-endpoint-...amazonaws.com})
 * @param port            the endpoint's port (443)
 * @param protocol        "udp" or "tcp"
 * @param caPem           the VPN CA certificate (PEM)
 * @param certPem         the client's certificate (PEM)
 * @param keyPem          the client's private key (PEM)
 */
public record OpenVpnProfile(String endpointDnsName, int port, String protocol, String caPem, String certPem,
                             String keyPem) {

    private static final Pattern HOST = Pattern.compile("(\\*\\.)?[a-z0-9]([a-z0-9.-]*[a-z0-9])?");
    /** The data-channel ciphers AWS Client VPN negotiates (AES-256-GCM first, as in AWS's exported file). */
    public static final String DATA_CIPHERS = "AES-256-GCM:AES-128-GCM";

    public OpenVpnProfile {
        Objects.requireNonNull(endpointDnsName, "endpointDnsName");
        if (!HOST.matcher(endpointDnsName).matches()) {
            throw new IllegalArgumentException("not a DNS name: " + endpointDnsName);
        }
        if (!protocol.equals("udp") && !protocol.equals("tcp")) {
            throw new IllegalArgumentException("protocol must be udp or tcp: " + protocol);
        }
        for (String pem : new String[]{caPem, certPem, keyPem}) {
            if (pem == null || !pem.strip().startsWith("-----BEGIN ")) {
                throw new IllegalArgumentException("a PEM block is missing");
            }
        }
    }

    /**
     * The remote host: AWS requires a random label in front of the endpoint's name (the name is a
     * wildcard, {@code *.cvpn-endpoint-...}); a fixed name is cached by resolvers across endpoints.
     */
    public static String remoteHost(String endpointDnsName, String randomLabel) {
        String base = endpointDnsName.startsWith("*.") ? endpointDnsName.substring(2) : endpointDnsName;
        return randomLabel + "." + base;
    }

    /** Twelve random hex digits. */
    public static String randomLabel() {
        byte[] b = new byte[6];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** The profile's text with a fresh random label. */
    public String render() {
        return render(randomLabel());
    }

    /** The profile's text with the given random label. */
    public String render(String randomLabel) {
        return "# OpenVPN client profile for the stack's AWS Client VPN endpoint (written by orthweb vpn-client).\n"
                + "# It holds this client's private key: keep it private (mode 0600), never mail or share it.\n"
                + "client\n"
                + "dev tun\n"
                + "proto " + protocol + "\n"
                + "remote " + remoteHost(endpointDnsName, randomLabel) + " " + port + "\n"
                + "resolv-retry infinite\n"
                + "nobind\n"
                // the server must present a certificate with the TLS server EKU: a client certificate
                // from the same CA cannot pose as the endpoint
                + "remote-cert-tls server\n"
                + "data-ciphers " + DATA_CIPHERS + "\n"
                + "cipher AES-256-GCM\n"
                + "tls-version-min 1.2\n"
                // AWS Client VPN renegotiates on its side; as in AWS's exported file
                + "reneg-sec 0\n"
                + "verb 3\n"
                + block("ca", caPem) + block("cert", certPem) + block("key", keyPem);
    }

    private static String block(String tag, String pem) {
        return "<" + tag + ">\n" + pem.strip() + "\n</" + tag + ">\n";
    }
}
