package io.tokenworks.latzero;

/**
 * Counts for a status page or metrics. Call counters are totals since the fabric opened.
 *
 * @param callsAccepted calls delivered to a handler
 * @param callsRejected calls refused at once (validation, routing, membership, overload)
 * @param callsSucceeded calls answered with a result
 * @param callsFailedByHandler calls answered with an error
 * @param callsHandlerGone calls failed because their handler's session closed
 * @param deliveryFailures delivery callbacks that threw
 * @param storageFailures database operations that failed (each was logged)
 * @param backups backup files present now
 */
public record FabricStatus(
    int pools,
    int knownApps,
    int liveSessions,
    int outstandingCalls,
    long callsAccepted,
    long callsRejected,
    long callsSucceeded,
    long callsFailedByHandler,
    long callsTimedOut,
    long callsHandlerGone,
    long emitsDelivered,
    long deliveryFailures,
    long storageFailures,
    int backups) {}
