package org.orthweb;

/**
 * Names of the stack outputs that describe the Client VPN (present only with {@code orthweb:vpn});
 * the program exports them, {@code orthweb vpn-client} reads them.
 */
public final class VpnOutputs {

    /** The endpoint's DNS name as AWS reports it ({@code *.cvpn-endpoint-...amazonaws.com}). */
    public static final String ENDPOINT_DNS_NAME = "vpnEndpointDnsName";
    /** The endpoint's port (443). */
    public static final String PORT = "vpnPort";
    /** The endpoint's transport ("udp"). */
    public static final String PROTOCOL = "vpnProtocol";
    /** The VPN CA certificate (PEM): clients verify the endpoint with it. */
    public static final String CA_CERTIFICATE = "vpnCaCertificate";
    /** Secret: per client name, {@code {name, certificate, privateKey}}. */
    public static final String CLIENTS = "vpnClients";
    /** The Secrets Manager secret holding the same client material (operators, not hosts, read it). */
    public static final String CLIENT_SECRET_ARN = "vpnClientSecretArn";

    private VpnOutputs() {
    }
}
