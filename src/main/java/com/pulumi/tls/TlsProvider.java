package com.pulumi.tls;

import com.pulumi.resources.CustomResourceOptions;

import java.util.List;

/** The provider plugin version these bindings were written against (also in plugin.json). */
public final class TlsProvider {

    /** pulumi/pulumi-tls release v5.5.1 (tag of 2026-07-22); its schema is the one checked. */
    public static final String VERSION = "5.5.1";

    private TlsProvider() {
    }

    /** The pinned version plus the outputs the provider schema marks secret, then the caller's options. */
    static CustomResourceOptions options(List<String> secretOutputs, CustomResourceOptions options) {
        CustomResourceOptions defaults = CustomResourceOptions.builder()
                .version(VERSION)
                .additionalSecretOutputs(secretOutputs)
                .build();
        return CustomResourceOptions.merge(defaults, options);
    }
}
