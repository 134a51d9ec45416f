package org.orthweb.automation;

import com.pulumi.automation.OperationType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.orthweb.automation.Fixtures.diagnostic;
import static org.orthweb.automation.Fixtures.failed;
import static org.orthweb.automation.Fixtures.outputs;
import static org.orthweb.automation.Fixtures.pre;
import static org.orthweb.automation.Fixtures.summary;

class ProgressTrackerTest {

    private static final String VPC = "aws:ec2/vpc:Vpc";
    private static final String DB = "aws:rds/instance:Instance";

    private final List<ProgressEvent> seen = new ArrayList<>();
    private final ProgressTracker tracker = new ProgressTracker(seen::add);

    @Test
    void resourceStepsBecomeStartedAndFinishedWithARunningCount() {
        tracker.accept(pre(OperationType.CREATE, VPC, "network-vpc"));
        tracker.accept(pre(OperationType.SAME, "random:index/randomPet:RandomPet", "name-prefix"));
        tracker.accept(outputs(OperationType.SAME, "random:index/randomPet:RandomPet", "name-prefix"));
        tracker.accept(outputs(OperationType.CREATE, VPC, "network-vpc"));

        assertThat(seen).extracting(ProgressEvent::kind, ProgressEvent::operation, ProgressEvent::type,
                        ProgressEvent::name, ProgressEvent::done)
                .containsExactly(
                        tuple(ProgressEvent.Kind.STARTED, OperationType.CREATE, VPC, "network-vpc", 0),
                        tuple(ProgressEvent.Kind.STARTED, OperationType.SAME, "random:index/randomPet:RandomPet", "name-prefix", 0),
                        tuple(ProgressEvent.Kind.FINISHED, OperationType.SAME, "random:index/randomPet:RandomPet", "name-prefix", 1),
                        tuple(ProgressEvent.Kind.FINISHED, OperationType.CREATE, VPC, "network-vpc", 2));
        assertThat(tracker.done()).isEqualTo(2);
        assertThat(seen.get(3).isChange()).isTrue();
        assertThat(seen.get(2).isChange()).isFalse();
    }

    @Test
    void aFailedStepIsReportedAndNotCounted() {
        tracker.accept(pre(OperationType.CREATE, DB, "database-instance"));
        tracker.accept(failed(OperationType.CREATE, DB, "database-instance"));

        assertThat(seen.get(1).kind()).isEqualTo(ProgressEvent.Kind.FAILED);
        assertThat(seen.get(1).name()).isEqualTo("database-instance");
        assertThat(seen.get(1).describe()).contains("database-instance").contains("FAILED");
        assertThat(tracker.done()).isZero();
    }

    @Test
    void diagnosticsKeepWarningsErrorsAndInfoButNotDebugOrTheTicker() {
        tracker.accept(diagnostic("warning", Fixtures.urn(DB, "database-instance"), "storage is gp2\n", false));
        tracker.accept(diagnostic("error", Fixtures.STACK_URN, "update failed", false));
        tracker.accept(diagnostic("info", "", "hello from the program", false));
        tracker.accept(diagnostic("debug", "", "RegisterResource(...)", false));
        tracker.accept(diagnostic("info", "", "creating (12s)", true));

        assertThat(seen).extracting(ProgressEvent::kind, ProgressEvent::name, ProgressEvent::message)
                .containsExactly(
                        tuple(ProgressEvent.Kind.WARNING, "database-instance", "storage is gp2"),
                        tuple(ProgressEvent.Kind.ERROR, "orthweb-dev", "update failed"),
                        tuple(ProgressEvent.Kind.INFO, null, "hello from the program"));
        assertThat(seen.get(0).describe()).isEqualTo("warning: database-instance: storage is gp2");
    }

    @Test
    void theSummaryCarriesTheChangeCounts() {
        tracker.accept(outputs(OperationType.CREATE, VPC, "network-vpc"));
        tracker.accept(summary(Map.of(OperationType.CREATE, 41, OperationType.SAME, 2)));

        ProgressEvent last = seen.get(seen.size() - 1);
        assertThat(last.kind()).isEqualTo(ProgressEvent.Kind.SUMMARY);
        assertThat(last.changes()).containsEntry(OperationType.CREATE, 41).containsEntry(OperationType.SAME, 2);
        assertThat(last.done()).isEqualTo(1);
        assertThat(last.describe()).isEqualTo("summary: create 41, unchanged 2");
    }

    @Test
    void eventsWithoutAStepAreIgnored() {
        tracker.accept(new com.pulumi.automation.events.EngineEvent(9, 0, null,
                new com.pulumi.automation.events.StandardOutputEvent("Updating (dev)", ""), null, null, null, null,
                null, null, null));
        tracker.accept(null);

        assertThat(seen).isEmpty();
    }

    @Test
    void theNameIsTheLastPartOfTheUrnEvenForNestedTypes() {
        assertThat(ProgressTracker.nameOf(Fixtures.urn(VPC, "network-vpc"))).isEqualTo("network-vpc");
        assertThat(ProgressTracker.nameOf("not-a-urn")).isEqualTo("not-a-urn");
    }
}
