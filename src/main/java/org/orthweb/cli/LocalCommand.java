package org.orthweb.cli;

import org.orthweb.config.StackConfig;
import org.orthweb.local.LocalBundle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "local", mixinStandardHelpOptions = true,
        description = {"Write a bundle that runs the stack's application on this workstation with `docker compose up`: "
                + "the same nginx, Orthanc, auth service and Keycloak configuration as an AWS host, PostgreSQL (TLS) "
                + "in place of RDS, a Docker volume in place of S3. Offline; needs no AWS account.",
                "Generates local-only passwords, keys and certificates into the bundle (files of mode 0600) and "
                        + "prints the login and the storescu line; <out>/README.md says how to start, use and wipe it."})
final class LocalCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    StackOptions stack;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "DIR",
            description = "Directory to create (must not exist, or be empty).")
    Path out;

    @Override
    public Integer call() throws IOException {
        StackConfig config = stack.load();
        if (Files.exists(out) && (!Files.isDirectory(out) || !isEmpty(out))) {
            throw new ParameterException(spec.commandLine(), "--out " + out + " must be a new or empty directory "
                    + "(a new bundle has new passwords, which an old bundle's database volume would refuse)");
        }
        Files.createDirectories(out);
        // the owner of what this process creates: Keycloak's container runs as this uid to read its secrets
        long uid = ((Number) Files.getAttribute(out, "unix:uid")).longValue();
        LocalBundle.Bundle bundle = LocalBundle.build(config.stack(), config.environment().code(), config.region(),
                config.images(), config.orthanc(), config.dicom().peers(), uid);
        LocalBundle.writeTo(bundle, out);
        var w = spec.commandLine().getOut();
        w.printf("wrote the local bundle of stack '%s' to %s (%d files; secrets are local-only, see its README.md)%n",
                config.stack(), out, bundle.files().size());
        w.printf("start:    cd %s && docker compose up -d%n", out);
        w.printf("open:     https://localhost/  (user %s, password %s)%n", bundle.user(), bundle.password());
        w.printf("DICOM:    cd %s/%s && %s%n", out, LocalBundle.CLIENTS_DIR, bundle.storescu());
        w.printf("wipe:     cd %s && docker compose down -v%n", out);
        w.flush();
        return Cli.OK;
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }
}
