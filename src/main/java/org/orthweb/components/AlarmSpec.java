package org.orthweb.components;

import com.pulumi.core.Output;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One CloudWatch alarm, declared: {@link Alerting} turns each into a {@code MetricAlarm} that
 * notifies the stack's topic when it fires and when it clears. Adding an alarm is adding one of
 * these (see {@link Alarms}).
 *
 * @param what              short name, unique in the stack: the alarm is named {@code <prefix>-alarm-<what>}
 * @param description       what it means and what to do (shown in the e-mail and the console)
 * @param namespace         CloudWatch namespace, e.g. AWS/EC2
 * @param metric            metric name, e.g. StatusCheckFailed_System
 * @param dimensions        metric dimensions (values known once the resources exist)
 * @param statistic         Average, Maximum, Minimum, Sum or SampleCount
 * @param comparison        CloudWatch comparison operator, e.g. GreaterThanOrEqualToThreshold
 * @param threshold         in the metric's unit (bytes, percent, count...)
 * @param periodSeconds     length of one evaluated period
 * @param evaluationPeriods consecutive breaching periods before the alarm fires
 * @param missingData       what no data means: "breaching" when silence is itself a failure
 * @param extraActions      actions besides the notification, e.g. the EC2 recover action
 */
public record AlarmSpec(String what, String description, String namespace, String metric,
                        Map<String, Output<String>> dimensions, String statistic, String comparison,
                        double threshold, int periodSeconds, int evaluationPeriods, String missingData,
                        List<Output<String>> extraActions) {

    /** AWS limits an alarm description to 1024 characters (PutMetricAlarm API). */
    static final int MAX_DESCRIPTION = 1024;

    public AlarmSpec {
        Objects.requireNonNull(what);
        Objects.requireNonNull(description);
        if (description.isBlank() || description.length() > MAX_DESCRIPTION) {
            throw new IllegalArgumentException("alarm " + what + ": description must say what to do, in 1-"
                    + MAX_DESCRIPTION + " characters");
        }
        if (periodSeconds < 10 || evaluationPeriods < 1) {
            throw new IllegalArgumentException("alarm " + what + ": period >= 10 s and at least one evaluation period");
        }
        dimensions = Map.copyOf(dimensions);
        extraActions = List.copyOf(extraActions);
    }
}
