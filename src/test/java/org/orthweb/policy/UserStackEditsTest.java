package org.orthweb.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.discovery.ClassNameFilter;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;
import org.orthweb.config.ConfigParser;
import org.orthweb.config.RawConfig;
import org.orthweb.config.StackConfig;
import org.orthweb.support.TestStacks;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A user edits {@code Pulumi.dev.yaml} exactly as the README's Deploying section shows (its
 * {@code pulumi config set} lines, the {@code --secret} one stored as Pulumi stores secrets) and
 * the build stays green: the edited file is valid, and every policy test passes on it. The policy
 * suite is run through the JUnit launcher over a directory holding the edited file.
 */
class UserStackEditsTest {

    private static final Pattern CONFIG_SET = Pattern.compile("(?m)^pulumi config set (.+)$");
    /** A key of the shape the README's {@code $(cat ~/.ssh/id_ed25519.pub)} produces. */
    private static final String PUBLIC_KEY =
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGxqHDn8UTPMJk3xaO4JCcXGPq9Zb0o8J1yvW7Z2Zq5x radiology@example.org";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @TempDir
    Path dir;

    @Test
    void theReadmesDeployEditsKeepEveryPolicyTestGreen() throws Exception {
        List<List<String>> edits = readmeEdits();
        assertThat(edits).as("the README's pulumi config set lines").hasSizeGreaterThanOrEqualTo(5)
                .anySatisfy(e -> assertThat(e).contains("--secret"));

        ObjectNode file = (ObjectNode) YAML.readTree(TestStacks.stackFile("dev").toFile());
        for (List<String> edit : edits) {
            apply((ObjectNode) file.get("config"), edit);
        }
        file.put("encryptionsalt", "v1:Zm9yLXRlc3Rz:v1:aTJrN2Z4ZHE5cGJh:Y2xmNmV1dGh6b2ZhZ2xwbg==");
        Path edited = Files.writeString(dir.resolve("Pulumi.dev.yaml"), YAML.writeValueAsString(file));
        Files.copy(TestStacks.stackFile("prod"), dir.resolve("Pulumi.prod.yaml"));

        StackConfig config = ConfigParser.parse("dev", RawConfig.fromStackFile(edited));
        assertThat(config.region()).isEqualTo("eu-west-1");
        assertThat(config.owner()).isEqualTo("radiology-it");
        assertThat(config.site().name()).contains("pacs.example.org");
        assertThat(config.network().dicomClientCidrs()).containsExactly(org.orthweb.net.Cidr.parse("203.0.113.0/24"));
        assertThat(config.secretKeys()).containsExactly("orthweb:host");

        var summary = runPolicySuiteOver(dir);
        StringWriter failures = new StringWriter();
        summary.printFailuresTo(new PrintWriter(failures), 5);
        assertThat(summary.getTestsFoundCount()).as("policy tests found").isGreaterThan(20);
        assertThat(summary.getTotalFailureCount()).as(failures.toString()).isZero();
        assertThat(PolicyStack.loadedFiles()).contains(edited.toAbsolutePath().toString());
    }

    private static TestExecutionSummary runPolicySuiteOver(Path stackDir) {
        String before = System.getProperty(PolicyStack.STACK_DIR_PROPERTY);
        System.setProperty(PolicyStack.STACK_DIR_PROPERTY, stackDir.toString());
        try {
            var request = LauncherDiscoveryRequestBuilder.request()
                    .selectors(DiscoverySelectors.selectPackage(PolicyStack.class.getPackageName()))
                    .filters(ClassNameFilter.excludeClassNamePatterns(Pattern.quote(UserStackEditsTest.class.getName())))
                    .build();
            var listener = new SummaryGeneratingListener();
            LauncherFactory.create().execute(request, listener);
            return listener.getSummary();
        } finally {
            if (before == null) {
                System.clearProperty(PolicyStack.STACK_DIR_PROPERTY);
            } else {
                System.setProperty(PolicyStack.STACK_DIR_PROPERTY, before);
            }
        }
    }

    /** The arguments of each {@code pulumi config set} in the README's Deploying section. */
    private static List<List<String>> readmeEdits() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        int start = readme.indexOf("## Deploying with Pulumi");
        String section = readme.substring(start, readme.indexOf("\n## ", start + 1));
        List<List<String>> edits = new ArrayList<>();
        Matcher m = CONFIG_SET.matcher(section);
        while (m.find()) {
            edits.add(words(m.group(1)));
        }
        return edits;
    }

    /** Shell words, with quotes removed and {@code $(cat ...)} standing for the public key. */
    private static List<String> words(String line) {
        List<String> words = new ArrayList<>();
        Matcher w = Pattern.compile("'([^']*)'|\"([^\"]*)\"|(\\S+)").matcher(line.replaceAll("\\s+#.*$", ""));
        while (w.find()) {
            String word = w.group(1) != null ? w.group(1) : w.group(2) != null ? w.group(2) : w.group(3);
            words.add(word.startsWith("$(cat ") ? PUBLIC_KEY : word);
        }
        return words;
    }

    /**
     * Applies one {@code pulumi config set [--path] [--secret] KEY VALUE} to the config block the
     * way Pulumi writes it: with --path, "ns:top.a[0]" walks into "ns:top"; a secret becomes
     * {@code secure: v1:<nonce>:<ciphertext>} at the leaf.
     */
    private static void apply(ObjectNode config, List<String> edit) {
        boolean path = edit.contains("--path");
        boolean secret = edit.contains("--secret");
        List<String> args = edit.stream().filter(a -> !a.startsWith("--")).toList();
        String key = args.get(0);
        JsonNode value = secret
                ? JsonNodeFactory.instance.objectNode().put("secure", "v1:5s9uHsLmXZ2Vd7rK:Zq3cB1nY0FZq5rE8oG4uO3x6nT2e9wVvJ8sL7kQ1mA0pX")
                : TextNode.valueOf(args.get(1));
        if (!path) {
            config.set(key, value);
            return;
        }
        List<String> steps = List.of(key.split("\\."));
        JsonNode node = config;
        for (int i = 0; i < steps.size(); i++) {
            String step = steps.get(i);
            Matcher index = Pattern.compile("(.+)\\[(\\d+)]").matcher(step);
            boolean last = i == steps.size() - 1;
            ObjectNode object = (ObjectNode) node;
            if (index.matches()) {
                ArrayNode array = object.has(index.group(1)) ? (ArrayNode) object.get(index.group(1))
                        : object.putArray(index.group(1));
                int at = Integer.parseInt(index.group(2));
                while (array.size() <= at) {
                    array.addNull();
                }
                if (last) {
                    array.set(at, value);
                } else {
                    if (!array.get(at).isObject()) {
                        array.set(at, JsonNodeFactory.instance.objectNode());
                    }
                    node = array.get(at);
                }
            } else if (last) {
                object.set(step, value);
            } else {
                node = object.has(step) && object.get(step).isObject() ? object.get(step) : object.putObject(step);
            }
        }
    }
}
