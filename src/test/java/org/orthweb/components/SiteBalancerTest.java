package org.orthweb.components;

import org.junit.jupiter.api.Test;
import org.orthweb.cloudinit.Layout;
import org.orthweb.config.ConfigException;
import org.orthweb.plan.Plan;
import org.orthweb.plan.Plan.PlannedResource;
import org.orthweb.support.TestStacks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * High-availability mode under the mock engine, on the shipped prod file (HA on by default in
 * prd/stg): the balancer and its group, listeners wired to target groups, security group
 * references, health check, stickiness, the auto-scaling group and its instance refresh.
 */
@SuppressWarnings("unchecked")
class SiteBalancerTest {

    static final String LB = "aws:lb/loadBalancer:LoadBalancer";
    static final String LISTENER = "aws:lb/listener:Listener";
    static final String TG = "aws:lb/targetGroup:TargetGroup";
    static final String ASG = "aws:autoscaling/group:Group";
    static final String INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
    static final String EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";
    static final String ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";

    final Plan prod = TestStacks.shipped("prod");

    PlannedResource targetGroupOfPort(int port) {
        return prod.ofType(TG).stream().filter(t -> ((Number) t.get("port")).intValue() == port).findFirst().orElseThrow();
    }

    @Test
    void prodIsOneInternetFacingNetworkBalancerAcrossTheZonesWithItsOwnGroup() {
        assertThat(prod.ofType(LB)).hasSize(1);
        PlannedResource lb = prod.ofType(LB).get(0);
        assertThat(lb.get("loadBalancerType")).isEqualTo("network");
        assertThat(lb.get("internal")).isEqualTo(false);
        assertThat(lb.get("enableCrossZoneLoadBalancing")).isEqualTo(true);
        assertThat(lb.get("enableDeletionProtection")).isEqualTo(true);
        List<String> publicSubnets = prod.ofType("aws:ec2/subnet:Subnet").stream()
                .filter(s -> Boolean.TRUE.equals(s.get("mapPublicIpOnLaunch"))).map(PlannedResource::id).toList();
        assertThat(publicSubnets).hasSize(2);
        assertThat((List<Object>) lb.get("subnets")).containsExactlyInAnyOrderElementsOf(publicSubnets);
        assertThat((List<Object>) lb.get("securityGroups")).containsExactly(prod.named("balancer-sg").id());
        // no Elastic IP and no standalone instance: the group runs the hosts
        assertThat(prod.ofType("aws:ec2/eip:Eip")).isEmpty();
        assertThat(prod.ofType("aws:ec2/instance:Instance")).isEmpty();
    }

    @Test
    void listenersPassTcpThroughToTheTargetGroupOfTheirOwnPort() throws Exception {
        List<PlannedResource> listeners = prod.ofType(LISTENER);
        assertThat(listeners).hasSize(2);
        for (PlannedResource l : listeners) {
            int port = ((Number) l.get("port")).intValue();
            assertThat(port).isIn(Layout.HTTPS_PORT, Layout.DICOM_TLS_PORT);
            assertThat(l.get("protocol")).isEqualTo("TCP");
            assertThat(l.get("loadBalancerArn")).isEqualTo(prod.ofType(LB).get(0).id());
            List<?> actions = (List<Object>) l.get("defaultActions");
            assertThat(actions).hasSize(1);
            Map<?, ?> action = (Map<Object, Object>) actions.get(0);
            assertThat(action.get("type")).isEqualTo("forward");
            PlannedResource tg = targetGroupOfPort(port);
            assertThat(action.get("targetGroupArn")).isEqualTo(tg.id());
            assertThat(tg.get("protocol")).isEqualTo("TCP");
            assertThat(tg.get("targetType")).isEqualTo("instance");
            assertThat(((Number) l.get("tcpIdleTimeoutSeconds")).intValue()).isEqualTo(SiteBalancer.IDLE_TIMEOUT_SECONDS);
        }
        // the balancer never cuts an idle flow before the host's nginx would (proxy_timeout in the stream block)
        String nginx = renderedNginx();
        Matcher m = Pattern.compile("proxy_timeout (\\d+)m;").matcher(nginx);
        assertThat(m.find()).isTrue();
        assertThat(SiteBalancer.IDLE_TIMEOUT_SECONDS).isGreaterThanOrEqualTo(Integer.parseInt(m.group(1)) * 60)
                .isBetween(60, 6000);
    }

