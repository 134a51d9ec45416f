package org.orthweb.config;

import org.junit.jupiter.api.Test;
import org.orthweb.cloudinit.AppImages;
import org.orthweb.net.Cidr;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each rule called directly: a passing value, a failing one and its message. */
class RulesTest {

    private static final String ED25519 =
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGxqHDn8UTPMJk3xaO4JCcXGPq9Zb0o8J1yvW7Z2Zq5x alice@example.org";

    private static <T> void refuses(Rule<T> rule, T value, String message) {
        assertThatThrownBy(() -> rule.check(value)).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    @Test
    void regionName() {
        assertThat(new Rules.RegionName().check("ap-southeast-2")).isEqualTo("ap-southeast-2");
        refuses(new Rules.RegionName(), "Europe", "must be an AWS region name such as us-east-1 (got 'Europe')");
    }

    @Test
    void tagValue() {
        assertThat(new Rules.TagValue().check("radiology it@clinic")).isEqualTo("radiology it@clinic");
        refuses(new Rules.TagValue(), "a;b", "must be 1-256 letters, digits, spaces or _.:/=+-@ (an AWS tag value)");
    }

    @Test
    void vpcPrefix() {
        assertThat(new Rules.VpcPrefix().check(Cidr.parse("10.0.0.0/24"))).hasToString("10.0.0.0/24");
        refuses(new Rules.VpcPrefix(), Cidr.parse("10.0.0.0/8"), "must have a prefix from /16 to /24 (got 10.0.0.0/8)");
    }

    /** The hosts' containers live in 10.255.255.0/24 (host firewall): a VPC may not overlap it. */
    @Test
    void vpcStaysClearOfTheContainerNetwork() {
        for (String ok : new String[]{"172.17.0.0/16", "10.0.0.0/16", "10.255.254.0/24"}) {
            assertThat(new Rules.OutsideContainerNetwork().check(Cidr.parse(ok))).hasToString(ok);
        }
        for (String bad : new String[]{"10.255.0.0/16", "10.255.255.0/24"}) {
            refuses(new Rules.OutsideContainerNetwork(), Cidr.parse(bad), "overlaps the hosts' container network "
                    + "10.255.255.0/24 (fixed, see docs/security.md); choose a VPC CIDR outside it (got " + bad + ")");
        }
    }

    @Test
    void clientCidrsAreNonEmptyAndDistinct() {
        List<Cidr> two = List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("192.0.2.0/24"));
        assertThat(new Rules.ClientCidrs().check(two)).isEqualTo(two);
        refuses(new Rules.ClientCidrs(), List.of(),
                "must list at least one IPv4 CIDR (use [\"0.0.0.0/0\"] to allow any address)");
        refuses(new Rules.ClientCidrs(), List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("192.0.2.0/24"), Cidr.parse("10.0.0.0/8")),
                "lists 10.0.0.0/8 twice (AWS refuses duplicate security group rules)");
    }

    @Test
    void interfaceEndpoints() {
        assertThat(new Rules.InterfaceEndpoints().check(List.of("kms", "ssm"))).containsExactly("kms", "ssm");
        refuses(new Rules.InterfaceEndpoints(), List.of("dynamodb"),
                ": 'dynamodb' is not offered; allowed: ec2, ec2messages, kms, logs, secretsmanager, ssm, ssmmessages, sts");
        refuses(new Rules.InterfaceEndpoints(), List.of("kms", "kms"), "lists a service twice");
    }

    @Test
    void x86InstanceType() {
        assertThat(new Rules.X86InstanceType().check("g4dn.xlarge")).isEqualTo("g4dn.xlarge");
        refuses(new Rules.X86InstanceType(), "t4g.medium",
                "must be x86_64 (the image is Amazon Linux 2023 x86_64); 't4g.medium' is a Graviton (arm64) type");
        refuses(new Rules.X86InstanceType(), "a1.large",
                "must be x86_64 (the image is Amazon Linux 2023 x86_64); 'a1.large' is a Graviton (arm64) type");
        refuses(new Rules.X86InstanceType(), "big", "must be an EC2 instance type such as t3.medium (got 'big')");
    }

    @Test
    void sshPublicKey() {
        assertThat(new Rules.SshPublicKey().check(ED25519)).isEqualTo(ED25519);
        refuses(new Rules.SshPublicKey(), "ssh-dss AAAAB3NzaC1kc3MAAACBAP",
                "must be an OpenSSH public key starting with ssh-rsa or ssh-ed25519");
        refuses(new Rules.SshPublicKey(), ED25519.replace("ssh-ed25519", "ssh-rsa"), "says ssh-rsa but its key data is ssh-ed25519");
        refuses(new Rules.SshPublicKey(), "ssh-ed25519 AAAA", "has key data that is not a valid OpenSSH key blob");
    }

    @Test
    void dbInstanceClass() {
        assertThat(new Rules.DbInstanceClass().check("db.r7g.large")).isEqualTo("db.r7g.large");
        refuses(new Rules.DbInstanceClass(), "t3.medium", "must be an RDS instance class such as db.t4g.medium (got 't3.medium')");
        // a size whose memory is known (whether it holds the stack's pools: ConnectionBudgetTest)
        assertThat(new Rules.DbClassKnownSize().check("db.t4g.micro")).isEqualTo("db.t4g.micro");
        assertThat(new Rules.DbClassKnownSize().check("db.r6g.12xlarge")).isEqualTo("db.r6g.12xlarge");
        refuses(new Rules.DbClassKnownSize(), "db.t4g.huge", "must be a class of a known size, such as db.t4g.medium: "
                + "unknown RDS instance size 'huge' in 'db.t4g.huge' (sizes "
                + "known: micro, small, medium, large, xlarge, Nxlarge, metal)");
    }

    @Test
    void engineVersion() {
        assertThat(new Rules.EngineVersion().check("16.4")).isEqualTo("16.4");
        assertThat(new Rules.EngineVersion().check("17")).isEqualTo("17");
        for (String bad : List.of("17.", "17.6.1", "v17", "17.x", "", " 17", "latest")) {
            refuses(new Rules.EngineVersion(), bad, "must be a PostgreSQL major version such as 17 (recommended: minor versions "
                    + "then follow RDS's automatic upgrades) or a pinned major.minor such as 17.6 (got '" + bad + "')");
        }
        refuses(new Rules.EngineVersion(), "14.9", "must be PostgreSQL 16 or 17 (a major, or major.minor; got '14.9')");
        refuses(new Rules.EngineVersion(), "18", "must be PostgreSQL 16 or 17 (a major, or major.minor; got '18')");
    }

    @Test
    void logRetention() {
        assertThat(new Rules.LogRetention().check(365)).isEqualTo(365);
        assertThatThrownBy(() -> new Rules.LogRetention().check(10))
                .hasMessageStartingWith("must be one of CloudWatch's periods [1, 3, 5, 7, 14").hasMessageEndingWith("(got 10)");
    }

    @Test
    void dnsNameIsKeptLowerCase() {
        assertThat(new Rules.DnsName().check("Orthanc.Example.org")).isEqualTo("orthanc.example.org");
        refuses(new Rules.DnsName(), "localhost", "must be a fully qualified DNS name such as orthanc.example.org (got 'localhost')");
        refuses(new Rules.DnsName(), "-a.example.org", "must be a fully qualified DNS name such as orthanc.example.org (got '-a.example.org')");
    }

    @Test
    void imagesResolveToTheWholeSet() {
        Map<String, String> resolved = new Rules.Images().check(Map.of("nginx", "nginx:1.29.3-alpine"));
        assertThat(resolved).containsEntry("nginx", "nginx:1.29.3-alpine").containsKeys(AppImages.DEFAULTS.keySet().toArray(String[]::new));
        String nginx = AppImages.DEFAULTS.get("nginx");
        refuses(new Rules.Images(), Map.of("nginx", "nginx:latest"),
                ".nginx: image 'nginx' must be pinned by a tag other than 'latest' or a digest: 'nginx:latest' is "
                        + "docker.io/library/nginx:latest, which moves. Allowed: an image reference pinned by tag or digest "
                        + "(such as " + nginx + ", localhost:5000/" + nginx + ", nginx@sha256:<64 hex>), or ':<tag>' for "
                        + "another tag of nginx");
        assertThatThrownBy(() -> new Rules.Images().check(Map.of("postgres", "postgres:17")))
                .hasMessageStartingWith(".postgres: unknown image; allowed: authService");
    }

    @Test
    void emailAddresses() {
        var rule = new Rules.EmailAddresses();
        assertThat(rule.check(java.util.List.of(" ops@example.org", "o'brien+pacs@mail.example.co.uk")))
                .containsExactly("ops@example.org", "o'brien+pacs@mail.example.co.uk");
        refuses(rule, java.util.List.of("ops at example.org"), "'ops at example.org' is not an e-mail address such as ops@example.org");
        refuses(rule, java.util.List.of("<ops@example.org>"), "'<ops@example.org>' is not an e-mail address such as ops@example.org");
        refuses(rule, java.util.List.of("a@example.org", "A@EXAMPLE.org"), "lists A@EXAMPLE.org twice");
        var eleven = java.util.stream.IntStream.range(0, 11).mapToObj(i -> "u" + i + "@example.org").toList();
        refuses(rule, eleven, "lists 11 addresses; at most 10 (AWS Budgets' limit per notification): use a mailing list");
    }

    void vpnClientCidrIsSlash12ToSlash22() {
        assertThat(new Rules.VpnClientCidr().check(Cidr.parse("10.250.0.0/22"))).hasToString("10.250.0.0/22");
        assertThat(new Rules.VpnClientCidr().check(Cidr.parse("10.240.0.0/12"))).hasToString("10.240.0.0/12");
        refuses(new Rules.VpnClientCidr(), Cidr.parse("10.250.0.0/24"),
                "must have a prefix from /12 to /22 (AWS Client VPN's limits; got 10.250.0.0/24)");
        refuses(new Rules.VpnClientCidr(), Cidr.parse("10.0.0.0/8"),
                "must have a prefix from /12 to /22 (AWS Client VPN's limits; got 10.0.0.0/8)");
    }

    @Test
    void vpnClientsAreNamedOnceEachAsDnsLabels() {
        var two = List.of(new StackConfig.VpnClient("alice"), new StackConfig.VpnClient("ct-site-b"));
        assertThat(new Rules.VpnClients().check(two)).isEqualTo(two);
        refuses(new Rules.VpnClients(), List.of(), "must list at least one client, such as [{name: alice}]");
        refuses(new Rules.VpnClients(), List.of(new StackConfig.VpnClient("alice"), new StackConfig.VpnClient("alice")),
                "lists the name 'alice' twice (one certificate per name)");
        assertThat(new Rules.VpnClientName().check("ct-1")).isEqualTo("ct-1");
        refuses(new Rules.VpnClientName(), "Alice Smith", "must be a DNS label: 1-63 lower-case letters, digits or hyphens, "
                + "not starting or ending with a hyphen (got 'Alice Smith')");
        refuses(new Rules.VpnClientName(), "-x", "must be a DNS label: 1-63 lower-case letters, digits or hyphens, "
                + "not starting or ending with a hyphen (got '-x')");
    }

    @Test
    void vpnSessionTimeoutIsOneAwsAccepts() {
        for (int h : List.of(8, 10, 12, 24)) {
            assertThat(new Rules.VpnSessionTimeout().check(h)).isEqualTo(h);
        }
        refuses(new Rules.VpnSessionTimeout(), 9, "must be one of 8, 10, 12, 24 (hours, the values AWS Client VPN accepts; got 9)");
    }
}
