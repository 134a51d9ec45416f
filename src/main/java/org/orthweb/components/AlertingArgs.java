package org.orthweb.components;

import com.pulumi.core.Output;
import org.orthweb.naming.Naming;

import java.util.List;
import java.util.Objects;

/**
 * Inputs of {@link Alerting}.
 *
 * @param naming    names and tags
 * @param kmsKeyArn the stack's key: encrypts the topic
 * @param emails    addresses subscribed to the topic (validated by the declaration)
 * @param alarms    what to watch
 */
public record AlertingArgs(Naming naming, Output<String> kmsKeyArn, List<String> emails, List<AlarmSpec> alarms) {
    public AlertingArgs {
        Objects.requireNonNull(naming);
        Objects.requireNonNull(kmsKeyArn);
        emails = List.copyOf(emails);
        alarms = List.copyOf(alarms);
        if (alarms.stream().map(AlarmSpec::what).distinct().count() != alarms.size()) {
            throw new IllegalArgumentException("two alarms have the same name");
        }
    }
}
