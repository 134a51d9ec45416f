package org.orthweb.cli;

import org.orthweb.automation.Operation;
import org.orthweb.automation.StackOutput;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

@Command(name = "vpn-client", mixinStandardHelpOptions = true,
        description = {"Write a VPN client's OpenVPN profile (endpoint, VPN CA, the client's certificate and key "
                + "inline; mode 0600) for the stack's AWS Client VPN.",
                "Reads the stack's outputs: the stack must be deployed with orthweb:vpn. Needs the Pulumi CLI and the backend."})
final class VpnClientCommand extends DeployCommand {

    @Parameters(index = "0", paramLabel = "NAME", description = "The client's name as declared in orthweb:vpn.clients.")
    String name;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "Directory to write NAME.ovpn into (created if missing); hand it to the client securely.")
    Path out;

    @Override
    public Integer call() throws IOException {
        Map<String, StackOutput> outputs = deployer(Operation.OUTPUTS, null).outputs();
        VpnClientKit kit = VpnClientKit.from(stack.stack(), outputs, name);
        Path file = kit.writeTo(out);
        out().println("Wrote " + file + " for VPN client " + name + " (mode 0600: it holds the client's private key).");
        out().println("Import it into the AWS VPN Client or any OpenVPN client (openvpn --config " + kit.fileName() + ").");
        out().println("Through the VPN: https://<host private address>/, DICOM TLS on 11112, plain DICOM on "
                + org.orthweb.cloudinit.Layout.PLAIN_DICOM_PORT + " (declared AE titles only).");
        out().flush();
        return Cli.OK;
    }
}
