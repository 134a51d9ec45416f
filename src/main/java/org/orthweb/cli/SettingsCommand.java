package org.orthweb.cli;

import org.orthweb.config.Declarations;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * {@code settings}: every stack setting with what it allows, its defaults per environment profile
 * and what it sets, printed from the same declarations the parser, the Automation API writer and
 * the README table are derived from ({@link Declarations#rows()}). Needs no stack file.
 */
@Command(name = "settings", mixinStandardHelpOptions = true,
        description = {"List every stack setting (key, allowed values, dev/tst and prd/stg defaults, what it sets), "
                + "from the declarations the configuration parser reads.",
                "Set them in Pulumi.<stack>.yaml (`pulumi config set --path 'orthweb:<key>' VALUE`)."})
final class SettingsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        for (Declarations.Row row : Declarations.rows()) {
            out.printf("%s  (%s%s)%n", row.key(), row.type(), row.secret() ? ", may be secret" : "");
            out.printf("    %s%n", row.description());
            if (!row.allowed().isBlank()) {
                out.printf("    allowed: %s%n", row.allowed());
            }
            out.printf("    default: %s (dev, tst); %s (prd, stg)%n", row.devDefault(), row.hardenedDefault());
        }
        out.flush();
        return Cli.OK;
    }
}
