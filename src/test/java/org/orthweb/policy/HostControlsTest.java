package org.orthweb.policy;

import org.junit.jupiter.api.DisplayName;
import org.orthweb.plan.Plan;
import org.orthweb.plan.Plan.PlannedResource;
import org.orthweb.plan.PlanMocks;

import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.orthweb.policy.PolicyStack.list;
import static org.orthweb.policy.PolicyStack.map;
import static org.orthweb.policy.PolicyStack.num;
import static org.orthweb.policy.PolicyStack.str;

/** The Orthanc hosts: launch template, instances, instance profile, user data. */
@DisplayName("EC2 hosts")
class HostControlsTest {

    /** A credential-named key assigned a bare literal (not a lookup, expansion or template). */
    static final Pattern LITERAL_CREDENTIAL = Pattern.compile(
            "(?im)^\\s*[\"']?[a-z0-9_]*(password|passwd|secret|token|api_key|apikey)[\"']?\\s*[=:]\\s*[\"']?"
                    + "[A-Za-z0-9+/=_.-]{8,}[\"']?,?\\s*$");

    static PlannedResource template(PolicyStack s) {
        return s.single(Types.LAUNCH_TEMPLATE);
    }

    static Map<String, Object> metadata(PolicyStack s) {
        return map(template(s).inputs().get("metadataOptions"));
    }

    @ForEachStack
    @DisplayName("CKV_AWS_79, EC2.8: IMDSv2 required, endpoint enabled")
    void CKV_AWS_79_EC2_8_imdsV2(String stack) {
        var s = PolicyStack.of(stack);
        assertThat(metadata(s).get("httpTokens")).isEqualTo("required");
        assertThat(metadata(s).get("httpEndpoint")).isEqualTo("enabled");
        // instances must not override the template's metadata options
        s.ofType(Types.INSTANCE).forEach(i -> assertThat(i.inputs()).doesNotContainKey("metadataOptions"));
    }

    @ForEachStack
    @DisplayName("CKV_AWS_341: IMDS hop limit 1; the design needs 2 for containers (EX-03): never more than 2")
    void CKV_AWS_341_hopLimit(String stack) {
        var s = PolicyStack.of(stack);
        Object hops = metadata(s).get("httpPutResponseHopLimit");
        assertThat(hops).as("hop limit set explicitly").isNotNull();
        assertThat(num(hops)).isBetween(1L, 2L);
        if (num(hops) > 1) {
            assertThat(PolicyExceptions.covers("CKV_AWS_341", s, template(s).name())).isTrue();
        }
    }

    @ForEachStack
    @DisplayName("CKV_AWS_8, EC2.3, AG:encrypted-volumes: every block device encrypted with the CMK (launch template; instances add none)")
    void CKV_AWS_8_EC2_3_encryptedVolumes(String stack) {
        var s = PolicyStack.of(stack);
        var mappings = list(template(s).inputs().get("blockDeviceMappings"));
        assertThat(mappings).as("root volume declared").isNotEmpty();
        for (Object m : mappings) {
            var ebs = map(map(m).get("ebs"));
            assertThat(map(m).get("virtualName")).as("no instance-store volumes").isNull();
            assertThat(String.valueOf(ebs.get("encrypted"))).as("%s encrypted", map(m).get("deviceName")).isEqualTo("true");
            assertThat(ebs.get("kmsKeyId")).isEqualTo(s.keyArn());
        }
        for (PlannedResource i : s.ofType(Types.INSTANCE)) {
            // AWSGuard reads Instance.rootBlockDevice only; here the instances take the template's
            assertThat(i.inputs()).as("%s adds no volumes of its own", i.name())
                    .doesNotContainKeys("ebsBlockDevices", "ephemeralBlockDevices");
            if (i.inputs().get("rootBlockDevice") != null) {
                var root = map(i.inputs().get("rootBlockDevice"));
                assertThat(root.get("encrypted")).isEqualTo(true);
                assertThat(root.get("kmsKeyId")).isEqualTo(s.keyArn());
            }
        }
        assertThat(s.ofType("aws:ebs/volume:Volume")).isEmpty();
    }

    @ForEachStack
    @DisplayName("CKV_AWS_126, CKV_AWS_135: detailed monitoring and EBS optimisation (template and instances); instances from the template")
    void CKV_AWS_126_CKV_AWS_135_monitoringAndEbsOptimized(String stack) {
        var s = PolicyStack.of(stack);
        var t = template(s);
        assertThat(map(t.inputs().get("monitoring")).get("enabled")).isEqualTo(true);
        assertThat(String.valueOf(t.inputs().get("ebsOptimized"))).isEqualTo("true");
        List<PlannedResource> instances = s.ofType(Types.INSTANCE);
        if (s.config().ha().enabled()) {
            // HA mode: the group launches the hosts, from the template (its monitoring and EBS flags)
            assertThat(instances).isEmpty();
            var group = s.single(Types.AUTOSCALING_GROUP);
            assertThat(map(group.inputs().get("launchTemplate")).get("id")).isEqualTo(s.id(t.name()));
            return;
        }
        assertThat(instances).hasSize(s.config().host().instanceCount());
        Set<String> subnets = new HashSet<>();
        for (PlannedResource i : instances) {
            assertThat(i.inputs().get("monitoring")).as("%s monitoring", i.name()).isIn(true, null);
            assertThat(i.inputs().get("ebsOptimized")).as("%s ebsOptimized", i.name()).isIn(true, null);
            var lt = map(i.inputs().get("launchTemplate"));
            assertThat(lt.get("id")).as("%s launches from the template", i.name()).isEqualTo(s.id(t.name()));
            assertThat(i.inputs()).doesNotContainKeys("userData", "userDataBase64", "iamInstanceProfile", "ami");
            subnets.add(str(i, "subnetId"));
        }
        assertThat(subnets).as("one host per subnet").hasSameSizeAs(instances);
    }

