package org.orthweb.policy;

import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs a policy test once per discovered stack file; the parameter is the stack name. Failures
 * name the control (display name) and the stack.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@ParameterizedTest(name = "stack {0}")
@MethodSource("org.orthweb.policy.PolicyStack#stacks")
@ExtendWith(ControlFailureMessages.class)
@interface ForEachStack {
}
