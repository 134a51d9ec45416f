package org.orthweb.cli;

import org.orthweb.components.OrthancHost;
import org.orthweb.config.Rules;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * {@code ami}: how to see the newest Amazon Linux 2023 image and what pinning or changing it does.
 * Needs no AWS account: it prints the AWS CLI line that asks EC2 with exactly the program's own
 * filter ({@link OrthancHost#AMI_NAME_FILTER}, owner amazon, x86_64), the {@code pulumi config}
 * line that pins it, and the settings whose change replaces the hosts
 * ({@link OrthancHost#HOST_REPLACING_SETTINGS}).
 */
@Command(name = "ami", mixinStandardHelpOptions = true,
        description = {"Print the AWS CLI command that shows the newest Amazon Linux 2023 x86_64 AMI (the program's "
                + "own filter), how to pin it with orthweb:host.amiId, and what changing it replaces."})
final class AmiCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-r", "--region"}, required = true, paramLabel = "REGION", description = "The stack's aws:region.")
    String region;

    @Override
    public Integer call() {
        try {
            new Rules.RegionName().check(region);
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("--region " + e.getMessage());
            return Cli.INVALID;
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("The newest Amazon Linux 2023 x86_64 AMI in " + region + " (what the program looks up when "
                + "orthweb:host.amiId is absent):");
        out.println("  " + describeImagesCommand(region));
        out.println();
        out.println("Pin it (then only a deliberate change of this value replaces the hosts):");
        out.println("  pulumi config set --path orthweb:host.amiId ami-...");
        out.println("The image a deployed stack runs: pulumi stack output hostAmiId (copy it to pin what runs now).");
        out.println();
        out.println("Without a pin, the AMI found at the first deploy is kept in the state (the launch template ignores "
                + "later lookups), so a newer AMI never replaces a host unannounced.");
        out.println("Changing orthweb:host.amiId replaces every host (a new launch template version; the instances "
                + "follow it). Every setting that replaces hosts: " + String.join(", ", OrthancHost.HOST_REPLACING_SETTINGS)
                + ". `pulumi preview` shows them as replace (+-) of aws:ec2/instance:Instance.");
        out.flush();
        return Cli.OK;
    }

    /** The AWS CLI line, with the program's filter (one place: {@link OrthancHost#AMI_NAME_FILTER}). */
    static String describeImagesCommand(String region) {
        return "aws ec2 describe-images --region " + region + " --owners amazon --filters 'Name=name,Values="
                + OrthancHost.AMI_NAME_FILTER + "' 'Name=architecture,Values=x86_64' "
                + "--query 'sort_by(Images, &CreationDate)[-1].[ImageId,Name,CreationDate]' --output text";
    }
}
