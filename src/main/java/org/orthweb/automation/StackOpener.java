package org.orthweb.automation;

import com.pulumi.automation.AutomationException;

/** Opens a stack for operations; {@link LocalStackOperations#open} is the real one. */
@FunctionalInterface
public interface StackOpener {

    /**
     * @param create whether to create the stack when it does not exist (preview, up); refresh,
     *               destroy and outputs only select an existing one
     */
    StackOperations open(DeploymentSettings settings, boolean create) throws AutomationException;
}
