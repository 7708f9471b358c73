#ifndef BACKPAY_SHA256_LANES_H
#define BACKPAY_SHA256_LANES_H
/* SHA-256 (FIPS 180-4) of many independent messages at once, with the x86 SHA extensions.
 *
 * One message's blocks must be compressed one after another, and each SHA-NI round instruction waits for
 * the one before it, so a single message leaves the unit mostly idle: OpenSSL reaches about 41 ns a block
 * on the machine of Benchmarks/README.md. Interleaving four messages fills it: about 21 ns a block. A
 * release hashes every input payload (a Merkle leaf each) and as many inner nodes, so this halves the
 * largest single cost of `release build`.
 *
 * Why our own: the one library on Debian that hashes independent messages side by side, Intel's ipsec-mb
 * (BSD-3-Clause, libipsec-mb-dev), is packaged for amd64 only and gains nothing that would pay for a
 * dependency on one architecture. On the 451,302 payloads of the 10^6 benchmark week, each hashed while it is
 * in cache as a release build does, one core: OpenSSL one at a time 300 ns a payload, this 172-180 ns,
 * ipsec-mb's SHA-NI manager 209 ns and its AVX-512 one (16 lanes without SHA-NI) 156-161 ns. That last one
 * is faster only on CPUs with full-width AVX-512 units, such as this AMD EPYC, and by a tenth of a fifth
 * of the build. Benchmarks/sha256_lanes.c measures all of them.
 *
 * The compression (FIPS 180-4 §6.2.2, with the SHA-NI instructions), the padding (§5.1.1) and the lane
 * scheduling are ours, so they are checked against OpenSSL one message at a time, on every length from 0
 * to 300 bytes and on random groups that end lanes at every offset, and against the FIPS 180-4 examples
 * (Tests/AnonTests/SHA256Tests.swift).
 * Elsewhere than x86-64, or on a CPU without the extensions, `bp_sha256_lanes_available` is 0 and callers
 * hash one message at a time with OpenSSL. */
#include <stddef.h>
#include <stdint.h>

/* 1 when this CPU has the SHA extensions, SSSE3 and SSE4.1, so that the functions below may be called. */
int bp_sha256_lanes_available(void);

#if defined(__x86_64__)
/* out[32 i ..< 32 i + 32] = SHA-256(prefix ‖ data[i][0 ..< lengths[i]]), for i in 0 ..< count.
 * The prefix is the RFC 6962 domain byte (0x00 for a leaf), so the message is never copied behind it.
 * data[i] may be NULL when lengths[i] is 0. Requires bp_sha256_lanes_available(). */
void bp_sha256_prefixed(uint8_t prefix, const uint8_t *const *data, const size_t *lengths, size_t count,
                        uint8_t *out);

/* out[32 i ..< 32 i + 32] = SHA-256(0x01 ‖ pairs[64 i ..< 64 i + 64]), for i in 0 ..< count: the RFC 6962
 * inner nodes of consecutive pairs of 32-byte hashes, one level of a tree at a time. `out` may be `pairs`:
 * a pair is copied when its node starts, and node i lies at or before pair i. Requires
 * bp_sha256_lanes_available(). */
void bp_sha256_nodes(const uint8_t *pairs, size_t count, uint8_t *out);
#endif

#endif
