package org.orthweb.cli;

import org.orthweb.cloudinit.HostBundle;
import org.orthweb.cloudinit.Render;
import org.orthweb.cloudinit.UserDataFiles;
import org.orthweb.plan.OfflinePlan;
import org.orthweb.plan.Plan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "render", mixinStandardHelpOptions = true,
        description = {"Write the hosts' user data for review, offline: runs the program under Pulumi's mock engine "
                + "(as plan does), takes the launch template's user data and writes it as EC2 hands it to cloud-init.",
                "Writes <out>/user-data.yaml (decoded), <out>/user-data.b64 (as the launch template carries it), "
                        + "<out>/bundle.tar (the application files the user data loads from the data bucket) and "
                        + "every file the host gets under <out>/files/<host path>. Values AWS computes are placeholders."})
final class RenderCommand implements Callable<Integer> {

    static final String LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";
    static final String BUCKET_OBJECT = "aws:s3/bucketObjectv2:BucketObjectv2";

    @Spec
    CommandSpec spec;

    @Mixin
    StackOptions stack;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "DIR", description = "Directory to write to.")
    Path out;

    @Override
    public Integer call() throws IOException {
        Plan plan = OfflinePlan.run(stack.load());
        var templates = plan.ofType(LAUNCH_TEMPLATE);
        if (templates.size() != 1) {
            throw new IllegalStateException("expected one launch template in the plan, found " + templates.size());
        }
        String encoded = String.valueOf(templates.get(0).inputs().get("userData"));
        var bundles = plan.ofType(BUCKET_OBJECT).stream()
                .filter(o -> String.valueOf(o.inputs().get("key")).startsWith(HostBundle.KEY_PREFIX)).toList();
        if (bundles.size() != 1) {
            throw new IllegalStateException("expected one host bundle object in the plan, found " + bundles.size());
        }
        byte[] bundle = Base64.getDecoder().decode(String.valueOf(bundles.get(0).inputs().get("contentBase64")));
        Map<String, String> files = Render.writeTo(out, encoded, bundle);
        String cloudConfig = UserDataFiles.decode(encoded);
        var w = spec.commandLine().getOut();
        w.printf("user data of stack '%s': %d bytes decoded, %d bytes as the launch template carries it (EC2 limit 16384)%n",
                plan.stack(), cloudConfig.getBytes(StandardCharsets.UTF_8).length, encoded.length());
        w.printf("host bundle: %d bytes, s3 key %s (fetched and checked by the user data's loader)%n",
                bundle.length, bundles.get(0).inputs().get("key"));
        w.printf("wrote %s/user-data.yaml, user-data.b64, bundle.tar and %d files under %s/files%n", out, files.size(), out);
        w.flush();
        return Cli.OK;
    }
}
