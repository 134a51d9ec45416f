package org.orthweb.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Rules a setting's value must pass, applied in order after it was read into its type (and to
 * defaults too). Each rule is a small class in {@link Rules} with a no-argument constructor.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Check {
    Class<? extends Rule<?>>[] value();
}