    @Test
    void bothTargetGroupsCheckNginxsHealthPathThatNeedsOrthanc() {
        for (int port : List.of(Layout.HTTPS_PORT, Layout.DICOM_TLS_PORT)) {
            Map<?, ?> hc = (Map<Object, Object>) targetGroupOfPort(port).get("healthCheck");
            assertThat(hc.get("protocol")).isEqualTo("HTTPS");
            assertThat(hc.get("port")).isEqualTo(String.valueOf(Layout.HTTPS_PORT));
            assertThat(hc.get("path")).isEqualTo(Layout.HEALTH_PATH);
            assertThat(hc.get("matcher")).isEqualTo("200");
        }
        // rendered: the path answers through an auth_request to Orthanc's /system, not a static 200
        String nginx = renderedNginx();
        String block = nginx.substring(nginx.indexOf("location = " + Layout.HEALTH_PATH + " {"));
        block = block.substring(0, block.indexOf('}'));
        // nginx runs `return` in its rewrite phase, before auth_request (access phase): a `return` in
        // this location would answer 200 whatever Orthanc does (seen in TwoHostSiteTest)
        assertThat(block).contains("auth_request /_orthanc_alive;").doesNotContain("proxy_pass").doesNotContain("return");
        String probe = nginx.substring(nginx.indexOf("location = /_orthanc_alive {"));
        probe = probe.substring(0, probe.indexOf('}'));
        assertThat(probe).contains("internal;").contains("proxy_pass http://$orthanc/system;");
    }

    @Test
    void httpsIsStickyBySourceIpAndDicomIsNot() {
        Map<?, ?> https = (Map<Object, Object>) targetGroupOfPort(Layout.HTTPS_PORT).get("stickiness");
        assertThat(https.get("type")).isEqualTo("source_ip");
        assertThat(https.get("enabled")).isEqualTo(true);
        Map<?, ?> dicom = (Map<Object, Object>) targetGroupOfPort(Layout.DICOM_TLS_PORT).get("stickiness");
        assertThat(dicom.get("enabled")).isEqualTo(false);
    }

    @Test
    void hostsAdmitOnlyTheBalancersGroupAndTheBalancerHoldsTheClientLists() {
        String hostSg = prod.named("firewall-sg").id();
        String lbSg = prod.named("balancer-sg").id();
        for (int port : List.of(Layout.HTTPS_PORT, Layout.DICOM_TLS_PORT)) {
            List<PlannedResource> toHosts = prod.ofType(INGRESS).stream()
                    .filter(r -> hostSg.equals(r.get("securityGroupId")) && ((Number) r.get("fromPort")).intValue() == port)
                    .toList();
            assertThat(toHosts).as("host ingress on " + port).hasSize(1);
            assertThat(toHosts.get(0).get("referencedSecurityGroupId")).isEqualTo(lbSg);
            assertThat(toHosts.get(0).get("cidrIpv4")).isNull();
            // the balancer's egress reaches the hosts' group only
            assertThat(prod.ofType(EGRESS).stream().filter(r -> lbSg.equals(r.get("securityGroupId"))
                    && ((Number) r.get("fromPort")).intValue() == port))
                    .singleElement().satisfies(r -> assertThat(r.get("referencedSecurityGroupId")).isEqualTo(hostSg));
        }
        var cfg = TestStacks.config("prod");
        assertThat(prod.ofType(INGRESS).stream().filter(r -> lbSg.equals(r.get("securityGroupId")))
                .map(r -> r.get("fromPort") + " " + r.get("cidrIpv4")).toList())
                .containsExactlyInAnyOrderElementsOf(java.util.stream.Stream.concat(
                        cfg.network().webClientCidrs().stream().map(c -> Layout.HTTPS_PORT + " " + c),
                        cfg.network().dicomClientCidrs().stream().map(c -> Layout.DICOM_TLS_PORT + " " + c)).toList());
    }

