package org.orthweb.automation;

import com.pulumi.automation.OperationType;

import java.util.EnumMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * What a preview, up, refresh or destroy did.
 *
 * @param operation which operation
 * @param changes   resources per kind of change (create, update, delete, same...); for a preview,
 *                  what would change
 * @param outputs   the stack outputs after an up (empty for the other operations)
 */
public record OperationResult(Operation operation, Map<OperationType, Integer> changes,
                              Map<String, StackOutput> outputs) {

    public OperationResult {
        changes = changes.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(changes));
        outputs = Map.copyOf(outputs);
    }

    /** Resources created, updated, replaced or deleted (unchanged and read-only steps excluded). */
    public int changedCount() {
        int n = 0;
        for (var e : changes.entrySet()) {
            if (e.getKey() != OperationType.SAME && e.getKey() != OperationType.READ) {
                n += e.getValue();
            }
        }
        return n;
    }

    /** "create 3, update 1, unchanged 40": changes in Pulumi's order of operations, unchanged last. */
    public String describeChanges() {
        return describe(changes);
    }

    static String describe(Map<OperationType, Integer> changes) {
        if (changes.isEmpty()) {
            return "no changes";
        }
        StringJoiner text = new StringJoiner(", ");
        new EnumMap<>(changes).forEach((op, n) -> {
            if (op != OperationType.SAME) {
                text.add(ProgressEvent.verb(op) + " " + n);
            }
        });
        if (changes.containsKey(OperationType.SAME)) {
            text.add(ProgressEvent.verb(OperationType.SAME) + " " + changes.get(OperationType.SAME));
        }
        return text.toString();
    }
}
