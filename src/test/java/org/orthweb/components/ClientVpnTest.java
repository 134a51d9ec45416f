package org.orthweb.components;

import org.junit.jupiter.api.Test;
import org.orthweb.VpnOutputs;
import org.orthweb.cloudinit.Layout;
import org.orthweb.plan.Plan;
import org.orthweb.plan.Plan.PlannedResource;
import org.orthweb.support.TestStacks;
import org.orthweb.vpn.VpnPki;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.orthweb.support.TestStacks.map;

/** The Client VPN under the mock engine: what {@code orthweb:vpn} creates, what is secret, what it reaches. */
@SuppressWarnings("unchecked")
class ClientVpnTest {

    static final String VPN = """
              orthweb:vpn:
                clientCidr: 10.250.0.0/22
                clients:
                  - name: alice
                  - name: ct-site-b
            """;

    private final Plan plan = TestStacks.plan("vpn", TestStacks.yaml("dev", VPN));
    private final String gen = VpnPki.generation(List.of("alice", "ct-site-b"));

    @Test
    void withoutTheSettingNothingOfTheVpnExists() {
        for (String stack : List.of("dev", "prod")) {
            Plan shipped = TestStacks.shipped(stack);
            assertThat(shipped.resources()).as(stack).noneMatch(r -> r.type().startsWith("aws:ec2clientvpn/")
                    || r.type().startsWith("aws:acm/") || r.name().startsWith("vpn"));
            assertThat(shipped.outputs()).as(stack).doesNotContainKeys(VpnOutputs.CLIENTS, VpnOutputs.ENDPOINT_DNS_NAME);
        }
    }

    @Test
    void endpointWithMutualTlsLoggingVpcDnsSplitTunnelAndTimeout() {
        var endpoint = one("aws:ec2clientvpn/endpoint:Endpoint");
        PlannedResource acm = plan.named("vpn-server-" + gen);
        assertThat(endpoint.inputs()).containsEntry("clientCidrBlock", "10.250.0.0/22")
                .containsEntry("serverCertificateArn", acm.get("arn"))
                .containsEntry("splitTunnel", true)
                .containsEntry("sessionTimeoutHours", 24L)
                .containsEntry("transportProtocol", "udp")
                .containsEntry("vpnPort", 443L)
                // the VPC resolver: the default VPC block 172.17.0.0/16, base + 2
                .containsEntry("dnsServers", List.of("172.17.0.2"))
                .containsEntry("vpcId", plan.named("network-vpc").id())
                .containsEntry("securityGroupIds", List.of(plan.named("vpn-sg").id()));
        var auth = map(((List<?>) endpoint.inputs().get("authenticationOptions")).get(0));
        assertThat(auth).containsEntry("type", "certificate-authentication").containsEntry("rootCertificateChainArn", acm.get("arn"));
        var logs = map(endpoint.inputs().get("connectionLogOptions"));
        var logGroup = plan.named("vpn-connection-logs");
        assertThat(logs).containsEntry("enabled", true).containsEntry("cloudwatchLogGroup", logGroup.get("name"));
        assertThat(logGroup.inputs()).containsEntry("kmsKeyId", plan.named("encryption-key").get("arn"))
                .containsEntry("retentionInDays", 7L);
    }

    @Test
    void oneAssociationByDefaultAndOneRuleForTheVpc() {
        var endpointId = one("aws:ec2clientvpn/endpoint:Endpoint").id();
        var associations = plan.ofType("aws:ec2clientvpn/networkAssociation:NetworkAssociation");
        assertThat(associations).hasSize(1);
        assertThat(associations.get(0).inputs()).containsEntry("clientVpnEndpointId", endpointId)
                .containsEntry("subnetId", plan.named("network-private-1").id());
        var rule = one("aws:ec2clientvpn/authorizationRule:AuthorizationRule");
        assertThat(rule.inputs()).containsEntry("clientVpnEndpointId", endpointId)
                .containsEntry("targetNetworkCidr", "172.17.0.0/16").containsEntry("authorizeAllGroups", true);

        Plan two = TestStacks.plan("vpn2", TestStacks.yaml("dev", VPN + "    subnetAssociations: 2\n"));
        assertThat(two.ofType("aws:ec2clientvpn/networkAssociation:NetworkAssociation"))
                .extracting(r -> r.inputs().get("subnetId"))
                .containsExactly(two.named("network-private-1").id(), two.named("network-private-2").id());
    }

