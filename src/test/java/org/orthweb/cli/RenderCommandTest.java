package org.orthweb.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orthweb.plan.PlanMocks;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class RenderCommandTest {

    @Test
    void writesTheUserDataAsEc2ReceivesItAndEveryFileItCarries(@TempDir Path out) throws Exception {
        var cli = Cli.commandLine();
        StringWriter stdout = new StringWriter();
        cli.setOut(new PrintWriter(stdout));
        int exit = cli.execute("render", "--stack", "dev", "--out", out.toString());
        assertThat(exit).isZero();
        String userData = Files.readString(out.resolve("user-data.yaml"));
        assertThat(userData).startsWith("#cloud-config").doesNotContain(PlanMocks.SECRET_MARKER);
        // the decoded file is exactly what the base64 form decodes to
        assertThat(org.orthweb.cloudinit.UserDataFiles.decode(Files.readString(out.resolve("user-data.b64"))))
                .isEqualTo(userData);
        Path compose = out.resolve("files/etc/orthweb/docker-compose.yml");
        Path bootstrap = out.resolve("files/usr/local/sbin/orthweb-bootstrap");
        assertThat(compose).exists();
        assertThat(bootstrap).exists();
        // each carried file appears in the user data (indented as a YAML block)
        String firstLine = Files.readString(bootstrap).lines().findFirst().orElseThrow();
        assertThat(userData).contains(firstLine);
        assertThat(stdout.toString()).contains("EC2 limit 16384");
    }

    @Test
    void outIsRequired() {
        var cli = Cli.commandLine();
        cli.setErr(new PrintWriter(new StringWriter()));
        assertThat(cli.execute("render", "--stack", "dev")).isEqualTo(2);
    }
}
