/**
 * The LatZero shared-memory block: a file format and a zero-copy Java API for processes on one host
 * that map the same file.
 *
 * <h2>File layout (format version 1)</h2>
 *
 * <p>A block file is a 256-byte header followed by the data region, nothing else: its length is
 * exactly {@code 256 + size}. Every multi-byte field is <b>little-endian</b>. The header is four
 * 64-byte cache lines so that the words readers poll (the seqlock) never share a line with the
 * words writers update when they take or renew a lease, and 64-bit words sit at 8-byte aligned
 * offsets of a page-aligned mapping, as the CPU's atomic instructions require.
 *
 * <table>
 *   <caption>Header fields</caption>
 *   <tr><th>offset</th><th>length</th><th>field</th><th>meaning</th></tr>
 *   <tr><td>0</td><td>8</td><td>magic</td><td>ASCII {@code LZ0BLOCK} (4C 5A 30 42 4C 4F 43 4B)</td></tr>
 *   <tr><td>8</td><td>4</td><td>format version</td><td>u32, 1</td></tr>
 *   <tr><td>12</td><td>4</td><td>header length</td><td>u32, 256: where the data region starts</td></tr>
 *   <tr><td>16</td><td>8</td><td>data size</td><td>i64, the capacity in bytes, 1 to 2,147,483,391</td></tr>
 *   <tr><td>24</td><td>4</td><td>identity checksum</td><td>u32, CRC-32C of bytes 0 to 23</td></tr>
 *   <tr><td>28</td><td>36</td><td>reserved</td><td>zero</td></tr>
 *   <tr><td>64</td><td>8</td><td>seqlock</td><td>i64, even = stable, odd = a write is in progress; +1 when a write starts, +1 when it ends</td></tr>
 *   <tr><td>72</td><td>8</td><td>content version</td><td>i64, 0 for a block never written, +1 per write</td></tr>
 *   <tr><td>80</td><td>48</td><td>reserved</td><td>zero</td></tr>
 *   <tr><td>128</td><td>8</td><td>lease word</td><td>i64, {@code fencingToken << 1 | held}: bit 0 is set while a writer holds the lease, bits 63..1 count the leases ever granted (the fencing token, starting at 0, so the first lease gets 1)</td></tr>
 *   <tr><td>136</td><td>8</td><td>lease owner</td><td>i64, the id the holder chose (a pid, a session number)</td></tr>
 *   <tr><td>144</td><td>8</td><td>lease expiry</td><td>i64, epoch milliseconds; at or after it another writer may take the lease over</td></tr>
 *   <tr><td>152</td><td>8</td><td>lease stamp</td><td>i64, the fencing token that owner and expiry describe, stored last</td></tr>
 *   <tr><td>160</td><td>96</td><td>reserved</td><td>zero</td></tr>
 *   <tr><td>256</td><td>size</td><td>data region</td><td>the block's bytes, zero when created</td></tr>
 * </table>
 *
 * <p><b>Why little-endian.</b> The seqlock, content version and lease words are updated with the
 * CPU's atomic instructions (Agrona's {@code AtomicBuffer} compare-and-set and volatile accesses),
 * which work in the CPU's native byte order and take no byte order argument. Every platform Java
 * maps shared memory on in practice (x86-64, AArch64) is little-endian, so the format fixes
 * little-endian for all fields, plain ones included, and a big-endian JVM refuses to open a block
 * ({@link io.tokenworks.protocol.latzero.block.SharedBlockError#UNSUPPORTED_PLATFORM}) instead of
 * misreading the atomic words.
 *
 * <h2>Protocols</h2>
 *
 * <p><b>Reads</b> (seqlock): read the seqlock; if odd, back off and retry; copy the bytes; read the
 * seqlock again; if it changed, retry. Waiting spins briefly, then yields, then parks for growing
 * intervals, and gives up after a timeout (a writer that died mid-write leaves the word odd until a
 * new writer takes its lease over). {@link io.tokenworks.protocol.latzero.block.SharedBlock#view()}
 * with {@code readVersion()} and {@code validate(stamp)} runs the same protocol without copying.
 *
 * <p><b>Leases</b> (one writer at a time, across processes): a writer compare-and-sets the lease
 * word from free (or from held with an expired lease) to {@code held} with the next fencing token,
 * then stores owner and expiry, then the stamp. The stamp tells another process whether the expiry
 * it reads belongs to the current holder: a holder that died between its compare-and-set and its
 * stamp store (a window of a few instructions) leaves a lease whose expiry is unknown, which
 * another writer takes over once it has seen it unchanged for {@link
 * io.tokenworks.protocol.latzero.block.SharedBlockDescriptor#UNPUBLISHED_LEASE_GRACE_MS}.
 *
 * <p><b>Writes</b>: the holder compare-and-sets the seqlock from even to odd, then checks that the
 * lease word still holds its fencing token (so a write that starts after the lease was taken over
 * is refused and changes nothing), copies the bytes, increments the content version and
 * compare-and-sets the seqlock back to even. A writer that takes over a lease whose holder died
 * mid-write finds the seqlock odd, makes it even and increments the content version; the lease it
 * gets says so, because the data region may then hold a half-written update.
 *
 * <p><b>Limits of fencing.</b> Shared memory cannot refuse a store, so fencing guards the start of
 * a write, not its middle: a holder paused for longer than its lease in the middle of a copy can
 * still land bytes after another writer took over (its own write then ends with {@code
 * LEASE_LOST}). Choose leases far longer than the longest write, and renew well before expiry.
 *
 * <p>Creating a block writes the whole file under a temporary name in the same directory and links
 * it into place, so no process ever maps a half-written header and an existing file is never
 * replaced. Opening never truncates, never resizes and never writes.
 */
package io.tokenworks.protocol.latzero.block;
