package org.orthweb.plan;

import java.util.Optional;

/**
 * Where a monthly cost estimate plugs into the plan: the text shows {@code [cost ~$X/month]}
 * instead of {@code [cost]} and the JSON's {@code monthlyCost} carries the figure. No estimate
 * exists yet ({@link #NONE}); a later one (prices per region and type) implements this.
 */
@FunctionalInterface
public interface CostEstimate {

    /** No figures: resources that cost money are marked, without an amount. */
    CostEstimate NONE = resource -> Optional.empty();

    /**
     * @param resource a planned resource marked {@link Marker#COST}
     * @return its estimated cost in US dollars per month, or empty when unknown
     */
    Optional<Double> monthlyUsd(Plan.PlannedResource resource);
}
