package org.orthweb.cli;

import picocli.CommandLine.Option;

/** Where the stack's state lives and how new stacks encrypt secrets; for commands that deploy. */
final class BackendOptions {

    @Option(names = "--backend", paramLabel = "URL",
            description = "State backend, e.g. s3://my-state-bucket or file://~/orthweb-state "
                    + "(default: the Pulumi CLI's current login, or PULUMI_BACKEND_URL).")
    String backendUrl;

    @Option(names = "--secrets-provider", paramLabel = "PROVIDER",
            description = "Secrets provider for a stack created by this command: passphrase, "
                    + "awskms://alias/NAME... (default: the backend's).")
    String secretsProvider;
}
