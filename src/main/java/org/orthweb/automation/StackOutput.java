package org.orthweb.automation;

/**
 * One stack output as the backend holds it. {@code toString} never shows a secret value, so an
 * output map can be logged as is.
 *
 * @param value  the plain value (String, Number, Boolean, List or Map), already decrypted
 * @param secret whether Pulumi stores it as a secret
 */
public record StackOutput(Object value, boolean secret) {

    public static final String MASK = "[secret]";

    @Override
    public String toString() {
        return secret ? MASK : String.valueOf(value);
    }
}
