package org.orthweb.components;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.orthweb.plan.Plan;
import org.orthweb.plan.PlanMocks;
import org.orthweb.support.TestStacks;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.orthweb.support.TestStacks.map;

class OrthancHostTest {

    private final Plan dev = TestStacks.shipped("dev");
    /** The shipped prod file in single-host mode (HA mode's group and balancer: SiteBalancerTest). */
    private final Plan prod = TestStacks.shippedWith("prod", "  orthweb:ha:\n    enabled: false\n");

    /** The master credential's secret: the one RDS made (manageMasterUserPassword). */
    static String masterSecretArn(Plan plan) {
        return String.valueOf(((java.util.Map<?, ?>) ((java.util.List<?>) plan.named("database-instance")
                .get("masterUserSecrets")).get(0)).get("secretArn"));
    }

    @Test
    void userDataCarriesTheDatabaseEndpointBucketAndSecretArnsButNoSecret() {
        String userData = TestStacks.hostText(dev);
        assertThat(userData).startsWith("#cloud-config")
                .contains(String.valueOf(dev.named("database-instance").get("address")))
                .contains(String.valueOf(dev.named("storage-data").inputs().get("bucket")))
                .contains(masterSecretArn(dev))
                .contains(String.valueOf(dev.named("app-secrets-secret").get("arn")))
                .doesNotContain(PlanMocks.SECRET_MARKER)
                .doesNotContain(Plan.SECRET);
    }

    /** Which ARN and which bucket reach which place: a swap of same-typed inputs must fail here. */
    @Test
    void eachSecretArnAndTheBucketReachTheirOwnPlaceInTheUserData() {
        String userData = TestStacks.hostText(dev);
        String dbSecret = masterSecretArn(dev);
        String appSecret = String.valueOf(dev.named("app-secrets-secret").get("arn"));
        String dataBucket = String.valueOf(dev.named("storage-data").inputs().get("bucket"));
        String logBucket = String.valueOf(dev.named("storage-logs").inputs().get("bucket"));
        assertThat(dbSecret).isNotEqualTo(appSecret);
        assertThat(dataBucket).isNotEqualTo(logBucket);
        assertThat(userData).contains("DB_SECRET_ARN=" + dbSecret + "\n")
                .contains("APP_SECRET_ARN=" + appSecret + "\n")
                .contains("S3_BUCKET=" + dataBucket + "\n")
                .contains("\"BucketName\": \"" + dataBucket + "\"")
                .doesNotContain(logBucket);
    }

    @Test
    void launchTemplateRequiresImdsV2AndEncryptsTheRootVolumeWithTheStackKey() {
        var lt = dev.named("host-template").inputs();
        assertThat(map(lt.get("metadataOptions"))).containsEntry("httpTokens", "required")
                .containsEntry("httpEndpoint", "enabled").containsEntry("httpPutResponseHopLimit", 2L);
        var ebs = map(map(((List<?>) lt.get("blockDeviceMappings")).get(0)).get("ebs"));
        assertThat(ebs).containsEntry("encrypted", "true").containsEntry("volumeSize", 20L)
                .containsEntry("kmsKeyId", dev.named("encryption-key").get("arn"));
        assertThat(lt).containsEntry("ebsOptimized", "true").containsEntry("instanceType", "t3.medium")
                .containsEntry("vpcSecurityGroupIds", List.of(dev.named("firewall-sg").id()));
        assertThat(map(lt.get("iamInstanceProfile"))).containsEntry("arn", dev.named("host-profile").get("arn"));
        assertThat(lt).doesNotContainKey("keyName");
    }

