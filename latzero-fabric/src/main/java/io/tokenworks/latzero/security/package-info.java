/**
 * The triple-key security of encrypted pools, enforced twice: by the fabric, which stores only key
 * verifiers, and by the cryptography, which separates reading from writing.
 *
 * <h2>Keys</h2>
 *
 * <p>An encrypted pool has three random 32-byte keys, exchanged as 64 hex characters under
 * upstream's JSON names: {@link io.tokenworks.latzero.security.SigilKey} ({@code sigil_key}, join),
 * {@link io.tokenworks.latzero.security.CipherShard} ({@code cipher_shard}, read) and {@link
 * io.tokenworks.latzero.security.OblivionSeal} ({@code oblivion_seal}, write). {@link
 * io.tokenworks.latzero.security.PoolVerifiers#provision} makes them when the pool is created; the
 * creator receives them once and decides who gets which.
 *
 * <h2>Server side: verifiers, never keys</h2>
 *
 * <p>Upstream kept the keys themselves in the pool's stored config. The fabric keeps {@link
 * io.tokenworks.latzero.security.PoolVerifiers} instead: per key, HKDF-SHA256 of the key under a
 * random per-pool salt and a label naming the key's role and the pool, plus the pool's writer
 * public key. A stolen database therefore yields no key. {@code authorize} recomputes all three
 * verifiers for whatever keys are presented and compares them with {@link
 * java.security.MessageDigest#isEqual}, always three times, and applies the documented hierarchy
 * that upstream did not: JOIN needs the SigilKey, READ the SigilKey and the CipherShard, WRITE the
 * SigilKey and the OblivionSeal.
 *
 * <h2>Client side: read and write are separate keys</h2>
 *
 * <p>Upstream derived one pool key from all three keys (IKM sigil ‖ cipher ‖ oblivion, salt
 * SHA-256(pool), info {@code "latzero-pool-" + pool}). Every reader would need it, so every reader
 * could also write; capabilities would be server policy only. {@link
 * io.tokenworks.latzero.security.TripleKey#poolKey} still computes it, byte for byte, for
 * compatibility, but data is protected by two sub-keys derived with the same salt:
 *
 * <ul>
 *   <li>the <b>content key</b>, HKDF of sigil ‖ cipher with info {@code "latzero-read-v1-" + pool},
 *       for AES-256-GCM ({@link io.tokenworks.latzero.security.ContentCipher}): a fresh random
 *       96-bit nonce per message (upstream reused one), upstream's layout nonce ‖ ciphertext ‖ tag,
 *       and associated data binding pool, block and version, length-prefixed;
 *   <li>the <b>writer key</b>, an Ed25519 key whose seed is HKDF of sigil ‖ oblivion with info
 *       {@code "latzero-write-v1-" + pool} ({@link io.tokenworks.latzero.security.WriteSigner}).
 *       Its public key sits in the pool's verifiers, so readers and the server can check every
 *       write ({@link io.tokenworks.latzero.security.WriteVerifier}) without holding any key.
 * </ul>
 *
 * <p>A reader can decrypt, and could even encrypt, but cannot sign: a write that did not come from
 * a holder of the OblivionSeal fails verification. A signature (rather than a second symmetric MAC
 * key) is what makes this hold, because any symmetric key a reader can check with is one it can
 * forge with. Sealing a write ({@link io.tokenworks.latzero.security.PoolCrypto#seal}) needs all
 * three keys, since the content must be readable by readers; a holder of only the SigilKey and the
 * OblivionSeal has the WRITE capability on the server (e.g. to delete or resize blocks) but cannot
 * produce content readers accept.
 *
 * <h2>Rotation</h2>
 *
 * <p>{@link io.tokenworks.latzero.security.PoolVerifiers#rotate} makes new keys, verifiers and
 * writer key. Re-encrypting the pool's existing block data is the caller's job: open it with the
 * old {@link io.tokenworks.latzero.security.PoolCrypto}, seal it with the new one, then drop the
 * old keys.
 *
 * <h2>TLS</h2>
 *
 * <p>{@link io.tokenworks.latzero.security.TlsContexts} builds JDK {@link
 * javax.net.ssl.SSLContext}s for the optional TLS listener from PEM files or a PKCS12 keystore.
 *
 * <p>Errors are {@link io.tokenworks.latzero.security.LatZeroSecurityException}s carrying a {@link
 * io.tokenworks.latzero.security.SecurityError} the server maps to its wire errors. Keys are zeroed
 * when destroyed and never appear in {@code toString} or in messages.
 */
package io.tokenworks.latzero.security;
