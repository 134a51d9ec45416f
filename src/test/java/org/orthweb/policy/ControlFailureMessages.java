package org.orthweb.policy;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * Prefixes every failure of a policy test with the control(s) it checks (the test's display
 * name) and the stack, whatever the test report shows: "[CKV_AWS_7, ... | stack prod] ...".
 */
final class ControlFailureMessages implements TestExecutionExceptionHandler {

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        String control = context.getParent().map(ExtensionContext::getDisplayName).orElse("?");
        String prefix = "[" + control + " | " + context.getDisplayName() + "] ";
        if (failure instanceof AssertionError && !String.valueOf(failure.getMessage()).startsWith(prefix)) {
            AssertionError wrapped = new AssertionError(prefix + failure.getMessage(), failure);
            wrapped.setStackTrace(failure.getStackTrace());
            throw wrapped;
        }
        throw failure;
    }
}
