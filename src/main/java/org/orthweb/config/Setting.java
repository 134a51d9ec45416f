package org.orthweb.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a record component of the configuration as a setting: the one place where a setting is
 * described. The key is the component's name (nested under its section, {@code orthweb:} at the
 * top level unless {@link #key()} says otherwise), the type is the component's Java type, the
 * default comes from {@link Default}, the rules from {@link Range} and {@link Check}. The parser
 * ({@link ConfigParser}), the Automation API writer ({@link SettingsWriter}), the README table and
 * the error messages all read these annotations through {@link Declarations}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Setting {

    /** One line for the README table: what the setting does. */
    String value();

    /** Full key for a top-level setting outside {@code orthweb:} (such as {@code aws:region}). */
    String key() default "";

    /**
     * The value may be stored as a secret ({@code pulumi config set --secret}). Every other value
     * is public once deployed (tags, DNS, security groups, user data), so storing it as a secret
     * is refused rather than pretended.
     */
    boolean secret() default false;
}
