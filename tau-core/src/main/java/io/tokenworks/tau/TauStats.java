package io.tokenworks.tau;

/**
 * Engine counters for metrics endpoints. Counts are cumulative since open; the histogram-like
 * figures are totals a scraper turns into rates.
 *
 * @param seriesCount series that exist now
 * @param lensCount lenses that exist now
 * @param pointsAppended points acknowledged since open
 * @param mailboxQueueDepth messages waiting in all series mailboxes now
 * @param mailboxFullCount requests refused with BUSY because a mailbox was full
 * @param walForces forces of the WAL since open
 * @param walForceNanosTotal time spent in those forces
 * @param walRecordsForced WAL records made durable by those forces (records per force = group size)
 * @param walBytes bytes written to the WAL since open
 * @param chunksSealed chunks sealed since open
 * @param checkpoints checkpoints completed since open (each deletes the WAL segments it made
 *     redundant)
 * @param pointMemoryBytes direct memory held in point blocks: heads, chunks sealed since the last
 *     checkpoint, and blocks kept for reuse (the most ever needed at once)
 * @param storedChunkReads stored chunks read back from their packs for queries (cache misses)
 * @param chunkCacheBytes decoded points of stored chunks kept in the cache now
 */
public record TauStats(
    int seriesCount,
    int lensCount,
    long pointsAppended,
    long mailboxQueueDepth,
    long mailboxFullCount,
    long walForces,
    long walForceNanosTotal,
    long walRecordsForced,
    long walBytes,
    long chunksSealed,
    long checkpoints,
    long pointMemoryBytes,
    long storedChunkReads,
    long chunkCacheBytes) {}
