package org.orthweb.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each rule with a failing example and its message; defaults per environment. */
class ConfigParserTest {

    private static final String BASE = """
            config:
              aws:region: eu-west-1
              orthweb:environment: %s
              orthweb:owner: radiology-it
            """;
    private static final String ED25519 =
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGxqHDn8UTPMJk3xaO4JCcXGPq9Zb0o8J1yvW7Z2Zq5x alice@example.org";

    static StackConfig parse(String yaml) {
        return ConfigParser.parse("test", RawConfig.fromStackYaml(yaml, "Pulumi.test.yaml"));
    }

    static String dev(String extra) {
        return BASE.formatted("dev") + extra;
    }

    /** A prd stack file: hardened stacks must name who hears their alarms. */
    static String prd(String extra) {
        return BASE.formatted("prd") + (extra.contains("orthweb:alerts") ? "" : PRD_ALERTS) + extra;
    }

    static final String PRD_ALERTS = "  orthweb:alerts:\n    emails: [imaging-it@example.org]\n";

    static void refused(String yaml, String... fragments) {
        assertThatThrownBy(() -> parse(yaml)).isInstanceOf(ConfigException.class)
                .satisfies(e -> {
                    for (String fragment : fragments) {
                        assertThat(e.getMessage()).contains(fragment);
                    }
                });
    }

    @Test
    void devDefaultsAreCheap() {
        StackConfig c = parse(dev(""));
        assertThat(c.environment()).isEqualTo(Environment.DEV);
        assertThat(c.hardened()).isFalse();
        assertThat(c.network().vpcCidr()).hasToString("172.17.0.0/16");
        assertThat(c.network().azCount()).isEqualTo(2);
        assertThat(c.network().publicSubnetPrefixLength()).isEqualTo(24);
        assertThat(c.network().privateSubnetPrefixLength()).isEqualTo(22);
        assertThat(c.network().interfaceEndpoints()).isEmpty();
        assertThat(c.host().instanceCount()).isEqualTo(1);
        assertThat(c.host().instanceType()).isEqualTo("t3.medium");
        assertThat(c.database().multiAz()).isFalse();
        assertThat(c.database().instanceClass()).isEqualTo("db.t4g.small");
        assertThat(c.logging().retentionDays()).isEqualTo(7);
        assertThat(c.site().name()).isEmpty();
    }

    @Test
    void prdDefaultsAreSafe() {
        StackConfig c = parse(prd("""
                  orthweb:network:
                    dicomClientCidrs: ["203.0.113.0/24"]
                """));
        assertThat(c.hardened()).isTrue();
        assertThat(c.database().multiAz()).isTrue();
        assertThat(c.host().instanceCount()).isEqualTo(2);
        assertThat(c.logging().retentionDays()).isGreaterThanOrEqualTo(365);
        // the hosts never call KMS themselves (S3 and Secrets Manager do): no kms endpoint by default
        assertThat(c.network().interfaceEndpoints()).containsExactly("secretsmanager");
    }

    @Test
    void stgIsHardenedAndTstIsNot() {
        assertThat(Environment.fromCode("stg").hardened()).isTrue();
        assertThat(Environment.fromCode("tst").hardened()).isFalse();
    }

    @Test
    void explicitValuesWin() {
        StackConfig c = parse(dev("""
                  orthweb:network:
                    vpcCidr: 10.20.0.0/20
                    azCount: 3
                    publicSubnetPrefixLength: 26
                    privateSubnetPrefixLength: 24
                    interfaceEndpoints: [kms, secretsmanager, ssm]
                    webClientCidrs: ["198.51.100.0/24", "192.0.2.10/32"]
                  orthweb:host:
                    instanceType: m6i.large
                    instanceCount: 3
                    rootVolumeGiB: 40
                    publicKey: %s
                  orthweb:database:
                    engineVersion: "16.8"
                    allocatedStorageGiB: 100
                    backupRetentionDays: 35
                  orthweb:logging:
                    containerLogs: false
                    retentionDays: 90
                  orthweb:site:
                    name: Orthanc.Example.org
                """.formatted(ED25519)));
        assertThat(c.network().azCount()).isEqualTo(3);
        assertThat(c.network().webClientCidrs()).map(Object::toString).containsExactly("198.51.100.0/24", "192.0.2.10/32");
        assertThat(c.host().publicKey()).contains(ED25519);
        assertThat(c.database().majorVersion()).isEqualTo("16");
        assertThat(c.logging().containerLogs()).isFalse();
        assertThat(c.site().name()).contains("orthanc.example.org");
    }

