package org.orthweb.policy;

import org.junit.jupiter.api.DisplayName;
import org.orthweb.plan.Plan.PlannedResource;
import org.orthweb.support.TestStacks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.orthweb.policy.PolicyStack.str;

/**
 * Day-two operations on every stack file: tags on everything the stack causes to exist, AWS
 * Backup in hardened stacks, the alarms and their topic, the cost budget.
 */
class OperationsControlsTest {

    /** The stack tags, spelled out here rather than borrowed from Naming: the test holds the value. */
    private static Map<String, String> expectedStackTags(PolicyStack s) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("Environment", s.config().environment().code());
        tags.put("Owner", s.config().owner());
        tags.put("Application", "Orthanc");
        tags.put("Stack", s.name());
        tags.put("ManagedBy", "pulumi");
        return tags;
    }

    /** {@code aws:ec2/launchTemplate:LaunchTemplate} -> com.pulumi.aws.ec2.LaunchTemplateArgs has tags(). */
    static boolean taggable(String type) {
        String[] parts = type.split("[:/]");
        String className = "com.pulumi.aws." + parts[1] + "." + parts[3] + "Args";
        try {
            Class<?> args = Class.forName(className);
            for (var m : args.getMethods()) {
                if (m.getName().equals("tags") && m.getParameterCount() == 0) {
                    return true;
                }
            }
            return false;
        } catch (ClassNotFoundException e) {
            throw new AssertionError("no provider Args class " + className + " for " + type);
        }
    }

    @ForEachStack
    @DisplayName("custom: every AWS provider sets the stack tags as default tags, every AWS resource uses one of them")
    void tags_directlyCreatedResourcesGetTheStackTags(String stack) {
        var s = PolicyStack.of(stack);
        Map<String, String> expected = expectedStackTags(s);
        Set<String> tagged = new TreeSet<>();
        for (PlannedResource p : s.ofType(Types.AWS_PROVIDER)) {
            // provider inputs reach the engine as JSON text
            Object tags = new com.fasterxml.jackson.databind.ObjectMapper().convertValue(
                    TestStacks.json(p.get("defaultTags")).get("tags"), Map.class);
            assertThat(tags).as("default tags of provider %s", p.name()).isEqualTo(expected);
            tagged.add(p.name());
        }
        assertThat(tagged).as("the stack declares its AWS provider").isNotEmpty();
        for (PlannedResource r : s.plan().resources()) {
            if (!r.type().startsWith("aws:")) {
                continue;
            }
            String provider = s.provider(r.name());
            assertThat(provider).as("%s (%s) is registered with a stack provider, not the default one", r.name(), r.type())
                    .isNotNull();
            String providerName = provider.replaceAll(".*pulumi:providers:aws::([^:]+)::.*", "$1");
            assertThat(tagged).as("provider of %s", r.name()).contains(providerName);
        }
    }

    /**
     * Taggable kinds that carry the stack tags (from the provider) but no Name: security group
     * rules, which their description names and which the console shows under their group, and
     * S3 objects, which their key names (object tags are limited to 10).
     */
    private static final Set<String> UNNAMED = Set.of(Types.SG_INGRESS, Types.SG_EGRESS,
            "aws:s3/bucketObjectv2:BucketObjectv2");

    @ForEachStack
    @DisplayName("custom: every taggable resource carries its Name tag <prefix>-<what>")
    void tags_everyTaggableKindHasAName(String stack) {
        var s = PolicyStack.of(stack);
        Set<String> kinds = new TreeSet<>();
        for (PlannedResource r : s.plan().resources()) {
            if (!r.type().startsWith("aws:") || !taggable(r.type()) || UNNAMED.contains(r.type())) {
                continue;
            }
            kinds.add(r.type());
            if (r.type().equals(Types.AUTOSCALING_GROUP)) {
                // a group's tags are a list of {key, value, propagateAtLaunch}
                assertThat(list(r.get("tags")).stream().map(t -> map(t)).filter(t -> "Name".equals(t.get("key")))
                        .map(t -> String.valueOf(t.get("value"))).toList())
                        .as("Name tag of %s", r.name()).singleElement().asString().startsWith(s.prefix() + "-");
                continue;
            }
            assertThat(r.get("tags")).as("tags of %s (%s)", r.name(), r.type()).isInstanceOf(Map.class);
            assertThat(String.valueOf((map(r.get("tags"))).get("Name")))
                    .as("Name tag of %s", r.name()).startsWith(s.prefix() + "-");
        }
        // the kinds this test must have seen, so that a reflection slip cannot make it vacuous
        assertThat(kinds).contains(Types.KMS_KEY, Types.BUCKET, Types.DB_INSTANCE, Types.LAUNCH_TEMPLATE,
                Types.SNS_TOPIC, Types.METRIC_ALARM);
        // the hosts: instances in single-host mode, the balancer and its group in HA mode
        if (s.config().ha().enabled()) {
            assertThat(kinds).contains(Types.LOAD_BALANCER, Types.LB_TARGET_GROUP, Types.AUTOSCALING_GROUP);
        } else {
            assertThat(kinds).contains(Types.INSTANCE);
        }
    }

    @ForEachStack
    @DisplayName("custom: what AWS creates for the stack (instances, volumes, network interfaces, snapshots, recovery points) carries the stack tags")
    void tags_indirectlyCreatedResources(String stack) {
        var s = PolicyStack.of(stack);
        Map<String, String> expected = expectedStackTags(s);
        for (PlannedResource t : s.ofType(Types.LAUNCH_TEMPLATE)) {
            Map<String, Map<String, Object>> specs = new LinkedHashMap<>();
            for (Object o : list(t.get("tagSpecifications"))) {
                Map<String, Object> spec = map(o);
                specs.put(String.valueOf(spec.get("resourceType")), map(spec.get("tags")));
            }
            assertThat(specs.keySet()).as("tag specifications of %s", t.name())
                    .containsExactlyInAnyOrder("instance", "volume", "network-interface");
            specs.forEach((kind, tags) -> {
                assertThat(tags).as("%s tags of %s", kind, t.name()).containsAllEntriesOf(expected);
                assertThat(String.valueOf(tags.get("Name"))).startsWith(s.prefix() + "-");
            });
        }
        s.ofType(Types.DB_INSTANCE).forEach(db ->
                assertThat(db.get("copyTagsToSnapshot")).as("snapshots of %s copy its tags", db.name()).isEqualTo(true));
        for (PlannedResource plan : s.ofType(Types.BACKUP_PLAN)) {
            for (Object rule : list(plan.get("rules"))) {
                assertThat(map(map(rule).get("recoveryPointTags")))
                        .as("recovery point tags of %s", plan.name()).containsAllEntriesOf(expected);
            }
        }
    }

    @ForEachStack
    @DisplayName("custom: hardened stacks back up the database (and the data bucket) daily into a vault under the stack's key, >= 35 days")
    void backup(String stack) {
        var s = PolicyStack.of(stack);
        var cfg = s.config().backup();
        if (!s.hardened()) {
            assertThat(cfg.enabled()).as("backup off by default outside prd/stg").isFalse();
            assertThat(s.ofType(Types.BACKUP_VAULT)).isEmpty();
            return;
        }
        assertThat(cfg.enabled()).isTrue();
        var vault = s.single(Types.BACKUP_VAULT);
        assertThat(vault.get("kmsKeyArn")).as("vault encrypted with the stack's key").isEqualTo(s.keyArn());
        assertThat(s.protect(vault.name())).as("Pulumi protect on the vault").isTrue();
        var plan = s.single(Types.BACKUP_PLAN);
        List<Object> rules = list(plan.get("rules"));
        assertThat(rules).hasSize(1);
        Map<String, Object> rule = map(rules.get(0));
        assertThat(rule.get("targetVaultName")).isEqualTo(vault.get("name"));
        assertThat(String.valueOf(rule.get("schedule"))).as("daily").matches("cron\\(\\d+ \\d+ \\* \\* \\? \\*\\)");
        Object deleteAfter = (map(rule.get("lifecycle"))).get("deleteAfter");
        assertThat(((Number) deleteAfter).intValue()).as("retention (days)").isGreaterThanOrEqualTo(35);
        var selection = s.single(Types.BACKUP_SELECTION);
        assertThat(selection.get("planId")).isEqualTo(s.id(plan.name()));
        List<Object> expected = new ArrayList<>(List.of(s.arn(s.single(Types.DB_INSTANCE).name())));
        if (cfg.dataBucket()) {
            expected.add(s.arn(S3ControlsTest.dataBucket(s).name()));
        }
        assertThat(list(selection.get("resources"))).as("selected by ARN").containsExactlyInAnyOrderElementsOf(expected);
        var role = s.ofType(Types.ROLE).stream().filter(r -> s.arn(r.name()).equals(str(selection, "iamRoleArn")))
                .findFirst().orElseThrow();
        Set<String> managed = s.ofType(Types.ROLE_POLICY_ATTACHMENT).stream()
                .filter(a -> s.id(role.name()).equals(str(a, "role")) || role.get("name").equals(a.get("role")))
                .map(a -> str(a, "policyArn")).collect(Collectors.toSet());
        assertThat(managed).containsExactlyInAnyOrder(PolicyExceptions.BACKUP, PolicyExceptions.RESTORES,
                PolicyExceptions.S3_BACKUP, PolicyExceptions.S3_RESTORE);
        // S3 backups need versioning (AWS Backup guide, "Amazon S3 backups: prerequisites")
        if (cfg.dataBucket()) {
            assertThat(s.ofType(Types.BUCKET_VERSIONING).toString()).contains("Enabled");
        }
    }

    @ForEachStack
    @DisplayName("custom: an encrypted alert topic, e-mail subscriptions, and alarms for every host (HA: every target group) and the database that say what to do")
    void alarms(String stack) {
        var s = PolicyStack.of(stack);
        var topic = s.single(Types.SNS_TOPIC);
        String topicArn = s.arn(topic.name());
        assertThat(topic.get("kmsMasterKeyId")).as("topic encrypted with the stack's key").isEqualTo(s.keyArn());
        assertThat(s.ofType(Types.SNS_SUBSCRIPTION).stream().map(r -> r.get("endpoint")).toList())
                .containsExactlyInAnyOrderElementsOf(s.config().alerts().emails());
        s.ofType(Types.SNS_SUBSCRIPTION).forEach(r -> {
            assertThat(r.get("protocol")).isEqualTo("email");
            assertThat(r.get("topic")).isEqualTo(topicArn);
        });
        List<PlannedResource> alarms = s.ofType(Types.METRIC_ALARM);
        Map<String, List<PlannedResource>> byMetric = alarms.stream().collect(Collectors.groupingBy(a -> str(a, "metricName")));
        for (PlannedResource a : alarms) {
            assertThat(list(a.get("alarmActions"))).as("%s notifies the topic", a.name()).contains(topicArn);
            assertThat(list(a.get("okActions"))).as("%s says when it clears", a.name()).contains(topicArn);
            assertThat(str(a, "alarmDescription")).as("%s says what to do", a.name()).hasSizeGreaterThan(80);
            assertThat(String.valueOf(a.get("name"))).startsWith(s.prefix() + "-alarm-");
        }
        if (s.config().ha().enabled()) {
            // HA mode: the group replaces failed hosts (no per-instance checks); each target group
            // of the balancer has an unhealthy-target alarm
            assertThat(byMetric).doesNotContainKeys("StatusCheckFailed_System", "StatusCheckFailed_Instance");
            String lb = String.valueOf(s.single(Types.LOAD_BALANCER).get("arnSuffix"));
            List<String> groups = s.ofType(Types.LB_TARGET_GROUP).stream().map(t -> String.valueOf(t.get("arnSuffix")))
                    .sorted().toList();
            assertThat(groups).hasSize(2);
            assertThat(dimension(byMetric.get("UnHealthyHostCount"), "TargetGroup")).containsExactlyElementsOf(groups);
            assertThat(dimension(byMetric.get("UnHealthyHostCount"), "LoadBalancer")).containsOnly(lb);
            byMetric.get("UnHealthyHostCount").forEach(a -> assertThat(a.get("namespace")).isEqualTo("AWS/NetworkELB"));
        } else {
            // every host: system check with EC2's recover action, instance check
            List<String> hosts = s.ofType(Types.INSTANCE).stream().map(i -> s.id(i.name())).sorted().toList();
            assertThat(dimension(byMetric.get("StatusCheckFailed_System"), "InstanceId")).containsExactlyElementsOf(hosts);
            assertThat(dimension(byMetric.get("StatusCheckFailed_Instance"), "InstanceId")).containsExactlyElementsOf(hosts);
            byMetric.get("StatusCheckFailed_System").forEach(a -> assertThat(list(a.get("alarmActions")))
                    .contains("arn:aws:automate:" + s.config().region() + ":ec2:recover"));
            assertThat(byMetric).doesNotContainKey("UnHealthyHostCount");
        }
        // the database: CPU, free storage, connections
        String db = String.valueOf(s.single(Types.DB_INSTANCE).get("identifier"));
        for (String metric : List.of("CPUUtilization", "FreeStorageSpace", "DatabaseConnections")) {
            assertThat(dimension(byMetric.get(metric), "DBInstanceIdentifier")).as(metric).containsExactly(db);
        }
        double freeBytes = ((Number) byMetric.get("FreeStorageSpace").get(0).get("threshold")).doubleValue();
        assertThat(freeBytes / (1L << 30)).as("free storage threshold (GiB)")
                .isBetween(1.0, (double) s.config().database().allocatedStorageGiB() / 2);
    }

    private static List<String> dimension(List<PlannedResource> alarms, String key) {
        assertThat(alarms).as("alarms on " + key).isNotNull();
        return alarms.stream().map(a -> String.valueOf((map(a.get("dimensions"))).get(key))).sorted().toList();
    }

    @ForEachStack
    @DisplayName("custom: a monthly cost budget on the stack's tag when a limit is set, alerting at the actual and forecast thresholds")
    void budget(String stack) {
        var s = PolicyStack.of(stack);
        var cfg = s.config().budget();
        List<PlannedResource> budgets = s.ofType(Types.BUDGET);
        if (cfg.monthlyLimitUsd().isEmpty()) {
            assertThat(budgets).isEmpty();
            return;
        }
        var b = s.single(Types.BUDGET);
        assertThat(b.get("budgetType")).isEqualTo("COST");
        assertThat(b.get("timeUnit")).isEqualTo("MONTHLY");
        assertThat(Double.parseDouble(str(b, "limitAmount"))).isEqualTo(cfg.monthlyLimitUsd().get().doubleValue());
        assertThat(b.get("limitUnit")).isEqualTo("USD");
        assertThat(list(b.get("costFilters"))).containsExactly(Map.of("name", "TagKeyValue",
                "values", List.of("user:Stack$" + s.name())));
        Map<Object, Object> thresholds = new LinkedHashMap<>();
        for (Object o : list(b.get("notifications"))) {
            Map<String, Object> n = map(o);
            thresholds.put(n.get("notificationType"), ((Number) n.get("threshold")).intValue());
            assertThat(n.get("thresholdType")).isEqualTo("PERCENTAGE");
            assertThat(list(n.get("subscriberEmailAddresses"))).containsExactlyElementsOf(s.config().alerts().emails());
        }
        assertThat(thresholds).containsExactlyInAnyOrderEntriesOf(Map.of(
                "ACTUAL", cfg.actualAlertPercent(), "FORECASTED", cfg.forecastAlertPercent()));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        assertThat(o).isInstanceOf(Map.class);
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) {
        assertThat(o).isInstanceOf(List.class);
        return (List<Object>) o;
    }
}
