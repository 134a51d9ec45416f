package org.orthweb.components;

import com.pulumi.aws.budgets.Budget;
import com.pulumi.aws.budgets.BudgetArgs;
import com.pulumi.aws.budgets.inputs.BudgetCostFilterArgs;
import com.pulumi.aws.budgets.inputs.BudgetNotificationArgs;
import com.pulumi.core.Output;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;
import com.pulumi.resources.CustomResourceOptions;

import java.util.Map;

/**
 * A monthly AWS Budgets cost budget over the costs tagged with this stack, e-mailing when the
 * actual cost and when the forecast pass their thresholds. Budgets e-mails the addresses itself
 * (no SNS topic, so no key grant). The tag filter counts only once the tag is activated as a
 * cost allocation tag in the Billing console; before that the budget sees nothing (README,
 * "Budget"). Budgets refresh up to three times a day; the first two budgets of an account are
 * free (AWS Cost Management guide, "Managing your costs with AWS Budgets").
 */
public final class CostBudget extends ComponentResource {

    public static final String TYPE = "orthweb:index:CostBudget";

    public final Output<String> budgetName;

    public CostBudget(String name, CostBudgetArgs args, ComponentResourceOptions options) {
        super(TYPE, name, options);
        var naming = args.naming();
        var budget = new Budget(name + "-budget", BudgetArgs.builder()
                .name(naming.name("monthly-cost"))
                .budgetType("COST")
                .timeUnit("MONTHLY")
                .limitAmount(String.valueOf(args.monthlyLimitUsd()))
                .limitUnit("USD")
                .costFilters(BudgetCostFilterArgs.builder()
                        .name("TagKeyValue")
                        .values(tagFilter(args.filterTag(), args.naming().stackTags().get(args.filterTag())))
                        .build())
                .notifications(
                        notification("ACTUAL", args.actualPercent(), args),
                        notification("FORECASTED", args.forecastPercent(), args))
                .tags(naming.tags("monthly-cost"))
                .build(), CustomResourceOptions.builder().parent(this).build());
        this.budgetName = budget.name();
        registerOutputs(Map.of("budgetName", budgetName));
    }

    /**
     * A cost filter value for a user-defined tag: {@code user:<key>$<value>} (AWS Budgets API,
     * "Budget" CostFilters; cost allocation tags carry the {@code user:} prefix).
     */
    static String tagFilter(String key, String value) {
        return "user:" + key + "$" + value;
    }

    private static BudgetNotificationArgs notification(String type, int percent, CostBudgetArgs args) {
        return BudgetNotificationArgs.builder()
                .notificationType(type)
                .comparisonOperator("GREATER_THAN")
                .threshold((double) percent)
                .thresholdType("PERCENTAGE")
                .subscriberEmailAddresses(args.emails())
                .build();
    }
}