    @Test
    void certificatesRsa2048FromTheVpnCaWithKeysSecretAndImportedIntoAcm() {
        for (PlannedResource key : plan.ofType("tls:index/privateKey:PrivateKey")) {
            if (key.parent().equals("vpn")) {
                assertThat(key.inputs()).containsEntry("algorithm", "RSA").containsEntry("rsaBits", 2048L);
            }
        }
        assertThat(plan.named("vpn-ca-" + gen).inputs()).containsEntry("isCaCertificate", true)
                .containsEntry("privateKeyPem", Plan.SECRET)
                .containsEntry("validityPeriodHours", 3650L * 24);
        assertThat(plan.named("vpn-client-alice-" + gen + "-cert").inputs()).containsEntry("caPrivateKeyPem", Plan.SECRET);
        assertThat((List<Object>) plan.named("vpn-client-alice-" + gen + "-cert").inputs().get("allowedUses"))
                .contains("client_auth").doesNotContain("server_auth");
        assertThat((List<Object>) plan.named("vpn-server-" + gen + "-cert").inputs().get("allowedUses"))
                .contains("server_auth").doesNotContain("client_auth");
        assertThat(map(plan.named("vpn-client-ct-site-b-" + gen + "-csr").inputs().get("subject")))
                .containsEntry("commonName", "ct-site-b");
        // one ACM import: server certificate, key as a secret, the VPN CA as chain; no client key in ACM
        var acm = plan.ofType("aws:acm/certificate:Certificate");
        assertThat(acm).hasSize(1);
        assertThat(acm.get(0).inputs()).containsEntry("privateKey", Plan.SECRET)
                .containsEntry("certificateChain", plan.named("vpn-ca-" + gen).get("certPem"))
                .containsKey("certificateBody");
        assertThat(plan.named("vpn-clients-secret").inputs()).containsEntry("kmsKeyId", plan.named("encryption-key").get("arn"));
        assertThat(plan.named("vpn-clients-secret-value").inputs()).containsEntry("secretString", Plan.SECRET);
        assertThat(plan.outputs()).containsEntry(VpnOutputs.CLIENTS, Plan.SECRET);
        assertThat(String.valueOf(plan.outputs().get(VpnOutputs.CA_CERTIFICATE))).startsWith("-----BEGIN CERTIFICATE-----");
        // the hosts never learn of the VPN's keys
        String userData = TestStacks.decodeUserData(plan.named("host-template").inputs().get("userData"));
        assertThat(userData).doesNotContain(String.valueOf(plan.outputs().get(VpnOutputs.CLIENT_SECRET_ARN)));
    }

    @Test
    void removingAClientMakesANewCaSoItsOldCertificateIsNoLongerTrusted() {
        Plan fewer = TestStacks.plan("vpn-fewer", TestStacks.yaml("dev", """
                  orthweb:vpn:
                    clientCidr: 10.250.0.0/22
                    clients:
                      - name: alice
                """));
        String after = VpnPki.generation(List.of("alice"));
        assertThat(after).isNotEqualTo(gen);
        assertThat(fewer.resources()).noneMatch(r -> r.name().contains(gen)).noneMatch(r -> r.name().contains("ct-site-b"));
        var endpoint = fewer.ofType("aws:ec2clientvpn/endpoint:Endpoint").get(0);
        var auth = map(((List<?>) endpoint.inputs().get("authenticationOptions")).get(0));
        assertThat(auth).containsEntry("rootCertificateChainArn", fewer.named("vpn-server-" + after).get("arn"));
    }

    @Test
    void theVpnGroupReachesOnlyTheHostsAndTheHostsAdmitItOnHttpsDicomTlsAndPlainDicom() {
        String vpnSg = plan.named("vpn-sg").id();
        String hostSg = plan.named("firewall-sg").id();
        var egress = plan.ofType("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").stream()
                .filter(r -> vpnSg.equals(r.inputs().get("securityGroupId"))).toList();
        var ingress = plan.ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").stream()
                .filter(r -> vpnSg.equals(r.inputs().get("referencedSecurityGroupId"))).toList();
        List<Long> ports = List.of(443L, 11112L, (long) Layout.PLAIN_DICOM_PORT);
        for (var rules : List.of(egress, ingress)) {
            assertThat(rules).extracting(r -> r.inputs().get("fromPort")).containsExactlyInAnyOrderElementsOf(ports);
            rules.forEach(r -> assertThat(r.inputs()).containsEntry("ipProtocol", "tcp")
                    .doesNotContainKeys("cidrIpv4", "cidrIpv6"));
        }
        egress.forEach(r -> assertThat(r.inputs()).containsEntry("referencedSecurityGroupId", hostSg));
        ingress.forEach(r -> assertThat(r.inputs()).containsEntry("securityGroupId", hostSg));
        assertThat(plan.named("vpn-sg").inputs().get("ingress")).isNull();
    }

    private PlannedResource one(String type) {
        var list = plan.ofType(type);
        assertThat(list).hasSize(1);
        return list.get(0);
    }

    static Map<String, Object> inputs(Plan p, String name) {
        return p.named(name).inputs();
    }
}
