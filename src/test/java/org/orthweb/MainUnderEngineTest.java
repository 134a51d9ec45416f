package org.orthweb;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What `pulumi up` shows for bad config: the engine starts the jar with its environment; the
 * program must refuse before connecting to the engine, with one line and exit status 2.
 */
class MainUnderEngineTest {

    @Test
    void invalidEngineConfigIsOneClearMessageAndExitTwo() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(
                ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), Main.class.getName());
        pb.environment().put("PULUMI_MONITOR", "127.0.0.1:1");
        pb.environment().put("PULUMI_ENGINE", "127.0.0.1:1");
        pb.environment().put("PULUMI_STACK", "dev");
        pb.environment().put("PULUMI_CONFIG", "{\"aws:region\":\"us-east-1\",\"orthweb:environment\":\"dev\","
                + "\"orthweb:owner\":\"x\",\"orthweb:logging\":\"{\\\"retentionDays\\\":8}\"}");
        pb.environment().put("PULUMI_CONFIG_SECRET_KEYS", "[]");
        Process process = pb.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(err).contains("orthweb:logging.retentionDays must be one of CloudWatch's periods")
                .doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(out).isEmpty();
    }

    @Test
    void withoutTheEngineTheJarIsTheCommandLine() throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(
                ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "--help");
        pb.environment().remove("PULUMI_MONITOR");
        Process process = pb.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).isZero();
        assertThat(out).contains("Usage: orthweb").contains("plan");
    }
}