    @Test
    void theGroupRunsTheTemplateAcrossTheZonesWithElbChecksAndRollingRefresh() {
        assertThat(prod.ofType(ASG)).hasSize(1);
        PlannedResource g = prod.ofType(ASG).get(0);
        PlannedResource template = prod.ofType("aws:ec2/launchTemplate:LaunchTemplate").get(0);
        Map<?, ?> lt = (Map<Object, Object>) g.get("launchTemplate");
        assertThat(lt.get("id")).isEqualTo(template.id());
        assertThat(lt.get("version")).isEqualTo(String.valueOf(template.get("latestVersion")));
        assertThat((List<Object>) g.get("vpcZoneIdentifiers")).containsExactlyInAnyOrderElementsOf(
                (List<Object>) prod.ofType(LB).get(0).get("subnets"));
        assertThat((List<Object>) g.get("targetGroupArns")).containsExactlyInAnyOrder(
                targetGroupOfPort(Layout.HTTPS_PORT).id(), targetGroupOfPort(Layout.DICOM_TLS_PORT).id());
        assertThat(g.get("healthCheckType")).isEqualTo("ELB");
        var ha = TestStacks.config("prod").ha();
        assertThat(ha.enabled()).isTrue();
        assertThat(((Number) g.get("healthCheckGracePeriod")).intValue()).isEqualTo(ha.healthCheckGraceSeconds()).isEqualTo(900);
        // desired = minimum = the host count by default
        assertThat(((Number) g.get("minSize")).intValue()).isEqualTo(2);
        assertThat(((Number) g.get("desiredCapacity")).intValue()).isEqualTo(2);
        assertThat(((Number) g.get("maxSize")).intValue()).isEqualTo(2);
        Map<?, ?> refresh = (Map<Object, Object>) g.get("instanceRefresh");
        assertThat(refresh.get("strategy")).isEqualTo("Rolling");
        Map<?, ?> prefs = (Map<Object, Object>) refresh.get("preferences");
        assertThat(((Number) prefs.get("minHealthyPercentage")).intValue()).isEqualTo(100);
        assertThat(((Number) prefs.get("maxHealthyPercentage")).intValue()).isEqualTo(200);
        assertThat(prefs.get("skipMatching")).isEqualTo(true);
        // the group takes no provider default tags: its own, not propagated (the template tags its hosts)
        List<?> tags = (List<Object>) g.get("tags");
        assertThat(tags).anySatisfy(t -> assertThat((Map<Object, Object>) t).containsEntry("key", "Environment")
                .containsEntry("value", "prd").containsEntry("propagateAtLaunch", false));
    }

    @Test
    void theTemplatesTagSpecificationsCarryTheStackTags() {
        for (Plan plan : List.of(prod, TestStacks.shipped("dev"))) {
            PlannedResource template = plan.ofType("aws:ec2/launchTemplate:LaunchTemplate").get(0);
            List<?> specs = (List<Object>) template.get("tagSpecifications");
            assertThat(specs.stream().map(spec -> String.valueOf(((Map<?, ?>) spec).get("resourceType"))).toList())
                    .containsExactlyInAnyOrder("instance", "volume", "network-interface");
            for (Object spec : specs) {
                Map<Object, Object> tags = (Map<Object, Object>) ((Map<Object, Object>) spec).get("tags");
                assertThat(tags).containsKeys("Environment", "Owner", "Application", "Stack", "ManagedBy", "Name");
            }
        }
    }

    @Test
    void outputsNameTheBalancerAndTheGroup() {
        String dns = String.valueOf(prod.ofType(LB).get(0).get("dnsName"));
        assertThat(prod.outputs().get("siteName")).isEqualTo(dns);
        assertThat(prod.outputs().get("siteUrls")).isEqualTo(List.of("https://" + dns + "/"));
        assertThat(prod.outputs().get("dicomEndpoints")).isEqualTo(List.of(dns + ":" + Layout.DICOM_TLS_PORT));
        assertThat(prod.outputs().get("hostGroupName")).isEqualTo(prod.ofType(ASG).get(0).get("name"));
        assertThat(String.valueOf(prod.outputs().get("hostListCommand"))).contains("describe-auto-scaling-groups")
                .contains(String.valueOf(prod.ofType(ASG).get(0).get("name")));
        assertThat(prod.outputs()).doesNotContainKeys("hostIds", "hostPublicIps", "hostPublicDnsNames");
    }

    @Test
    void anUnhealthyTargetAlarmWatchesEachTargetGroupOfTheBalancer() {
        PlannedResource lb = prod.ofType(LB).get(0);
        List<PlannedResource> unhealthy = prod.ofType(ALARM).stream()
                .filter(a -> "UnHealthyHostCount".equals(a.get("metricName"))).toList();
        assertThat(unhealthy).hasSize(2);
        for (int port : List.of(Layout.HTTPS_PORT, Layout.DICOM_TLS_PORT)) {
            PlannedResource tg = targetGroupOfPort(port);
            assertThat(unhealthy).filteredOn(a -> ((Map<Object, Object>) a.get("dimensions")).get("TargetGroup")
                    .equals(tg.get("arnSuffix"))).singleElement().satisfies(a -> {
                        assertThat(a.get("namespace")).isEqualTo("AWS/NetworkELB");
                        assertThat((Map<Object, Object>) a.get("dimensions")).containsEntry("LoadBalancer", lb.get("arnSuffix"));
                        assertThat(String.valueOf(a.get("alarmDescription"))).contains("hostListCommand");
                        // it notifies the stack's topic
                        assertThat((List<Object>) a.get("alarmActions")).isNotEmpty();
                    });
        }
        // the group replaces failed hosts: no per-instance status checks in HA mode; dev keeps them
        assertThat(prod.ofType(ALARM)).noneSatisfy(a -> assertThat(String.valueOf(a.get("metricName"))).startsWith("StatusCheckFailed"));
        Plan dev = TestStacks.shipped("dev");
        assertThat(dev.ofType(ALARM)).noneSatisfy(a -> assertThat(a.get("metricName")).isEqualTo("UnHealthyHostCount"));
        assertThat(dev.ofType(ALARM)).anySatisfy(a -> assertThat(a.get("metricName")).isEqualTo("StatusCheckFailed_System"));
    }

