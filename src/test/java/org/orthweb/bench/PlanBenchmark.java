package org.orthweb.bench;

import com.pulumi.test.PulumiTest;
import com.pulumi.test.TestOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.orthweb.OrthwebProgram;
import org.orthweb.config.StackConfig;
import org.orthweb.plan.OfflinePlan;
import org.orthweb.plan.PlanMocks;
import org.orthweb.support.TestStacks;

import java.util.Arrays;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Wall time of the offline plan against an empty Pulumi Java program under the same mock engine,
 * measured side by side in one JVM. Prints figures; asserts nothing about speed (a timed
 * assertion would flake on a shared machine). Run: {@code mvn test -Pbenchmark}.
 */
@Tag("benchmark")
class PlanBenchmark {

    private static final int WARMUP = 20;
    private static final int RUNS = 31;

    @Test
    void planAgainstEmptyProgram() {
        for (String stack : new String[]{"dev", "prod"}) {
            StackConfig config = TestStacks.config(stack);
            double empty = medianMillis(() -> {
                try {
                    return PulumiTest.withMocks(new PlanMocks(config.region(), stack))
                            .withOptions(TestOptions.builder().projectName(OrthwebProgram.PROJECT).stackName(stack).build())
                            .runTest(ctx -> ctx.export("nothing", com.pulumi.core.Output.of("")))
                            .resources().size();
                } finally {
                    PulumiTest.cleanup();
                }
            });
            int[] count = new int[1];
            double plan = medianMillis(() -> count[0] = OfflinePlan.run(config).resources().size());
            assertThat(count[0]).isPositive();
            System.out.printf("plan %-4s: %3d resources, median %7.1f ms; empty program %6.1f ms; ratio %5.1fx%n",
                    stack, count[0], plan, empty, plan / empty);
        }
    }

    private static double medianMillis(Supplier<Integer> run) {
        for (int i = 0; i < WARMUP; i++) {
            run.get();
        }
        double[] times = new double[RUNS];
        for (int i = 0; i < RUNS; i++) {
            long start = System.nanoTime();
            run.get();
            times[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(times);
        return times[RUNS / 2];
    }
}