    @ForEachStack
    @DisplayName("CKV_AWS_46: user data and the host bundle hold no password or key material (names and ARNs only)")
    void CKV_AWS_46_noSecretsInUserData(String stack) {
        var s = PolicyStack.of(stack);
        Object raw = template(s).inputs().get("userData");
        assertThat(raw).as("user data present").isNotNull();
        assertThat(raw).as("no secret value flowed into the user data").isNotEqualTo(Plan.SECRET);
        var bundles = s.ofType(Types.BUCKET_OBJECT);
        assertThat(bundles).as("the host bundle object").hasSize(1);
        Object bundle = bundles.get(0).inputs().get("contentBase64");
        assertThat(bundle).as("no secret value flowed into the host bundle").isNotEqualTo(Plan.SECRET);
        StringBuilder all = new StringBuilder(decode(String.valueOf(raw)));
        org.orthweb.cloudinit.HostBundle.read(java.util.Base64.getDecoder().decode(String.valueOf(bundle)))
                .values().forEach(content -> all.append('\n').append(content));
        String text = all.toString();
        assertThat(text).doesNotContain(PlanMocks.SECRET_MARKER).doesNotContain(Plan.SECRET);
        assertThat(text).doesNotContainPattern(Pattern.compile("-----BEGIN [A-Z ]*PRIVATE KEY-----"));
        assertThat(text).doesNotContainPattern(Pattern.compile("\\b(AKIA|ASIA)[0-9A-Z]{16}\\b"));
        assertThat(text).doesNotContainPattern(Pattern.compile("(?i)aws_secret_access_key"));
        assertThat(text).as("literal credential assignments").doesNotContainPattern(LITERAL_CREDENTIAL);
        // the hosts fetch secrets at boot by ARN
        assertThat(text).contains(String.valueOf(s.plan().outputs().get("dbSecretArn")));
        for (PlannedResource i : s.ofType(Types.INSTANCE)) {
            assertThat(i.inputs()).doesNotContainKeys("userData", "userDataBase64");
        }
    }

    @org.junit.jupiter.api.Test
    @DisplayName("CKV_AWS_46: the literal-credential detector flags literals and passes lookups")
    void CKV_AWS_46_detector() {
        for (String bad : List.of("DB_PASSWORD=hunter2hunter2", "  \"password\": \"S3cr3tValue99\",", "client_secret: abcdefgh1234",
                "KEYCLOAK_ADMIN_PASSWORD='correcthorse'")) {
            assertThat(LITERAL_CREDENTIAL.matcher(bad).find()).as(bad).isTrue();
        }
        for (String ok : List.of("password=$(jq -r .password \"$master\")", "token=$(curl -fsS -X PUT http://x/latest/api/token \\",
                "password = open(path, \"rb\").read()", "DB_SECRET_ARN=arn:aws:secretsmanager:us-east-1:1:secret:x",
                "password: ${DB_PASSWORD}", "\"password\": \"{{dbPassword}}\"", "APP_SECRET_ARN=arn:aws:x")) {
            assertThat(LITERAL_CREDENTIAL.matcher(ok).find()).as(ok).isFalse();
        }
    }

    /** Base64, then gzip when compressed (cloud-init decompresses), else the text itself. */
    static String decode(String userData) {
        try {
            return org.orthweb.cloudinit.UserDataFiles.decode(userData);
        } catch (IllegalArgumentException notBase64) {
            return userData;
        }
    }

    @ForEachStack
    @DisplayName("CKV2_AWS_41: instance profile on the template, its role has AmazonSSMManagedInstanceCore")
    void CKV2_AWS_41_instanceProfile(String stack) {
        var s = PolicyStack.of(stack);
        var ref = map(template(s).inputs().get("iamInstanceProfile"));
        var profile = s.ofType(Types.INSTANCE_PROFILE).stream()
                .filter(p -> s.arn(p.name()).equals(ref.get("arn")) || str(p, "name").equals(ref.get("name")))
                .findFirst();
        assertThat(profile).as("the template's instance profile is ours").isPresent();
        var role = HostControlsTest.roleOfProfile(s, profile.get());
        assertThat(s.where(Types.ROLE_POLICY_ATTACHMENT, "role", s.id(role.name())))
                .extracting(a -> str(a, "policyArn")).contains(PolicyExceptions.SSM_CORE);
    }

    static PlannedResource roleOfProfile(PolicyStack s, PlannedResource profile) {
        return s.ofType(Types.ROLE).stream().filter(r -> s.id(r.name()).equals(str(profile, "role")))
                .findFirst().orElseThrow(() -> new AssertionError("role of " + profile.name()));
    }

    @ForEachStack
    @DisplayName("EC2.9, CKV_AWS_88, AG:ec2-instance-no-public-ip: hosts have public IPs only as documented (EX-02)")
    void EC2_9_CKV_AWS_88_publicIps(String stack) {
        var s = PolicyStack.of(stack);
        Set<String> publicIpSubnets = new HashSet<>();
        s.ofType(Types.SUBNET).stream().filter(x -> Boolean.TRUE.equals(x.inputs().get("mapPublicIpOnLaunch")))
                .forEach(x -> publicIpSubnets.add(s.id(x.name())));
        for (PlannedResource i : s.ofType(Types.INSTANCE)) {
            boolean publicIp = publicIpSubnets.contains(str(i, "subnetId"))
                    || Boolean.TRUE.equals(i.inputs().get("associatePublicIpAddress"));
            if (publicIp) {
                assertThat(PolicyExceptions.covers("EC2.9", s, i.name())).as("%s has a public IP", i.name()).isTrue();
            }
        }
    }
}
