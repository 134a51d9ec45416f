/**
 * A minimal typed binding for the Pulumi "tls" provider, written because its Java SDK
 * ({@code com.pulumi:tls}) is not served by the Maven registry this project builds from (like
 * {@code com.pulumi.random}). The four resources the site PKI needs follow the generated SDK's
 * type tokens and property names, checked against the provider schema of pulumi/pulumi-tls
 * v5.5.1 ({@code provider/cmd/pulumi-resource-tls/schema.json}); {@code plugin.json} beside them
 * asks the engine to install that provider plugin, so keys and certificates are generated at
 * deploy time by the provider and kept in state as secrets. Moving to the official artifact later
 * is a dependency change plus an import change.
 */
package com.pulumi.tls;
