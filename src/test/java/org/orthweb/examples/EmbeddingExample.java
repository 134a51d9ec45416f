package org.orthweb.examples;

// example:start
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import org.orthweb.automation.DeploymentException;
import org.orthweb.automation.OperationResult;
import org.orthweb.automation.OrthwebDeployer;
import org.orthweb.config.ConfigParser;
import org.orthweb.config.RawConfig;
import org.orthweb.config.StackConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Provisions one Orthanc stack per clinic, from a template stack file. */
public final class EmbeddingExample {

    /** The template's settings with this clinic's owner and site name, validated. */
    public static StackConfig clinicConfig(String clinic, Path template) {
        RawConfig base = RawConfig.fromStackFile(template);
        Map<String, JsonNode> values = new HashMap<>(base.values());
        values.put("orthweb:owner", TextNode.valueOf(clinic + "-imaging"));
        values.put("orthweb:site", JsonNodeFactory.instance.objectNode().put("name", "pacs." + clinic + ".example.org"));
        // throws ConfigException listing every invalid key, before anything is deployed
        return ConfigParser.parse("clinic-" + clinic, new RawConfig(values, base.secretKeys()));
    }

    public static void main(String[] args) throws IOException {
        StackConfig config = clinicConfig(args[0], Path.of("Pulumi.dev.yaml"));
        OrthwebDeployer deployer = OrthwebDeployer.builder()
                .stack(config.stack())
                .config(config)
                .backendUrl("s3://my-orthweb-state")              // where the stack's state lives
                .secretsProvider("awskms://alias/orthweb-state")  // encrypts the secrets in it
                // keeps Pulumi.<stack>.yaml (it holds the secrets provider's key) between runs
                .workDir(Files.createDirectories(Path.of("stacks", config.stack())))
                .listener(event -> System.out.println(event.describe()))
                .build();
        try {
            OperationResult result = deployer.up();
            System.out.println(result.describeChanges());
            System.out.println("Orthanc: " + result.outputs().get("siteUrls").value());
        } catch (DeploymentException e) {
            System.err.println(e.getMessage()); // what failed, and what to do
            System.exit(e.reason() == DeploymentException.Reason.PULUMI_CLI_MISSING ? 3 : 1);
        }
    }
}
// example:end
