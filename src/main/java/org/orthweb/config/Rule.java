package org.orthweb.config;

/**
 * One rule of a setting: a small pure function from the typed value to the value to keep.
 *
 * @param <T> the setting's Java type
 */
public interface Rule<T> {

    /**
     * @return the value to keep: the same value, or a normalised one (a lower-cased DNS name, an
     *         image tag expanded to its reference)
     * @throws IllegalArgumentException with a message that completes "&lt;key&gt; ...", such as
     *                                  "must be from 1 to 3 (got 4)"
     */
    T check(T value);

    /** What is allowed, for the README table and "is required" messages. */
    String allowed();
}