    @Test
    void oneInstancePerPublicSubnetFromTheTemplate() {
        var instances = prod.ofType("aws:ec2/instance:Instance");
        assertThat(instances).hasSize(2);
        List<Object> subnets = new ArrayList<>();
        for (var instance : instances) {
            assertThat(map(instance.inputs().get("launchTemplate"))).containsEntry("id", prod.named("host-template").id());
            assertThat(instance.inputs()).containsEntry("monitoring", true).containsEntry("ebsOptimized", true);
            subnets.add(instance.inputs().get("subnetId"));
        }
        assertThat(subnets).containsExactly(prod.named("network-public-1").id(), prod.named("network-public-2").id());
    }

    @Test
    void everyHostHasAnElasticIpThatOutlivesItsInstance() {
        var instances = prod.ofType("aws:ec2/instance:Instance");
        var addresses = prod.ofType("aws:ec2/eip:Eip");
        var associations = prod.ofType("aws:ec2/eipAssociation:EipAssociation");
        assertThat(addresses).hasSize(instances.size());
        assertThat(addresses).allSatisfy(a -> assertThat(a.inputs()).containsEntry("domain", "vpc"));
        // the address is not a child of the instance (a replaced instance must not take it along);
        // the association is, and it names the address and the instance
        assertThat(addresses).allSatisfy(a -> assertThat(a.parent()).isEqualTo("site-address"));
        assertThat(associations).extracting(Plan.PlannedResource::parent).containsExactly("host-1", "host-2");
        assertThat(associations).extracting(a -> a.inputs().get("allocationId") + " " + a.inputs().get("instanceId"))
                .containsExactly(addresses.get(0).get("allocationId") + " " + instances.get(0).id(),
                        addresses.get(1).get("allocationId") + " " + instances.get(1).id());
    }

    /** What a host of the plan receives: the user data's files and the host bundle's (loaded from S3). */
    static java.util.Map<String, String> hostFiles(Plan plan) {
        var files = new java.util.HashMap<>(org.orthweb.cloudinit.UserDataFiles.files(
                TestStacks.decodeUserData(plan.named("host-template").inputs().get("userData"))));
        files.putAll(TestStacks.hostBundle(plan));
        return files;
    }

    @Test
    void userDataCarriesTheStableSiteNameAndSharedIndexSettings() throws Exception {
        // no configured site name in the shipped prod stack: the first Elastic IP's DNS name
        String siteName = String.valueOf(prod.named("site-address-1").get("publicDns"));
        var files = hostFiles(prod);
        assertThat(files.get("/etc/orthweb/stack.env")).contains("\nSITE_NAME=" + siteName + "\n");
        // two hosts on one index: no saved job registry; a per-host server identity from the environment
        JsonNode orthanc = TestStacks.json(files.get("/etc/orthweb/orthanc.json"));
        assertThat(orthanc.get("SaveJobs").asBoolean()).isFalse();
        assertThat(orthanc.get("DatabaseServerIdentifier").asText()).isEqualTo("${ORTHWEB_HOST_ID}");
        var devFiles = hostFiles(dev);
        assertThat(TestStacks.json(devFiles.get("/etc/orthweb/orthanc.json")).get("SaveJobs").asBoolean()).isTrue();
    }

    @Test
    void roleIsScopedToTheStacksResources() {
        JsonNode policy = TestStacks.json(dev.named("host-access").inputs().get("policy"));
        String text = policy.toString();
        assertThat(text).doesNotContain("\"s3:*\"").doesNotContain("\"Resource\":\"*\"")
                .contains(String.valueOf(dev.named("storage-data").get("arn")) + "/*")
                .contains(masterSecretArn(dev))
                .contains(String.valueOf(dev.named("encryption-key").get("arn")))
                .contains(":dbuser:" + dev.named("database-instance").get("resourceId") + "/orthanc\"")
                .contains(":dbuser:" + dev.named("database-instance").get("resourceId") + "/keycloak\"")
                .contains(String.valueOf(dev.named("host-container-logs").get("arn")));
        JsonNode trust = TestStacks.json(dev.named("host-role").inputs().get("assumeRolePolicy"));
        assertThat(trust.at("/Statement/0/Principal/Service").asText()).isEqualTo("ec2.amazonaws.com");
    }

