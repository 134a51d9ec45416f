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
            + "markers and monthly cost), outputs, hostImage, modalityCaExpiry, monthlyCost}, every value in full.")
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
        var caExpiry = org.orthweb.orthanc.OrthancSettings.caCertificateExpiry(config.orthanc());
        spec.commandLine().getOut().println(json ? PlanPrinter.json(plan, estimate, hostImage, caExpiry)
                : PlanPrinter.text(plan, PlanPrinter.Options.of(wide, estimate)) + "\n" + hostImage.note()
                + caExpiryNote(caExpiry, java.time.Instant.now()));
        spec.commandLine().getOut().flush();
        return Cli.OK;
    }

    /**
     * One line per modality called over DICOM TLS: when its {@code caCertificate} expires. Past
     * that the stack's configuration is refused until the certificate is replaced, so the plan says
     * it ahead of time; empty without TLS modalities.
     */
    static String caExpiryNote(java.util.Map<String, java.time.Instant> expiry, java.time.Instant now) {
        StringBuilder b = new StringBuilder();
        expiry.forEach((name, at) -> b.append("\nDICOM TLS modality ").append(name).append(": its caCertificate expires ")
                .append(at).append(" (in ").append(java.time.Duration.between(now, at).toDays())
                .append(" days); then plan, preview and up refuse the stack (destroy still runs) until "
                        + "orthweb:orthanc.modalities.").append(name).append(".caCertificate holds the modality's new CA."));
        return b.toString();
    }
}
