package org.orthweb.automation;

import com.pulumi.Context;
import com.pulumi.automation.AutomationException;
import com.pulumi.automation.ConfigValue;
import com.pulumi.automation.events.EngineEvent;

import java.util.Collection;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The stack operations the deployer needs, in front of Pulumi's {@code WorkspaceStack} (a final
 * class that needs the Pulumi CLI): the logic around them is tested with a fake, and
 * {@link LocalStackOperations} is the thin real implementation.
 */
public interface StackOperations extends AutoCloseable {

    /** The stack's config as Pulumi reads it, secrets decrypted and flagged. */
    Map<String, ConfigValue> config() throws AutomationException;

    /** Sets top-level keys as given (no path interpretation); secret values are stored encrypted. */
    void setConfig(Map<String, ConfigValue> values) throws AutomationException;

    void removeConfig(Collection<String> keys) throws AutomationException;

    /** Installs a resource provider plugin at exactly that version (no-op if present). */
    void installPlugin(ProviderPlugin plugin) throws AutomationException;

    OperationResult preview(Consumer<Context> program, Consumer<EngineEvent> events) throws AutomationException;

    OperationResult up(Consumer<Context> program, Consumer<EngineEvent> events) throws AutomationException;

    OperationResult refresh(Consumer<EngineEvent> events) throws AutomationException;

    OperationResult destroy(Consumer<EngineEvent> events) throws AutomationException;

    Map<String, StackOutput> outputs() throws AutomationException;

    @Override
    void close();
}
