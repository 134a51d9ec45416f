package org.orthweb.plan;

import java.util.Optional;

/**
 * Where a monthly cost estimate plugs into the plan: the text shows {@code [cost ~$X/month]}
 * instead of {@code [cost]} and the JSON's {@code monthlyCost} carries the figure, from an
 * {@link org.orthweb.cost.CostEstimate} ({@link #of}), or none ({@link #NONE}).
 */
@FunctionalInterface
public interface ResourceCosts {

    /** No figures: resources that cost money are marked, without an amount. */
    ResourceCosts NONE = resource -> Optional.empty();

    /** Each resource's share of an estimate, by logical name. */
    static ResourceCosts of(org.orthweb.cost.CostEstimate estimate) {
        return resource -> Optional.ofNullable(estimate.perResource().get(resource.name()));
    }

    /**
     * @param resource a planned resource marked {@link Marker#COST}
     * @return its estimated cost in US dollars per month, or empty when unknown
     */
    Optional<Double> monthlyUsd(Plan.PlannedResource resource);
}
