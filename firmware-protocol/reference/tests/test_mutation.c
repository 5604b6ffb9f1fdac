/* Decoder-side checks under random mutations (tests/mutate.h: the kinds the C# fuzz test uses too):
 * - 1 to 3 flipped bits and every truncation are always rejected;
 * - any mutated input the decoder accepts is canonical: it re-encodes to exactly the accepted bytes;
 * - the decoder never reads past the length it is given: on POSIX hosts the input ends at a page boundary followed
 *   by a PROT_NONE guard page (an over-read crashes the test); everywhere, the same input is also decoded with the
 *   bytes after it set to 0x00 and to 0xFF, and both verdicts and decoded frames must be identical. */
#if defined(__unix__) || defined(__APPLE__)
#define _DEFAULT_SOURCE /* mmap's MAP_ANONYMOUS under -std=c99 */
#include <sys/mman.h>
#include <unistd.h>
#define HAVE_GUARD_PAGE 1
#endif

#include "check.h"
#include "mutate.h"
#include "sensing_protocol.h"

#include <string.h>

#define ITERATIONS 200000

static int16_t samples[SP_MAX_SAMPLES][3];
static sp_frame decoded, decoded_other;
static uint8_t *guarded_end; /* first byte of the guard page (or of a trailing pad when there is none) */
static uint8_t fallback[2 * SP_MAX_FRAME_BYTES];

static void guard_init(void)
{
#ifdef HAVE_GUARD_PAGE
    long page = sysconf(_SC_PAGESIZE);
    uint8_t *p = mmap(NULL, (size_t)page * 2, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p != MAP_FAILED && mprotect(p + page, (size_t)page, PROT_NONE) == 0) {
        guarded_end = p + page;
        printf("mutation: inputs end at a guard page\n");
        return;
    }
#endif
    guarded_end = fallback + SP_MAX_FRAME_BYTES;
    printf("mutation: no guard page on this host; over-reads are caught by the differential check only\n");
}

/* Decodes `bytes` placed so that its last byte is the last readable byte; returns the verdict. */
static sp_result decode_guarded(const uint8_t *bytes, size_t len, size_t *consumed)
{
    uint8_t *start = guarded_end - len;
    memcpy(start, bytes, len);
    sp_result r = sp_decode_frame(start, len, &decoded, consumed);
    if (r == SP_OK) {
        uint8_t again[SP_MAX_FRAME_BYTES];
        size_t n = sp_encode_frame(&decoded.header, (const int16_t(*)[3])decoded.samples, decoded.header.count, again,
                                   sizeof again);
        CHECK_EQ(n, *consumed);
        CHECK(memcmp(again, start, n) == 0);
    }

    /* Differential: whatever follows the input must not change the verdict or the frame. */
    uint8_t padded[2][2 * SP_MAX_FRAME_BYTES];
    for (int fill = 0; fill < 2; fill++) {
        memset(padded[fill], fill ? 0xFF : 0x00, sizeof padded[fill]);
        memcpy(padded[fill], bytes, len);
    }
    size_t c0 = 0, c1 = 0;
    sp_result r0 = sp_decode_frame(padded[0], len, &decoded_other, &c0);
    CHECK_EQ(r0, r);
    sp_result r1 = sp_decode_frame(padded[1], len, &decoded, &c1);
    CHECK_EQ(r1, r);
    if (r == SP_OK) {
        CHECK_EQ(c0, c1);
        CHECK(memcmp(&decoded.header, &decoded_other.header, sizeof decoded.header) == 0);
        CHECK(memcmp(decoded.samples, decoded_other.samples, decoded.header.count * sizeof decoded.samples[0]) == 0);
    }
    return r;
}

int main(void)
{
    uint8_t frame[SP_MAX_FRAME_BYTES], mutated[SP_MAX_FRAME_BYTES];
    long total[MUT_KINDS] = {0}, accepted[MUT_KINDS] = {0};
    guard_init();
    for (int i = 0; i < ITERATIONS; i++) {
        size_t len = mutation_source(frame, samples);
        size_t consumed;
        CHECK_EQ(decode_guarded(frame, len, &consumed), SP_OK);
        CHECK_EQ(consumed, len);
        memcpy(mutated, frame, len);
        int kind = (int)(rng_next() % MUT_KINDS);
        size_t mlen = mutate(mutated, len, kind);
        sp_result r = decode_guarded(mutated, mlen, &consumed);
        total[kind]++;
        if (r == SP_OK) accepted[kind]++;
    }
    for (int k = 0; k < MUT_KINDS; k++) {
        printf("mutation: %-12s %7ld frames, %5ld accepted\n", mutation_names[k], total[k], accepted[k]);
    }
    CHECK_EQ(accepted[MUT_BIT_FLIPS], 0);
    CHECK_EQ(accepted[MUT_TRUNCATED], 0);
    CHECK(accepted[MUT_BYTE_VALUES] * 10000 < total[MUT_BYTE_VALUES] * 2);   /* chance CRC match: ~1/65536 */
    CHECK(accepted[MUT_RANDOM_BYTES] * 10000 < total[MUT_RANDOM_BYTES] * 2); /* ~1/65536 x header plausibility */
    return check_report("mutation");
}
