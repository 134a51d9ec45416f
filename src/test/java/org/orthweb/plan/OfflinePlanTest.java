package org.orthweb.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.orthweb.support.TestStacks;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

class OfflinePlanTest {

    /** Every resource kind of the reference's parity list (except the later Client VPN). */
    static final Set<String> PARITY_KINDS = Set.of(
            "random:index/randomPet:RandomPet", "random:index/randomPassword:RandomPassword",
            "aws:kms/key:Key", "aws:kms/alias:Alias",
            "aws:ec2/vpc:Vpc", "aws:ec2/subnet:Subnet", "aws:ec2/internetGateway:InternetGateway",
            "aws:ec2/routeTable:RouteTable", "aws:ec2/route:Route", "aws:ec2/vpcEndpoint:VpcEndpoint",
            "aws:ec2/flowLog:FlowLog", "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
            "aws:s3/bucketV2:BucketV2", "aws:s3/bucketVersioningV2:BucketVersioningV2",
            "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
            "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "aws:s3/bucketPolicy:BucketPolicy",
            "aws:s3/bucketLoggingV2:BucketLoggingV2",
            "aws:rds/instance:Instance", "aws:rds/subnetGroup:SubnetGroup", "aws:rds/parameterGroup:ParameterGroup",
            "aws:ec2/securityGroup:SecurityGroup", "aws:cloudwatch/logGroup:LogGroup", "aws:iam/role:Role",
            "aws:iam/rolePolicy:RolePolicy", "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
            "aws:iam/instanceProfile:InstanceProfile", "aws:secretsmanager/secret:Secret",
            "aws:secretsmanager/secretVersion:SecretVersion", "aws:ec2/launchTemplate:LaunchTemplate");
    /** Where the hosts come from: instances (single-host mode) or a balancer and its group (HA mode). */
    static final Set<String> SINGLE_HOST_KINDS = Set.of("aws:ec2/instance:Instance", "aws:ec2/eip:Eip");
    static final Set<String> HA_KINDS = Set.of("aws:lb/loadBalancer:LoadBalancer", "aws:lb/listener:Listener",
            "aws:lb/targetGroup:TargetGroup", "aws:autoscaling/group:Group");

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void shippedStacksPlanCleanlyWithEveryParityKind(String stack) {
        Plan plan = TestStacks.shipped(stack);
        Set<String> kinds = new TreeSet<>();
        plan.resources().forEach(r -> kinds.add(r.type()));
        assertThat(kinds).containsAll(PARITY_KINDS);
        boolean ha = stack.equals("prod");
        assertThat(kinds).containsAll(ha ? HA_KINDS : SINGLE_HOST_KINDS).doesNotContainAnyElementsOf(ha ? SINGLE_HOST_KINDS : HA_KINDS);
        assertThat(plan.outputs()).containsKeys("siteUrls", "dicomEndpoints", "dbEndpoint", "dataBucketName",
                "dbSecretArn", "kmsKeyArn");
        assertThat(plan.outputs()).containsKeys(ha ? new String[]{"hostGroupName", "hostListCommand"}
                : new String[]{"hostIds", "hostPublicDnsNames", "ssmSessionCommands"});
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyChildHasAParentAndEveryComponentIsOurs(String stack) {
        Plan plan = TestStacks.shipped(stack);
        for (var r : plan.resources()) {
            if (r.type().startsWith("orthweb:") || r.type().startsWith("pulumi:providers") || r.name().equals("name-prefix")) {
                assertThat(r.parent()).as(r.name()).isNull();
            } else {
                assertThat(r.parent()).as("parent of %s", r.name()).isNotNull();
            }
        }
        assertThat(plan.resources()).filteredOn(r -> r.type().startsWith("orthweb:index:"))
                .extracting(Plan.PlannedResource::type)
                .contains("orthweb:index:SecureVpc", "orthweb:index:OrthancDatabase", "orthweb:index:DicomStorage",
                        "orthweb:index:OrthancHost", "orthweb:index:EncryptionKey");
    }

    @Test
    void outputsAreConsistentWithTheResources() {
        // single-host mode (the shipped prod file with HA off); HA mode's outputs: SiteBalancerTest
        Plan plan = TestStacks.shippedWith("prod", "  orthweb:ha:\n    enabled: false\n");
        var ids = plan.ofType("aws:ec2/instance:Instance").stream().map(Plan.PlannedResource::id).toList();
        assertThat(plan.outputs().get("hostIds")).isEqualTo(ids);
        // the stable names: the Elastic IPs' DNS names, not the instances' (which a replacement changes)
        var dns = List.of(plan.named("site-address-1").get("publicDns"), plan.named("site-address-2").get("publicDns"));
        assertThat(plan.outputs().get("hostPublicDnsNames")).isEqualTo(dns);
        assertThat(plan.outputs().get("stableNames")).isEqualTo(dns);
        assertThat(plan.outputs().get("siteName")).isEqualTo(dns.get(0));
        assertThat(plan.outputs().get("dicomEndpoints")).isEqualTo(dns.stream().map(d -> d + ":11112").toList());
        assertThat(plan.outputs().get("siteUrls")).isEqualTo(List.of("https://" + dns.get(0) + "/"));
        var db = plan.named("database-instance");
        assertThat(plan.outputs().get("dbEndpoint")).isEqualTo(db.get("address") + ":5432");
        assertThat((List<?>) plan.outputs().get("ssmSessionCommands")).allSatisfy(c ->
                assertThat(String.valueOf(c)).startsWith("aws ssm start-session --region us-east-1 --target i-"));
    }

    @Test
    void siteNameReplacesPublicDnsInUrls() {
        Plan plan = TestStacks.plan("t", TestStacks.yaml("dev", "  orthweb:site:\n    name: pacs.example.org\n"));
        assertThat(plan.outputs().get("siteUrls")).isEqualTo(List.of("https://pacs.example.org/"));
        // the site name first, then the host's Elastic IP name (also stable, also a server certificate name)
        assertThat(plan.outputs().get("dicomEndpoints")).isEqualTo(List.of("pacs.example.org:11112",
                plan.named("site-address-1").get("publicDns") + ":11112"));
    }

    @Test
    void jsonIsOneDocumentWithSecretsMasked() throws Exception {
        String json = PlanPrinter.json(TestStacks.shipped("dev"));
        JsonNode doc = new ObjectMapper().readTree(json);
        assertThat(doc.get("stack").asText()).isEqualTo("dev");
        assertThat(doc.get("resources").size()).isEqualTo(TestStacks.shipped("dev").resources().size());
        assertThat(json).doesNotContain(PlanMocks.SECRET_MARKER).contains("\"secretString\" : \"[secret]\"");
        for (JsonNode r : doc.get("resources")) {
            assertThat(r.has("type") && r.has("name") && r.has("inputs")).isTrue();
        }
    }

    @Test
    void secureConfigValuesAreMaskedEverywhere() {
        Plan plan = TestStacks.plan("t", TestStacks.yaml("dev", "  orthweb:host:\n    publicKey:\n      secure: AAABAGVuY3J5cHRlZA==\n"));
        assertThat(plan.named("host-ssh-key").inputs()).containsEntry("publicKey", Plan.SECRET);
        assertThat(PlanPrinter.json(plan)).doesNotContain(PlanMocks.SECRET_MARKER);
    }
}
