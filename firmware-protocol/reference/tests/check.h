/* Minimal test support: plain C, no framework. A failed CHECK prints where and fails the executable. */
#ifndef CHECK_H
#define CHECK_H
#include <stdio.h>
#include <stdlib.h>

static int check_failures = 0;

#define CHECK(cond)                                                                                   \
    do {                                                                                              \
        if (!(cond)) {                                                                                \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);                  \
            check_failures++;                                                                         \
        }                                                                                             \
    } while (0)

#define CHECK_EQ(a, b)                                                                                \
    do {                                                                                              \
        long long va_ = (long long)(a), vb_ = (long long)(b);                                         \
        if (va_ != vb_) {                                                                             \
            fprintf(stderr, "%s:%d: CHECK_EQ failed: %s = %lld, %s = %lld\n", __FILE__, __LINE__, #a, \
                    va_, #b, vb_);                                                                    \
            check_failures++;                                                                         \
        }                                                                                             \
    } while (0)

static inline int check_report(const char *name)
{
    if (check_failures) {
        fprintf(stderr, "%s: %d check(s) failed\n", name, check_failures);
        return 1;
    }
    printf("%s: all checks passed\n", name);
    return 0;
}

/* xorshift32: deterministic, portable pseudo-random numbers for tests and vectors. */
static unsigned rng_state = 2463534242u;
static inline unsigned rng_next(void)
{
    unsigned x = rng_state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return rng_state = x;
}
#endif
