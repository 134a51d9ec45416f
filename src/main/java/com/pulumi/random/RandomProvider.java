package com.pulumi.random;

/** The provider plugin version these bindings were written against (also in plugin.json). */
public final class RandomProvider {

    public static final String VERSION = "4.18.2";

    private RandomProvider() {
    }
}
