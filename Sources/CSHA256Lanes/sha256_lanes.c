#include "sha256_lanes.h"

#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>
#include <string.h>

int bp_sha256_lanes_available(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_SSSE3) || !(c & bit_SSE4_1)) return 0;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
    return (b & bit_SHA) != 0;
}

#define TARGET __attribute__((target("sha,sse4.1,ssse3")))
#define INLINE TARGET static inline __attribute__((always_inline))

static const uint32_t K[64] __attribute__((aligned(16))) = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

/* The state as the round instruction wants it: ABEF in one register, CDGH in the other. */
typedef struct { __m128i abef, cdgh; } state_t;

INLINE __m128i byte_swap_words(__m128i x) {
    return _mm_shuffle_epi8(x, _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL));
}

INLINE state_t initial_state(void) {
    /* H0..H7 of FIPS 180-4 §5.3.3, rearranged as initial ABEF / CDGH. */
    const __m128i dcba = _mm_set_epi32(0xa54ff53a, 0x3c6ef372, 0xbb67ae85, 0x6a09e667);
    const __m128i hgfe = _mm_set_epi32(0x5be0cd19, 0x1f83d9ab, 0x9b05688c, 0x510e527f);
    const __m128i cdab = _mm_shuffle_epi32(dcba, 0xB1), efgh = _mm_shuffle_epi32(hgfe, 0x1B);
    state_t s = { _mm_alignr_epi8(cdab, efgh, 8), _mm_blend_epi16(efgh, cdab, 0xF0) };
    return s;
}

INLINE void store_digest(state_t s, uint8_t *out) {
    const __m128i feba = _mm_shuffle_epi32(s.abef, 0x1B), dchg = _mm_shuffle_epi32(s.cdgh, 0xB1);
    _mm_storeu_si128((__m128i *)out, byte_swap_words(_mm_blend_epi16(feba, dchg, 0xF0)));
    _mm_storeu_si128((__m128i *)(out + 16), byte_swap_words(_mm_alignr_epi8(dchg, feba, 8)));
}

/* One 64-byte block into each of N states, the N messages' rounds interleaved so that the round
 * instructions of one lane run while another's wait. The loops have constant bounds and are unrolled:
 * every index below is a constant, so w[][] lives in registers. Four rounds per step q; the message
 * schedule of FIPS 180-4 §6.2.2 step 1 runs three steps ahead (msg1) and one step ahead (msg2). */
#define COMPRESS(N)                                                                                          \
    INLINE void compress_x##N(state_t *s, const uint8_t *const *block) {                                    \
        __m128i w[N][4], abef[N], cdgh[N];                                                                   \
        _Pragma("GCC unroll 4") for (int l = 0; l < N; l++) { abef[l] = s[l].abef; cdgh[l] = s[l].cdgh; }   \
        _Pragma("GCC unroll 16") for (int q = 0; q < 16; q++) {                                              \
            const __m128i k = _mm_load_si128((const __m128i *)(K + 4 * q));                                 \
            _Pragma("GCC unroll 4") for (int l = 0; l < N; l++) {                                            \
                if (q < 4) w[l][q & 3] = byte_swap_words(_mm_loadu_si128((const __m128i *)(block[l] + 16 * q))); \
                const __m128i cur = w[l][q & 3];                                                             \
                __m128i m = _mm_add_epi32(cur, k);                                                           \
                cdgh[l] = _mm_sha256rnds2_epu32(cdgh[l], abef[l], m);                                        \
                if (q >= 3 && q <= 14) {                                                                     \
                    const __m128i t = _mm_alignr_epi8(cur, w[l][(q - 1) & 3], 4);                            \
                    w[l][(q + 1) & 3] = _mm_sha256msg2_epu32(_mm_add_epi32(w[l][(q + 1) & 3], t), cur);      \
                }                                                                                            \
                m = _mm_shuffle_epi32(m, 0x0E);                                                              \
                abef[l] = _mm_sha256rnds2_epu32(abef[l], cdgh[l], m);                                        \
                if (q >= 1 && q <= 12) w[l][(q - 1) & 3] = _mm_sha256msg1_epu32(w[l][(q - 1) & 3], cur);     \
            }                                                                                                \
        }                                                                                                    \
        _Pragma("GCC unroll 4") for (int l = 0; l < N; l++) {                                                \
            s[l].abef = _mm_add_epi32(s[l].abef, abef[l]);                                                   \
            s[l].cdgh = _mm_add_epi32(s[l].cdgh, cdgh[l]);                                                   \
        }                                                                                                    \
    }
COMPRESS(1)
COMPRESS(2)
COMPRESS(4)