    @Test
    void engineStyleStringScalarsAreAccepted() {
        // The engine passes scalars as text and objects as JSON text.
        var raw = RawConfig.fromEngineEnvironment(java.util.Map.of(
                "PULUMI_CONFIG", """
                        {"aws:region":"us-east-2","orthweb:environment":"tst","orthweb:owner":"lab",
                         "orthweb:network":"{\\"azCount\\":\\"3\\",\\"dicomClientCidrs\\":[\\"10.1.0.0/16\\"]}",
                         "orthweb:logging":"{\\"containerLogs\\":\\"false\\"}",
                         "orthweb:host":"{\\"rootVolumeGiB\\":\\"40\\"}"}""",
                "PULUMI_CONFIG_SECRET_KEYS", "[\"orthweb:host\"]"));
        StackConfig c = ConfigParser.parse("tst", raw);
        assertThat(c.network().azCount()).isEqualTo(3);
        assertThat(c.logging().containerLogs()).isFalse();
        assertThat(c.secretKeys()).containsExactly("orthweb:host");
        assertThat(c.host().rootVolumeGiB()).isEqualTo(40);
    }

    @Test
    void secureValuesInAStackFileAreSecrets() {
        StackConfig c = parse(dev("""
                  orthweb:host:
                    publicKey:
                      secure: AAABAHZlcnlzZWNyZXQ=
                """));
        assertThat(c.secretKeys()).containsExactly("orthweb:host");
        assertThat(c.host().publicKey()).contains(RawConfig.SECRET_PLACEHOLDER);
    }