    @Test
    void aConfiguredSiteNameLeadsAndTheBalancersNameStaysInTheCertificateNames() {
        Plan named = TestStacks.shippedWith("prod", ("  orthweb:site:\n    name: pacs.example.org\n"));
        String dns = String.valueOf(named.ofType(LB).get(0).get("dnsName"));
        assertThat(named.outputs().get("siteName")).isEqualTo("pacs.example.org");
        assertThat(named.outputs().get("stableNames")).isEqualTo(List.of("pacs.example.org", dns));
    }

    @Test
    void singleHostModeStaysAsItWas() {
        Plan dev = TestStacks.shipped("dev");
        assertThat(dev.ofType(LB)).isEmpty();
        assertThat(dev.ofType(ASG)).isEmpty();
        assertThat(dev.ofType("aws:ec2/eip:Eip")).hasSize(1);
        assertThat(dev.ofType("aws:ec2/instance:Instance")).hasSize(1);
        Plan prodSingle = TestStacks.shippedWith("prod", ("  orthweb:ha:\n    enabled: false\n"));
        assertThat(prodSingle.ofType(LB)).isEmpty();
        assertThat(prodSingle.ofType("aws:ec2/eip:Eip")).hasSize(2);
    }

    @Test
    void haInADevStackHasNoDeletionProtection() {
        Plan devHa = TestStacks.plan("dev", TestStacks.yaml("dev", "  orthweb:ha:\n    enabled: true\n"));
        assertThat(devHa.ofType(LB)).singleElement().satisfies(lb -> assertThat(lb.get("enableDeletionProtection")).isEqualTo(false));
        assertThat(((Number) devHa.ofType(ASG).get(0).get("minSize")).intValue()).isEqualTo(1);
    }

    @Test
    void badCombinationsNameTheKeys() {
        assertThatThrownBy(() -> TestStacks.config("dev", TestStacks.yaml("dev",
                "  orthweb:network:\n    azCount: 1\n  orthweb:ha:\n    enabled: true\n")))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).anySatisfy(p ->
                        assertThat(p).contains("orthweb:ha.enabled").contains("orthweb:network.azCount").contains("got 1")));
        assertThatThrownBy(() -> TestStacks.config("dev", TestStacks.yaml("dev",
                "  orthweb:ha:\n    enabled: true\n    minHosts: 3\n    maxHosts: 2\n")))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).contains(
                        "orthweb:ha.minHosts (3) must not exceed orthweb:ha.maxHosts (2)"));
        assertThatThrownBy(() -> TestStacks.config("dev", TestStacks.yaml("dev",
                "  orthweb:ha:\n    healthCheckGraceSeconds: 60\n")))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).anySatisfy(p ->
                        assertThat(p).contains("orthweb:ha.healthCheckGraceSeconds")));
    }

    @Test
    void aRefreshAtItsMostHostsStaysWithinTheDatabaseConnectionBudget() {
        // the instance refresh may run maxHealthyPercentage of the group at once; the roles' connection
        // limits (rendered into the database setup) cover MAX_HOSTS_AT_ONCE hosts' pools
        int most = org.orthweb.config.ConfigRules.MAX_HA_HOSTS * OrthancHost.REFRESH_MAX_HEALTHY_PERCENT / 100;
        assertThat(most).isLessThanOrEqualTo(org.orthweb.cloudinit.ConnectionBudget.MAX_HOSTS_AT_ONCE);
        assertThatThrownBy(() -> TestStacks.config("dev", TestStacks.yaml("dev",
                "  orthweb:ha:\n    enabled: true\n    maxHosts: " + (org.orthweb.config.ConfigRules.MAX_HA_HOSTS + 1) + "\n")))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).anySatisfy(p ->
                        assertThat(p).contains("orthweb:ha.maxHosts")));
    }

    static String renderedNginx() {
        var in = new org.orthweb.cloudinit.UserDataInputs("ha", "prd", "us-east-1", "pacs.example.org",
                "db.example.internal", 5432, "arn:aws:secretsmanager:us-east-1:123456789012:secret:db",
                "arn:aws:secretsmanager:us-east-1:123456789012:secret:app", "bucket", null, Map.of(),
                "arn:aws:secretsmanager:us-east-1:123456789012:secret:tls", "6a1e0c9d-2b3f-4c5d-8e7f-90a1b2c3d4e5", 2);
        return org.orthweb.cloudinit.Render.files(in).get(Layout.CONFIG_DIR + "/nginx.conf");
    }

}
