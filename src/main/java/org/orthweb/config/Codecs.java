package org.orthweb.config;

import org.orthweb.net.Cidr;

import java.util.Map;
import java.util.function.Function;

/**
 * Domain types a setting may have, each with the one function that reads it from the text a user
 * writes and the one that writes it back. Reading and writing are inverse: the Automation API
 * writer depends on it. A new domain type is one entry here.
 */
public final class Codecs {

    /**
     * @param label  what the README calls the type
     * @param parse  text to value; throws IllegalArgumentException whose message says what is wrong
     * @param format value to the text {@code parse} reads back
     */
    public record Codec<T>(String label, Function<String, T> parse, Function<T, String> format) {
    }

    private static final Map<Class<?>, Codec<?>> CODECS = Map.of(
            Cidr.class, new Codec<>("IPv4 CIDR", Cidr::parse, Cidr::toString),
            Environment.class, new Codec<>("environment code", Codecs::environment, Environment::code));

    private Codecs() {
    }

    /** The codec of a domain type, or null when the type is not a domain type. */
    @SuppressWarnings("unchecked")
    public static <T> Codec<T> of(Class<T> type) {
        return (Codec<T>) CODECS.get(type);
    }

    private static Environment environment(String code) {
        try {
            return Environment.fromCode(code);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("must be one of " + Environment.allowed() + " (got '" + code + "')");
        }
    }
}
