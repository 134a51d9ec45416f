package org.orthweb.components;

import com.pulumi.core.Output;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AlarmsTest {

    /**
     * The connections alarm is sized from the role limits the database setup renders (the
     * connection budget): 80 % of their sum, whatever the pools become.
     */
    @Test
    void connectionsAlarmFiresAtFourFifthsOfTheRenderedRoleLimits() {
        int sum = org.orthweb.cloudinit.ConnectionBudget.roleLimits().values().stream().mapToInt(Integer::intValue).sum();
        assertThat(Alarms.appRoleConnectionLimits()).isEqualTo(sum).isPositive();
        var connections = Alarms.database(Output.of("db"), 20, "db.t4g.medium").stream()
                .filter(a -> a.metric().equals("DatabaseConnections")).findFirst().orElseThrow();
        assertThat(connections.threshold()).isEqualTo(Math.floor(sum * 0.8));
        assertThat(connections.description()).contains(String.valueOf(sum));
    }

    /** On a class smaller than the role limits (a one-host stack on db.t4g.micro), the class bounds the alarm. */
    @Test
    void onASmallClassTheConnectionsAlarmFollowsWhatTheClassAllows() {
        int micro = org.orthweb.cloudinit.ConnectionBudget.estimatedMaxConnections("db.t4g.micro")
                - org.orthweb.cloudinit.ConnectionBudget.RDS_RESERVED;
        assertThat(micro).isLessThan(Alarms.appRoleConnectionLimits());
        assertThat(Alarms.connectionCapacity("db.t4g.micro")).isEqualTo(micro);
        assertThat(Alarms.connectionCapacity("db.t4g.medium")).isEqualTo(Alarms.appRoleConnectionLimits());
        var connections = Alarms.database(Output.of("db"), 20, "db.t4g.micro").stream()
                .filter(a -> a.metric().equals("DatabaseConnections")).findFirst().orElseThrow();
        assertThat(connections.threshold()).isEqualTo(Math.floor(micro * 0.8));
        assertThat(connections.description()).contains("db.t4g.micro");
    }

    @Test
    void databaseAlarmsWatchCpuStorageAndConnectionsWithThresholdsFromTheStack() {
        Map<String, AlarmSpec> byMetric = new java.util.HashMap<>();
        Alarms.database(Output.of("calm-otter-orthancdb"), 30, "db.t4g.medium").forEach(a -> byMetric.put(a.metric(), a));
        assertThat(byMetric).containsOnlyKeys("CPUUtilization", "FreeStorageSpace", "DatabaseConnections");
        assertThat(byMetric.get("CPUUtilization").threshold()).isEqualTo(80);
        assertThat(byMetric.get("CPUUtilization").comparison()).isEqualTo("GreaterThanThreshold");
        // 10 % of 30 GiB, in bytes, the metric's unit
        assertThat(byMetric.get("FreeStorageSpace").threshold()).isEqualTo(3.0 * 1024 * 1024 * 1024);
        assertThat(byMetric.get("FreeStorageSpace").comparison()).isEqualTo("LessThanThreshold");
        assertThat(byMetric.get("FreeStorageSpace").statistic()).isEqualTo("Minimum");
        byMetric.values().forEach(a -> assertThat(a.dimensions()).containsOnlyKeys("DBInstanceIdentifier"));
        assertThat(byMetric.get("FreeStorageSpace").description()).contains("30 GiB")
                .contains("orthweb:database.allocatedStorageGiB");
    }

    @Test
    void eachHostHasASystemCheckThatRecoversAndAnInstanceCheck() {
        Output<String> recover = Output.of("arn:aws:automate:eu-west-1:ec2:recover");
        List<AlarmSpec> alarms = Alarms.host(2, Output.of("i-0abc"), recover);
        assertThat(alarms).extracting(AlarmSpec::what).containsExactly("host-2-system-check", "host-2-instance-check");
        assertThat(alarms.get(0).metric()).isEqualTo("StatusCheckFailed_System");
        assertThat(alarms.get(0).extraActions()).containsExactly(recover);
        assertThat(alarms.get(1).metric()).isEqualTo("StatusCheckFailed_Instance");
        assertThat(alarms.get(1).extraActions()).as("rebooting a broken guest needs a person").isEmpty();
        alarms.forEach(a -> assertThat(a.description()).startsWith("Host 2 "));
    }

    @Test
    void theBalancerHasOneUnhealthyTargetAlarmPerTargetGroupThatOutlastsABoot() {
        Output<String> lb = Output.of("net/calm-otter-nlb/0123456789abcdef");
        List<AlarmSpec> alarms = Alarms.balancer(lb, Map.of(443, Output.of("targetgroup/tg-443/1"),
                11112, Output.of("targetgroup/tg-11112/2")), 900);
        assertThat(alarms).extracting(AlarmSpec::what).containsExactly("lb-unhealthy-hosts-443", "lb-unhealthy-hosts-11112");
        for (AlarmSpec a : alarms) {
            assertThat(a.namespace()).isEqualTo("AWS/NetworkELB");
            assertThat(a.metric()).isEqualTo("UnHealthyHostCount");
            assertThat(a.dimensions()).containsOnlyKeys("LoadBalancer", "TargetGroup").containsEntry("LoadBalancer", lb);
            assertThat(a.comparison()).isEqualTo("GreaterThanOrEqualToThreshold");
            assertThat(a.threshold()).isEqualTo(1);
            // a booting host fails its checks until its bootstrap ends: the window outlasts the grace
            assertThat(a.periodSeconds() * a.evaluationPeriods()).isGreaterThan(900);
            assertThat(a.description()).contains("/orthweb_health").contains("hostListCommand").contains("SSM");
        }
        assertThat(Alarms.unhealthyEvaluationPeriods(300)).isEqualTo(10);
        assertThat(Alarms.unhealthyEvaluationPeriods(301)).isEqualTo(11);
    }

    @Test
    void anAlarmWithoutInstructionsOrWithADuplicateNameIsRefused() {
        assertThatThrownBy(() -> new AlarmSpec("x", " ", "AWS/EC2", "m", Map.of(), "Maximum", "GreaterThanThreshold",
                1, 60, 1, "missing", List.of())).hasMessageContaining("description must say what to do");
        var one = Alarms.database(Output.of("db"), 20, "db.t4g.medium");
        assertThatThrownBy(() -> new AlertingArgs(new org.orthweb.naming.Naming(Output.of("p"), Map.of()),
                Output.of("k"), List.of(), List.of(one.get(0), one.get(0)))).hasMessage("two alarms have the same name");
    }
}
