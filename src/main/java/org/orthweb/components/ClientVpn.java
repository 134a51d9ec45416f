package org.orthweb.components;

import com.pulumi.aws.acm.Certificate;
import com.pulumi.aws.acm.CertificateArgs;
import com.pulumi.aws.cloudwatch.LogGroup;
import com.pulumi.aws.cloudwatch.LogGroupArgs;
import com.pulumi.aws.cloudwatch.LogStream;
import com.pulumi.aws.cloudwatch.LogStreamArgs;
import com.pulumi.aws.ec2.SecurityGroup;
import com.pulumi.aws.ec2.SecurityGroupArgs;
import com.pulumi.aws.ec2clientvpn.AuthorizationRule;
import com.pulumi.aws.ec2clientvpn.AuthorizationRuleArgs;
import com.pulumi.aws.ec2clientvpn.Endpoint;
import com.pulumi.aws.ec2clientvpn.EndpointArgs;
import com.pulumi.aws.ec2clientvpn.NetworkAssociation;
import com.pulumi.aws.ec2clientvpn.NetworkAssociationArgs;
import com.pulumi.aws.ec2clientvpn.inputs.EndpointAuthenticationOptionArgs;
import com.pulumi.aws.ec2clientvpn.inputs.EndpointConnectionLogOptionsArgs;
import com.pulumi.aws.secretsmanager.Secret;
import com.pulumi.aws.secretsmanager.SecretArgs;
import com.pulumi.aws.secretsmanager.SecretVersion;
import com.pulumi.aws.secretsmanager.SecretVersionArgs;
import com.pulumi.aws.vpc.SecurityGroupEgressRule;
import com.pulumi.aws.vpc.SecurityGroupEgressRuleArgs;
import com.pulumi.aws.vpc.SecurityGroupIngressRule;
import com.pulumi.aws.vpc.SecurityGroupIngressRuleArgs;
import com.pulumi.core.Output;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.tls.CertRequest;
import com.pulumi.tls.CertRequestArgs;
import com.pulumi.tls.CertSubjectArgs;
import com.pulumi.tls.LocallySignedCert;
import com.pulumi.tls.PrivateKey;
import com.pulumi.tls.SelfSignedCert;
import com.pulumi.tls.SelfSignedCertArgs;
import org.orthweb.cloudinit.Layout;
import org.orthweb.naming.Policies;
import org.orthweb.pki.Validity;
import org.orthweb.vpn.VpnPki;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Private access through AWS Client VPN: an endpoint in the VPC with mutual-TLS authentication,
 * its certificates made by the program at deploy time (tls provider, RSA 2048 as Client VPN
 * requires; see {@link VpnPki} for why the VPN has a CA of its own and how a removed client is
 * stopped), connection logging to a log group under the stack's key, DNS through the VPC resolver,
 * one authorization rule for the VPC's block, and a security group that reaches only the hosts:
 * HTTPS, DICOM TLS and plain DICOM ({@link Layout#PLAIN_DICOM_PORT}, which only this group may reach).
 *
 * <p>Where the material goes: the server certificate, its key and the CA certificate are imported
 * into ACM (the key as a Pulumi secret); each client's key and certificate are one Secrets Manager
 * secret under the stack's key and a secret stack output that {@code orthweb vpn-client} turns
 * into an OpenVPN profile. The CA key lives only in the Pulumi state (a secret).
 */
public final class ClientVpn extends ComponentResource {

    public static final String TYPE = "orthweb:index:ClientVpn";
    /** Client VPN's port and transport: UDP 443, the service's default and what its clients expect. */
    public static final int VPN_PORT = 443;
    public static final String TRANSPORT = "udp";
    static final String ORGANIZATION = "Orthweb";

    /** The endpoint's DNS name as AWS reports it ({@code *.cvpn-endpoint-...}). */
    public final Output<String> endpointDnsName;
    public final Output<String> endpointId;
    public final Output<String> securityGroupId;
    /** The VPN CA certificate (public). */
    public final Output<String> caCertPem;
    /** Per client name: certificate and privateKey (PEM). A Pulumi secret. */
    public final Output<Map<String, Map<String, String>>> clientMaterial;
    public final Output<String> clientSecretArn;
    public final Output<String> logGroupName;

    public ClientVpn(String name, ClientVpnArgs args, ComponentResourceOptions options) {
        super(TYPE, name, options);
        var child = CustomResourceOptions.builder().parent(this).build();
        var vpn = args.settings();
        var naming = args.naming();
        // the CA belongs to this set of clients: a client removed is a new CA (see VpnPki)
        String gen = VpnPki.generation(vpn.clientNames());

        var caKey = key(name + "-ca-" + gen + "-key", child);
        var ca = new SelfSignedCert(name + "-ca-" + gen, SelfSignedCertArgs.builder()
                .privateKeyPem(caKey.privateKeyPem())
                .subject(CertSubjectArgs.builder().organization(ORGANIZATION)
                        .commonName("Orthweb " + args.stack() + " VPN CA " + gen).build())
                .isCaCertificate(true)
                .allowedUses(VpnPki.CA_USES)
                .validityPeriodHours(Validity.CA.periodHours())
                .earlyRenewalHours(Validity.CA.earlyRenewalHours())
                .setSubjectKeyId(true)
                .build(), CustomResourceOptions.builder().parent(caKey).build());
        this.caCertPem = ca.certPem();

        String serverName = VpnPki.serverName(args.stack());
        var serverKey = key(name + "-server-" + gen + "-key", child);
        var serverCsr = new CertRequest(name + "-server-" + gen + "-csr", CertRequestArgs.builder()
                .privateKeyPem(serverKey.privateKeyPem())
                .subject(CertSubjectArgs.builder().organization(ORGANIZATION).commonName(serverName).build())
                .dnsNames(Output.of(List.of(serverName)))
                .build(), CustomResourceOptions.builder().parent(serverKey).build());
        var server = signed(name + "-server-" + gen + "-cert", serverCsr, ca, caKey, Validity.SERVER, VpnPki.SERVER_USES,
                CustomResourceOptions.builder().parent(serverKey).build());

        var acmServer = new Certificate(name + "-server-" + gen, CertificateArgs.builder()
                .certificateBody(server.certPem())
                .privateKey(serverKey.privateKeyPem().asSecret())
                .certificateChain(ca.certPem())
                .tags(naming.tags("vpn-server"))
                .build(), child);

        List<Output<Map<String, String>>> material = new ArrayList<>();
        for (String client : vpn.clientNames()) {
            String base = name + "-client-" + client + "-" + gen;
            var clientKey = key(base + "-key", child);
            var csr = new CertRequest(base + "-csr", CertRequestArgs.builder()
                    .privateKeyPem(clientKey.privateKeyPem())
                    .subject(CertSubjectArgs.builder().organization(ORGANIZATION)
                            .organizationalUnit("VPN clients of " + args.stack())
                            .commonName(client).build())
                    .build(), CustomResourceOptions.builder().parent(clientKey).build());
            var cert = signed(base + "-cert", csr, ca, caKey, Validity.PEER, VpnPki.CLIENT_USES,
                    CustomResourceOptions.builder().parent(clientKey).build());
            material.add(Output.tuple(cert.certPem(), clientKey.privateKeyPem()).applyValue(t -> {
                Map<String, String> m = new LinkedHashMap<>();
                m.put("name", client);
                m.put("certificate", t.t1);
                m.put("privateKey", t.t2);
                return m;
            }));
        }
        this.clientMaterial = Output.all(material).applyValue(list -> {
            Map<String, Map<String, String>> byName = new LinkedHashMap<>();
            list.forEach(m -> byName.put(m.get("name"), m));
            return byName;
        }).asSecret();

        var secret = new Secret(name + "-clients-secret", SecretArgs.builder()
                .name(naming.prefix().applyValue(p -> p + "/orthweb/vpn-clients"))
                .description("Keys and certificates of the VPN clients (PEM), for their OpenVPN profiles; hosts cannot read it")
                .kmsKeyId(args.kmsKeyArn())
                .recoveryWindowInDays(args.recoveryWindowDays())
                .tags(naming.tags("vpn-clients"))
                .build(), CustomResourceOptions.builder().parent(this).protect(args.protect()).build());
        new SecretVersion(name + "-clients-secret-value", SecretVersionArgs.builder()
                .secretId(secret.id())
                .secretString(clientMaterial.applyValue(Policies::toJson).asSecret())
                .build(), CustomResourceOptions.builder().parent(secret).build());
        this.clientSecretArn = secret.arn();

        var logGroup = new LogGroup(name + "-connection-logs", LogGroupArgs.builder()
                .name(naming.prefix().applyValue(p -> "/" + p + "/orthweb/client-vpn"))
                .retentionInDays(args.logRetentionDays())
                .kmsKeyId(args.kmsKeyArn())
                .tags(naming.tags("vpn-connection-logs"))
                .build(), CustomResourceOptions.builder().parent(this).protect(args.protect()).build());
        var logStream = new LogStream(name + "-connections", LogStreamArgs.builder()
                .logGroupName(logGroup.name())
                .name("connections")
                .build(), CustomResourceOptions.builder().parent(logGroup).build());
        this.logGroupName = logGroup.name();

        var sg = new SecurityGroup(name + "-sg", SecurityGroupArgs.builder()
                .vpcId(args.vpcId())
                .description("Client VPN endpoint: out only to the Orthanc hosts (HTTPS, DICOM TLS, plain DICOM)")
                .tags(naming.tags("vpn-sg"))
                .build(), child);
        var underSg = CustomResourceOptions.builder().parent(sg).build();
        for (var port : HOST_PORTS.entrySet()) {
            new SecurityGroupEgressRule(name + "-to-hosts-" + port.getKey(), SecurityGroupEgressRuleArgs.builder()
                    .securityGroupId(sg.id())
                    .description(port.getValue() + " to the Orthanc hosts")
                    .ipProtocol("tcp").fromPort(port.getKey()).toPort(port.getKey())
                    .referencedSecurityGroupId(args.hostSecurityGroupId())
                    .build(), underSg);
            new SecurityGroupIngressRule(name + "-from-vpn-" + port.getKey(), SecurityGroupIngressRuleArgs.builder()
                    .securityGroupId(args.hostSecurityGroupId())
                    .description(port.getValue() + " from VPN clients (the Client VPN endpoint's group)")
                    .ipProtocol("tcp").fromPort(port.getKey()).toPort(port.getKey())
                    .referencedSecurityGroupId(sg.id())
                    .build(), underSg);
        }
        this.securityGroupId = sg.id();

        var endpoint = new Endpoint(name + "-endpoint", EndpointArgs.builder()
                .description("Orthweb " + args.stack() + ": private access to the Orthanc hosts")
                .serverCertificateArn(acmServer.arn())
                .authenticationOptions(EndpointAuthenticationOptionArgs.builder()
                        .type("certificate-authentication")
                        // the server certificate's chain is the VPN CA, which signs the clients' certificates
                        .rootCertificateChainArn(acmServer.arn())
                        .build())
                .clientCidrBlock(vpn.clientCidr().toString())
                .connectionLogOptions(EndpointConnectionLogOptionsArgs.builder()
                        .enabled(true)
                        .cloudwatchLogGroup(logGroup.name())
                        .cloudwatchLogStream(logStream.name())
                        .build())
                .dnsServers(List.of(VpnPki.vpcResolver(args.vpcCidr())))
                .splitTunnel(vpn.splitTunnel())
                .sessionTimeoutHours(vpn.sessionTimeoutHours())
                .transportProtocol(TRANSPORT)
                .vpnPort(VPN_PORT)
                .vpcId(args.vpcId())
                .securityGroupIds(sg.id().applyValue(List::of))
                .selfServicePortal("disabled")
                .tags(naming.tags("client-vpn"))
                .build(), CustomResourceOptions.builder().parent(this).deleteBeforeReplace(true).build());
        var underEndpoint = CustomResourceOptions.builder().parent(endpoint).build();
        for (int i = 0; i < vpn.subnetAssociations(); i++) {
            new NetworkAssociation(name + "-association-" + (i + 1), NetworkAssociationArgs.builder()
                    .clientVpnEndpointId(endpoint.id())
                    .subnetId(args.privateSubnetIds().get(i))
                    .build(), underEndpoint);
        }
        new AuthorizationRule(name + "-vpc-access", AuthorizationRuleArgs.builder()
                .clientVpnEndpointId(endpoint.id())
                .targetNetworkCidr(args.vpcCidr())
                .authorizeAllGroups(true)
                .description("every authenticated client may reach the VPC (the security groups narrow it to the hosts)")
                .build(), underEndpoint);
        this.endpointDnsName = endpoint.dnsName();
        this.endpointId = endpoint.id();
        registerOutputs(Map.of("endpointDnsName", endpointDnsName, "endpointId", endpointId,
                "securityGroupId", securityGroupId, "caCertPem", caCertPem, "clientSecretArn", clientSecretArn));
    }

    /** The hosts' ports the VPN reaches, with what they carry. */
    public static final Map<Integer, String> HOST_PORTS = orderedPorts();

    private static Map<Integer, String> orderedPorts() {
        Map<Integer, String> m = new LinkedHashMap<>();
        m.put(Layout.HTTPS_PORT, "HTTPS");
        m.put(Layout.DICOM_TLS_PORT, "DICOM over TLS");
        m.put(Layout.PLAIN_DICOM_PORT, "plain DICOM (VPN only)");
        return java.util.Collections.unmodifiableMap(m);
    }

    private static PrivateKey key(String name, CustomResourceOptions options) {
        return Certificates.rsaKey(name, VpnPki.RSA_BITS, options);
    }

    private static LocallySignedCert signed(String name, CertRequest csr, SelfSignedCert ca, PrivateKey caKey,
                                            Validity validity, List<String> uses, CustomResourceOptions options) {
        return Certificates.signed(name, csr, ca, caKey, validity, uses, options);
    }
}
