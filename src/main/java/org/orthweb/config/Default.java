package org.orthweb.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The default of a setting, written as a user would write it in a stack file (YAML), per
 * environment profile: {@link #value()} for dev/tst, {@link #hardened()} for prd/stg (same as
 * {@code value} when left out). A default is read by the same reader and checked by the same
 * rules as a value the user wrote.
 *
 * <p>Special forms: {@link #REQUIRED} (the key must be given), and {@code ${section.key}} (the
 * value another setting ended up with, which must be declared earlier).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Default {

    /** Marks a profile in which the key has no default and must be given. */
    String REQUIRED = "<required>";
    /** Marks "same as the dev/tst default" (the annotation's own default). */
    String SAME = "<same>";

    /** Default in dev and tst (YAML text). */
    String value();

    /** Default in prd and stg (YAML text), {@link #SAME} or {@link #REQUIRED}. */
    String hardened() default SAME;
}