    @Test
    void valuesThatArePublicOnceDeployedMayNotBeSecrets() {
        refused(dev("  orthweb:site:\n    name:\n      secure: AAABAHZlcnlzZWNyZXQ=\n"),
                "orthweb:site is stored as a secret, but its value is public once deployed", "set it without --secret");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "missing region|config:\\n  orthweb:environment: dev\\n  orthweb:owner: x|aws:region is required",
            "bad region|config:\\n  aws:region: Europe\\n  orthweb:environment: dev\\n  orthweb:owner: x|aws:region must be an AWS region name",
            "missing environment|config:\\n  aws:region: us-east-1\\n  orthweb:owner: x|orthweb:environment is required: one of prd, stg, tst, dev",
            "bad environment|config:\\n  aws:region: us-east-1\\n  orthweb:environment: prod\\n  orthweb:owner: x|orthweb:environment must be one of prd, stg, tst, dev (got 'prod')",
            "missing owner|config:\\n  aws:region: us-east-1\\n  orthweb:environment: dev|orthweb:owner is required"})
    void requiredKeys(String name, String yaml, String message) {
        refused(yaml.replace("\\n", "\n"), message);
    }

    @Test
    void vpcCidrMustBeValid() {
        refused(dev("  orthweb:network:\n    vpcCidr: 172.17.0.0/33\n"), "orthweb:network.vpcCidr", "prefix length outside 0-32");
        refused(dev("  orthweb:network:\n    vpcCidr: 172.17.1.0/16\n"), "orthweb:network.vpcCidr", "host bits");
        refused(dev("  orthweb:network:\n    vpcCidr: 10.0.0.0/8\n"), "orthweb:network.vpcCidr must have a prefix from /16 to /24");
    }

    @Test
    void azCountIsOneToThree() {
        refused(dev("  orthweb:network:\n    azCount: 4\n"), "orthweb:network.azCount must be from 1 to 3 (got 4)");
        refused(dev("  orthweb:network:\n    azCount: 0\n"), "orthweb:network.azCount must be from 1 to 3 (got 0)");
        refused(dev("  orthweb:network:\n    azCount: two\n"), "orthweb:network.azCount must be a whole number from 1 to 3 (got 'two')");
    }

    @Test
    void subnetsMustFitTheVpc() {
        refused(dev("  orthweb:network:\n    vpcCidr: 10.0.0.0/24\n    azCount: 3\n    publicSubnetPrefixLength: 26\n"
                        + "    privateSubnetPrefixLength: 26\n"),
                "orthweb:network.publicSubnetPrefixLength/privateSubnetPrefixLength", "do not fit in 10.0.0.0/24");
    }

    @Test
    void clientCidrListsMustBeValidAndNonEmpty() {
        refused(dev("  orthweb:network:\n    webClientCidrs: [\"1.2.3.4\"]\n"), "orthweb:network.webClientCidrs", "a.b.c.d/n");
        refused(dev("  orthweb:network:\n    dicomClientCidrs: []\n"), "orthweb:network.dicomClientCidrs must list at least one IPv4 CIDR");
        refused(dev("  orthweb:network:\n    webClientCidrs: 0.0.0.0/0\n"), "orthweb:network.webClientCidrs must be a list");
    }

    @Test
    void prdRefusesDicomFromAnywhereAndRequiresTheList() {
        refused(prd("  orthweb:network:\n    dicomClientCidrs: [\"0.0.0.0/0\"]\n"),
                "orthweb:network.dicomClientCidrs may not contain 0.0.0.0/0 in environment prd");
        refused(prd(""), "orthweb:network.dicomClientCidrs is required in this environment");
    }

    @Test
    void interfaceEndpointsFromTheOfferedSet() {
        refused(dev("  orthweb:network:\n    interfaceEndpoints: [kms, dynamodb]\n"),
                "orthweb:network.interfaceEndpoints: 'dynamodb' is not offered; allowed: ec2, ec2messages, kms");
        refused(dev("  orthweb:network:\n    interfaceEndpoints: [kms, kms]\n"), "lists a service twice");
    }

    @Test
    void instanceTypeMustBeX86() {
        refused(dev("  orthweb:host:\n    instanceType: t4g.medium\n"), "orthweb:host.instanceType must be x86_64", "Graviton");
        refused(dev("  orthweb:host:\n    instanceType: m7gd.large\n"), "orthweb:host.instanceType must be x86_64");
        refused(dev("  orthweb:host:\n    instanceType: big\n"), "orthweb:host.instanceType must be an EC2 instance type");
        assertThat(parse(dev("  orthweb:host:\n    instanceType: g4dn.xlarge\n")).host().instanceType()).isEqualTo("g4dn.xlarge");
    }

    @Test
    void instanceCountAtMostOnePerZone() {
        refused(dev("  orthweb:host:\n    instanceCount: 3\n"), "orthweb:host.instanceCount must be from 1 to 2 (got 3)");
    }

    @Test
    void publicKeyMustBeRsaOrEd25519AndWellFormed() {
        refused(dev("  orthweb:host:\n    publicKey: ssh-dss AAAAB3NzaC1kc3MAAACBAP\n"),
                "orthweb:host.publicKey must be an OpenSSH public key starting with ssh-rsa or ssh-ed25519");
        refused(dev("  orthweb:host:\n    publicKey: ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIGxqHDn8UTPMJk3xaO4JCcXGPq9Zb0o8J1yvW7Z2Zq5x\n"),
                "orthweb:host.publicKey says ssh-rsa but its key data is ssh-ed25519");
        refused(dev("  orthweb:host:\n    publicKey: ssh-ed25519 AAAA\n"), "orthweb:host.publicKey has key data that is not a valid");
    }

    @Test
    void rootVolumeRange() {
        refused(dev("  orthweb:host:\n    rootVolumeGiB: 8\n"), "orthweb:host.rootVolumeGiB must be from 20 to 16384 (got 8)");
    }

    @Test
    void databaseRules() {
        refused(dev("  orthweb:database:\n    backupRetentionDays: 3\n"), "orthweb:database.backupRetentionDays must be from 7 to 35 (got 3)");
        refused(dev("  orthweb:database:\n    engineVersion: \"17.x\"\n"), "orthweb:database.engineVersion must be a PostgreSQL "
                + "major version such as 17 (recommended: minor versions then follow RDS's automatic upgrades) or a pinned "
                + "major.minor such as 17.6 (got '17.x')");
        refused(dev("  orthweb:database:\n    engineVersion: \"14.9\"\n"), "orthweb:database.engineVersion must be PostgreSQL 16 or 17 "
                + "(a major, or major.minor; got '14.9')");
        refused(dev("  orthweb:database:\n    engineVersion: \"15\"\n"), "orthweb:database.engineVersion must be PostgreSQL 16 or 17 "
                + "(a major, or major.minor; got '15')");
        refused(dev("  orthweb:database:\n    allowMajorVersionUpgrade: soon\n"),
                "orthweb:database.allowMajorVersionUpgrade must be true or false (got 'soon')");
        refused(dev("  orthweb:database:\n    instanceClass: t3.medium\n"), "orthweb:database.instanceClass must be an RDS instance class");
        refused(dev("  orthweb:database:\n    multiAz: maybe\n"), "orthweb:database.multiAz must be true or false (got 'maybe')");
        refused(dev("  orthweb:database:\n    allocatedStorageGiB: 10\n"), "orthweb:database.allocatedStorageGiB must be from 20 to 65536");
        refused(prd("  orthweb:network:\n    dicomClientCidrs: [\"10.0.0.0/8\"]\n  orthweb:database:\n    multiAz: false\n"),
                "orthweb:database.multiAz must be true in environment prd");
    }

    @Test
    void logRetentionFromCloudWatchsSetAndLongInProduction() {
        refused(dev("  orthweb:logging:\n    retentionDays: 10\n"), "orthweb:logging.retentionDays must be one of CloudWatch's periods [1, 3, 5, 7, 14");
        refused(prd("  orthweb:network:\n    dicomClientCidrs: [\"10.0.0.0/8\"]\n  orthweb:logging:\n    retentionDays: 90\n"),
                "orthweb:logging.retentionDays must be at least 365 in environment prd (got 90)");
    }

    @Test
    void siteNameMustBeADnsName() {
        refused(dev("  orthweb:site:\n    name: not a name\n"), "orthweb:site.name must be a fully qualified DNS name");
        refused(dev("  orthweb:site:\n    name: localhost\n"), "orthweb:site.name must be a fully qualified DNS name");
    }

    @Test
    void imagesMustBeKnownAndPinned() {
        refused(dev("  orthweb:images:\n    postgres: postgres:17\n"), "orthweb:images.postgres: unknown image; allowed: authService");
        refused(dev("  orthweb:images:\n    nginx: nginx:latest\n"), "orthweb:images.nginx: image 'nginx' must be pinned",
                "docker.io/library/nginx:latest");
        refused(dev("  orthweb:images:\n    nginx: mirror.example.org/nginx\n"), "orthweb:images.nginx: image 'nginx' must be pinned",
                "'mirror.example.org/nginx' is mirror.example.org/nginx:latest");
        refused(dev("  orthweb:images:\n    nginx: \"1.2 3\"\n"), "orthweb:images.nginx: invalid image reference", "white space");
        // a bare word is a Docker Hub name (never a tag of the default): unpinned, and the message shows the tag form
        refused(dev("  orthweb:images:\n    orthanc: 99.1.0\n"), "'99.1.0' is docker.io/library/99.1.0:latest",
                "write ':99.1.0'");
        assertThat(parse(dev("  orthweb:images:\n    nginx: nginx:1.29.3-alpine\n")).images()).containsEntry("nginx", "nginx:1.29.3-alpine");
        String defaultOrthanc = org.orthweb.cloudinit.AppImages.DEFAULTS.get("orthanc");
        assertThat(parse(dev("  orthweb:images:\n    orthanc: ':99.1.0'\n")).images())
                .containsEntry("orthanc", defaultOrthanc.substring(0, defaultOrthanc.lastIndexOf(':') + 1) + "99.1.0")
                .containsEntry("nginx", org.orthweb.cloudinit.AppImages.DEFAULTS.get("nginx"));
    }

    @Test
    void unknownKeysAreRefusedAtEveryLevel() {
        refused(dev("  orthweb:netwrok:\n    azCount: 2\n"), "unknown setting 'orthweb:netwrok'; allowed: orthweb:alerts");
        refused(dev("  orthweb:network:\n    azcount: 2\n"), "unknown setting 'orthweb:network.azcount'; allowed: azCount");
        refused(dev("  ortweb:owner: me\n"), "'ortweb:owner' is not a setting of this program");
        refused(dev("  orthweb:host: t3.large\n"), "orthweb:host must be a mapping with keys");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        assertThatThrownBy(() -> parse(dev("  orthweb:network:\n    azCount: 9\n  orthweb:host:\n    rootVolumeGiB: 1\n")))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).hasSize(2));
    }

    @Test
    void secretValuesAreNotEchoedInMessages() {
        var raw = RawConfig.fromEngineEnvironment(java.util.Map.of(
                "PULUMI_CONFIG", "{\"aws:region\":\"hunter2-secret\",\"orthweb:environment\":\"dev\",\"orthweb:owner\":\"x\"}",
                "PULUMI_CONFIG_SECRET_KEYS", "[\"aws:region\"]"));
        assertThatThrownBy(() -> ConfigParser.parse("s", raw)).hasMessageContaining("aws:region")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2"));
    }

    @Test
    void stackFileErrorsNameTheFile() {
        assertThatThrownBy(() -> RawConfig.fromStackFile(Path.of("does-not-exist.yaml")))
                .hasMessageContaining("stack file does-not-exist.yaml does not exist");
        assertThatThrownBy(() -> RawConfig.fromStackYaml("config: [unclosed", "Pulumi.x.yaml"))
                .hasMessageContaining("stack file Pulumi.x.yaml is not valid YAML");
    }

    @Test
    void shippedStackFilesParse() {
        for (String stack : List.of("dev", "prod")) {
            StackConfig c = ConfigParser.parse(stack, RawConfig.fromStackFile(Path.of("Pulumi." + stack + ".yaml")));
            assertThat(c.stack()).isEqualTo(stack);
        }
    }

    /** orthweb:dicom.clients: the declared peers reach the config; every problem names its entry. */
    @Test
    void dicomClientsAreReadAndEachProblemNamesItsEntry() {
        StackConfig c = parse(dev(
                "  orthweb:dicom:\n    clients:\n      - name: ct-scanner-1\n        aeTitle: CT1\n      - name: mr-1\n"));
        assertThat(c.dicom().peers()).extracting(org.orthweb.pki.DicomPeer::effectiveAeTitle).containsExactly("CT1", "MR-1");
        assertThat(parse(dev("")).dicom().peers())
                .extracting(org.orthweb.pki.DicomPeer::name).containsExactly("modality-1");
        refused(dev("  orthweb:dicom:\n    clients:\n      - name: ct-1\n      - name: ct-1\n        aeTitle: CT2\n"),
                "orthweb:dicom.clients[1].name 'ct-1' is declared twice (also orthweb:dicom.clients[0])");
        refused(dev("  orthweb:dicom:\n    clients:\n      - name: ct-1\n        aeTitle: \"A\\\\B\"\n"),
                "orthweb:dicom.clients[0].aeTitle");
        refused(dev("  orthweb:dicom:\n    clients: []\n"), "orthweb:dicom.clients is empty");
    }

    // ---- alerts, backup, budget ---------------------------------------------------------------

    @Test
    void operationsDefaults() {
        StackConfig dev = parse(dev(""));
        assertThat(dev.alerts().emails()).isEmpty();
        assertThat(dev.backup().enabled()).isFalse();
        assertThat(dev.budget().monthlyLimitUsd()).isEmpty();
        StackConfig prd = parse(prd("  orthweb:network:\n    dicomClientCidrs: [\"203.0.113.0/24\"]\n"));
        assertThat(prd.alerts().emails()).containsExactly("imaging-it@example.org");
        assertThat(prd.backup().enabled()).isTrue();
        assertThat(prd.backup().retentionDays()).isEqualTo(35);
        assertThat(prd.backup().dataBucket()).isTrue();
        assertThat(prd.backup().copyRegion()).isEmpty();
        assertThat(prd.budget().actualAlertPercent()).isEqualTo(80);
        assertThat(prd.budget().forecastAlertPercent()).isEqualTo(100);
    }

    @Test
    void hardenedStacksMustNameWhoHearsTheAlarms() {
        String cidrs = "  orthweb:network:\n    dicomClientCidrs: [\"203.0.113.0/24\"]\n";
        refused(BASE.formatted("prd") + cidrs, "orthweb:alerts.emails is required in this environment (prd)");
        refused(prd(cidrs + "  orthweb:alerts:\n    emails: []\n"),
                "orthweb:alerts.emails must list at least one address in environment prd");
    }

    @Test
    void emailsAreValidated() {
        refused(dev("  orthweb:alerts:\n    emails: [ops@example]\n"),
                "orthweb:alerts.emails: 'ops@example' is not an e-mail address such as ops@example.org");
        refused(dev("  orthweb:alerts:\n    emails: [a@example.org, A@example.org]\n"),
                "orthweb:alerts.emails lists A@example.org twice");
    }

    @Test
    void aBudgetNeedsSomeoneToTellAndSaneThresholds() {
        refused(dev("  orthweb:budget:\n    monthlyLimitUsd: 60\n"),
                "orthweb:budget.monthlyLimitUsd needs orthweb:alerts.emails");
        refused(dev("  orthweb:budget:\n    monthlyLimitUsd: 0\n"),
                "orthweb:budget.monthlyLimitUsd must be from 1 to 1000000 (got 0)");
        StackConfig c = parse(dev("""
                  orthweb:alerts:
                    emails: [ops@example.org]
                  orthweb:budget:
                    monthlyLimitUsd: 60
                    actualAlertPercent: 50
                    forecastAlertPercent: 90
                """));
        assertThat(c.budget().monthlyLimitUsd()).contains(60);
        assertThat(c.budget().actualAlertPercent()).isEqualTo(50);
        assertThat(c.budget().forecastAlertPercent()).isEqualTo(90);
    }

    @Test
    void backupRetentionAndCopyRegionAreChecked() {
        String cidrs = "  orthweb:network:\n    dicomClientCidrs: [\"203.0.113.0/24\"]\n";
        refused(prd(cidrs + "  orthweb:backup:\n    retentionDays: 14\n"),
                "orthweb:backup.retentionDays must be from 35 to 3650 (got 14)");
        refused(prd(cidrs + "  orthweb:backup:\n    copyRegion: eu-west-1\n"),
                "orthweb:backup.copyRegion must differ from aws:region (eu-west-1)");
        refused(dev("  orthweb:backup:\n    copyRegion: us-west-2\n"),
                "orthweb:backup.copyRegion needs orthweb:backup.enabled: true");
        refused(dev("  orthweb:backup:\n    enabled: true\n    copyRegion: mars\n"),
                "orthweb:backup.copyRegion must be an AWS region name");
        assertThat(parse(prd(cidrs + "  orthweb:backup:\n    copyRegion: us-west-2\n")).backup().copyRegion())
                .contains("us-west-2");
    }

    @Test
    void vpnIsAbsentByDefaultAndHasItsDefaultsWhenPresent() {
        assertThat(parse(dev("")).vpn()).isEmpty();
        var vpn = parse(dev("""
                  orthweb:vpn:
                    clientCidr: 10.250.0.0/22
                    clients: [{name: alice}]
                """)).vpn().orElseThrow();
        assertThat(vpn.splitTunnel()).isTrue();
        assertThat(vpn.sessionTimeoutHours()).isEqualTo(24);
        assertThat(vpn.subnetAssociations()).isEqualTo(1);
        assertThat(vpn.clientNames()).containsExactly("alice");
    }

    @Test
    void vpnMistakesNameTheirKeys() {
        refused(dev("""
                  orthweb:vpn:
                    clientCidr: 172.17.0.0/20
                    clients: [{name: alice}]
                """), "orthweb:vpn.clientCidr (172.17.0.0/20) must not overlap orthweb:network.vpcCidr (172.17.0.0/16)");
        refused(dev("""
                  orthweb:vpn:
                    clientCidr: 10.0.0.0/8
                    clients: [{name: alice}]
                """), "orthweb:vpn.clientCidr must have a prefix from /12 to /22");
        refused(dev("""
                  orthweb:vpn:
                    clientCidr: 10.250.0.0/22
                    clients: [{name: alice}]
                    subnetAssociations: 3
                """), "orthweb:vpn.subnetAssociations must be from 1 to 2 (got 3): one association per private subnet");
        refused(dev("""
                  orthweb:vpn:
                    clientCidr: 10.250.0.0/22
                    clients: [{name: alice}, {name: alice}]
                    sessionTimeoutHours: 9
                """), "orthweb:vpn.clients lists the name 'alice' twice", "orthweb:vpn.sessionTimeoutHours must be one of 8, 10, 12, 24");
        refused(dev("""
                  orthweb:vpn:
                    clients: [{name: alice}]
                """), "orthweb:vpn.clientCidr is required");
        refused(dev("""
                  orthweb:vpn:
                    clientCidr: 10.250.0.0/22
                    clients: [{name: Alice}]
                """), "orthweb:vpn.clients[0].name must be a DNS label");
    }
}
