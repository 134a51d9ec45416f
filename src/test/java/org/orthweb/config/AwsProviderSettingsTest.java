package org.orthweb.config;

import com.pulumi.aws.ProviderArgs;
import org.junit.jupiter.api.Test;
import org.orthweb.automation.StackConfigValues;
import org.orthweb.plan.OfflinePlan;
import org.orthweb.plan.Plan;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every {@code aws:} key of the Pulumi AWS provider either reaches both of the stack's AWS
 * providers (the main one and the backup copy's) or is refused with its reason, before any
 * resource is registered.
 */
class AwsProviderSettingsTest {

    /**
     * One representative stack-file value per key that is handed on (YAML under {@code config:}).
     * A key of {@link AwsProviderSettings#KEYS} that is handed on but has no sample fails
     * {@link #everyKeyHandedOnHasASample}.
     */
    static final Map<String, String> SAMPLES = samples();

    private static Map<String, String> samples() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("accessKey", "{secure: AAABAKey}");
        s.put("secretKey", "{secure: AAABASecret}");
        s.put("token", "{secure: AAABAToken}");
        s.put("allowedAccountIds", "['123456789012']");
        s.put("assumeRole", "{roleArn: 'arn:aws:iam::123456789012:role/deployer', sessionName: orthweb, externalId: x-1,"
                + " duration: 1h, policyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'], tags: {Team: imaging},"
                + " transitiveTagKeys: [Team]}");
        s.put("assumeRoleWithWebIdentity", "{roleArn: 'arn:aws:iam::123456789012:role/ci', webIdentityTokenFile: /run/token,"
                + " sessionName: ci}");
        s.put("customCaBundle", "/etc/ssl/corp-ca.pem");
        s.put("defaultTags", "{tags: {CostCenter: cc-42}}");
        s.put("ec2MetadataServiceEndpoint", "http://169.254.169.254");
        s.put("ec2MetadataServiceEndpointMode", "IPv4");
        s.put("endpoints", "[{s3: 'http://localhost:4566', ec2: 'http://localhost:4566'}]");
        s.put("forbiddenAccountIds", "['210987654321']");
        s.put("httpProxy", "http://proxy.example.org:3128");
        s.put("httpsProxy", "http://proxy.example.org:3128");
        s.put("ignoreTags", "{keyPrefixes: ['kubernetes.io/'], keys: [LastScanned]}");
        s.put("maxRetries", "5");
        s.put("noProxy", "169.254.169.254");
        s.put("profile", "clinic-admin");
        s.put("retryMode", "adaptive");
        s.put("s3UsEast1RegionalEndpoint", "regional");
        s.put("s3UsePathStyle", "true");
        s.put("sharedConfigFiles", "[/home/ops/.aws/config]");
        s.put("sharedCredentialsFiles", "[/home/ops/.aws/credentials]");
        s.put("skipCredentialsValidation", "true");
        s.put("skipMetadataApiCheck", "'true'");
        s.put("skipRegionValidation", "true");
        s.put("skipRequestingAccountId", "false");
        s.put("stsRegion", "us-east-1");
        s.put("tokenBucketRateLimiterCapacity", "'1000'");
        s.put("useDualstackEndpoint", "false");
        s.put("useFipsEndpoint", "true");
        return s;
    }

    /** The provider's documented keys: the @Import names of ProviderArgs (pulumi-aws 6.83.0). */
    @Test
    void everyProviderArgsKeyIsClassified() {
        Set<String> documented = AwsProviderSettings.importNames(ProviderArgs.class);
        assertThat(documented).hasSizeGreaterThan(30);
        assertThat(AwsProviderSettings.KEYS.keySet()).as("a key of ProviderArgs that the table does not classify")
                .containsAll(documented);
        // keys of the table that ProviderArgs lacks must be refused (old releases' keys), never "passed"
        AwsProviderSettings.KEYS.forEach((key, rule) -> {
            if (!documented.contains(key)) {
                assertThat(rule.handling()).as(key).isEqualTo(AwsProviderSettings.Handling.REFUSED);
            }
        });
    }

    @Test
    void everyKeyHandedOnHasASample() {
        Set<String> handedOn = AwsProviderSettings.KEYS.entrySet().stream()
                .filter(e -> e.getValue().handling() != AwsProviderSettings.Handling.REFUSED
                        && e.getValue().handling() != AwsProviderSettings.Handling.SETTING)
                .map(Map.Entry::getKey).collect(Collectors.toCollection(TreeSet::new));
        assertThat(new TreeSet<>(SAMPLES.keySet())).isEqualTo(handedOn);
    }

    /** All samples except the one the other excludes (allowed/forbidden account ids). */
    private static String yamlWith(Map<String, String> samples) throws Exception {
        String base = Files.readString(Path.of("src/test/resources/stacks/Pulumi.dev.yaml"));
        StringBuilder out = new StringBuilder(base);
        out.append("  orthweb:backup:\n    enabled: true\n    copyRegion: eu-central-1\n");
        samples.forEach((key, value) -> out.append("  aws:").append(key).append(": ").append(value).append('\n'));
        return out.toString();
    }

    private static StackConfig parse(String yaml) {
        return ConfigParser.parse("dev", RawConfig.fromStackYaml(yaml, "Pulumi.dev.yaml"));
    }

    @Test
    void everyKeyHandedOnReachesBothProviders() throws Exception {
        for (String excluded : List.of("allowedAccountIds", "forbiddenAccountIds")) {
            Map<String, String> samples = new LinkedHashMap<>(SAMPLES);
            samples.remove(excluded);
            StackConfig cfg = parse(yamlWith(samples));
            Plan plan = OfflinePlan.run(cfg);
            List<Plan.PlannedResource> providers = plan.ofType("pulumi:providers:aws");
            assertThat(providers).extracting(Plan.PlannedResource::name).containsExactlyInAnyOrder("aws", "aws-backup-copy");
            for (Plan.PlannedResource provider : providers) {
                for (String key : samples.keySet()) {
                    assertThat(provider.inputs()).as(provider.name() + " gets aws:" + key).containsKey(key);
                }
                assertThat(String.valueOf(provider.get("profile"))).isEqualTo("clinic-admin");
                assertThat(String.valueOf(provider.get("assumeRole"))).contains("arn:aws:iam::123456789012:role/deployer")
                        .contains("orthweb");
                assertThat(String.valueOf(provider.get("endpoints"))).contains("http://localhost:4566");
                // the user's tag joins ours
                assertThat(String.valueOf(provider.get("defaultTags"))).contains("CostCenter").contains("cc-42")
                        .contains("imaging-it");
                // credentials never appear in the plan
                assertThat(String.valueOf(provider.get("secretKey"))).doesNotContain("AAABASecret");
            }
            assertThat(String.valueOf(plan.named("aws").get("region"))).isEqualTo("us-east-1");
            assertThat(String.valueOf(plan.named("aws-backup-copy").get("region"))).isEqualTo("eu-central-1");
        }
    }

    @Test
    void theAutomationPathWritesTheKeysBackAndReadsThemAgain() throws Exception {
        StackConfig cfg = parse(yamlWith(Map.of("profile", "clinic-admin", "assumeRole",
                "{roleArn: 'arn:aws:iam::123456789012:role/deployer'}")));
        var values = StackConfigValues.toStackConfig(cfg);
        assertThat(values.get("aws:profile").value()).isEqualTo("clinic-admin");
        assertThat(values.get("aws:assumeRole").value()).contains("\"roleArn\"");
        StackConfig back = ConfigParser.parse("dev", StackConfigValues.fromStackConfig(values));
        assertThat(back.awsProvider().values()).isEqualTo(cfg.awsProvider().values());
    }

    @Test
    void theEngineEnvironmentCarriesTheKeys() {
        RawConfig raw = RawConfig.fromEngineEnvironment(Map.of(
                "PULUMI_CONFIG", "{\"aws:region\":\"us-east-1\",\"orthweb:environment\":\"dev\",\"orthweb:owner\":\"it\","
                        + "\"aws:profile\":\"clinic\",\"aws:allowedAccountIds\":\"[\\\"123456789012\\\"]\","
                        + "\"aws:skipMetadataApiCheck\":\"false\",\"aws:secretKey\":\"s3cr3t\"}",
                "PULUMI_CONFIG_SECRET_KEYS", "[\"aws:secretKey\"]"));
        StackConfig cfg = ConfigParser.parse("dev", raw);
        assertThat(cfg.awsProvider().values()).containsKeys("aws:profile", "aws:allowedAccountIds",
                "aws:skipMetadataApiCheck", "aws:secretKey");
        assertThat(cfg.awsProvider().secretKeys()).containsExactly("aws:secretKey");
    }

    @Test
    void refusedKeysAndBadValuesNameTheKey() throws Exception {
        assertThatThrownBy(() -> parse(yamlWith(Map.of("insecure", "true"))))
                .hasMessageContaining("aws:insecure is refused").hasMessageContaining("customCaBundle");
        assertThatThrownBy(() -> parse(yamlWith(Map.of("profle", "clinic"))))
                .hasMessageContaining("'aws:profle' is not a setting of the Pulumi AWS provider");
        assertThatThrownBy(() -> parse(yamlWith(Map.of("secretKey", "plain"))))
                .hasMessageContaining("aws:secretKey must be stored as a secret");
        assertThatThrownBy(() -> parse(yamlWith(Map.of("allowedAccountIds", "'123456789012'"))))
                .hasMessageContaining("aws:allowedAccountIds must be a list");
        assertThatThrownBy(() -> parse(yamlWith(Map.of("allowedAccountIds", "[1234]"))))
                .hasMessageContaining("aws:allowedAccountIds must list 12-digit AWS account ids");
        assertThatThrownBy(() -> parse(yamlWith(Map.of("allowedAccountIds", "['123456789012']",
                "forbiddenAccountIds", "['210987654321']")))).hasMessageContaining("exclude each other");
        assertThatThrownBy(() -> parse(yamlWith(Map.of("assumeRole", "{roleArm: x}"))))
                .hasMessageContaining("aws:assumeRole.roleArm is not a key of aws:assumeRole; allowed:")
                .hasMessageContaining("roleArn");
        assertThatThrownBy(() -> parse(yamlWith(Map.of("maxRetries", "many"))))
                .hasMessageContaining("aws:maxRetries must be a whole number");
        assertThatThrownBy(() -> parse(yamlWith(Map.of("s3UsePathStyle", "maybe"))))
                .hasMessageContaining("aws:s3UsePathStyle must be true or false");
        assertThatThrownBy(() -> parse(yamlWith(Map.of("s3ForcePathStyle", "true"))))
                .hasMessageContaining("use aws:s3UsePathStyle");
        // the region is ours and public: not a secret, unlike the provider's credentials
        RawConfig raw = RawConfig.fromStackYaml(yamlWith(Map.of()), "Pulumi.dev.yaml");
        assertThatThrownBy(() -> ConfigParser.parse("dev", new RawConfig(raw.values(), Set.of("aws:region"))))
                .hasMessageContaining("aws:region is stored as a secret");
    }

    @Test
    void defaultTagsMergeButMayNotChangeOrIgnoreOurs() throws Exception {
        assertThatThrownBy(() -> parse(yamlWith(Map.of("defaultTags", "{tags: {Owner: someone-else}}"))))
                .hasMessageContaining("aws:defaultTags.tags.Owner ('someone-else') conflicts with the program's Owner tag")
                .hasMessageContaining("orthweb:owner");
        assertThatThrownBy(() -> parse(yamlWith(Map.of("ignoreTags", "{keys: [Stack]}"))))
                .hasMessageContaining("aws:ignoreTags.keys may not name the program's tag Stack");
        // the same value as ours is no conflict
        StackConfig same = parse(yamlWith(Map.of("defaultTags", "{tags: {Owner: imaging-it, Project: x}}")));
        assertThat(same.awsProvider().mergedTags(Map.of("Owner", "imaging-it"))).containsEntry("Project", "x");
    }

    /** The README says what happens to every key that is not simply passed on. */
    @Test
    void theReadmeNamesEveryKeyThatIsNotSimplyPassedOn() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        String section = readme.substring(readme.indexOf("**Your AWS provider settings"), readme.indexOf("**The host image.**"));
        AwsProviderSettings.KEYS.forEach((key, rule) -> {
            if (rule.handling() != AwsProviderSettings.Handling.PASSED && rule.handling() != AwsProviderSettings.Handling.SETTING) {
                assertThat(section).as(key + " (" + rule.handling() + ")").contains("`aws:" + key);
            }
        });
    }
}
