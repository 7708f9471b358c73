/* Per-call cost of OpenSSL 3's SHA-256 entry points against libsodium, on a Merkle leaf (0x00 ‖ N bytes);
 * it decided which API Sources/COpenSSL exposes (Benchmarks/README.md, "SHA-256").
 *   cc -O2 Benchmarks/sha256_api.c -o /tmp/sha256_api $(pkg-config --cflags --libs libcrypto libsodium)
 *   taskset -c 0 /tmp/sha256_api 500 1000000; taskset -c 0 /tmp/sha256_api 1048576 300 */
#define OPENSSL_API_COMPAT 10101
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static void report(const char *name, size_t len, long calls, double t0) {
    double s = now() - t0;
    printf("%-28s %8zu B: %10.1f ns/call %7.1f MB/s\n", name, len, s / calls * 1e9, (double)len * calls / s / 1e6);
}

int main(int argc, char **argv) {
    size_t len = argc > 1 ? strtoul(argv[1], NULL, 10) : 500;
    long calls = argc > 2 ? atol(argv[2]) : 1000000;
    unsigned char *buf = malloc(len ? len : 1), out[32], zero = 0;
    unsigned int outlen;
    memset(buf, 7, len);
    /* Each call feeds a digest byte into the next input, so no call can be skipped or hoisted. */
    double t0 = now();
    for (long i = 0; i < calls; i++) {
        SHA256_CTX c;
        SHA256_Init(&c); SHA256_Update(&c, &zero, 1); SHA256_Update(&c, buf, len); SHA256_Final(out, &c);
        buf[0] = out[1];
    }
    report("SHA256_Init/Update/Final", len, calls, t0);
    EVP_MD *md = EVP_MD_fetch(NULL, "SHA256", NULL);
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    t0 = now();
    for (long i = 0; i < calls; i++) {
        EVP_DigestInit_ex2(ctx, md, NULL); EVP_DigestUpdate(ctx, &zero, 1); EVP_DigestUpdate(ctx, buf, len);
        EVP_DigestFinal_ex(ctx, out, &outlen);
        buf[0] = out[1];
    }
    report("EVP, MD fetched once, ctx", len, calls, t0);
    t0 = now();
    for (long i = 0; i < calls; i++) { EVP_Digest(buf, len, out, &outlen, md, NULL); buf[0] = out[1]; }
    report("EVP_Digest (ctx per call)", len, calls, t0);
    t0 = now();
    for (long i = 0; i < calls; i++) { SHA256(buf, len, out); buf[0] = out[1]; }
    report("SHA256() (fetch per call)", len, calls, t0);
    t0 = now();
    for (long i = 0; i < calls; i++) {
        crypto_hash_sha256_state s;
        crypto_hash_sha256_init(&s); crypto_hash_sha256_update(&s, &zero, 1);
        crypto_hash_sha256_update(&s, buf, len); crypto_hash_sha256_final(&s, out);
        buf[0] = out[1];
    }
    report("libsodium crypto_hash_sha256", len, calls, t0);
    EVP_MD_CTX_free(ctx);
    EVP_MD_free(md);
    free(buf);
    return 0;
}
