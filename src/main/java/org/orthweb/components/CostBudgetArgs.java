package org.orthweb.components;

import org.orthweb.naming.Naming;

import java.util.List;
import java.util.Objects;

/**
 * Inputs of {@link CostBudget}.
 *
 * @param naming           names; its stack tags select the costs
 * @param filterTag        the stack tag whose value selects the stack's costs (must be activated
 *                         as a cost allocation tag)
 * @param monthlyLimitUsd  the limit, US dollars per calendar month
 * @param actualPercent    e-mail when the actual cost passes this share of the limit
 * @param forecastPercent  e-mail when the forecast passes this share of the limit
 * @param emails           who is told (1-10 addresses)
 */
public record CostBudgetArgs(Naming naming, String filterTag, int monthlyLimitUsd, int actualPercent,
                             int forecastPercent, List<String> emails) {
    public CostBudgetArgs {
        Objects.requireNonNull(naming);
        emails = List.copyOf(emails);
        if (emails.isEmpty()) {
            throw new IllegalArgumentException("a budget needs at least one e-mail address to alert");
        }
        if (!naming.stackTags().containsKey(filterTag)) {
            throw new IllegalArgumentException("the budget filters on tag " + filterTag + ", which the stack does not set");
        }
    }
}
