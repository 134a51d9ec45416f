package org.orthweb.components;

import com.pulumi.resources.ResourceTransformation;
import com.pulumi.test.Mocks;
import com.pulumi.test.PulumiTest;
import com.pulumi.test.TestOptions;
import com.pulumi.test.TestResult;
import org.junit.jupiter.api.Test;
import org.orthweb.OrthwebProgram;
import org.orthweb.config.ConfigException;
import org.orthweb.config.StackConfig;
import org.orthweb.plan.Marker;
import org.orthweb.plan.Plan;
import org.orthweb.plan.PlanMocks;
import org.orthweb.support.TestStacks;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The host image is resolved once and kept: pinned by {@code orthweb:host.amiId}, or looked up
 * at the first deploy and kept in state (the launch template ignores later changes of its
 * {@code imageId}); the plan marks what replaces hosts.
 */
class HostImageTest {

    private static final String PINNED = "ami-0123456789abcdef0";

    /** What one run of the program did about the image. */
    record Run(int amiLookups, Object templateImageId, List<String> templateIgnores, Object amiOutput) {
    }

    private static Run run(StackConfig config) {
        PlanMocks planMocks = new PlanMocks(config.region(), config.stack());
        AtomicInteger lookups = new AtomicInteger();
        Map<String, Object> imageIds = new ConcurrentHashMap<>();
        Mocks counting = new Mocks() {
            @Override
            public CompletableFuture<ResourceResult> newResourceAsync(ResourceArgs args) {
                if (args.name.equals("host-template")) {
                    imageIds.put("imageId", String.valueOf(args.inputs.get("imageId")));
                }
                return planMocks.newResourceAsync(args);
            }

            @Override
            public CompletableFuture<Map<String, Object>> callAsync(CallArgs args) {
                if (args.token.equals("aws:ec2/getAmi:getAmi")) {
                    lookups.incrementAndGet();
                }
                return planMocks.callAsync(args);
            }
        };
        Map<String, List<String>> ignored = new ConcurrentHashMap<>();
        ResourceTransformation record = args -> {
            var ignore = args.options().getIgnoreChanges();
            ignored.put(args.resource().pulumiResourceName(), ignore == null ? List.of() : List.copyOf(ignore));
            return Optional.empty();
        };
        try {
            TestResult result = PulumiTest.withMocks(counting)
                    .withOptions(TestOptions.builder().projectName(OrthwebProgram.PROJECT).stackName(config.stack())
                            .preview(false).resourceTransformations(List.of(record)).build())
                    .runTest(ctx -> OrthwebProgram.define(ctx, config));
            assertThat(result.exceptions()).isEmpty();
            assertThat(result.errors()).isEmpty();
            Object output = com.pulumi.core.internal.Internal.of(result.outputs().get(OrthwebProgram.HOST_AMI_ID))
                    .getValueNullable().join();
            return new Run(lookups.get(), imageIds.get("imageId"), ignored.get("host-template"), output);
        } finally {
            PulumiTest.cleanup();
        }
    }

    @Test
    void aPinnedImageIsUsedAsIsAndNeverLookedUp() {
        Run run = run(TestStacks.config("dev", TestStacks.yaml("dev", "  orthweb:host:\n    amiId: " + PINNED + "\n")));
        assertThat(run.amiLookups()).isZero();
        assertThat(run.templateImageId()).isEqualTo(PINNED);
        // pinned: a deliberate change of the setting must reach the template (and replace the hosts)
        assertThat(run.templateIgnores()).doesNotContain(OrthancHost.AMI_PROPERTY);
        assertThat(run.amiOutput()).isEqualTo(PINNED);
    }

    @Test
    void anUnpinnedImageIsLookedUpOnceAndKeptInState() {
        Run run = run(TestStacks.config("dev", TestStacks.yaml("dev", "")));
        assertThat(run.amiLookups()).isEqualTo(1);
        assertThat(String.valueOf(run.templateImageId())).startsWith("ami-0");
        // a newer AMI found by a later lookup does not change the template: state keeps the first
        assertThat(run.templateIgnores()).containsExactly(OrthancHost.AMI_PROPERTY);
        assertThat(run.amiOutput()).isEqualTo(run.templateImageId());
    }

    @Test
    void anAmiIdMustLookLikeOne() {
        for (String bad : List.of("ami-123", "ami-0123456789ABCDEF0", "0123456789abcdef0", "ami-0123456789abcdef0x")) {
            assertThatThrownBy(() -> TestStacks.config("dev", TestStacks.yaml("dev", "  orthweb:host:\n    amiId: " + bad + "\n")))
                    .as(bad).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("orthweb:host.amiId must be an AMI id").hasMessageContaining("orthweb ami");
        }
        assertThat(TestStacks.config("dev", TestStacks.yaml("dev", "  orthweb:host:\n    amiId: ami-12345678\n"))
                .host().amiId()).contains("ami-12345678");
    }

    @Test
    void thePlanMarksWhatReplacesHostsAndSaysWhichSettingsDo() {
        Plan plan = TestStacks.shipped("dev");
        assertThat(plan.named("host-template").markers()).contains(Marker.REPLACES_HOST);
        assertThat(plan.named("host-1").markers()).contains(Marker.REPLACES_HOST);
        assertThat(plan.resources()).filteredOn(r -> r.markers().contains(Marker.REPLACES_HOST))
                .extracting(Plan.PlannedResource::name).containsExactlyInAnyOrder("host-template", "host-1");
        assertThat(Marker.REPLACES_HOST.meaning()).contains("orthweb:host.amiId").contains("orthweb:host.instanceType");
        assertThat(org.orthweb.plan.PlanPrinter.LEGEND).anyMatch(l -> l.contains("[replaces-host]")
                && l.contains("orthweb:host.amiId"));
    }
}
