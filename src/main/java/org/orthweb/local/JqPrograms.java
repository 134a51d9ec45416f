package org.orthweb.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import net.thisptr.jackson.jq.BuiltinFunctionLoader;
import net.thisptr.jackson.jq.JsonQuery;
import net.thisptr.jackson.jq.Scope;
import net.thisptr.jackson.jq.Versions;
import net.thisptr.jackson.jq.exception.JsonQueryException;
import net.thisptr.jackson.jq.module.ModuleLoader;
import net.thisptr.jackson.jq.module.loaders.BuiltinModuleLoader;
import net.thisptr.jackson.jq.module.loaders.ChainedModuleLoader;
import net.thisptr.jackson.jq.module.loaders.FileSystemModuleLoader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Runs the rendered jq programs (the host's bootstrap runs them with jq 1.6+ as
 * {@code jq -n -L DIR --arg/--rawfile NAME VALUE -f PROGRAM}) on the workstation with jackson-jq,
 * so the local bundle's derived files come from the very programs the host runs and the
 * workstation needs no jq. A {@code --rawfile} value is the file's text, newline included, so
 * callers pass secret values with the trailing newline the host's secret files have.
 */
final class JqPrograms {

    private JqPrograms() {
    }

    /**
     * Evaluates {@code program} with null input ({@code jq -n}) and returns its single output.
     *
     * @param modules   rendered jq modules by file name (e.g. {@code realm-security.jq}), what
     *                  {@code -L DIR} finds in the host's configuration directory
     * @param program   the program text
     * @param variables {@code $name} to string value
     * @throws IllegalStateException when the program does not compile, fails, or yields other than one value
     */
    static JsonNode run(Map<String, String> modules, String program, Map<String, String> variables) {
        Map<String, JsonNode> values = new java.util.LinkedHashMap<>();
        variables.forEach((k, v) -> values.put(k, TextNode.valueOf(v)));
        return run(modules, program, NullNode.getInstance(), values);
    }

    /**
     * Evaluates {@code program} on {@code input} ({@code jq PROGRAM FILE}) with variables of any
     * JSON value ({@code --slurpfile NAME FILE} binds the array of the file's values).
     *
     * @throws IllegalStateException as {@link #run(Map, String, Map)}
     */
    static JsonNode run(Map<String, String> modules, String program, JsonNode input, Map<String, JsonNode> variables) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("orthweb-jq");
            for (Map.Entry<String, String> m : modules.entrySet()) {
                Files.writeString(dir.resolve(m.getKey()), m.getValue());
            }
            Scope root = Scope.newEmptyScope();
            BuiltinFunctionLoader.getInstance().loadFunctions(Versions.JQ_1_6, root);
            root.setModuleLoader(new ChainedModuleLoader(new ModuleLoader[]{
                    BuiltinModuleLoader.getInstance(), new FileSystemModuleLoader(root, Versions.JQ_1_6, dir)}));
            Scope scope = Scope.newChildScope(root);
            variables.forEach(scope::setValue);
            List<JsonNode> out = new ArrayList<>();
            JsonQuery.compile(program, Versions.JQ_1_6).apply(scope, input, out::add);
            if (out.size() != 1) {
                throw new IllegalStateException("jq program yielded " + out.size() + " values, expected 1");
            }
            return out.get(0);
        } catch (JsonQueryException e) {
            throw new IllegalStateException("jq program failed: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (dir != null) {
                try (Stream<Path> s = Files.walk(dir)) {
                    s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                } catch (IOException ignored) {
                    // a temporary directory of non-secret modules: nothing to protect
                }
            }
        }
    }
}
