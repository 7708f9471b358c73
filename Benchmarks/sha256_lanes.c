/* Merkle leaves (SHA-256 of 0x00 ‖ payload) of a whole store export, three ways: OpenSSL one payload at a
 * time, Sources/CSHA256Lanes four at a time, and Intel's ipsec-mb job manager when its header is installed
 * (Debian: libipsec-mb-dev, amd64 only). Once in cache (the same 1000 payloads over and over, as a release
 * build hashes a batch it has just validated) and once streaming the whole file from memory. Every digest
 * is compared with OpenSSL's. It decided that the lanes are ours (the header of Sources/CSHA256Lanes).
 *   cc -O2 -I Sources/CSHA256Lanes/include Benchmarks/sha256_lanes.c Sources/CSHA256Lanes/sha256_lanes.c \
 *      -o /tmp/sha256_lanes $(pkg-config --cflags --libs libcrypto) -lIPSec_MB
 *   (leave out -lIPSec_MB where libipsec-mb-dev is not installed)
 *   taskset -c 0 /tmp/sha256_lanes Benchmarks/out/rows-s1-e1000000-2026-W24.jsonl */
#define OPENSSL_API_COMPAT 10101
#include <openssl/sha.h>
#if __has_include(<intel-ipsec-mb.h>)
#define NO_COMPAT_IMB_API_053 /* its compatibility names clash with OpenSSL's SHA1 */
#include <intel-ipsec-mb.h>
#define HAVE_IPSEC_MB 1
#endif
#include "sha256_lanes.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

/* The payloads: line i is lines[i] of lengths[i] bytes, with one writable byte before it (ipsec-mb hashes a
 * contiguous message, so the 0x00 prefix is written there). */
static const uint8_t **lines;
static size_t *lengths, count;

static void openssl_leaf(size_t i, uint8_t *out) {
    SHA256_CTX c;
    const uint8_t zero = 0;
    SHA256_Init(&c);
    SHA256_Update(&c, &zero, 1);
    SHA256_Update(&c, lines[i], lengths[i]);
    SHA256_Final(out, &c);
}

/* Runs `hash` over `rounds` × `n` payloads starting at `first` (in cache: n = 1000, many rounds; streaming:
 * n = all, one round), reports, and checks the digests of the last round against `expected`. */
typedef void (*hash_fn)(size_t first, size_t n, uint8_t *out);

static void measure(const char *name, const char *mode, hash_fn hash, size_t n, int rounds, const uint8_t *expected,
                    uint8_t *out) {
    double t0 = now();
    for (int r = 0; r < rounds; r++) hash(0, n, out);
    double s = now() - t0;
    size_t bytes = 0;
    for (size_t i = 0; i < n; i++) bytes += lengths[i] + 1;
    printf("%-22s %-10s %7.1f ns/payload %7.0f MB/s  %s\n", name, mode, s / ((double)n * rounds) * 1e9,
           (double)bytes * rounds / s / 1e6, memcmp(out, expected, 32 * n) ? "WRONG DIGESTS" : "digests ok");
}

static void run_openssl(size_t first, size_t n, uint8_t *out) {
    for (size_t i = 0; i < n; i++) openssl_leaf(first + i, out + 32 * i);
}

static void run_lanes(size_t first, size_t n, uint8_t *out) {
    bp_sha256_prefixed(0, lines + first, lengths + first, n, out);
}

#ifdef HAVE_IPSEC_MB
static IMB_MGR *mgr;

static void run_ipsec_mb(size_t first, size_t n, uint8_t *out) {
    for (size_t i = first; i < first + n; i++) {
        IMB_JOB *j = IMB_GET_NEXT_JOB(mgr);
        j->src = lines[i] - 1;
        j->hash_start_src_offset_in_bytes = 0;
        j->msg_len_to_hash_in_bytes = lengths[i] + 1;
        j->auth_tag_output = out + 32 * (i - first);
        j->auth_tag_output_len_in_bytes = 32;
        j->hash_alg = IMB_AUTH_SHA_256;
        j->cipher_mode = IMB_CIPHER_NULL;
        j->cipher_direction = IMB_DIR_ENCRYPT;
        j->chain_order = IMB_ORDER_HASH_CIPHER;
        for (j = IMB_SUBMIT_JOB(mgr); j; j = IMB_GET_COMPLETED_JOB(mgr))
            if (j->status != IMB_STATUS_COMPLETED) { fprintf(stderr, "ipsec-mb: job failed\n"); exit(1); }
    }
    while (IMB_FLUSH_JOB(mgr)) {}
}
#endif

int main(int argc, char **argv) {
    if (argc != 2) { fprintf(stderr, "usage: sha256_lanes payloads.jsonl\n"); return 2; }
    if (!bp_sha256_lanes_available()) { fprintf(stderr, "this CPU has no SHA extensions\n"); return 1; }
    FILE *f = fopen(argv[1], "rb");
    if (!f) { perror(argv[1]); return 1; }
    fseek(f, 0, SEEK_END);
    size_t size = (size_t)ftell(f);
    rewind(f);
    uint8_t *buf = malloc(size + 1);
    if (!buf || fread(buf + 1, 1, size, f) != size) { perror(argv[1]); return 1; }
    lines = malloc(sizeof *lines * (size / 2 + 1));
    lengths = malloc(sizeof *lengths * (size / 2 + 1));
    for (size_t i = 1, start = 1; i <= size; i++)
        if (buf[i] == '\n') { lines[count] = buf + start; lengths[count++] = i - start; buf[i] = 0; start = i + 1; }
    size_t hot = count < 1000 ? count : 1000;
    int rounds = (int)(count / hot);
    uint8_t *expected = malloc(32 * count), *out = malloc(32 * count);
    run_openssl(0, count, expected);
    printf("%zu payloads, %.0f MB; in cache: the first %zu, %d times\n", count, size / 1e6, hot, rounds);
    measure("openssl, one at a time", "in cache", run_openssl, hot, rounds, expected, out);
    measure("CSHA256Lanes, four", "in cache", run_lanes, hot, rounds, expected, out);
    measure("openssl, one at a time", "streaming", run_openssl, count, 1, expected, out);
    measure("CSHA256Lanes, four", "streaming", run_lanes, count, 1, expected, out);
#ifdef HAVE_IPSEC_MB
    /* Each of its managers this CPU can run: SSE (with SHA-NI, two lanes), AVX2, AVX-512 (16 lanes). */
    IMB_ARCH best = IMB_ARCH_NONE;
    mgr = alloc_mb_mgr(0);
    init_mb_mgr_auto(mgr, &best);
    const struct { const char *name; IMB_ARCH arch; void (*init)(IMB_MGR *); } managers[] = {
        { "ipsec-mb sse", IMB_ARCH_SSE, init_mb_mgr_sse },
        { "ipsec-mb avx2", IMB_ARCH_AVX2, init_mb_mgr_avx2 },
        { "ipsec-mb avx512", IMB_ARCH_AVX512, init_mb_mgr_avx512 },
    };
    for (size_t m = 0; m < sizeof managers / sizeof managers[0]; m++) {
        if (managers[m].arch > best) continue;
        managers[m].init(mgr);
        measure(managers[m].name, "in cache", run_ipsec_mb, hot, rounds, expected, out);
        measure(managers[m].name, "streaming", run_ipsec_mb, count, 1, expected, out);
    }
    free_mb_mgr(mgr);
#endif
    return 0;
}