    /**
     * What the prod plan shows of the credentials: RDS manages the master password under the
     * stack key, and the hosts carry the token refresher, its timer and the clients pointed at
     * the token files (no application database password anywhere).
     */
    @Test
    void planShowsTheManagedMasterCredentialAndTheTokenMechanism() throws Exception {
        String json = org.orthweb.plan.PlanPrinter.json(prod);
        assertThat(json).contains("\"manageMasterUserPassword\" : true").contains("\"masterUserSecretKmsKeyId\"")
                .contains("rds-db:connect");
        var files = hostFiles(prod);
        assertThat(files).containsKeys(org.orthweb.cloudinit.Layout.DB_AUTH_SCRIPT,
                "/etc/systemd/system/" + org.orthweb.cloudinit.Layout.DB_AUTH_SERVICE,
                "/etc/systemd/system/" + org.orthweb.cloudinit.Layout.DB_AUTH_TIMER);
        assertThat(files.get("/etc/systemd/system/" + org.orthweb.cloudinit.Layout.DB_AUTH_TIMER))
                .contains("OnUnitActiveSec=" + org.orthweb.cloudinit.Layout.DB_TOKEN_REFRESH_MINUTES + "min");
        assertThat(files.get(org.orthweb.cloudinit.Layout.DB_AUTH_SCRIPT))
                .contains("aws rds generate-db-auth-token").contains("refresh orthanc 0600").contains("refresh keycloak 0640");
        JsonNode compose = new com.fasterxml.jackson.dataformat.yaml.YAMLMapper().readTree(files.get("/etc/orthweb/docker-compose.yml"));
        for (String service : List.of("orthanc", "keycloak")) {
            assertThat(compose.at("/services/" + service + "/environment/PGPASSFILE").asText()).isEqualTo("/run/orthweb-db/pgpass");
            assertThat(compose.at("/services/" + service + "/volumes").toString())
                    .contains("/etc/orthweb/db-auth/" + service + ":/run/orthweb-db:ro");
        }
        assertThat(compose.at("/services/keycloak/environment").has("KC_DB_PASSWORD")).isFalse();
        assertThat(files.get("/etc/orthweb/orthanc-secrets.jq")).contains("\"postgresql://orthanc\"").doesNotContain("dbPassword");
        assertThat(files.get("/etc/orthweb/db-setup.sql")).contains("GRANT rds_iam TO orthanc;", "GRANT rds_iam TO keycloak;")
                .contains("PASSWORD NULL");
        // the master password is nowhere in the program: no generator, no secret of ours
        assertThat(prod.resources()).noneMatch(r -> r.name().startsWith("database-master"));
    }

    @Test
    void containerLogGroupAndSshKeyOnlyWhenConfigured() {
        String key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGxqHDn8UTPMJk3xaO4JCcXGPq9Zb0o8J1yvW7Z2Zq5x ops";
        Plan plan = TestStacks.plan("t", TestStacks.yaml("dev", """
                  orthweb:logging:
                    containerLogs: false
                  orthweb:host:
                    publicKey: %s
                """.formatted(key)));
        assertThat(plan.resources()).noneMatch(r -> r.name().equals("host-container-logs"));
        assertThat(TestStacks.json(plan.named("host-access").inputs().get("policy")).toString()).doesNotContain("logs:PutLogEvents");
        assertThat(plan.named("host-ssh-key").inputs()).containsEntry("publicKey", key);
        assertThat(plan.named("host-template").inputs()).containsEntry("keyName", plan.named("host-ssh-key").inputs().get("keyName"));
    }