/* One message in flight: prefix ‖ data, cut into blocks. Blocks after the first that lie wholly inside
 * the message are read in place (data + 64 k - 1, the prefix shifting everything by one byte); the first
 * and the padded tail are copied. */
typedef struct {
    const uint8_t *data;
    size_t index;  /* where its digest goes */
    size_t whole;  /* blocks wholly inside prefix ‖ data */
    size_t blocks; /* whole + one or two padded tail blocks */
    size_t next;   /* the next block to compress */
    uint8_t first[64];
    uint8_t tail[128];
} message_t;

static void message_start(message_t *m, uint8_t prefix, const uint8_t *data, size_t length, size_t index) {
    const size_t total = length + 1, rest = total % 64;
    m->data = data;
    m->index = index;
    m->whole = total / 64;
    /* FIPS 180-4 §5.1.1: 0x80, zeros, and the length in bits as 8 big-endian bytes. */
    m->blocks = m->whole + (rest + 9 > 64 ? 2 : 1);
    m->next = 0;
    memset(m->tail, 0, sizeof m->tail);
    if (m->whole > 0) {
        m->first[0] = prefix;
        memcpy(m->first + 1, data, 63);
        memcpy(m->tail, data + 64 * m->whole - 1, rest);
    } else {
        m->tail[0] = prefix;
        if (length > 0) memcpy(m->tail + 1, data, length);
    }
    m->tail[rest] = 0x80;
    const uint64_t bits = (uint64_t)total * 8;
    uint8_t *end = m->tail + 64 * (m->blocks - m->whole);
    for (int i = 1; i <= 8; i++) end[-i] = (uint8_t)(bits >> (8 * (i - 1)));
}

static inline const uint8_t *message_block(const message_t *m) {
    const size_t k = m->next;
    if (k >= m->whole) return m->tail + 64 * (k - m->whole);
    return k == 0 ? m->first : m->data + 64 * k - 1;
}

/* The messages are handed out one by one from either an array of pointers and lengths or a stride. */
typedef struct {
    uint8_t prefix;
    const uint8_t *const *data;
    const size_t *lengths;
    const uint8_t *base; /* with stride: message i is base[stride i ..< stride (i + 1)] */
    size_t stride;
    size_t count, taken;
} source_t;

static int source_next(source_t *src, message_t *m) {
    if (src->taken == src->count) return 0;
    const size_t i = src->taken++;
    if (src->data) message_start(m, src->prefix, src->data[i], src->lengths[i], i);
    else message_start(m, src->prefix, src->base + src->stride * i, src->stride, i);
    return 1;
}

/* Four lanes, each refilled with the next message as soon as its own is done, so messages of different
 * lengths keep all four busy; the last few run two at a time or alone. A lane that has nothing left takes
 * the place of the last busy one, keeping the busy lanes first. */
TARGET static void run(source_t *src, uint8_t *out) {
    message_t lane[4];
    state_t state[4] = { 0 };
    int busy = 0;
    while (busy < 4 && source_next(src, &lane[busy])) state[busy++] = initial_state();
    /* Three busy lanes still run four wide, the fourth compressing zeros into a state nobody reads: that
     * costs less than two lanes and then one. */
    static const uint8_t zeros[64] __attribute__((aligned(16)));
    while (busy > 0) {
        const uint8_t *block[4];
        for (int l = 0; l < 4; l++) block[l] = l < busy ? message_block(&lane[l]) : zeros;
        const int width = busy >= 3 ? 4 : busy;
        if (width == 4) {
            compress_x4(state, block);
        } else if (width == 2) {
            compress_x2(state, block);
        } else {
            compress_x1(state, block);
        }
        for (int l = busy - 1; l >= 0; l--) {
            if (++lane[l].next < lane[l].blocks) continue;
            store_digest(state[l], out + 32 * lane[l].index);
            if (source_next(src, &lane[l])) {
                state[l] = initial_state();
            } else if (l != --busy) {
                lane[l] = lane[busy];
                state[l] = state[busy];
            }
        }
    }
}

void bp_sha256_prefixed(uint8_t prefix, const uint8_t *const *data, const size_t *lengths, size_t count,
                        uint8_t *out) {
    source_t src = { prefix, data, lengths, NULL, 0, count, 0 };
    run(&src, out);
}

void bp_sha256_nodes(const uint8_t *pairs, size_t count, uint8_t *out) {
    source_t src = { 0x01, NULL, NULL, pairs, 64, count, 0 };
    run(&src, out);
}

#else

int bp_sha256_lanes_available(void) { return 0; }

#endif
