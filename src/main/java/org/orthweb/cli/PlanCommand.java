package org.orthweb.cli;

import org.orthweb.config.StackConfig;
import org.orthweb.cost.CostEstimate;
import org.orthweb.cost.PriceTable;
import org.orthweb.plan.HostImage;
import org.orthweb.plan.OfflinePlan;
import org.orthweb.plan.Plan;
import org.orthweb.plan.PlanPrinter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

@Command(name = "plan", mixinStandardHelpOptions = true,
        description = {"Show what the stack creates, offline: runs the program under Pulumi's mock engine "
                + "with the stack file; needs no AWS account and no Pulumi CLI.",
                "Provider-computed values (ARNs, endpoints, ids) are realistic placeholders; secrets show as [secret]."})
final class PlanCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    StackOptions stack;

    @Option(names = "--json", description = "Print exactly one JSON document: {stack, legend, resources (with their "
            + "markers and monthly cost), outputs, hostImage, monthlyCost}, every value in full.")
    boolean json;

    @Option(names = "--wide", description = "Print every setting exactly as given (policy documents as JSON, user "
            + "data in full) instead of summarising them.")
    boolean wide;

    @Override
    public Integer call() {
        StackConfig config = stack.load();
        Plan plan = OfflinePlan.run(config);
        CostEstimate estimate = CostEstimate.of(plan, PriceTable.shipped());
        HostImage hostImage = HostImage.of(config);
        spec.commandLine().getOut().println(json ? PlanPrinter.json(plan, estimate, hostImage)
                : PlanPrinter.text(plan, PlanPrinter.Options.of(wide, estimate)) + "\n" + hostImage.note());
        spec.commandLine().getOut().flush();
        return Cli.OK;
    }
}
