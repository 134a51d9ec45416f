package org.orthweb.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.orthweb.automation.Operation;
import org.orthweb.automation.StackOutput;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.Map;
import java.util.TreeMap;

@Command(name = "outputs", mixinStandardHelpOptions = true,
        description = {"Print the stack's outputs (site URLs, DICOM endpoints, host ids...); secrets as [secret].",
                "The stack must exist. Needs the Pulumi CLI and the backend."})
final class OutputsCommand extends DeployCommand {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Option(names = "--show-secrets", description = "Print secret outputs in clear text.")
    boolean showSecrets;

    @Option(names = "--json", description = "Print one JSON object of output name to value.")
    boolean json;

    @Override
    public Integer call() throws JsonProcessingException {
        Map<String, StackOutput> outputs = deployer(Operation.OUTPUTS, null).outputs();
        if (json) {
            Map<String, Object> plain = new TreeMap<>();
            outputs.forEach((name, o) -> plain.put(name, o.secret() && !showSecrets ? StackOutput.MASK : o.value()));
            out().println(JSON.writeValueAsString(plain));
            out().flush();
        } else {
            printOutputs(out(), outputs, showSecrets);
        }
        return Cli.OK;
    }
}
