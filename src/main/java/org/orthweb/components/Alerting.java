package org.orthweb.components;

import com.pulumi.aws.cloudwatch.MetricAlarm;
import com.pulumi.aws.cloudwatch.MetricAlarmArgs;
import com.pulumi.aws.sns.Topic;
import com.pulumi.aws.sns.TopicArgs;
import com.pulumi.aws.sns.TopicSubscription;
import com.pulumi.aws.sns.TopicSubscriptionArgs;
import com.pulumi.core.Output;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;
import com.pulumi.resources.CustomResourceOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The alarm topic (SNS, encrypted with the stack's key), one e-mail subscription per address
 * (each recipient confirms once; Pulumi cannot), and one CloudWatch alarm per {@link AlarmSpec},
 * notifying the topic when it fires and when it clears. CloudWatch may use the key to publish
 * through the key policy's {@code CloudWatchAlarmsPublishToEncryptedTopic} statement.
 */
public final class Alerting extends ComponentResource {

    public static final String TYPE = "orthweb:index:Alerting";
    /** Alarm names are {@code <prefix>-alarm-<what>}; the key policy conditions on this pattern. */
    public static final String ALARM_NAME_PART = "alarm-";

    public final Output<String> topicArn;
    public final List<Output<String>> alarmArns;

    public Alerting(String name, AlertingArgs args, ComponentResourceOptions options) {
        super(TYPE, name, options);
        var naming = args.naming();
        var child = CustomResourceOptions.builder().parent(this).build();

        var topic = new Topic(name + "-topic", TopicArgs.builder()
                .name(naming.name("alerts"))
                .displayName("Orthweb alerts")
                .kmsMasterKeyId(args.kmsKeyArn())
                .tags(naming.tags("alerts"))
                .build(), child);
        for (int i = 0; i < args.emails().size(); i++) {
            new TopicSubscription(name + "-email-" + (i + 1), TopicSubscriptionArgs.builder()
                    .topic(topic.arn())
                    .protocol("email")
                    .endpoint(args.emails().get(i))
                    .build(), CustomResourceOptions.builder().parent(topic).build());
        }

        List<Output<String>> arns = new ArrayList<>();
        for (AlarmSpec spec : args.alarms()) {
            List<Output<String>> actions = new ArrayList<>(spec.extraActions());
            actions.add(0, topic.arn());
            var alarm = new MetricAlarm(name + "-" + spec.what(), MetricAlarmArgs.builder()
                    .name(naming.name(ALARM_NAME_PART + spec.what()))
                    .alarmDescription(spec.description())
                    .namespace(spec.namespace())
                    .metricName(spec.metric())
                    .dimensions(Output.all(spec.dimensions().entrySet().stream()
                                    .map(e -> e.getValue().applyValue(v -> Map.entry(e.getKey(), v))).toList())
                            .applyValue(entries -> Map.ofEntries(entries.toArray(Map.Entry[]::new))))
                    .statistic(spec.statistic())
                    .comparisonOperator(spec.comparison())
                    .threshold(spec.threshold())
                    .period(spec.periodSeconds())
                    .evaluationPeriods(spec.evaluationPeriods())
                    .treatMissingData(spec.missingData())
                    .alarmActions(Output.all(actions))
                    .okActions(topic.arn().applyValue(List::of))
                    .tags(naming.tags(ALARM_NAME_PART + spec.what()))
                    .build(), child);
            arns.add(alarm.arn());
        }

        this.topicArn = topic.arn();
        this.alarmArns = List.copyOf(arns);
        registerOutputs(Map.of("topicArn", topicArn, "alarmArns", Output.all(alarmArns)));
    }
}
