package io.tokenworks.protocol.tau;

/**
 * A QUERY_AGGREGATE reply: how many points lie in the window and their min, max, sum and mean (NaN
 * for an empty window).
 */
public record TauAggregate(long count, double min, double max, double sum, double mean) {}
