package org.orthweb.cost;

import org.junit.jupiter.api.Test;
import org.orthweb.plan.Plan;
import org.orthweb.support.TestStacks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The monthly difference between high-availability and single-host mode for the shipped prod
 * file, as the cost estimate prices both plans; the README states this figure.
 */
class HaCostTest {

    static final PriceTable PRICES = PriceTable.shipped();

    @Test
    void readmeStatesTheMonthlyDifferenceOfTheShippedProdFile() throws Exception {
        Plan ha = TestStacks.shipped("prod");
        Plan single = TestStacks.shippedWith("prod", "  orthweb:ha:\n    enabled: false\n");
        CostEstimate withHa = CostEstimate.of(ha, PRICES);
        CostEstimate without = CostEstimate.of(single, PRICES);
        assertThat(withHa.unpriced()).isEmpty();
        assertThat(without.unpriced()).isEmpty();
        assertThat(ha.ofType(CostEstimate.LOAD_BALANCER)).hasSize(1);
        assertThat(single.ofType(CostEstimate.LOAD_BALANCER)).isEmpty();
        double difference = withHa.totalUsd() - without.totalUsd();
        System.out.printf(Locale.ROOT, "prod monthly: HA %.2f USD, single-host %.2f USD, difference %.2f USD%n",
                withHa.totalUsd(), without.totalUsd(), difference);
        withHa.lines().forEach(l -> System.out.println("  HA      " + l));
        without.lines().forEach(l -> System.out.println("  single  " + l));
        // the balancer's hour charge and its per-zone addresses, minus the Elastic IPs it replaces
        assertThat(difference).isPositive();
        String figure = String.format(Locale.ROOT, "%.2f", difference);
        String readme = Files.readString(Path.of("README.md"));
        assertThat(readme).as("README states the HA difference for the shipped prod file")
                .contains("$" + figure + " a month more");
        // the "Monthly cost" table: both totals of the shipped prod file
        assertThat(readme).contains(String.format(Locale.ROOT, "| `prod` (HA mode, its default) | $%.2f |",
                        withHa.totalUsd()))
                .contains(String.format(Locale.ROOT, "| `prod` with `orthweb:ha.enabled: false` (single-host mode) | $%.2f |",
                        without.totalUsd()));
        // the balancer's hour charge and its one public address per zone appear as lines of their own
        assertThat(withHa.lines()).anySatisfy(l -> assertThat(l.kind()).isEqualTo("network load balancer"));
        assertThat(withHa.usageCharges()).anyMatch(u -> u.contains("NLCU"));
    }

    /**
     * The day-two issue's target for the shipped dev file: at most a third of the reference
     * footprint priced with the same table (CostEstimateTest: $174.44); the README states its figure.
     */
    @Test
    void theShippedDevFileCostsAtMostAThirdOfTheReference() throws Exception {
        CostEstimate dev = CostEstimate.of(TestStacks.shipped("dev"), PRICES);
        assertThat(dev.unpriced()).isEmpty();
        dev.lines().forEach(l -> System.out.println("  dev     " + l));
        assertThat(dev.totalUsd()).isLessThanOrEqualTo(174.44 / 3);
        assertThat(Files.readString(Path.of("README.md")))
                .contains(String.format(Locale.ROOT, "| `dev` | $%.2f |", dev.totalUsd()));
    }
}