    @Test
    void firewallAdmitsOnlyHttpsAndDicomFromTheConfiguredNetworks() {
        var ingress = prod.ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").stream()
                .filter(r -> prod.named("firewall-sg").id().equals(r.inputs().get("securityGroupId"))).toList();
        String self = prod.named("firewall-sg").id();
        assertThat(ingress).extracting(r -> r.inputs().get("fromPort") + " " + r.inputs().getOrDefault("cidrIpv4",
                        r.inputs().get("referencedSecurityGroupId")))
                // Keycloak's cluster ports: from the group's own members (the site's hosts) only
                .containsExactlyInAnyOrder("443 198.51.100.0/24", "11112 203.0.113.0/24", "7800 " + self, "57800 " + self);
        var egress = prod.ofType("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule");
        assertThat(egress).extracting(r -> r.inputs().get("fromPort") + " " + r.inputs().getOrDefault("cidrIpv4",
                        r.inputs().get("referencedSecurityGroupId")))
                .containsExactlyInAnyOrder("443 0.0.0.0/0", "5432 " + prod.named("database-sg").id(),
                        "7800 " + self, "57800 " + self);
    }

    /**
     * A host's first boot asks AWS for the secrets with the instance role: every grant of the role
     * (inline policy and managed-policy attachments) is in place before any host is created. The
     * mock engine does not report options, so a transformation records them on the way.
     */
    @Test
    void everyHostWaitsForAllOfItsRolesPolicies() {
        // prod runs its hosts in an auto-scaling group (HA mode), dev as instances: both must wait
        everyHostWaitsForAllOfItsRolesPolicies(TestStacks.config("prod"));
        everyHostWaitsForAllOfItsRolesPolicies(TestStacks.config("dev"));
    }

    private static void everyHostWaitsForAllOfItsRolesPolicies(org.orthweb.config.StackConfig config) {
        java.util.Map<String, java.util.Set<String>> dependsOn = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.Map<String, String> policyParents = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.Map<String, String> roles = new java.util.concurrent.ConcurrentHashMap<>();
        com.pulumi.resources.ResourceTransformation record = args -> {
            var resource = args.resource();
            String type = resource.pulumiResourceType();
            String name = resource.pulumiResourceName();
            if (type.equals("aws:iam/rolePolicy:RolePolicy") || type.equals("aws:iam/rolePolicyAttachment:RolePolicyAttachment")) {
                args.options().getParent().ifPresent(p -> policyParents.put(name, p.pulumiResourceName()));
            }
            if (type.equals("aws:iam/role:Role")) {
                roles.put(name, type);
            }
            if (type.equals("aws:ec2/instance:Instance") || type.equals("aws:autoscaling/group:Group")) {
                var names = java.util.concurrent.ConcurrentHashMap.<String>newKeySet();
                names.addAll(com.pulumi.test.PulumiTest.extractValue(args.options().getDependsOn())
                        .stream().map(com.pulumi.resources.Resource::pulumiResourceName).toList());
                dependsOn.put(name, names);
            }
            return java.util.Optional.empty();
        };
        try {
            var result = com.pulumi.test.PulumiTest.withMocks(new PlanMocks(config.region(), config.stack()))
                    .withOptions(com.pulumi.test.TestOptions.builder().projectName(org.orthweb.OrthwebProgram.PROJECT)
                            .stackName(config.stack()).preview(false).resourceTransformations(List.of(record)).build())
                    .runTest(ctx -> org.orthweb.OrthwebProgram.define(ctx, config));
            assertThat(result.exceptions()).isEmpty();
        } finally {
            com.pulumi.test.PulumiTest.cleanup();
        }
        List<String> hostPolicies = policyParents.entrySet().stream().filter(e -> e.getValue().equals("host-role"))
                .map(java.util.Map.Entry::getKey).sorted().toList();
        assertThat(hostPolicies).as("the host role's grants").contains("host-access", "host-ssm-core");
        assertThat(dependsOn).as("hosts of " + config.stack())
                .hasSize(config.ha().enabled() ? 1 : config.host().instanceCount());
        dependsOn.forEach((host, deps) -> assertThat(deps).as(host + " depends on").containsAll(hostPolicies)
                .contains("host-bundle"));
    }
}
