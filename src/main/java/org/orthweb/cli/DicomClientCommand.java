package org.orthweb.cli;

import org.orthweb.automation.Operation;
import org.orthweb.automation.StackOutput;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

@Command(name = "dicom-client", mixinStandardHelpOptions = true,
        description = {"Write what a DICOM peer needs to send over DICOM TLS: its certificate and key (0600), the "
                + "site CA, and a text with endpoint, port, AE titles and matching storescu/echoscu command lines.",
                "Reads the stack's outputs: the stack must be deployed. Needs the Pulumi CLI and the backend."})
final class DicomClientCommand extends DeployCommand {

    @Parameters(index = "0", paramLabel = "NAME", description = "The peer's name as declared in orthweb:dicom.clients.")
    String name;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "Directory to write into (created if missing); hand its files to the peer securely.")
    Path out;

    @Override
    public Integer call() throws IOException {
        Map<String, StackOutput> outputs = deployer(Operation.OUTPUTS, null).outputs();
        DicomClientKit kit = DicomClientKit.from(stack.stack(), outputs, name);
        kit.writeTo(out);
        out().println("Wrote " + String.join(", ", kit.fileNames()) + " for DICOM peer " + name + " to " + out);
        out().println("The key " + name + ".key is private (mode 0600): hand it to the peer over a secure channel.");
        out().println();
        out().print(kit.instructions());
        out().flush();
        return Cli.OK;
    }
}
