#ifndef BACKPAY_COPENSSL_SHIM_H
#define BACKPAY_COPENSSL_SHIM_H
/* Only SHA-256, through the low-level SHA256_Init/Update/Final. OpenSSL 3.0 deprecates them in favour of
 * EVP, but they run the same SHA-NI/AVX2 code, keep their state in a caller-owned struct (no fetch, no
 * allocation, a plain value Swift can copy), and measured no slower than a reused EVP_MD_CTX on 500-byte
 * leaves (Benchmarks/README.md). Declaring the 1.1.1 API level states that choice here instead of silencing
 * every deprecation: only the 3.0 deprecation attributes are left off, so Swift does not warn at each call,
 * while whatever 1.1.1 or earlier deprecated still warns. It must precede every OpenSSL include, hence this
 * header alone includes OpenSSL. */
#define OPENSSL_API_COMPAT 10101
#include <openssl/sha.h>
#endif
